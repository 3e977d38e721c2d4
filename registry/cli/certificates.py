"""``registry certificate``: print a record's sealed certificate, or a whole review
session's, to files."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import click

from registry.cli.invocation import fail, opened_registry
from registry.core.errors import RegistryError
from registry.services.access.tokens import Principal
from registry.services.certificates.printing import record_certificate
from registry.services.certificates.sessions import (
    INDEX_NAME,
    SessionCertificates,
    index_csv,
    session_certificates,
)

LOCAL_OPERATOR = Principal(0, "admin", None, None, "cli (local operator)")


def _principal(issuer_uscc: str | None) -> Principal:
    if issuer_uscc is None:
        return LOCAL_OPERATOR
    return Principal(0, "issuer", issuer_uscc, None, LOCAL_OPERATOR.name)


def _write_session(certificates: SessionCertificates, output: Path) -> tuple[int, int]:
    """Write the session's PDFs and ``index.csv`` into a folder, or into one ZIP when
    ``output`` ends with ``.zip``; (printed, not printed)."""
    as_zip = output.suffix.lower() == ".zip"
    if not as_zip:
        output.mkdir(parents=True, exist_ok=True)
    archive = zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) if as_zip else None
    printed = []
    try:
        for row in certificates.printed():
            if row.pdf is None:
                click.echo(f"  row {row.row}: {row.problem}", err=True)
            elif archive is not None:
                archive.writestr(row.file, row.pdf)
            else:
                (output / row.file).write_bytes(row.pdf)
            printed.append(row)
            click.echo(f"[{len(printed)}/{len(certificates.rows)}] printed / 已打印", err=True)
        if archive is not None:
            archive.writestr(INDEX_NAME, index_csv(printed))
        else:
            (output / INDEX_NAME).write_text(index_csv(printed), encoding="utf-8")
    finally:
        if archive is not None:
            archive.close()
    problems = sum(1 for row in printed if row.pdf is None)
    return len(printed) - problems, problems


@click.command("certificate")
@click.argument("record", required=False)
@click.option(
    "--session",
    "session_key",
    help="Print every record this review session issued instead of one record.",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="The PDF to write (one record); for --session, a folder (one PDF per record and "
    "index.csv) or a file ending in .zip.",
)
@click.option(
    "--issuer",
    "issuer_uscc",
    help="Act as this issuer (USCC): only its records and sessions [default: the local "
    "operator, any issuer's].",
)
def certificate(
    record: str | None, session_key: str | None, output: Path, issuer_uscc: str | None
) -> None:
    """Print the sealed certificate (证书) of RECORD (a record id or e-licence
    identifier) to an A4 PDF, or with --session every certificate of a review session.

    The PDF carries the record's facts in Chinese and English, its certificate number,
    e-licence identifier, dates and QR code, in the registry's own font (embedded), and is
    sealed with the issuer's signing key (PAdES): a PDF reader shows who sealed it. It
    never shows an ID number. Revoked, cancelled and superseded records get none.

    \b
    Examples:
      registry certificate 1.2.156.3005.2.… --output wang.pdf
      registry certificate --session 2026-senior-engineers-1 --output certificates.zip
    """
    if (record is None) == (session_key is None):
        raise click.UsageError("give either RECORD or --session / 请指定记录或 --session 之一")
    principal = _principal(issuer_uscc)
    now = datetime.now(UTC)
    with opened_registry() as registry:
        try:
            if record is not None:
                printed = record_certificate(registry, principal, record, now=now)
                output.write_bytes(printed.pdf)
                click.echo(f"certificate of {printed.record_id} / 证书已写入: {output}")
                return
            assert session_key is not None
            certificates = session_certificates(registry, principal, session_key, now=now)
            done, problems = _write_session(certificates, output)
        except RegistryError as error:
            fail(error)
    click.echo(
        f"printed {done}, not printed {problems} / 已打印 {done}，未打印 {problems}: {output}"
    )


COMMANDS = [certificate]
