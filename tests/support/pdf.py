"""Looking into PDFs with poppler's command-line tools (``pdftoppm``, ``pdftotext``,
``pdffonts``) and pyHanko's validation; tests skip, saying why, where poppler is absent."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from registry.render.scan import read_qr_text

POPPLER = ("pdftoppm", "pdftotext", "pdffonts", "pdfinfo")


def need_poppler() -> None:
    """Skip the test where poppler-utils is not installed."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"poppler-utils is not installed ({', '.join(missing)} not found)")


def _run(tool: str, pdf: bytes, *args: str) -> bytes:
    need_poppler()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            [tool, *args, str(path), "-"], capture_output=True, check=True, timeout=60
        )
    return done.stdout


def pdf_text(pdf: bytes) -> str:
    """The text of every page (``pdftotext``)."""
    return _run("pdftotext", pdf, "-enc", "UTF-8").decode("utf-8")


def pdf_fonts(pdf: bytes) -> list[list[str]]:
    """``pdffonts`` rows: name, type, encoding, emb, sub, uni, ... (split on spaces)."""
    need_poppler()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, timeout=60)
    lines = done.stdout.decode("utf-8").splitlines()[2:]
    return [line.split() for line in lines if line.strip()]


def page_png(pdf: bytes, dpi: int = 150, page: int = 1) -> bytes:
    """One page (the first by default) as a PNG image (``pdftoppm``), as a scanner or phone
    would see it."""
    need_poppler()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        pages = ["-f", str(page), "-l", str(page)]
        subprocess.run(
            ["pdftoppm", "-png", "-singlefile", *pages, "-r", str(dpi), str(path), str(path.with_suffix(""))],
            capture_output=True, check=True, timeout=60,
        )  # fmt: skip
        return path.with_suffix(".png").read_bytes()


def qr_on_page(pdf: bytes, page: int = 1) -> str:
    """The text of the QR code printed on a page (the first by default)."""
    return read_qr_text(page_png(pdf, page=page))


def page_count(pdf: bytes) -> int:
    """How many pages the document has (``pdfinfo``)."""
    need_poppler()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, timeout=60)
    (line,) = [x for x in done.stdout.decode("utf-8").splitlines() if x.startswith("Pages:")]
    return int(line.split()[1])


def seal_status(pdf: bytes, trusted_der: bytes | None = None):  # type: ignore[no-untyped-def]
    """pyHanko's validation of the PDF's one signature, trusting the certificate it carries
    (or ``trusted_der``): a self-signed seal is judged on its own certificate."""
    import warnings

    from asn1crypto import x509 as asn1_x509
    from cryptography.utils import CryptographyDeprecationWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "DSA is deprecated", CryptographyDeprecationWarning)
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    signature = signatures[0]
    anchor = asn1_x509.Certificate.load(trusted_der) if trusted_der else signature.signer_cert
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[anchor]))
