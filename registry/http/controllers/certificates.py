"""Printable certificates: a record's sealed PDF for its issuer, a review session's PDFs as
one ZIP, and the holder's own certificate through their access link. Never public."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream

from registry.http.documentation import answered, documented
from registry.http.security import issuer_guard, principal_of
from registry.services.certificates.printing import (
    PDF,
    Certificate,
    holder_certificate,
    record_certificate,
)
from registry.services.certificates.sessions import ZIP, session_certificates
from registry.services.runtime.context import Registry

PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
CERTIFICATE_409 = (
    "CERTIFICATE_RECORD_FINAL (记录已撤销、注销或被取代，不再出具证书 / the record was "
    "revoked, cancelled or superseded)"
)
CERTIFICATE_422 = (
    "RECORD_ID_INVALID; CERTIFICATE_GLYPH_MISSING (证书字体中没有某个字符，消息列出该字符 / a "
    "text holds a character the certificate font lacks; the message names it); "
    "ISSUER_HAS_NO_KEY"
)
PDF_ANSWER = answered(200, bytes, "the certificate, A4, sealed (PAdES) / 已封印的证书", PDF)


def _pdf(certificate: Certificate, headers: dict[str, str]) -> Response[bytes]:
    return Response(
        certificate.pdf,
        media_type=PDF,
        headers={
            **headers,
            "Content-Disposition": f'attachment; filename="{certificate.filename}"',
        },
    )


class CertificateController(Controller):
    """``/api/v1/credentials/{id}/certificate.pdf`` and
    ``/api/v1/review-sessions/{key}/certificates.zip``: for the issuer (or an admin)."""

    path = "/api/v1"
    guards = [issuer_guard]  # noqa: RUF012
    tags = ["issuers"]  # noqa: RUF012

    @get(
        "/credentials/{record_id:str}/certificate.pdf",
        sync_to_thread=True,
        media_type=PDF,
        responses={
            **PDF_ANSWER,
            **documented(
                401, 403, 404, 409, 422, parameters=True,
                codes={409: CERTIFICATE_409, 422: CERTIFICATE_422},
            ),
        },
    )  # fmt: skip
    def certificate(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        record_id: FromPath[str],
    ) -> Response[bytes]:
        """The record's printable certificate (证书): an A4 PDF with its facts in Chinese
        and English, certificate number, e-licence identifier, dates and QR code, sealed
        with the issuer's signing key. The id may be the e-licence identifier."""
        certificate = record_certificate(
            registry, principal_of(request), record_id, now=datetime.now(UTC)
        )
        return _pdf(certificate, PRIVATE)

    @get(
        "/review-sessions/{session_key:str}/certificates.zip",
        sync_to_thread=True,
        media_type=ZIP,
        responses={
            **answered(
                200,
                bytes,
                "a ZIP of one sealed PDF per record the session issued, and index.csv "
                "(row, name, certificateNumber, file, problem, record) / 批次证书压缩包",
                ZIP,
            ),
            **documented(
                401, 403, 404, 422, parameters=True,
                codes={
                    404: "REVIEW_SESSION_UNKNOWN (该评审批次没有已签发的记录 / no record "
                    "was issued under this session key)",
                    422: "SESSION_KEY_INVALID; ISSUER_HAS_NO_KEY",
                },
            ),
        },
    )  # fmt: skip
    def session(
        self,
        request: Request[Any, Any, Any],
        registry: NamedDependency[Registry],
        session_key: FromPath[str],
    ) -> Stream:
        """The certificates of a review session (评审批次) as one ZIP, streamed as each is
        sealed: a PDF per record the session issued (sheet rows and batch items under
        ``session_key``), and ``index.csv`` (UTF-8) naming each row's file, or the
        problem that kept it from printing (a record revoked since, say)."""
        certificates = session_certificates(
            registry, principal_of(request), session_key, now=datetime.now(UTC)
        )
        return Stream(
            certificates.zip_chunks(),
            media_type=ZIP,
            headers={
                **PRIVATE,
                "Content-Disposition": f'attachment; filename="{certificates.filename}"',
            },
        )


class HolderCertificateController(Controller):
    """``/holder/{token}/certificate.pdf``: the holder's certificate, by their access link."""

    path = "/holder"
    tags = ["holders"]  # noqa: RUF012

    @get(
        "/{token:str}/certificate.pdf",
        sync_to_thread=True,
        media_type=PDF,
        responses={
            **PDF_ANSWER,
            **documented(
                404, 409, 422, parameters=True,
                codes={
                    404: "HOLDER_LINK_UNKNOWN (访问链接无效或已被撤销 / the link is unknown "
                    "or was revoked)",
                    409: CERTIFICATE_409,
                    422: CERTIFICATE_422,
                },
            ),
        },
    )  # fmt: skip
    def certificate(
        self, registry: NamedDependency[Registry], token: FromPath[str]
    ) -> Response[bytes]:
        """The printable certificate of the record the holder's link names, sealed by its
        issuer; the link is the only key (an unknown or revoked one answers 404)."""
        certificate = holder_certificate(registry, token, now=datetime.now(UTC))
        return _pdf(certificate, {**PRIVATE, "Referrer-Policy": "no-referrer"})
