"""What the clerks' console controllers share: the session cookie (signed, HttpOnly,
SameSite=Strict, Secure under an https base URL), the synchroniser token of every form,
and how a page is answered (its headers, the refreshed cookie, an error in both
languages with its code)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.enums import MediaType
from litestar.response import Redirect, Template

from registry.core.errors import RegistryError
from registry.http.pages import PAGE_HEADERS
from registry.http.problems import STATUS_OF_KIND, field_errors
from registry.services.access.console_sessions import (
    ABSOLUTE_LIMIT,
    ConsoleSession,
    check_csrf,
    csrf_token_of,
    resume,
)
from registry.services.runtime.context import Registry

SESSION_COOKIE = "registry_console"
SIGN_IN_COOKIE = "registry_console_sign_in"  # a nonce for the sign-in form's CSRF token
CONSOLE_PATH = "/console"
CONSOLE_HEADERS = {**PAGE_HEADERS, "Cache-Control": "no-store"}
CSRF_FIELD = "csrf"
Found = TypeVar("Found")


def _cookie(registry: Registry, key: str, value: str, max_age: int | None) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path=CONSOLE_PATH,
        max_age=max_age,
        httponly=True,
        secure=registry.settings.base_url.startswith("https://"),
        samesite="strict",
    )


def session_cookie(registry: Registry, value: str) -> Cookie:
    """The session cookie; the browser drops it at the absolute limit at the latest."""
    return _cookie(registry, SESSION_COOKIE, value, int(ABSOLUTE_LIMIT.total_seconds()))


def cleared_cookies(registry: Registry) -> list[Cookie]:
    """Cookies that end the session in the browser."""
    return [_cookie(registry, SESSION_COOKIE, "", 0)]


def sign_in_nonce(request: Request[Any, Any, Any]) -> tuple[str, Cookie | None]:
    """The sign-in form's nonce (from its cookie, or a new one with the cookie to set)."""
    known = request.cookies.get(SIGN_IN_COOKIE)
    if known and 16 <= len(known) <= 64 and known.replace("-", "").replace("_", "").isalnum():
        return known, None
    nonce = secrets.token_urlsafe(16)
    registry: Registry = request.app.state.registry
    return nonce, _cookie(registry, SIGN_IN_COOKIE, nonce, 3600)


def current_session(request: Request[Any, Any, Any]) -> tuple[ConsoleSession, Cookie]:
    """The clerk's session (blocking: call from a thread) and its refreshed cookie;
    ``CONSOLE_SIGNED_OUT`` or ``CONSOLE_SESSION_EXPIRED`` otherwise."""
    registry: Registry = request.app.state.registry
    session, value = resume(registry, request.cookies.get(SESSION_COOKIE), now=datetime.now(UTC))
    return session, session_cookie(registry, value)


def require_form_token(request: Request[Any, Any, Any], nonce: str, sent: str | None) -> None:
    """Refuse a POST whose synchroniser token is not the one of ``nonce``."""
    check_csrf(request.app.state.registry, nonce, sent)


def error_view(error: RegistryError) -> dict[str, Any]:
    """An error as a page shows it: code, both messages and the fields at fault."""
    return {
        "code": error.code,
        "zh": error.message_zh,
        "en": error.message_en,
        "fields": field_errors(error) or [],
    }


def status_of(error: RegistryError) -> int:
    """The HTTP status an error answers with, as the API's."""
    return STATUS_OF_KIND[error.kind]


def page(
    request: Request[Any, Any, Any],
    template: str,
    session: ConsoleSession | None,
    cookies: list[Cookie],
    *,
    error: RegistryError | None = None,
    status_code: int | None = None,
    **context: Any,
) -> Template:
    """A console page: the signed-in principal, the form token and any error in context."""
    registry: Registry = request.app.state.registry
    if session is not None:
        context["principal"] = session.principal
        context[CSRF_FIELD] = csrf_token_of(registry, session.nonce)
    context["error"] = error_view(error) if error is not None else None
    if status_code is None:
        status_code = status_of(error) if error is not None else 200
    return Template(
        template_name=template,
        context=context,
        headers=CONSOLE_HEADERS,
        cookies=cookies,
        status_code=status_code,
        media_type=MediaType.HTML,
    )


def to_sign_in(registry: Registry, error: RegistryError | None = None) -> Redirect:
    """Back to the sign-in page (the session's cookie cleared), saying why."""
    reason = f"?reason={error.code}" if error is not None else ""
    return Redirect(
        f"{CONSOLE_PATH}/sign-in{reason}",
        status_code=303,
        cookies=cleared_cookies(registry),
        headers=CONSOLE_HEADERS,
    )


def see_other(path: str, cookies: list[Cookie]) -> Redirect:
    """A 303 to another console page after a successful form."""
    return Redirect(path, status_code=303, cookies=cookies, headers=CONSOLE_HEADERS)


class ConsoleAnswered(Exception):  # noqa: N818  (an answer, not an error)
    """A console request answered before its handler's own work: back to the sign-in page
    without a session, or an error page when what it names cannot be had."""

    def __init__(self, response: Response[Any]) -> None:
        super().__init__("console request answered early")
        self.response = response


def answer_early(_request: Request[Any, Any, Any], answered: ConsoleAnswered) -> Response[Any]:
    """The answer ``ConsoleAnswered`` carries (the console controllers' exception handler)."""
    return answered.response


CONSOLE_ANSWERS: dict[type[Exception] | int, Any] = {ConsoleAnswered: answer_early}


def signed_in(request: Request[Any, Any, Any]) -> tuple[ConsoleSession, list[Cookie]]:
    """The clerk's session and its refreshed cookie (blocking: call from a thread); without
    one, the request is answered with the sign-in page, saying why."""
    try:
        session, cookie = current_session(request)
    except RegistryError as error:
        raise ConsoleAnswered(to_sign_in(request.app.state.registry, error)) from None
    return session, [cookie]


def signed_in_with(
    request: Request[Any, Any, Any], find: Callable[[ConsoleSession], Found]
) -> tuple[ConsoleSession, list[Cookie], Found]:
    """``signed_in``, and what ``find`` finds for the clerk (an upload, a record); when it
    refuses, the request is answered with the error page, in both languages with its code."""
    session, cookies = signed_in(request)
    try:
        found = find(session)
    except RegistryError as error:
        page_of_error = page(request, "console_error.html", session, cookies, error=error)
        raise ConsoleAnswered(page_of_error) from None
    return session, cookies, found
