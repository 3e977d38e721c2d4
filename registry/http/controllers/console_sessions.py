"""``/console/sessions``: a clerk uploads a review session's sheet (CSV or XLSX, the
format of ``registry batch issue``), follows its progress, reads every row's outcome,
uploads the corrected sheet under the same session key (rows already issued are not
issued twice) and downloads the results. The issuing is ``issue_sheet``, as the CLI's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template

from registry.core.codes import code_list
from registry.core.errors import RegistryError, invalid_field
from registry.core.recordtypes import RECORD_TYPES
from registry.http.console_pages import (
    CONSOLE_ANSWERS,
    CONSOLE_HEADERS,
    CONSOLE_PATH,
    current_session,
    page,
    require_form_token,
    see_other,
    signed_in,
    signed_in_with,
)
from registry.services.access.console_sessions import ConsoleSession
from registry.services.certificates.sessions import ZIP, session_certificates
from registry.services.issuance.review_sessions import (
    ISSUED,
    MAX_SHEET_BYTES,
    REFUSED,
    REPLAYED,
    sheet_too_large,
)
from registry.services.issuance.session_jobs import RUNNING, JobState, SessionJob, SessionJobs
from registry.services.issuance.session_outcomes import JobRow
from registry.services.issuance.session_results import results_csv

ALLOWED_SHOWN = 40  # values of a code list shown beside a refused cell
UPLOAD_MAX_BYTES = MAX_SHEET_BYTES + 64 * 1024  # the sheet and the form's other fields


@dataclass
class UploadForm:
    """The upload form: the record type every row is issued as, the session key, the
    sheet, and the form token."""

    recordType: str = ""  # noqa: N815  (named as the API's fields)
    sessionKey: str = ""  # noqa: N815
    csrf: str = ""
    sheet: UploadFile | None = None


def _column_of(pointer: str) -> str:
    """The sheet column a field pointer falls in (``/credential/credentialSubject/a/b`` is
    column ``a.b``)."""
    path = pointer.removeprefix("/credential/").removeprefix("credentialSubject/")
    return path.replace("/", ".")


def _allowed(record_type: str, column: str) -> str:
    """The allowed values of a column that takes a code-list value ("" for any other)."""
    spec = RECORD_TYPES.get(record_type)
    if spec is None or not column:
        return ""
    list_name = spec.code_fields.get(column.rsplit(".", 1)[-1])
    if list_name is None:
        return ""
    codes = [entry.code for entry in code_list(list_name).entries]
    shown = "、".join(codes[:ALLOWED_SHOWN])
    return shown + ("……" if len(codes) > ALLOWED_SHOWN else "")


def _row_view(row: JobRow, record_type: str) -> dict[str, Any]:
    view: dict[str, Any] = {"number": row.number, "outcome": row.outcome, "problems": []}
    if row.record_id:
        view["record_id"] = row.record_id
        view["name"] = row.name
    if row.error is not None:
        error = row.error
        problems = [
            {
                "column": (row.column if index == 0 and row.column else _column_of(p.pointer)),
                "code": p.code,
                "zh": p.message_zh,
                "en": p.message_en,
            }
            for index, p in enumerate(error.problems)
        ]
        for problem in problems:
            allowed = _allowed(record_type, str(problem["column"]))
            said = allowed and allowed.split("、", 1)[0] in str(problem["zh"])
            problem["allowed"] = "" if said else allowed  # listed once, not twice
        if not problems:
            problems = [
                {
                    "column": row.column or "",
                    "code": error.code,
                    "zh": error.message_zh,
                    "en": error.message_en,
                }
            ]
        view["problems"] = problems
    return view


def _progress(job: JobState) -> dict[str, Any]:
    body: dict[str, Any] = {"state": job.state, "done": job.done, "total": job.total}
    if job.rows is not None:
        body.update(
            issued=job.count(ISSUED),
            replayed=job.count(REPLAYED),
            refused=job.count(REFUSED),
        )
    if job.error is not None:
        body["error"] = {
            "code": job.error.code,
            "message": {"zh": job.error.message_zh, "en": job.error.message_en},
        }
    return body


class ConsoleSessionController(Controller):
    """Review-session uploads, their progress, outcomes and results."""

    path = f"{CONSOLE_PATH}/sessions"
    include_in_schema = False
    exception_handlers = CONSOLE_ANSWERS

    def _upload_page(
        self,
        request: Request[Any, Any, Any],
        session: ConsoleSession,
        cookies: list[Cookie],
        *,
        error: RegistryError | None = None,
        form: UploadForm | None = None,
    ) -> Template:
        jobs: SessionJobs = request.app.state.session_jobs
        return page(
            request,
            "console_sessions.html",
            session,
            cookies,
            error=error,
            record_types=list(RECORD_TYPES),
            record_type=form.recordType if form else "",
            session_key=form.sessionKey if form else "",
            jobs=jobs.recent(session.principal),
        )

    @get("", sync_to_thread=True)
    def sessions(
        self,
        request: Request[Any, Any, Any],
        record_type: Annotated[str, QueryParameter(name="recordType")] = "",
        session_key: Annotated[str, QueryParameter(name="sessionKey")] = "",
    ) -> Template:
        """The upload form (filled in with a record type and session key, when a page asks
        to upload a sheet again) and the organisation's recent uploads."""
        session, cookies = signed_in(request)
        form = UploadForm(recordType=record_type[:64], sessionKey=session_key[:64])
        return self._upload_page(request, session, cookies, form=form)

    @post("", sync_to_thread=True, status_code=303, request_max_body_size=UPLOAD_MAX_BYTES)
    def upload(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        """Start issuing the sheet in the background; its progress page."""
        session, cookies = signed_in(request)
        jobs: SessionJobs = request.app.state.session_jobs
        try:
            require_form_token(request, session.nonce, data.csrf)
            sheet = data.sheet
            if sheet is None or not isinstance(sheet, UploadFile) or not sheet.filename:
                raise invalid_field(
                    "/sheet",
                    "SHEET_REQUIRED",
                    "请选择评审批次表格文件（CSV 或 XLSX）",
                    "choose the review-session sheet (CSV or XLSX)",
                )
            content = sheet.file.read(MAX_SHEET_BYTES + 1)
            if len(content) > MAX_SHEET_BYTES:
                raise sheet_too_large()
            job = jobs.start(
                session.principal,
                data.recordType,
                content,
                sheet.filename,
                session_key=data.sessionKey.strip(),
            )
        except RegistryError as error:
            return self._upload_page(request, session, cookies, error=error, form=data)
        return see_other(f"{CONSOLE_PATH}/sessions/jobs/{job.job_id}", cookies)

    @get("/jobs/{job_id:str}", sync_to_thread=True)
    def job(self, request: Request[Any, Any, Any], job_id: FromPath[str]) -> Template:
        """An upload: its progress while it runs (the page polls), then every row's outcome
        with the column, the problem and what is allowed."""
        session, cookies, job = signed_in_with(request, _job_of(request, job_id))
        now = job.snapshot()
        rows = [_row_view(row, job.record_type) for row in now.rows or ()]
        return page(
            request,
            "console_job.html",
            session,
            cookies,
            job=job,
            now=now,
            progress=_progress(now),
            rows=rows,
            running=now.state == RUNNING,
            job_error=now.error,
        )

    @get("/{session_key:str}/certificates.zip", sync_to_thread=True)
    def certificates(self, request: Request[Any, Any, Any], session_key: FromPath[str]) -> Stream:
        """The session's certificates as one ZIP (the API's ``certificates.zip``): a sealed
        PDF per record the session issued, and ``index.csv``."""
        _, cookies, printed = signed_in_with(
            request,
            lambda session: session_certificates(
                request.app.state.registry, session.principal, session_key, now=datetime.now(UTC)
            ),
        )
        return Stream(
            printed.zip_chunks(),
            media_type=ZIP,
            headers={
                **CONSOLE_HEADERS,
                "Content-Disposition": f'attachment; filename="{printed.filename}"',
            },
            cookies=cookies,
        )

    @get("/jobs/{job_id:str}/progress", sync_to_thread=True)
    def progress(self, request: Request[Any, Any, Any], job_id: FromPath[str]) -> Response[Any]:
        """How far the upload is: ``state`` (running, done, failed, interrupted), rows ``done`` of
        ``total``, and once done the counts issued, replayed and refused."""
        session, cookie = current_session(request)  # 401 problem without a session
        job = _job_of(request, job_id)(session)  # its problem answer, when refused
        return Response(_progress(job.snapshot()), headers=CONSOLE_HEADERS, cookies=[cookie])

    @get("/jobs/{job_id:str}/results.csv", sync_to_thread=True)
    def results(
        self, request: Request[Any, Any, Any], job_id: FromPath[str]
    ) -> Response[Any] | Redirect:
        """Every row's outcome as CSV (as ``registry batch issue`` writes it)."""
        _, cookies, job = signed_in_with(request, _job_of(request, job_id))
        rows = job.snapshot().rows
        if rows is None:
            return see_other(f"{CONSOLE_PATH}/sessions/jobs/{job.job_id}", cookies)
        name = f"{job.session_key}.results.csv"
        return Response(
            results_csv(rows).encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={**CONSOLE_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
            cookies=cookies,
        )


def _job_of(request: Request[Any, Any, Any], job_id: str) -> Callable[[ConsoleSession], SessionJob]:
    """How a signed-in clerk's upload is found (``SESSION_JOB_UNKNOWN``, ``..._NOT_YOURS``)."""
    jobs: SessionJobs = request.app.state.session_jobs
    return lambda session: jobs.get(session.principal, job_id)
