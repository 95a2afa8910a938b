"""Numbers: buys each user one texting/calling number and routes calls to it."""
