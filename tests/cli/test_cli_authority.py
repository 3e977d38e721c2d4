"""``registry issuers|scopes|keys rotate/retire/compromise|regions|agreements|equivalences|
partners`` on the local store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result
from sqlmodel import select

from registry.cli.main import cli
from registry.core.trust.authority import china_date
from registry.demo.data import JIASHAN_BUREAU, demo_uscc
from registry.services.access.tokens import list_tokens
from registry.services.transparency.history import history
from registry.storage.tables import AuthorityChangeRow, LogEntryRow

NEW = demo_uscc("330421", 77)


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def log_kinds(registry) -> list[str]:
    with registry.reading() as session:
        return [row.kind for row in session.exec(select(LogEntryRow).order_by(LogEntryRow.seq))]


def test_issuers_and_scopes(runner, demo, registry):
    bad = run(
        runner, "issuers", "create", "--uscc", NEW[:-1] + "0" if NEW[-1] != "0" else NEW[:-1] + "1",
        "--name-zh", "评委会", "--name-en", "Committee", "--region", "330421",
        "--kind", "review_committee",
    )  # fmt: skip
    assert bad.exit_code == 2 and "USCC_INVALID" in bad.stderr
    made = run(
        runner, "issuers", "create", "--uscc", NEW, "--name-zh", "嘉善县电子信息评委会（演示）",
        "--name-en", "Jiashan electronics committee (demo)", "--region", "330421",
        "--kind", "review_committee",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert made.stdout.split("\t")[0] == NEW
    granted = run(
        runner, "scopes", "grant", "--issuer", NEW, "--types", "ProfessionalTitleCredential",
        "--from", "2023-01-01", "--series", "工程技术", "--specialties", "电子信息",
        "--highest-level", "中级",
    )  # fmt: skip
    assert granted.exit_code == 0, granted.stderr
    scope_id = granted.stdout.strip()
    refused = run(
        runner, "scopes", "grant", "--issuer", NEW, "--types", "ResidencePermitCredential",
        "--from", "2023-01-01", "--series", "工程技术",
    )  # fmt: skip
    assert refused.exit_code == 2 and "SCOPE_TITLE_FIELDS_WITHOUT_TITLE" in refused.stderr
    ended = run(runner, "scopes", "end", scope_id)
    assert ended.exit_code == 0, ended.stderr
    listed = run(runner, "scopes", "list", "--issuer", NEW).stdout.splitlines()
    tomorrow = china_date(datetime.now(UTC)) + timedelta(days=1)
    assert listed[1].split("\t") == [
        scope_id, "ProfessionalTitleCredential", "工程技术", "电子信息", "中级", "2023-01-01",
        tomorrow.isoformat(),
    ]  # fmt: skip
    assert log_kinds(registry)[-4:] == [
        "issuer_created",
        "key_created",
        "scope_granted",
        "scope_ended",
    ]
    with registry.reading() as session:
        actors = {row.actor for row in session.exec(select(AuthorityChangeRow))}
    assert "cli" in actors


def test_keys_rotate_retire_compromise(runner, demo, registry):
    rotated = run(runner, "keys", "rotate", "--issuer", JIASHAN_BUREAU.uscc)
    assert rotated.exit_code == 0, rotated.stderr
    new_kid = rotated.stdout.split("\t")[0]
    rows = [line.split("\t") for line in run(runner, "keys", "list").stdout.splitlines()[1:]]
    jiashan = {row[1]: row for row in rows if row[0] == JIASHAN_BUREAU.uscc}
    old_kid = next(kid for kid in jiashan if kid != new_kid)
    assert jiashan[old_kid][2] == "retired" and jiashan[old_kid][5] != "-"
    assert jiashan[new_kid][2] == "active"
    again = run(runner, "keys", "retire", old_kid)
    assert again.exit_code == 1 and "KEY_NOT_ACTIVE" in again.stderr
    naive = run(runner, "keys", "compromise", old_kid, "--at", "2025-01-01T00:00:00")
    assert naive.exit_code == 2 and "TIME_OFFSET_REQUIRED" in naive.stderr
    marked = run(runner, "keys", "compromise", old_kid, "--at", "2025-01-01T08:00:00+08:00")
    assert marked.exit_code == 0, marked.stderr
    rows = [line.split("\t") for line in run(runner, "keys", "list").stdout.splitlines()[1:]]
    row = next(r for r in rows if r[1] == old_kid)
    assert (row[2], row[6]) == ("compromised", "2025-01-01T00:00:00Z")
    retired = run(runner, "keys", "retire", new_kid)
    assert retired.exit_code == 0
    assert log_kinds(registry)[-4:] == [
        "key_created",
        "key_rotated",
        "key_compromised",
        "key_retired",
    ]
    unknown = run(runner, "keys", "retire", "00" * 8)
    assert unknown.exit_code == 2 and "KEY_UNKNOWN" in unknown.stderr


def test_regions_agreements_equivalences_and_partners(runner, demo, registry):
    assert run(runner, "regions", "add", "--code", "440100", "--name-zh", "广州市",
               "--name-en", "Guangzhou").exit_code == 0  # fmt: skip
    added = run(
        runner, "agreements", "add", "--id", "GZ-JS-DEMO", "--name-zh", "广州—嘉善互认（演示）",
        "--name-en", "Guangzhou-Jiashan recognition (demo)", "--parties", "440100,330421",
        "--types", "ProfessionalTitleCredential", "--from", "2026-01-01",
        "--basis", "演示协议", "--article", "第三条（虚构，仅供演示）",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    listed = run(runner, "agreements", "list").stdout
    assert "GZ-JS-DEMO\t440100,330421" in listed and "第三条（虚构，仅供演示）" in listed
    assert "YRDZ-MR-2020\t310118,320509,330421" in listed
    one_party = run(
        runner, "agreements", "add", "--id", "X", "--name-zh", "x", "--name-en", "x",
        "--parties", "440100", "--types", "ProfessionalTitleCredential", "--from", "2026-01-01",
        "--basis", "x",
    )  # fmt: skip
    assert one_party.exit_code == 2 and "AGREEMENT_PARTIES" in one_party.stderr
    entry = run(
        runner, "equivalences", "add", "--from-region", "330421", "--to-region", "440100",
        "--kind", "level", "--source", "副高级", "--target", "副高级",
        "--label-zh", "副高级（演示）", "--label-en", "Associate senior (demo)",
        "--agreement", "GZ-JS-DEMO", "--demo",
    )  # fmt: skip
    assert entry.exit_code == 0, entry.stderr
    assert "330421\t440100\tlevel\t副高级" in run(runner, "equivalences", "list").stdout
    partner = run(runner, "partners", "create", "--region", "440100", "--name", "广州人社系统")
    assert partner.exit_code == 0
    assert partner.stdout.strip().startswith("rgt_")
    (token,) = [t for t in list_tokens(registry) if t.name == "广州人社系统"]
    (change,) = history(registry, "partner", str(token.token_id))
    assert (change.actor, change.action, change.detail["region"]) == ("cli", "created", "440100")
    bad_date = run(runner, "agreements", "end", "GZ-JS-DEMO", "--until", "soon")
    assert bad_date.exit_code == 2 and "DATE_INVALID" in bad_date.stderr


def test_a_text_longer_than_its_column_is_bad_input_and_stores_nothing(runner, demo, registry):
    before = len(history(registry, "region", "440100"))
    long_name = run(
        runner, "regions", "add", "--code", "440100", "--name-zh", "广" * 65,
        "--name-en", "Guangzhou",
    )  # fmt: skip
    assert long_name.exit_code == 2
    assert "FIELD_TOO_LONG" in long_name.stderr and "/nameZh" in long_name.stderr
    assert "64" in long_name.stderr and "广" * 8 not in long_name.stderr
    assert len(history(registry, "region", "440100")) == before
    long_basis = run(
        runner, "agreements", "add", "--id", "GZ-LONG", "--name-zh", "协议", "--name-en", "x",
        "--parties", "310118,320509", "--types", "ProfessionalTitleCredential",
        "--from", "2026-01-01", "--basis", "文" * 513,
    )  # fmt: skip
    assert long_basis.exit_code == 2 and "/legalBasis" in long_basis.stderr
    assert history(registry, "agreement", "GZ-LONG") == []


@pytest.mark.parametrize(
    "group", ["issuers", "scopes", "regions", "agreements", "equivalences", "partners"]
)
def test_groups_have_help(runner, group):
    result = run(runner, group, "--help")
    assert result.exit_code == 0 and result.stdout
