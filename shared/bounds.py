"""The longest string the public API takes in each kind of field, named once: a longer one is a
422 naming the field, before anything is read further or written. Services with a domain rule of
their own (a text's 1,600 characters, a custom field name's 64) use their domain's constant."""

from typing import Annotated

from pydantic import Field

PERSON_NAME = 100  # first name, last name
LABEL = 200  # an account's, user's, tag's or company's name; a column header
EMAIL = 254  # the most SMTP carries (RFC 5321)
PHONE_AS_TYPED = 40  # a phone number as someone typed it, before it is parsed
IDENTIFIER = 100  # ids of contacts, phones, messages, jobs; idempotency keys
NOTE = 10_000  # a contact's notes
URL = 2_048
LONG_TEXT = 4_096  # free text a carrier reviews: a campaign's description, how people opt in
SAMPLE_MESSAGE = 1_024  # each sample message of a 10DLC campaign
SHORT_CODE = 64  # codes and enumerations typed as text: an EIN, a use case, a bundle SID

PersonName = Annotated[str, Field(max_length=PERSON_NAME)]
Label = Annotated[str, Field(max_length=LABEL)]
Email = Annotated[str, Field(max_length=EMAIL)]
PhoneAsTyped = Annotated[str, Field(max_length=PHONE_AS_TYPED)]
Identifier = Annotated[str, Field(min_length=1, max_length=IDENTIFIER)]
Note = Annotated[str, Field(max_length=NOTE)]
Url = Annotated[str, Field(max_length=URL)]
LongText = Annotated[str, Field(max_length=LONG_TEXT)]
SampleMessage = Annotated[str, Field(max_length=SAMPLE_MESSAGE)]
ShortCode = Annotated[str, Field(max_length=SHORT_CODE)]
