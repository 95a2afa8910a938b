"""The one-word replies the product honours, shared so the US A2P campaign registers every opt-out
keyword that messaging acts on."""

OPT_OUT_KEYWORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")
OPT_IN_KEYWORDS = ("START", "YES", "UNSTOP")
HELP_KEYWORDS = ("HELP", "INFO")


def carrier_answers(body: str) -> bool:
    """Whether a carrier answering keywords itself (Twilio's Advanced Opt-Out) answers this text: one of
    its keywords alone, any case, whitespace trimmed ("STOP." or "stop please" it leaves to the sender)."""
    return (body or "").strip().upper() in (*OPT_OUT_KEYWORDS, *OPT_IN_KEYWORDS, *HELP_KEYWORDS)
