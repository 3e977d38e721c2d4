"""A review session's certificates (评审批次证书): one sealed PDF per record the session
issued, in row order, with ``index.csv`` (row, name, certificate number, file, problem),
written as a ZIP while it is made so a large session never sits whole in memory.

Rows refused at issuance have no record and are not listed; a record that cannot be printed
(revoked since, or a character outside the font) gets a problem in the index instead of a
file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from registry.core.errors import RegistryError, not_found
from registry.render.certificate import Sealer
from registry.services.access.tokens import Principal, require_role
from registry.services.certificates.content import certificate_number
from registry.services.certificates.printing import Printable, print_certificate, printable
from registry.services.issuance.requests import SESSION_ROW_PREFIXES
from registry.services.issuance.review_sessions import require_session_key
from registry.services.runtime.context import Registry
from registry.storage.certificates import session_records
from registry.storage.repositories import IssuerRepository
from registry.storage.tables import IssuerRow

INDEX_NAME: Final = "index.csv"
INDEX_COLUMNS: Final = ("row", "name", "certificateNumber", "file", "problem", "record")
ZIP = "application/zip"


@dataclass(frozen=True)
class SessionRow:
    """One record of the session: where it came from (``sheet`` row or ``batch`` item)."""

    source: str
    number: int
    item: Printable


@dataclass(frozen=True)
class SessionCertificates:
    """The records of a review session, ready to print; ``zip_chunks`` makes the ZIP."""

    session_key: str
    rows: tuple[SessionRow, ...]
    base_url: str
    printed_at: datetime

    @property
    def filename(self) -> str:
        """The ZIP's file name."""
        return f"certificates-{self.session_key}.zip"

    def printed(self) -> Iterator[PrintedRow]:
        """Each record's certificate, sealed one at a time, in row order."""
        for row in self.rows:
            yield self._print(row)

    def zip_chunks(self) -> Iterator[bytes]:
        """The ZIP, a piece at a time: each certificate as it is sealed, the index last."""
        sink = _Sink()
        printed = []
        with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for row in self.printed():
                if row.pdf is not None:
                    archive.writestr(row.file, row.pdf)
                printed.append(row)
                yield sink.take()
            archive.writestr(INDEX_NAME, index_csv(printed))
        yield sink.take()

    def _print(self, row: SessionRow) -> PrintedRow:
        record = row.item.row
        subject = record.document.get("credentialSubject", {})
        number = certificate_number(record.record_type, subject) or ""
        name = str(subject.get("name", ""))
        label = f"{row.source} {row.number}" if row.source == "batch" else str(row.number)
        try:
            certificate = print_certificate(row.item, self.base_url, now=self.printed_at)
        except RegistryError as error:
            problem = f"{error.code}: {error.message_zh} / {error.message_en}"
            return PrintedRow(label, name, number, "", problem, record.id, None)
        filename = f"{row.source}-{row.number:04d}-{record.id[:8]}.pdf"
        return PrintedRow(label, name, number, filename, "", record.id, certificate.pdf)


@dataclass(frozen=True)
class PrintedRow:
    """One line of ``index.csv`` and the certificate it names (``None`` with a problem)."""

    row: str
    name: str
    certificate_number: str
    file: str
    problem: str
    record: str
    pdf: bytes | None

    def line(self) -> list[str]:
        """The row's cells in ``INDEX_COLUMNS`` order."""
        return [self.row, self.name, self.certificate_number, self.file, self.problem, self.record]


def index_csv(rows: list[PrintedRow]) -> str:
    """``index.csv``: UTF-8 with a byte-order mark, so Excel on Chinese Windows reads it as
    UTF-8 (not GBK)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(INDEX_COLUMNS)
    writer.writerows(row.line() for row in rows)
    return "\ufeff" + text.getvalue()


class _Sink(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they come (zipfile then writes data
    descriptors, since it cannot seek back)."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        taken = b"".join(self._parts)
        self._parts.clear()
        return taken


def session_unknown() -> RegistryError:
    """``REVIEW_SESSION_UNKNOWN``: no record was issued under this session key (by the
    token's issuer; by anyone, for an admin)."""
    return not_found(
        "REVIEW_SESSION_UNKNOWN",
        "该评审批次没有已签发的记录",
        "no record was issued under this review-session key",
    )


def _place(key: str) -> tuple[str, int]:
    """``("sheet", 12)`` from a row key ``sheet:<session>:12``."""
    source, _, number = key.rpartition(":")
    return source.split(":", 1)[0], int(number)


def session_certificates(
    registry: Registry, principal: Principal, session_key: str, *, now: datetime
) -> SessionCertificates:
    """The records a review session issued, for the issuer that ran it (an admin: any
    issuer's session of that key), ready to be printed into a ZIP.

    ``SESSION_KEY_INVALID`` for a malformed key, ``REVIEW_SESSION_UNKNOWN`` when the
    session issued nothing; each record's own problems go into the index instead.
    """
    require_role(principal, "issuer")
    require_session_key(session_key, "/sessionKey")
    prefixes = [f"{prefix}{session_key}:" for prefix in SESSION_ROW_PREFIXES]
    known: dict[int, tuple[IssuerRow, Sealer]] = {}
    with registry.reading() as session:
        issuer_id = None
        if principal.role != "admin":
            issuer = IssuerRepository(session).by_uscc(principal.issuer_uscc or "")
            if issuer is None or issuer.id is None:
                raise session_unknown()
            issuer_id = issuer.id
        records = session_records(session, prefixes, issuer_id)
        rows = []
        for record in records:
            source, number = _place(record.idempotency_key or "")
            rows.append(SessionRow(source, number, printable(registry, session, record, known)))
    if not rows:
        raise session_unknown()
    rows.sort(key=lambda row: (row.source, row.number, row.item.row.issuer_id))
    return SessionCertificates(session_key, tuple(rows), registry.settings.base_url, now)


__all__ = [
    "INDEX_COLUMNS",
    "INDEX_NAME",
    "ZIP",
    "PrintedRow",
    "SessionCertificates",
    "index_csv",
    "session_certificates",
    "session_unknown",
]
