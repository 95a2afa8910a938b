"""Twilio's error codes that the sandbox can answer with, and the error they become."""

from dataclasses import dataclass

# code -> (HTTP status, message). Messages follow Twilio's error dictionary.
CATALOGUE: dict[int, tuple[int, str]] = {
    20001: (400, "Invalid parameter"),
    20003: (401, "Authenticate"),
    20007: (400, "Page size too large"),
    20404: (404, "The requested resource was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "Internal Server Error"),
    20503: (503, "Service Unavailable"),
    21201: (400, "No 'To' number is specified"),
    21205: (400, "Url parameter is required"),
    21210: (400, "'From' phone number not verified"),
    21211: (400, "Invalid 'To' Phone Number"),
    21212: (400, "Invalid 'From' Phone Number"),
    21213: (400, "Caller phone number is required"),
    21408: (400, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
    21421: (400, "PhoneNumber is invalid"),
    21422: (400, "PhoneNumber is not available"),
    21451: (400, "Invalid area code"),
    21452: (400, "No phone numbers found in area code"),
    21602: (400, "Message body is required"),
    21603: (400, "A 'From' or 'MessagingServiceSid' parameter is required to send a message"),
    21604: (400, "A 'To' phone number is required"),
    21606: (400, "The 'From' phone number is not a valid, SMS-capable inbound phone number or short code "
                 "for your account"),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21620: (400, "Invalid media URL(s)"),
    21623: (400, "Number of media files exceeds allowed limit"),
    21611: (400, "This 'From' number has exceeded the maximum number of queued messages"),
    21612: (400, "The 'To' phone number is not currently reachable via SMS"),
    21614: (400, "'To' number is not a valid mobile number"),
    21704: (400, "The Messaging Service contains no phone numbers"),
    21705: (400, "The Messaging Service is invalid"),
    # Delivery-time errors: never an HTTP answer, only a message's error_code.
    11200: (400, "HTTP retrieval failure"),
    30003: (400, "Unreachable destination handset"),
    30005: (400, "Unknown destination handset"),
    30006: (400, "Landline or unreachable carrier"),
    30007: (400, "Message filtered"),
    30008: (400, "Unknown error"),
}

CREATE_TIME_DESTINATION_ERRORS = frozenset({21211, 21408, 21610, 21612, 21614})
DELIVERY_TIME_ERRORS = frozenset({30003, 30005, 30006, 30007, 30008})


def more_info_url(code: int) -> str:
    return f"https://www.twilio.com/docs/errors/{code}"


def error_message(code: int) -> str:
    return CATALOGUE[code][1]


@dataclass
class TwilioError(Exception):
    """Raised anywhere in the carrier; the API answers it with Twilio's error body."""

    code: int
    detail: str | None = None

    @property
    def status(self) -> int:
        return CATALOGUE[self.code][0]

    @property
    def message(self) -> str:
        base = error_message(self.code)
        return f"{base}: {self.detail}" if self.detail else base

    def body(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": more_info_url(self.code),
            "status": self.status,
        }
