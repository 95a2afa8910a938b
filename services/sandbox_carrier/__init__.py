"""Sandbox carrier: a local stand-in for the slice of Twilio the product uses.

It answers Twilio's REST API (Messages, AvailablePhoneNumbers, IncomingPhoneNumbers,
Calls) the way Twilio's OpenAPI description says, and calls the product's webhooks
signed exactly as Twilio signs them, so the whole product runs and is tested offline.
`/sandbox/*` endpoints let tests script what a real carrier would do on its own
(inbound texts and calls, delivery failures, outages).
"""
