"""Every failure on a Twilio path answers with Twilio's error body: code, message, more_info, status."""

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..domain.twilio_errors import TwilioError
from .paging import MAX_PAGE_SIZE

TWILIO_PATH_PREFIX = "/2010-04-01/"


def twilio_error_response(error: TwilioError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if error.status == 401 else None
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TwilioError)
    async def on_twilio_error(request: Request, error: TwilioError) -> JSONResponse:
        return twilio_error_response(error)

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, error: RequestValidationError):
        if not request.url.path.startswith(TWILIO_PATH_PREFIX):
            return await request_validation_exception_handler(request, error)
        return twilio_error_response(_as_twilio_error(error))

    @app.exception_handler(HTTPException)
    async def on_http_error(request: Request, error: HTTPException):
        if request.url.path.startswith(TWILIO_PATH_PREFIX) and error.status_code in (404, 405):
            return twilio_error_response(TwilioError(20404, request.url.path))
        return await http_exception_handler(request, error)


def _as_twilio_error(error: RequestValidationError) -> TwilioError:
    first = error.errors()[0]
    parameter = str(first["loc"][-1]) if first.get("loc") else "request"
    if parameter == "PageSize" and first.get("type") == "less_than_equal":
        return TwilioError(20007, f"the maximum page size is {MAX_PAGE_SIZE}")
    return TwilioError(20001, f"{parameter}: {first.get('msg', 'invalid value')}")
