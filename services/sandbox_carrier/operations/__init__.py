"""What the carrier does when asked: plain functions over the `Carrier`, no HTTP in sight."""
