"""What the carrier knows about: resources, Twilio's error codes, scripted behaviours."""
