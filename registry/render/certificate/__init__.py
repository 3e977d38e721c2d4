"""Printable certificates: an A4 PDF per record, laid out as a Chinese certificate, with
the registry's own CJK font embedded (subset) and sealed with a PAdES signature.

``content`` holds what a certificate says (plain data, built by the services), ``fonts``
the shipped font and the glyph check, ``layout`` the drawing, ``seal`` the signature.
"""

from registry.render.certificate.content import CertificateContent, Fact, Sealer
from registry.render.certificate.layout import render_certificate
from registry.render.certificate.seal import seal_pdf, sealing_certificate


def sealed_certificate(content: CertificateContent, sealer: Sealer) -> bytes:
    """The certificate's PDF, sealed by ``sealer`` (the issuer's signing key)."""
    return seal_pdf(render_certificate(content), sealer, signed_at=content.printed_at)


__all__ = [
    "CertificateContent",
    "Fact",
    "Sealer",
    "render_certificate",
    "seal_pdf",
    "sealed_certificate",
    "sealing_certificate",
]
