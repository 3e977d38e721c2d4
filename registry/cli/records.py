"""``registry issue`` and ``registry verify``: records on the local store, offline."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.engine import make_url

from registry.cli.invocation import fail, opened_registry
from registry.core.errors import RegistryError, invalid, malformed
from registry.core.formats.canonical import require_shallow, too_deep
from registry.core.formats.timefmt import parse_instant
from registry.core.records.credential import issuer_id_of, issuer_uscc_from_id
from registry.core.trustlists.trustlist import grouped
from registry.core.verification.record import Verification
from registry.render.scan import read_qr_text
from registry.services.access.tokens import Principal
from registry.services.issuance.issue import issue_record
from registry.services.records.answers import answer
from registry.services.verification.offline import TrustListVerifier, read_trust_list_file
from registry.services.verification.verifier import Verifier
from registry.settings import Settings, load_settings

IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff")
MAX_INPUT_BYTES = 10 * 1024 * 1024


def _read_json_file(path: Path) -> Any:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise malformed(
            "MALFORMED_JSON", "文件不是有效的 JSON", "the file is not valid JSON"
        ) from None
    except RecursionError:
        raise too_deep() from None
    require_shallow(document)
    return document


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--issuer", "issuer_uscc", help="USCC of the issuing organisation [default: the file's issuer]."
)
@click.option("--idempotency-key", help="Makes a repeated run return the record first issued.")
def issue(file: Path, issuer_uscc: str | None, idempotency_key: str | None) -> None:
    """Issue a record from FILE.json ({credential, options} as the API takes, or a bare
    credential). Prints the signed credential; the QR URL goes to stderr."""
    with opened_registry() as registry:
        try:
            body = _read_json_file(file)
            if not isinstance(body, dict):
                raise invalid(
                    "REQUEST_INVALID", "文件必须是 JSON 对象", "the file must hold a JSON object"
                )
            credential = body.get("credential", body)
            options = body.get("options", {}) if "credential" in body else {}
            if not isinstance(credential, dict) or not isinstance(options, dict):
                raise invalid(
                    "REQUEST_INVALID",
                    "credential 与 options 必须是 JSON 对象",
                    "credential and options must be JSON objects",
                )
            stated = issuer_id_of(credential) if isinstance(credential, dict) else None
            uscc = issuer_uscc or (issuer_uscc_from_id(stated) if stated else None)
            if not uscc:
                raise invalid(
                    "ISSUER_REQUIRED", "请用 --issuer 指定签发机构", "name the issuer with --issuer"
                )
            principal = Principal(0, "issuer", uscc, None, "cli")
            issued = issue_record(
                registry,
                principal,
                credential,
                now=datetime.now(UTC),
                idempotency_key=idempotency_key or options.get("idempotencyKey"),
            )
        except RegistryError as error:
            fail(error)
        click.echo(json.dumps(issued.credential, ensure_ascii=False, indent=2))
        click.echo(f"record {issued.record_id}\nQR {issued.qr_url}", err=True)


def _offline_settings() -> Settings:
    """Verify against the local data; with none, an empty in-memory store (did:key only)."""
    settings = load_settings()
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return replace(settings, database_url="sqlite://")
    return settings


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system is not a file
        return False


def _verify_input(
    verifier: Verifier | TrustListVerifier, text: str, region: str | None, now: datetime
) -> Verification:
    if "RC1:" in text or text.startswith("#"):
        return verifier.qr(text, now=now, region=region)
    path = Path(text)
    if _is_file(path):
        data = path.read_bytes()[: MAX_INPUT_BYTES + 1]
        if len(data) > MAX_INPUT_BYTES:
            raise invalid("INPUT_TOO_LARGE", "文件过大", "the file is too large")
        if data.startswith(IMAGE_MAGIC):
            return verifier.qr(read_qr_text(data), now=now, region=region)
        document = _read_json_file(path)
        if isinstance(document, dict) and "verifiableCredential" in document:
            document = document["verifiableCredential"]
        return verifier.credential(document, now=now, region=region)
    raise invalid(
        "VERIFY_INPUT_UNKNOWN",
        "输入不是二维码链接、二维码内容、图片或凭证 JSON 文件",
        "the input is not a QR URL, a QR payload, an image or a credential JSON file",
    )


def _print_human(verification: Verification) -> None:
    body = answer(verification)
    problems = {check.code for check in verification.problems}
    if verification.verified:
        click.echo("VALID / 有效")
    elif problems == {"STATUS_UNKNOWN"}:  # everything else holds; the status is unknown
        click.echo("STATUS NOT CHECKED / 无法核实状态")
    else:
        click.echo("NOT VALID / 无效")
    for item in body["checks"]:
        message = item["message"]
        click.echo(
            f"  [{item['outcome']:>7}] {item['check']:<17} {item['code']}: "
            f"{message['zh']} / {message['en']}"
        )
        detail = item.get("detail", {}) if item["check"] == "status" else {}
        if "reason" in detail:
            reason = detail["reason"]
            click.echo(f"{'':29}reason {reason['code']}: {reason['zh']} / {reason['en']}")
        if "supersededBy" in detail:
            click.echo(f"{'':29}current version {detail['supersededBy']['url']}")
    record = body["record"]
    if record:
        title = record["professionalTitle"]
        name = title["titleName"]
        click.echo(f"  record {record['id']}  {record['type']['zh']} / {record['type']['en']}")
        click.echo(
            f"  {record['maskedName']}  {name['zh']} ({name['en']}), "
            f"{title['specialty']['zh']}, {title['level']['zh']}"
        )
    if body["issuer"]:
        click.echo(f"  issuer {body['issuer']['name']['zh']} / {body['issuer']['name']['en']}")


def _show(verification: Verification, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(answer(verification), ensure_ascii=False, indent=2))
    else:
        _print_human(verification)
    sys.exit(0 if verification.verified else 1)


def _with_trust_list(
    file: Path,
    pin: str | None,
    source: str,
    region: str | None,
    now: datetime,
    *,
    status_lists: list[object],
) -> Verification:
    """Verify with nothing but a trust list file (and status list files): no database is
    opened."""
    listed = read_trust_list_file(file, pin)
    if pin is None:
        click.echo(
            f"trust list of {listed.base_url}, sequence {listed.sequence}, root key "
            f"{grouped(listed.fingerprint)} (not pinned / 未核对根密钥指纹)",
            err=True,
        )
    verifier = TrustListVerifier(listed)
    if status_lists:
        verifier.add_status_lists(status_lists, now)
    return _verify_input(verifier, source, region, now)


@click.command()
@click.argument("source")
@click.option("--region", help="Division code of the asking region (recognition check).")
@click.option("--json", "as_json", is_flag=True, help="Print the full answer as JSON.")
@click.option(
    "--trust-list",
    "trust_list_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Verify with nothing but this trust list file (no database): a list exported by "
    "this or another registry. Past 24 hours old it warns; past 7 days nothing is valid.",
)
@click.option("--pin", help="With --trust-list: the root-key fingerprint the list must have.")
@click.option(
    "--status-list",
    "status_list_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A status list credential fetched earlier (GET /status/USCC/revocation and "
    "/suspension), checked against its issuer's key; repeatable. Status is read from these "
    "lists; without both lists of the record's issuer it is 'could not check'.",
)
@click.option(
    "--at",
    help="Answer as of this instant (ISO 8601 with a time zone) instead of now: the validity "
    "period and the trust list's age are judged then.",
)
def verify(
    source: str,
    *,
    region: str | None,
    as_json: bool,
    trust_list_file: Path | None,
    pin: str | None,
    status_list_files: tuple[Path, ...],
    at: str | None,
) -> None:
    """Verify SOURCE offline: a QR URL, a QR payload, a PNG/JPEG photo of the code, or a
    credential JSON file. Exit 0 valid, 1 not valid, 2 bad usage or input."""
    try:
        now = parse_instant(at, "--at") if at is not None else datetime.now(UTC)
        if pin is not None and trust_list_file is None:
            raise invalid(
                "PIN_WITHOUT_TRUST_LIST",
                "--pin 只能与 --trust-list 一起使用",
                "--pin goes with --trust-list",
            )
        status_lists = [_read_json_file(path) for path in status_list_files]
        if trust_list_file is not None:
            _show(
                _with_trust_list(
                    trust_list_file, pin, source, region, now, status_lists=status_lists
                ),
                as_json,
            )
    except RegistryError as error:
        fail(error)
    with opened_registry(_offline_settings()) as registry:
        try:
            verifier = Verifier(registry)
            if status_lists:
                verifier.add_status_lists(status_lists, now)
            verification = _verify_input(verifier, source, region, now)
        except RegistryError as error:
            fail(error)
        _show(verification, as_json)


COMMANDS: tuple[click.Command, ...] = (
    issue,
    verify,
)
