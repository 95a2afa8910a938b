"""The reply to HELP or INFO: carriers require it to name the organisation and a way to reach it,
so it is built from the account's 10DLC registration unless the account wrote its own."""

HELP_REPLY_MAX_CHARS = 320  # two GSM-7 segments' worth, whether built or written by the account
_COMPANY_MAX_CHARS = 80
_CLOSING = "Msg & data rates may apply. Reply STOP to opt out."


def built_help_reply(brand: dict | None) -> str | None:
    """"<Company>: for help, email <e>, call <p> or visit <w>. ..." from the registered brand, or None
    while the account has registered no company name."""
    company = " ".join(((brand or {}).get("company_name") or "").split())[:_COMPANY_MAX_CHARS]
    if not company:
        return None
    ways = [
        f"email {brand['contact_email']}" if brand.get("contact_email") else "",
        f"call {brand['contact_phone']}" if brand.get("contact_phone") else "",
        f"visit {brand['website']}" if brand.get("website") else "",
    ]
    ways = [way for way in ways if way]
    while ways:
        text = f"{company}: for help, {_joined(ways)}. {_CLOSING}"
        if len(text) <= HELP_REPLY_MAX_CHARS:
            return text
        ways.pop()  # a very long website or address: the other ways to reach them still fit
    return f"{company}. {_CLOSING}"


def _joined(ways: list[str]) -> str:
    return ways[0] if len(ways) == 1 else ", ".join(ways[:-1]) + " or " + ways[-1]


def help_reply(settings: dict, default: str) -> str:
    """What HELP gets: the account's own text, else the one built from its registration, else `default`."""
    return settings.get("help_reply") or built_help_reply(settings.get("registration_brand")) or default
