"""``registry suspend|reinstate|revoke|cancel`` and ``history``, and ``registry verify
--status-list``: exit codes, what they print, what they change."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from registry.cli.main import cli
from registry.demo.data import QINGPU_BUREAU
from registry.services.lifecycle.statuslists import StatusListPublisher
from registry.storage.tables import CredentialRow

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def status_of(registry, record_id):
    with registry.reading() as session:
        row = session.get(CredentialRow, record_id)
        assert row is not None
        return row.status


def test_suspend_reinstate_revoke_and_history(runner, registry, demo):
    record = demo.records[0]
    result = run(runner, "suspend", record, "--reason", "under_investigation", "--note", "核查")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{record}: active -> suspended"
    assert "under_investigation: 正在调查核实 / under investigation" in result.stdout
    assert status_of(registry, record) == "suspended"
    result = run(runner, "reinstate", record, "--reason", "investigation_closed", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "active"
    assert run(runner, "revoke", record, "--reason", "issued_in_error").exit_code == 0
    result = run(runner, "history", record)
    assert result.exit_code == 0, result.stderr
    changes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["action"] for c in changes] == ["suspend", "reinstate", "revoke"]
    assert {c["actor"] for c in changes} == {"admin:0 cli (local operator)"}


@pytest.mark.parametrize(
    ("args", "code", "exit_code"),
    [
        (["revoke", "{record}", "--reason", "nonsense"], "STATUS_REASON_UNKNOWN", 2),
        (["cancel", "{record}", "--reason", "other"], "STATUS_NOTE_REQUIRED", 2),
        (["revoke", UNKNOWN, "--reason", "issued_in_error"], "RECORD_UNKNOWN", 2),
        (["revoke", "not-a-record", "--reason", "issued_in_error"], "RECORD_ID_INVALID", 2),
        (["reinstate", "{record}", "--reason", "data_corrected"], "RECORD_NOT_SUSPENDED", 1),
    ],
)
def test_refusals_exit_with_a_bilingual_message_and_change_nothing(
    runner, registry, demo, args, code, exit_code
):
    record = demo.records[0]
    result = run(runner, *[a.format(record=record) for a in args])
    assert result.exit_code == exit_code
    assert result.stderr.startswith(f"error {code}: ")
    assert "Traceback" not in result.output
    assert status_of(registry, record) == "active"


def test_reason_is_required_by_the_command(runner, demo):
    result = run(runner, "revoke", demo.records[0])
    assert result.exit_code == 2
    assert "--reason" in result.stderr


def test_verify_with_status_lists_reads_the_bits(runner, registry, demo, tmp_path):
    from datetime import UTC, datetime

    record = demo.records[0]
    with registry.reading() as session:
        row = session.get(CredentialRow, record)
        assert row is not None
        credential = row.document
    credential_file = tmp_path / "credential.json"
    credential_file.write_text(json.dumps(credential), encoding="utf-8")

    def list_files():
        publisher = StatusListPublisher(registry)
        files = []
        for purpose in ("revocation", "suspension"):
            document, _ = publisher.publish(QINGPU_BUREAU.uscc, purpose, datetime.now(UTC))
            path = tmp_path / f"{purpose}.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            files += ["--status-list", str(path)]
        return files

    files = list_files()
    run(runner, "suspend", record, "--reason", "under_investigation")
    result = run(runner, "verify", str(credential_file), "--json", *files)
    status = next(c for c in json.loads(result.stdout)["checks"] if c["check"] == "status")
    assert (status["code"], status["detail"]["source"]) == ("STATUS_ACTIVE", "status-list")
    assert result.exit_code == 0  # the lists were fetched before the suspension

    result = run(runner, "verify", str(credential_file), "--json", *list_files())
    status = next(c for c in json.loads(result.stdout)["checks"] if c["check"] == "status")
    assert (status["code"], status["detail"]["source"]) == ("STATUS_SUSPENDED", "status-list")
    assert result.exit_code == 1

    result = run(runner, "verify", str(credential_file), "--json")
    status = next(c for c in json.loads(result.stdout)["checks"] if c["check"] == "status")
    assert (status["code"], status["detail"]["source"]) == ("STATUS_SUSPENDED", "registry")


def test_verify_refuses_a_tampered_status_list(runner, registry, demo, tmp_path):
    from datetime import UTC, datetime

    document, _ = StatusListPublisher(registry).publish(
        QINGPU_BUREAU.uscc, "revocation", datetime.now(UTC)
    )
    document["validUntil"] = "2099-01-01T00:00:00Z"
    path = tmp_path / "revocation.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    payload = "RC1:AAAA"
    result = run(runner, "verify", payload, "--status-list", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("error STATUS_LIST_SIGNATURE_INVALID")


def test_amend_from_a_file(runner, registry, demo, tmp_path):
    from registry.demo.data import DEMO_RECORDS

    record = demo.records[0]
    request = DEMO_RECORDS[0].issuance_request()
    request["credentialSubject"]["professionalTitle"]["obtainedOn"] = "2019-12-31"
    path = tmp_path / "amended.json"
    path.write_text(json.dumps({"credential": request}, ensure_ascii=False), encoding="utf-8")
    result = run(runner, "amend", record, str(path), "--reason", "data_corrected")
    assert result.exit_code == 0, result.stderr
    amended = json.loads(result.stdout)
    assert amended["supersedes"].endswith(f"/credentials/{record}")
    assert status_of(registry, record) == "superseded"
    again = run(runner, "amend", record, str(path))
    assert again.exit_code == 1
    assert again.stderr.startswith("error RECORD_ALREADY_SUPERSEDED: ")
    path.write_text("{not json", encoding="utf-8")
    broken = run(runner, "amend", amended["id"].rsplit("/", 1)[-1], str(path))
    assert broken.exit_code == 2
    assert broken.stderr.startswith("error MALFORMED_JSON: ")


def test_verify_prints_the_reason_of_a_revoked_record(runner, registry, demo, tmp_path):
    record = demo.records[0]
    with registry.reading() as session:
        row = session.get(CredentialRow, record)
        assert row is not None
        payload = row.qr_payload
    assert run(runner, "revoke", record, "--reason", "obtained_by_fraud").exit_code == 0
    result = run(runner, "verify", payload)
    assert result.exit_code == 1
    assert "STATUS_REVOKED" in result.stdout
    assert "reason obtained_by_fraud: 以弄虚作假、贿赂等不正当手段取得" in result.stdout


def test_amending_a_suspended_record_is_refused(runner, registry, demo, tmp_path):
    from registry.demo.data import DEMO_RECORDS

    record = demo.records[0]
    assert run(runner, "suspend", record, "--reason", "under_investigation").exit_code == 0
    request = DEMO_RECORDS[0].issuance_request()
    request["credentialSubject"]["professionalTitle"]["obtainedOn"] = "2019-12-31"
    path = tmp_path / "amended.json"
    path.write_text(json.dumps({"credential": request}, ensure_ascii=False), encoding="utf-8")
    result = run(runner, "amend", record, str(path), "--reason", "data_corrected")
    assert result.exit_code == 1
    assert result.stderr.startswith("error RECORD_SUSPENDED: ")
    assert "请先恢复" in result.stderr and "reinstate it first" in result.stderr
    assert result.stdout == ""
    assert status_of(registry, record) == "suspended"


def test_suspend_and_history_take_the_elicence_id(runner, registry, demo):
    record = demo.records[0]
    with registry.reading() as session:
        row = session.get(CredentialRow, record)
        assert row is not None and row.electronic_licence_id
        name = row.electronic_licence_id
    result = run(runner, "suspend", name, "--reason", "under_investigation")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{record}: active -> suspended"
    assert status_of(registry, record) == "suspended"
    history = run(runner, "history", name.lower())
    assert history.exit_code == 0, history.stderr
    changes = [json.loads(line) for line in history.stdout.splitlines()]
    assert [(c["id"], c["action"]) for c in changes] == [(record, "suspend")]
