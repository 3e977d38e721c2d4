"""``registry trust`` and ``registry verify --trust-list``: two registries, one CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result

from registry.cli.main import cli
from registry.core.formats.timefmt import format_instant
from registry.core.trustlists.trustlist import root_fingerprint
from registry.services.transparency.history import history
from registry.services.trust.trustlist_imports import imported_lists
from tests.support.command_line import command_environment
from tests.support.second_registry import (
    GUANGZHOU_BUREAU,
    SECOND_BASE_URL,
    second_registry,
)
from tests.support.trust_lists import ForeignRegistry


def run(settings, *args: str) -> Result:
    """``registry ARGS`` on the store named by ``settings``; never a traceback."""
    result = CliRunner().invoke(cli, list(args), env=command_environment(settings))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


@pytest.fixture
def guangzhou(tmp_path_factory):
    with second_registry(tmp_path_factory.mktemp("guangzhou")) as opened:
        yield opened


@pytest.fixture
def exported(guangzhou, tmp_path):
    """The Guangzhou registry's record, exported list file and root-key fingerprint."""
    issued = guangzhou.issue_title()
    path = tmp_path / "guangzhou-trust-list.json"
    assert run(guangzhou.settings, "trust", "export", "--out", str(path)).exit_code == 0
    fingerprint = run(guangzhou.settings, "trust", "fingerprint").stdout.strip()
    return issued, path, fingerprint


def checks_of(result: Result) -> dict[str, tuple[str, str]]:
    return {c["check"]: (c["outcome"], c["code"]) for c in json.loads(result.stdout)["checks"]}


def test_fingerprint_is_the_root_key_of_the_exported_list(settings, demo, tmp_path):
    result = run(settings, "trust", "fingerprint")
    assert result.exit_code == 0
    fingerprint = result.stdout.strip()
    assert len(fingerprint) == 64 and int(fingerprint, 16) >= 0
    assert "根密钥指纹" in result.stderr
    assert run(settings, "trust", "fingerprint").stdout.strip() == fingerprint  # one root key
    exported = run(settings, "trust", "export")
    assert exported.exit_code == 0
    document = json.loads(exported.stdout)
    assert document["version"] == 1
    from registry.core.trustlists.trustlist import verify_trust_list

    assert verify_trust_list(document, pin=fingerprint).sequence == 1


def test_an_imported_registry_s_record_verifies_here(settings, demo, registry, exported):
    issued, path, fingerprint = exported
    imported = run(settings, "trust", "import", str(path), "--pin", fingerprint)
    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout.startswith(f"imported: {SECOND_BASE_URL} sequence 1")
    again = run(settings, "trust", "import", str(path), "--pin", fingerprint)
    assert again.exit_code == 0 and again.stdout.startswith("unchanged")
    (change,) = history(registry, "trust_list", SECOND_BASE_URL)  # the unchanged one: nothing
    assert (change.actor, change.action, change.detail["fingerprint"]) == (
        "cli",
        "imported",
        fingerprint,
    )
    listed = run(settings, "trust", "list")
    assert f"{SECOND_BASE_URL}\t1\t" in listed.stdout and "\tcurrent\t" in listed.stdout

    result = run(settings, "verify", issued["qr"]["url"], "--json")
    checks = checks_of(result)
    assert checks["trust_list"] == ("passed", "TRUST_LIST_CURRENT")
    assert checks["signature"] == ("passed", "SIGNATURE_VALID")
    assert checks["issuer_known"] == ("passed", "ISSUER_KNOWN")
    assert checks["key_valid"] == ("passed", "KEY_VALID")
    assert checks["status"] == ("unknown", "STATUS_UNKNOWN")  # no status list of theirs here
    assert json.loads(result.stdout)["issuer"]["uscc"] == GUANGZHOU_BUREAU.uscc
    assert result.exit_code == 1


def test_offline_with_nothing_but_the_list_file(tmp_path, exported):
    issued, path, fingerprint = exported
    nowhere = tmp_path / "no-registry-here"
    from tests.support.fixtures import make_settings

    empty = make_settings(str(nowhere), f"sqlite:///{nowhere / 'registry.db'}")
    args = ("verify", issued["qr"]["url"], "--trust-list", str(path), "--json")
    result = run(empty, *args, "--pin", fingerprint)
    checks = checks_of(result)
    assert checks["trust_list"] == ("passed", "TRUST_LIST_CURRENT")
    assert checks["signature"] == ("passed", "SIGNATURE_VALID")
    assert checks["issuer_authorised"][0] == "passed"
    assert not nowhere.exists()  # no database was opened, let alone created
    credential = tmp_path / "credential.json"
    credential.write_text(json.dumps(issued["verifiableCredential"]), encoding="utf-8")
    by_file = checks_of(run(empty, "verify", str(credential), "--trust-list", str(path), "--json"))
    assert by_file["signature"] == ("passed", "SIGNATURE_VALID")
    assert by_file["trust_list"] == ("passed", "TRUST_LIST_CURRENT")

    issued_at = json.loads(path.read_text(encoding="utf-8"))["issued"]
    start = datetime.fromisoformat(issued_at.replace("Z", "+00:00"))
    stale = run(empty, *args, "--at", format_instant(start + timedelta(hours=25)))
    assert checks_of(stale)["trust_list"] == ("warning", "TRUST_LIST_STALE")
    expired = run(empty, *args, "--at", format_instant(start + timedelta(days=7, minutes=1)))
    assert checks_of(expired)["trust_list"] == ("failed", "TRUST_LIST_EXPIRED")
    assert expired.exit_code == 1
    human = run(empty, *args[:-1], "--at", format_instant(start + timedelta(days=8)))
    assert human.stdout.splitlines()[0] == "NOT VALID / 无效"
    assert "TRUST_LIST_EXPIRED" in human.stdout and "信任列表已过期" in human.stdout
    assert "not pinned" in human.stderr


def test_a_wrong_pin_is_refused_and_nothing_is_stored(settings, demo, exported, tmp_path):
    issued, path, fingerprint = exported
    wrong = run(settings, "trust", "fingerprint").stdout.strip()  # this registry's own key
    refused = run(settings, "trust", "import", str(path), "--pin", wrong)
    assert refused.exit_code == 2
    assert "TRUST_LIST_PIN_MISMATCH" in refused.stderr
    assert "指纹" in refused.stderr and "fingerprint" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert run(settings, "trust", "list").stdout.count("\n") == 1  # the header only
    offline = run(
        settings, "verify", issued["qr"]["url"], "--trust-list", str(path), "--pin", wrong
    )
    assert offline.exit_code == 2 and "TRUST_LIST_PIN_MISMATCH" in offline.stderr
    malformed = run(settings, "trust", "import", str(path), "--pin", "not-hex")
    assert malformed.exit_code == 2 and "TRUST_LIST_PIN_INVALID" in malformed.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    bad = run(settings, "trust", "import", str(garbage), "--pin", fingerprint)
    assert bad.exit_code == 2 and "MALFORMED_JSON" in bad.stderr


def test_an_older_list_is_refused_after_a_newer_one(settings, demo, guangzhou, exported, tmp_path):
    _, older, fingerprint = exported
    added = run(guangzhou.settings, "keys", "generate", "--issuer", GUANGZHOU_BUREAU.uscc)
    assert added.exit_code == 0, added.stderr
    newer = tmp_path / "newer.json"
    assert run(guangzhou.settings, "trust", "export", "--out", str(newer)).exit_code == 0
    assert json.loads(newer.read_text(encoding="utf-8"))["sequence"] == 2
    assert run(settings, "trust", "import", str(newer), "--pin", fingerprint).exit_code == 0
    rollback = run(settings, "trust", "import", str(older), "--pin", fingerprint)
    assert rollback.exit_code == 2
    assert "TRUST_LIST_ROLLBACK" in rollback.stderr
    assert f"{SECOND_BASE_URL}\t2\t" in run(settings, "trust", "list").stdout


def test_pin_needs_a_trust_list_and_at_needs_a_time_zone(settings, demo):
    result = run(settings, "verify", "RC1:AAAA", "--pin", "0" * 64)
    assert result.exit_code == 2 and "PIN_WITHOUT_TRUST_LIST" in result.stderr
    naive = run(
        settings, "verify", "RC1:AAAA", "--at", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    )
    assert naive.exit_code == 2 and "DATETIME_INVALID" in naive.stderr


def test_a_base_url_longer_than_the_history_keeps_is_refused(settings, demo, registry, tmp_path):
    """The import is kept in the authority history under the list's base URL (64 characters
    at most there): a longer one was a crash on PostgreSQL; now it is bad input."""
    now = datetime.now(UTC).replace(microsecond=0)
    stem = "https://talent.gz-demo.example.cn/"
    for length, exit_code in ((65, 2), (300, 2), (64, 0)):
        base = stem + "p" * (length - len(stem))
        foreign = ForeignRegistry(now, base=base)
        path = tmp_path / f"list-{length}.json"
        path.write_text(json.dumps(foreign.signed()), encoding="utf-8")
        pin = root_fingerprint(foreign.root.public_key())
        result = run(settings, "trust", "import", str(path), "--pin", pin)
        assert result.exit_code == exit_code, result.output
        if exit_code:
            assert "FIELD_TOO_LONG" in result.stderr and "/registry/baseUrl" in result.stderr
            assert "64" in result.stderr and base not in result.stderr
            assert imported_lists(registry) == []
            assert history(registry, "trust_list", base) == []
    (kept,) = imported_lists(registry)
    assert kept.base_url == base and len(base) == 64
    assert [c.action for c in history(registry, "trust_list", base)] == ["imported"]


@pytest.mark.parametrize("issuer_host", ["https://evil.example", SECOND_BASE_URL])
def test_offline_a_forged_copy_signed_by_a_did_key_is_not_valid(tmp_path, exported, issuer_host):
    """Issue 13: the list vouches for its issuers' keys only; a copy of their record with
    the level raised and a did:key proof (under their issuer id, or a foreign host's id that
    ends in their USCC) is never valid offline, and names no issuer."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from registry.core.formats import dataintegrity
    from registry.core.formats.multikey import did_key_verification_method
    from tests.support.fixtures import make_settings

    issued, path, fingerprint = exported
    forged = dict(issued["verifiableCredential"])
    forged.pop("proof")
    forged["issuer"] = {**forged["issuer"], "id": f"{issuer_host}/issuers/{GUANGZHOU_BUREAU.uscc}"}
    subject = forged["credentialSubject"]
    forged["credentialSubject"] = {
        **subject,
        "professionalTitle": {**subject["professionalTitle"], "level": "正高级"},
    }
    fresh = Ed25519PrivateKey.generate()
    options = dataintegrity.ProofOptions(
        did_key_verification_method(fresh.public_key()), datetime.now(UTC) - timedelta(minutes=5)
    )
    file = tmp_path / "forged.json"
    file.write_text(json.dumps(dataintegrity.add_proof(forged, fresh, options)), encoding="utf-8")
    nowhere = tmp_path / "no-registry-here"
    empty = make_settings(str(nowhere), f"sqlite:///{nowhere / 'registry.db'}")
    args = ("verify", str(file), "--trust-list", str(path), "--pin", fingerprint, "--json")
    result = run(empty, *args)
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert answer["verified"] is False and answer["issuer"] is None and answer["record"] is None
    checks = checks_of(result)
    expected = (
        "KEY_ISSUER_MISMATCH" if issuer_host == SECOND_BASE_URL else "KEY_NOT_CONTROLLED_BY_ISSUER"
    )
    assert checks["signature"] == ("failed", expected)
