"""`/sandbox/*`: what tests tell the carrier to do, and what they read back. Not part of Twilio."""
