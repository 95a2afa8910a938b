"""What can go wrong in the gateway's own domain, mapped to HTTP at the edge."""


class GatewayError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers: dict[str, str] = {}


class EmailAlreadyRegistered(GatewayError):
    status_code = 409


class InvalidCredentials(GatewayError):
    status_code = 401


class NotAllowed(GatewayError):
    status_code = 403


class NotFound(GatewayError):
    status_code = 404


class Conflict(GatewayError):
    status_code = 409


class InvalidInput(GatewayError):
    """A 422 in the shape request validation gives: which field, and what is wrong with it."""

    status_code = 422

    def __init__(self, problem: str, *, field: str) -> None:
        super().__init__("invalid request")
        self.errors = [{"field": field, "problem": problem}]


class LoginThrottled(GatewayError):
    status_code = 429

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after)}
