"""``/console``: the committee clerk's web console: sign-in with an API token, finding
records, a record's page and its status changes and amendment. Every action calls the
same use case, with the same principal and authorisation, as the API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from registry.core.codes import code_list
from registry.core.errors import RegistryError, malformed
from registry.core.lifecycle.status import ACTIONS
from registry.http.console_pages import (
    CONSOLE_ANSWERS,
    CONSOLE_HEADERS,
    CONSOLE_PATH,
    cleared_cookies,
    current_session,
    page,
    require_form_token,
    see_other,
    session_cookie,
    sign_in_nonce,
    signed_in,
    signed_in_with,
    to_sign_in,
)
from registry.services.access.console_sessions import ConsoleSession, csrf_token_of, sign_in
from registry.services.certificates.printing import PDF, record_certificate
from registry.services.issuance.issue import issue_record
from registry.services.lifecycle.changes import Amendment, change_json, change_status, history
from registry.services.people.record_search import SEARCH_KINDS, find_records
from registry.services.records.facts import record_facts
from registry.services.records.stored import record_for
from registry.services.runtime.context import Registry
from registry.services.transparency.log import TransparencyLog

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
STATUS_ACTIONS = ("suspend", "reinstate", "revoke", "cancel")
AMEND_JSON_MAX = 64 * 1024


@dataclass
class SignInForm:
    """The sign-in form."""

    token: str = ""
    csrf: str = ""


@dataclass
class CsrfForm:
    """A form with nothing but its synchroniser token."""

    csrf: str = ""


@dataclass
class SearchForm:
    """The search form (POSTed: what a clerk types, an ID number above all, stays out of
    URLs, logs and browser history)."""

    kind: str = "name"
    text: str = ""
    csrf: str = ""


@dataclass
class StatusForm:
    """A status change with its reason."""

    reason: str = ""
    note: str = ""
    csrf: str = ""


@dataclass
class AmendForm:
    """A corrected version: the issuance request as JSON, the holder's ID number (never
    shown back), and the reason."""

    credential: str = ""
    idNumber: str = ""  # noqa: N815  (the form field is named as the credential's)
    reason: str = ""
    note: str = ""
    csrf: str = ""


def _reasons(action: str) -> list[dict[str, str]]:
    return [
        {"code": entry.code, "zh": entry.zh, "en": entry.en}
        for entry in code_list("status-reasons").entries
        if action in entry.extra.get("actions", "").split()
    ]


def _now() -> datetime:
    return datetime.now(UTC)


class ConsoleController(Controller):
    """Sign-in and sign-out, search, and a record's page with its actions."""

    path = CONSOLE_PATH
    include_in_schema = False
    exception_handlers = CONSOLE_ANSWERS

    @get("", sync_to_thread=True)
    def home(self, request: Request[Any, Any, Any]) -> Redirect:
        """Signed in: the search page; otherwise the sign-in page."""
        try:
            current_session(request)
        except RegistryError as error:
            return to_sign_in(request.app.state.registry, error if request.cookies else None)
        return see_other(f"{CONSOLE_PATH}/records", [])

    @get("/sign-in", sync_to_thread=False)
    def sign_in_page(
        self, request: Request[Any, Any, Any], reason: FromQuery[str | None] = None
    ) -> Template:
        """The sign-in form: an issuer's or admin's API token."""
        nonce, cookie = sign_in_nonce(request)
        registry: Registry = request.app.state.registry
        return page(
            request,
            "console_sign_in.html",
            None,
            [cookie] if cookie else [],
            csrf=csrf_token_of(registry, nonce),
            reason=reason if reason in ("CONSOLE_SESSION_EXPIRED", "CONSOLE_SIGNED_OUT") else None,
        )

    @post("/sign-in", sync_to_thread=True, status_code=303)
    def sign_in(
        self, request: Request[Any, Any, Any], data: Annotated[SignInForm, FORM]
    ) -> Redirect | Template:
        """Check the form token and the API token, then start the session."""
        registry: Registry = request.app.state.registry
        nonce, cookie = sign_in_nonce(request)
        try:
            require_form_token(request, nonce, data.csrf)
            session, value = sign_in(registry, data.token, now=_now())
        except RegistryError as error:
            return page(
                request,
                "console_sign_in.html",
                None,
                [cookie] if cookie else [],
                error=error,
                csrf=csrf_token_of(registry, nonce),
                reason=None,
            )
        del session
        return see_other(f"{CONSOLE_PATH}/records", [session_cookie(registry, value)])

    @post("/sign-out", sync_to_thread=True, status_code=303)
    def sign_out(
        self, request: Request[Any, Any, Any], data: Annotated[CsrfForm, FORM]
    ) -> Redirect | Template:
        """End the session (the form token is checked: no one signs a clerk out from
        another site)."""
        registry: Registry = request.app.state.registry
        try:
            session, _ = current_session(request)
            require_form_token(request, session.nonce, data.csrf)
        except RegistryError as error:
            if error.code == "CONSOLE_CSRF_INVALID":
                return page(request, "console_error.html", None, [], error=error)
            return to_sign_in(registry)
        return Redirect(
            f"{CONSOLE_PATH}/sign-in", status_code=303, cookies=cleared_cookies(registry)
        )

    @get("/records", sync_to_thread=True)
    def search_page(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        """The search form."""
        session, cookies = signed_in(request)
        return page(
            request,
            "console_search.html",
            session,
            cookies,
            kinds=SEARCH_KINDS,
            found=None,
            kind="name",
            text="",
        )

    @post("/records", sync_to_thread=True, status_code=200)
    def search(
        self, request: Request[Any, Any, Any], data: Annotated[SearchForm, FORM]
    ) -> Template | Redirect:
        """Records of the clerk's organisation matching the form; an ID number is matched
        by keyed digest and never shown back, not even in the form."""
        session, cookies = signed_in(request)
        kind = data.kind if data.kind in SEARCH_KINDS else "name"
        shown = "" if kind == "idNumber" else data.text
        try:
            require_form_token(request, session.nonce, data.csrf)
            found = find_records(
                request.app.state.registry, session.principal, data.kind, data.text
            )
        except RegistryError as error:
            return page(
                request,
                "console_search.html",
                session,
                cookies,
                error=error,
                kinds=SEARCH_KINDS,
                found=None,
                kind=kind,
                text=shown,
            )
        return page(
            request,
            "console_search.html",
            session,
            cookies,
            kinds=SEARCH_KINDS,
            found=found,
            kind=kind,
            text=shown,
        )

    def _record_page(
        self,
        request: Request[Any, Any, Any],
        session: ConsoleSession,
        cookies: list[Cookie],
        record_id: str,
        *,
        error: RegistryError | None = None,
        done: str | None = None,
        amend_text: str | None = None,
    ) -> Template:
        registry: Registry = request.app.state.registry
        try:
            record = record_for(registry, session.principal, record_id)
            found, changes = history(registry, session.principal, record.record_id)
        except RegistryError as lookup:
            return page(request, "console_error.html", session, cookies, error=lookup)
        log: TransparencyLog = request.app.state.transparency
        receipt = log.receipt(record.record_id, _now())
        document = record.credential
        if amend_text is None:
            subject = {
                key: value
                for key, value in (document.get("credentialSubject") or {}).items()
                if key not in ("id", "idNumber")
            }
            request_json = {"type": document.get("type"), "credentialSubject": subject}
            for key in ("validFrom", "validUntil"):
                if key in document:
                    request_json[key] = document[key]
            amend_text = json.dumps(request_json, ensure_ascii=False, indent=2)
        return page(
            request,
            "console_record.html",
            session,
            cookies,
            error=error,
            record=record,
            record_id=found,
            facts=record_facts(document),
            changes=[change_json(change) for change in changes],
            receipt=json.dumps(receipt, ensure_ascii=False, indent=2) if receipt else None,
            leaf_index=(receipt or {}).get("leafIndex"),
            reasons={action: _reasons(action) for action in (*STATUS_ACTIONS, "amend")},
            actions=STATUS_ACTIONS,
            done=done if done in ACTIONS else None,
            amend_text=amend_text,
            record_type=(document.get("type") or [""])[-1],
        )

    @get("/records/{record_id:str}", sync_to_thread=True)
    def record(
        self,
        request: Request[Any, Any, Any],
        record_id: FromPath[str],
        done: FromQuery[str | None] = None,
    ) -> Template | Redirect:
        """A record: its facts, status, history, transparency-log proof, certificate link
        and the forms of its actions."""
        session, cookies = signed_in(request)
        return self._record_page(request, session, cookies, record_id, done=done)

    @get("/records/{record_id:str}/certificate.pdf", sync_to_thread=True)
    def certificate(
        self, request: Request[Any, Any, Any], record_id: FromPath[str]
    ) -> Response[bytes] | Template | Redirect:
        """The record's sealed certificate PDF (the API's ``certificate.pdf``)."""
        _, cookies, printed = signed_in_with(
            request,
            lambda session: record_certificate(
                request.app.state.registry, session.principal, record_id, now=_now()
            ),
        )
        return Response(
            printed.pdf,
            media_type=PDF,
            headers={
                **CONSOLE_HEADERS,
                "Content-Disposition": f'attachment; filename="{printed.filename}"',
            },
            cookies=cookies,
        )

    @post("/records/{record_id:str}/{action:str}", sync_to_thread=True, status_code=303)
    def act(
        self,
        request: Request[Any, Any, Any],
        record_id: FromPath[str],
        action: FromPath[str],
        data: Annotated[StatusForm, FORM],
    ) -> Template | Redirect:
        """Suspend, reinstate, revoke or cancel with a reason, as the API does."""
        session, cookies = signed_in(request)
        try:
            require_form_token(request, session.nonce, data.csrf)
            if action not in STATUS_ACTIONS:
                raise malformed("STATUS_ACTION_UNKNOWN", "未知的状态操作", "unknown status action")
            change = change_status(
                request.app.state.registry,
                session.principal,
                record_id,
                action,
                reason=data.reason or None,
                note=data.note or None,
                now=_now(),
            )
        except RegistryError as error:
            return self._record_page(request, session, cookies, record_id, error=error)
        return see_other(f"{CONSOLE_PATH}/records/{change.record_id}?done={action}", cookies)

    @post("/records/{record_id:str}/amend", sync_to_thread=True, status_code=303)
    def amend(
        self,
        request: Request[Any, Any, Any],
        record_id: FromPath[str],
        data: Annotated[AmendForm, FORM],
    ) -> Template | Redirect:
        """Issue a corrected version (the API's amend): the new record's page on success."""
        session, cookies = signed_in(request)
        try:
            require_form_token(request, session.nonce, data.csrf)
            credential = _amend_request(data)
            issued = issue_record(
                request.app.state.registry,
                session.principal,
                credential,
                now=_now(),
                amends=Amendment(record_id, data.reason or None, data.note or None),
            )
        except RegistryError as error:
            return self._record_page(
                request, session, cookies, record_id, error=error, amend_text=data.credential
            )
        return see_other(f"{CONSOLE_PATH}/records/{issued.record_id}?done=amend", cookies)


def _amend_request(data: AmendForm) -> dict[str, Any]:
    problem = malformed(
        "AMEND_REQUEST_INVALID",
        "修订内容必须是签发请求的 JSON 对象（含 credentialSubject）",
        "the corrected version must be an issuance request as a JSON object "
        "(with credentialSubject)",
    )
    if len(data.credential) > AMEND_JSON_MAX:
        raise problem
    try:
        credential = json.loads(data.credential)
    except ValueError:
        raise problem from None
    if not isinstance(credential, dict) or not isinstance(
        credential.get("credentialSubject"), dict
    ):
        raise problem
    if data.idNumber.strip():
        credential["credentialSubject"]["idNumber"] = data.idNumber.strip()
    return credential
