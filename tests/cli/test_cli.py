"""The ``registry`` command: setup, tokens, keys, issuing and offline verification, run
in-process with click's runner against the test store."""

from __future__ import annotations

import json
import re
import stat
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result

from registry.cli.main import cli
from registry.core.formats import dataintegrity, qrcontainer
from registry.core.formats.multikey import (
    did_key,
    did_key_verification_method,
    private_key_from_multikey,
    public_multikey,
)
from registry.demo.data import (
    DEMO_ISSUERS,
    DEMO_PEOPLE,
    DEMO_RECORDS,
    DEMO_REGIONS,
    JIASHAN_BUREAU,
    QINGPU_BUREAU,
)
from registry.render.qrimage import render_png
from registry.services.runtime.keystore import kid_of
from registry.settings import SETTING_DOCS
from tests.support.api_checks import credential_count, has_chinese
from tests.support.command_line import use_only
from tests.support.fixtures import BASE_URL, bearer
from tests.support.keyset import test_keyset as demo_keyset
from tests.support.vectors_dataintegrity import JCS_SUITE

COMMANDS = ("init", "serve", "tokens", "keys", "issue", "verify")
TITLE_RECORD = DEMO_RECORDS[0]  # Qingpu bureau, 王建华
WANG = DEMO_PEOPLE[0]


def run(runner: CliRunner, *args: str) -> Result:
    """Invoke ``registry`` with these arguments; an exit is fine, a traceback is not."""
    result = runner.invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def _request_file(tmp_path, body: object, name: str = "request.json"):
    path = tmp_path / name
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def _issue(runner, tmp_path) -> tuple[dict, str]:
    """Issue the Qingpu demo record from a file; its credential and QR URL."""
    path = _request_file(tmp_path, {"credential": TITLE_RECORD.issuance_request()})
    result = run(runner, "issue", str(path), "--issuer", QINGPU_BUREAU.uscc)
    assert result.exit_code == 0, result.stderr
    url = re.search(r"^QR (\S+)$", result.stderr, re.MULTILINE)
    assert url is not None, (result.stdout[-300:], result.stderr[-900:])
    return json.loads(result.stdout), url.group(1)


def test_help_lists_every_setting_and_command(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    for doc in SETTING_DOCS:
        assert any(line.startswith(doc.name + " ") for line in lines), doc.name
    for command in COMMANDS:
        assert any(re.match(rf"{command}\s+\S", line) for line in lines), command
    assert has_chinese(result.stdout)


@pytest.mark.parametrize(
    ("group", "commands"),
    [("tokens", ["create", "list", "revoke"]), ("keys", ["generate", "list"])],
)
def test_groups_list_their_commands(runner, group, commands):
    result = run(runner, group, "--help")
    assert result.exit_code == 0
    for command in commands:
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), command


def test_init_demo_writes_private_files_once(monkeypatch, tmp_path, database_url):
    data = tmp_path / "data"
    use_only(monkeypatch, DATA_DIR=str(data), DATABASE_URL=database_url, BASE_URL=BASE_URL)
    runner = CliRunner()
    first = run(runner, "init", "--demo")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == "ready / 已就绪"
    assert f"demo: {len(DEMO_ISSUERS)} issuers, {len(DEMO_RECORDS)} records" in first.stderr
    secrets_env, tokens_file = data / "secrets.env", data / "demo-tokens.json"
    assert stat.S_IMODE(secrets_env.stat().st_mode) == 0o600
    assert stat.S_IMODE(tokens_file.stat().st_mode) == 0o600
    secrets_text = secrets_env.read_text(encoding="utf-8")
    assert re.search(r"^REGISTRY_KEY_PASSPHRASE=\S{20,}$", secrets_text, re.MULTILINE)
    assert re.search(r"^REGISTRY_HASH_KEY=[0-9a-f]{64}$", secrets_text, re.MULTILINE)
    assert re.search(r"^REGISTRY_ID_KEY=[A-Za-z0-9+/]{43}=$", secrets_text, re.MULTILINE)
    tokens = json.loads(tokens_file.read_text(encoding="utf-8"))
    assert set(tokens) == {
        *(f"issuer:{i.uscc}" for i in DEMO_ISSUERS),
        *(f"partner:{r.code}" for r in DEMO_REGIONS),
        "admin",
    }
    assert all(secret.startswith("rgt_") for secret in tokens.values())
    tokens_text = tokens_file.read_text(encoding="utf-8")

    second = run(runner, "init", "--demo")
    assert second.exit_code == 0
    assert "demo data already present / 演示数据已存在" in second.stderr
    assert secrets_env.read_text(encoding="utf-8") == secrets_text
    assert tokens_file.read_text(encoding="utf-8") == tokens_text


def test_created_issuer_token_is_the_last_line_and_works(runner, client, demo):
    result = run(runner, "tokens", "create", "--role", "issuer", "--issuer", QINGPU_BUREAU.uscc)
    assert result.exit_code == 0, result.stderr
    secret = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"rgt_[A-Za-z0-9_-]{40,}", secret)
    assert "令牌仅显示一次" in result.stderr
    response = client.post(
        "/credentials/issue",
        json={"credential": TITLE_RECORD.issuance_request()},
        headers=bearer(secret),
    )
    assert response.status_code == 201, response.text
    assert response.json()["verifiableCredential"]["issuer"]["id"].endswith(QINGPU_BUREAU.uscc)


def test_created_partner_token_works(runner, client, demo):
    result = run(runner, "tokens", "create", "--role", "partner", "--region", "330421")
    assert result.exit_code == 0, result.stderr
    secret = result.stdout.strip().splitlines()[-1]
    issued = client.post(
        "/credentials/issue",
        json={"credential": TITLE_RECORD.issuance_request()},
        headers=bearer(demo.tokens[f"issuer:{QINGPU_BUREAU.uscc}"]),
    ).json()
    response = client.post(
        "/api/v1/verify",
        json={"qr": issued["qr"]["url"], "purpose": "核验"},
        headers=bearer(secret),
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("args", "code", "zh", "en"),
    [
        (
            ["--role", "issuer"],
            "TOKEN_ISSUER_REQUIRED",
            "签发令牌必须指定签发机构",
            "needs --issuer",
        ),
        (["--role", "partner"], "TOKEN_REGION_REQUIRED", "伙伴令牌必须指定地区", "needs --region"),
        (
            ["--role", "issuer", "--issuer", "11310118MB0000009X"],
            "ISSUER_UNKNOWN",
            "签发机构未登记",
            "no such issuer",
        ),
        (
            ["--role", "partner", "--region", "110101"],
            "REGION_UNKNOWN",
            "地区未登记",
            "no such region",
        ),
    ],
    ids=["no-issuer", "no-region", "unknown-issuer", "unknown-region"],
)
def test_token_creation_refuses_incomplete_requests(runner, demo, args, code, zh, en):
    result = run(runner, "tokens", "create", *args)
    assert result.exit_code == 2
    assert f"error {code}:" in result.stderr
    assert zh in result.stderr
    assert en in result.stderr
    assert "rgt_" not in result.stdout


def test_keys_list_shows_kids_and_never_a_private_key(runner, demo):
    result = run(runner, "keys", "list")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.strip().splitlines()]
    assert rows[0] == [
        "issuer",
        "kid",
        "state",
        "valid_from",
        "public_key",
        "valid_until",
        "compromised_at",
    ]
    expected = {
        (uscc, kid_of(key.public_key()).hex(), public_multikey(key.public_key()))
        for uscc, key in demo_keyset().items()
    }
    assert {(row[0], row[1], row[4]) for row in rows[1:]} == expected
    assert {row[2] for row in rows[1:]} == {"active"}
    for secret_marker in ("PRIVATE", "BEGIN", "ENCRYPTED"):
        assert secret_marker not in result.output


def test_generated_key_is_listed_published_and_signs(runner, client, demo, tmp_path):
    result = run(runner, "keys", "generate", "--issuer", QINGPU_BUREAU.uscc)
    assert result.exit_code == 0, result.stderr
    kid, multikey = result.stdout.strip().split("\t")
    assert re.fullmatch(r"[0-9a-f]{16}", kid)
    assert multikey.startswith("z6Mk")
    listed = run(runner, "keys", "list").stdout
    assert f"{QINGPU_BUREAU.uscc}\t{kid}\tactive\t" in listed
    document = client.get(f"/issuers/{QINGPU_BUREAU.uscc}").json()
    assert [m["id"].split("#")[1] for m in document["verificationMethod"]].count(kid) == 1
    credential, _ = _issue(runner, tmp_path)
    assert credential["proof"]["verificationMethod"].endswith("#" + kid)


def test_generating_a_key_for_an_unknown_issuer_fails(runner, demo):
    result = run(runner, "keys", "generate", "--issuer", "11310118MB0000009X")
    assert result.exit_code == 2
    assert "ISSUER_UNKNOWN" in result.stderr


def test_issue_prints_the_signed_credential(runner, demo, registry, tmp_path):
    before = credential_count(registry)
    credential, url = _issue(runner, tmp_path)
    assert credential["issuer"]["id"] == f"{BASE_URL}/issuers/{QINGPU_BUREAU.uscc}"
    assert credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert credential["credentialSubject"]["idNumber"] == "*" * 14 + WANG.id_number[-4:]
    record_id = credential["id"].rsplit("/", 1)[-1]
    assert str(uuid.UUID(record_id)) == record_id
    assert url.startswith(f"{BASE_URL}/v#RC1:")
    assert credential_count(registry) == before + 1


def test_issue_takes_the_issuer_from_a_bare_credential(runner, demo, tmp_path):
    request = TITLE_RECORD.issuance_request()
    request["issuer"] = f"{BASE_URL}/issuers/{JIASHAN_BUREAU.uscc}"
    result = run(runner, "issue", str(_request_file(tmp_path, request)))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["issuer"]["id"].endswith(JIASHAN_BUREAU.uscc)


def test_issue_with_the_same_idempotency_key_returns_the_first_record(
    runner, demo, registry, tmp_path
):
    path = _request_file(tmp_path, {"credential": TITLE_RECORD.issuance_request()})
    args = ("issue", str(path), "--issuer", QINGPU_BUREAU.uscc, "--idempotency-key", "cli-1")
    first, second = run(runner, *args), run(runner, *args)
    assert first.exit_code == second.exit_code == 0
    assert json.loads(first.stdout)["id"] == json.loads(second.stdout)["id"]
    assert credential_count(registry) == len(demo.records) + 1


@pytest.mark.parametrize(
    ("content", "args", "code"),
    [
        ('{"credential": ', (), "MALFORMED_JSON"),
        ("[1, 2]", ("--issuer", QINGPU_BUREAU.uscc), "REQUEST_INVALID"),
        (json.dumps({"credential": TITLE_RECORD.issuance_request()}), (), "ISSUER_REQUIRED"),
    ],
    ids=["bad-json", "not-object", "no-issuer"],
)
def test_issue_refuses_bad_files_without_writing(
    runner, demo, registry, tmp_path, content, args, code
):
    path = tmp_path / "request.json"
    path.write_text(content, encoding="utf-8")
    result = run(runner, "issue", str(path), *args)
    assert result.exit_code == 2
    assert f"error {code}:" in result.stderr
    assert credential_count(registry) == len(demo.records)


def test_issue_refuses_a_non_object_credential(runner, demo, tmp_path):
    path = _request_file(tmp_path, {"credential": False})
    result = run(runner, "issue", str(path), "--issuer", QINGPU_BUREAU.uscc)
    assert result.exit_code == 2


def test_verify_a_qr_url(runner, demo, tmp_path):
    _, url = _issue(runner, tmp_path)
    result = run(runner, "verify", url)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "VALID / 有效"
    assert "王*华" in result.stdout
    assert "王建华" not in result.stdout


@pytest.mark.parametrize("form", ["payload", "fragment"])
def test_verify_a_bare_payload(runner, demo, tmp_path, form):
    _, url = _issue(runner, tmp_path)
    payload = qrcontainer.payload_from_text(url)
    result = run(runner, "verify", payload if form == "payload" else "#" + payload)
    assert result.exit_code == 0


def test_verify_a_tampered_qr_is_not_valid(runner, demo, tmp_path):
    _, url = _issue(runner, tmp_path)
    cose = bytearray(qrcontainer.decode_payload(qrcontainer.payload_from_text(url)))
    cose[-1] ^= 0x01
    tampered = qrcontainer.verify_url(BASE_URL, qrcontainer.encode_payload(bytes(cose)))
    result = run(runner, "verify", tampered)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "NOT VALID / 无效"
    assert "SIGNATURE_INVALID" in result.stdout


def test_verify_a_tampered_credential_file_is_not_valid(runner, demo, tmp_path):
    credential, _ = _issue(runner, tmp_path)
    credential["credentialSubject"]["name"] = "王建国"
    result = run(runner, "verify", str(_request_file(tmp_path, credential, "tampered.json")))
    assert result.exit_code == 1
    assert "SIGNATURE_INVALID" in result.stdout


@pytest.mark.parametrize("edge", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00"])
def test_verify_a_credential_with_an_edge_time_fails_its_format(runner, demo, tmp_path, edge):
    """Issue 16: a time past the calendar's edge is a failed format check with its code, as
    a malformed time is (exit 1, NOT VALID), never a traceback."""
    credential, _ = _issue(runner, tmp_path)
    credential["validFrom"] = edge
    result = run(runner, "verify", str(_request_file(tmp_path, credential, "edge.json")))
    assert result.exit_code == 1, result.output
    assert "DATETIME_OUT_OF_RANGE" in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text", ["hello", "https://example.com/page", "12345"])
def test_verify_garbage_is_bad_input(runner, demo, text):
    result = run(runner, "verify", text)
    assert result.exit_code == 2
    assert "VERIFY_INPUT_UNKNOWN" in result.stderr
    assert has_chinese(result.stderr)


def test_verify_a_png_photo_of_the_code(runner, demo, tmp_path):
    _, url = _issue(runner, tmp_path)
    image = tmp_path / "code.png"
    image.write_bytes(render_png(url))
    result = run(runner, "verify", str(image))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("VALID / 有效")


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "api-response"])
def test_verify_a_credential_file(runner, demo, tmp_path, wrapped):
    credential, _ = _issue(runner, tmp_path)
    document = {"verifiableCredential": credential} if wrapped else credential
    result = run(runner, "verify", str(_request_file(tmp_path, document, "credential.json")))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("VALID / 有效")


def test_verify_json_prints_the_full_answer(runner, demo, tmp_path):
    credential, url = _issue(runner, tmp_path)
    result = run(runner, "verify", url, "--json", "--region", "330421")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert answer["verified"] is True
    assert answer["source"] == "qr"
    assert answer["record"]["id"] == credential["id"].rsplit("/", 1)[-1]
    recognition = next(c for c in answer["checks"] if c["check"] == "recognition")
    assert (recognition["code"], recognition["detail"]["region"]) == (
        "RECOGNITION_AGREEMENT",
        "330421",
    )


def test_verify_offline_without_a_store_checks_did_key_credentials(monkeypatch, tmp_path):
    # A fresh machine: no data folder, no database. The W3C unsigned vector, issued by the
    # vector's did:key and signed with its key pair, verifies (its issuer only warned about).
    use_only(monkeypatch, DATA_DIR=str(tmp_path / "nothing-here"))
    pair = json.loads((JCS_SUITE.parent / "keyPair.json").read_text())
    key = private_key_from_multikey(pair["privateKeyMultibase"])
    document = json.loads((JCS_SUITE.parent / "unsigned.json").read_text())
    document["issuer"] = did_key(key.public_key())
    options = dataintegrity.ProofOptions(
        did_key_verification_method(key.public_key()), datetime.now(UTC) - timedelta(minutes=1)
    )
    path = _request_file(tmp_path, dataintegrity.add_proof(document, key, options), "vc.json")
    result = run(CliRunner(), "verify", str(path), "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["verified"] is True
    codes = {c["check"]: c["code"] for c in answer["checks"]}
    assert codes["issuer_known"] == "ISSUER_NOT_IN_REGISTRY"
    assert not (tmp_path / "nothing-here").exists()


def test_verify_offline_the_w3c_vector_its_https_issuer_does_not_control_the_did_key(
    monkeypatch, tmp_path
):
    """The vector names an https issuer and signs with a did:key: nothing binds the two."""
    use_only(monkeypatch, DATA_DIR=str(tmp_path / "nothing-here"))
    result = run(CliRunner(), "verify", str(JCS_SUITE / "signedJCS.json"), "--json")
    assert result.exit_code == 1, result.output
    answer = json.loads(result.stdout)
    assert answer["verified"] is False
    codes = {c["check"]: c["code"] for c in answer["checks"]}
    assert codes["signature"] == "KEY_NOT_CONTROLLED_BY_ISSUER"


@pytest.mark.parametrize(
    ("content", "exit_code", "code"),
    [
        (b"\x89PNG\r\n\x1a\nnot really a picture", 2, "QR_IMAGE_UNREADABLE"),
        (bytes(range(256)), 2, "MALFORMED_JSON"),
        (b"[1, 2, 3]", 1, "FORMAT_INVALID"),
    ],
    ids=["fake-png", "binary", "json-array"],
)
def test_verify_unusable_files(runner, demo, tmp_path, content, exit_code, code):
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    result = run(runner, "verify", str(path))
    assert result.exit_code == exit_code
    assert code in result.output


def test_verify_a_credential_without_valid_from(runner, demo, tmp_path):
    credential, _ = _issue(runner, tmp_path)
    del credential["validFrom"]
    result = run(runner, "verify", str(_request_file(tmp_path, credential, "credential.json")))
    assert result.exit_code == 1
    assert "SIGNATURE_INVALID" in result.stdout
