"""Phone numbers: E.164 checks, US geography from `phonenumbers`, the numbers for sale."""
