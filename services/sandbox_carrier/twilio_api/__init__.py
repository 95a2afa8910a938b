"""Twilio's REST API, the part the product calls, shaped by Twilio's OpenAPI description."""
