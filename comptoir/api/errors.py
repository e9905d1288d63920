"""The API's one error shape, `{"error": {"code", "message", "fields"?}}`, for every failure.

Action errors (ValidationFailed, NotFound, PermissionDenied, Conflict), ninja's
own errors, Django's and unexpected exceptions all end here: no HTML page and no
stack trace ever leaves /api/.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from comptoir.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


class RateLimited(Exception):
    """Too many requests for this token in the current window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


class ReplayedResponse(Exception):
    """A retried request: the stored first response is sent again instead of running the view."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__("replay")
        self.response = response


def error_response(status: int, message: str, fields: dict[str, Any] | None = None, code: str | None = None) -> JsonResponse:
    """The JSON error body every API failure uses."""
    error: dict[str, Any] = {"code": code or CODES.get(status, "error"), "message": message}
    if fields:
        error["fields"] = {str(k): str(v) for k, v in fields.items()}
    return JsonResponse({"error": error}, status=status)


def _validation_fields(errors: list[dict[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        if len(loc) > 2 and loc[0] in ("body", "form"):
            loc = loc[2:]  # ("body", <parameter name>, field, ...)
        elif loc and loc[0] in ("body", "query", "path", "form", "header", "cookie"):
            loc = loc[1:]
        fields[".".join(loc) or "request"] = str(err.get("msg", "invalid"))
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    """Register a handler for each kind of failure on the NinjaAPI instance."""

    @api.exception_handler(ValidationFailed)
    def _invalid(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
        if "too_large" in exc.fields.values():
            return error_response(413, exc.message, exc.fields)
        return error_response(422, exc.message, exc.fields)

    @api.exception_handler(NotFound)
    def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return error_response(404, exc.message)

    @api.exception_handler(Http404)
    def _http404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, _("Not found."))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(403, exc.message)

    @api.exception_handler(Conflict)
    def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return error_response(409, exc.message)

    @api.exception_handler(NinjaValidationError)
    def _schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return error_response(422, _("The request is invalid."), _validation_fields(exc.errors))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(401, _("Authentication required: send a Bearer token."))
        response["WWW-Authenticate"] = 'Bearer realm="comptoir"'
        return response

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        messages = {400: _("The request body could not be parsed."), 403: _("Forbidden.")}
        return error_response(exc.status_code, messages.get(exc.status_code, str(exc)))

    @api.exception_handler(RateLimited)
    def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = error_response(429, _("Too many requests; retry after %(seconds)d seconds.") % {"seconds": exc.retry_after})
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ReplayedResponse)
    def _replayed(request: HttpRequest, exc: ReplayedResponse) -> HttpResponse:
        return exc.response

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(413, _("The request body is too large."))

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return error_response(400, _("The request was refused."))

    @api.exception_handler(OverflowError)
    def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        return error_response(422, _("A number in the request is out of range."))

    @api.exception_handler(DataError)
    def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        return error_response(422, _("A value in the request does not fit the database."))

    @api.exception_handler(ProtectedError)
    def _protected(request: HttpRequest, exc: ProtectedError) -> HttpResponse:
        return error_response(409, _("Other records still use this; it cannot be deleted."))

    @api.exception_handler(IntegrityError)
    def _integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        return error_response(409, _("This conflicts with existing data."))

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(500, _("Something went wrong on our side; the error was logged."))


def as_json_error(response: HttpResponse) -> HttpResponse:
    """Turn a non-JSON error response (405 from ninja, Django's 404/500 pages) into the error shape."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    status = response.status_code
    messages = {
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
    }
    replacement = error_response(status, messages.get(status, _("The request failed.")))
    if status == 405 and response.has_header("Allow"):
        replacement["Allow"] = response["Allow"]
    return replacement


def parse_json_body(body: bytes) -> Any:
    try:
        return json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, "malformed JSON") from exc


@contextmanager
def conflict_on_duplicate(message: str | None = None) -> Iterator[None]:
    """Run a write in a savepoint; a unique constraint hit becomes 409 instead of a 500."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise Conflict(message or _("Something with this name already exists.")) from exc
