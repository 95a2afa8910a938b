"""Calling the product the way Twilio does: signed form posts, retried when they fail."""
