"""``registry audit``: a partner follows the log across runs, and any change to a stored leaf
or subtree hash behind the registry's back makes the audit fail (exit 1) naming the problem.

Most runs reach the app through the Litestar test client (the command's injectable fetch);
``test_audit_over_real_http`` serves the app with uvicorn on a free port and uses urllib.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from registry.cli.main import cli
from registry.core.formats import merkle
from registry.core.formats.multikey import public_key_from_multikey, public_multikey
from registry.core.formats.treehead import LogKey, decode_hash, sign_tree_head
from registry.demo.data import DEMO_RECORDS
from registry.http.app import create_app
from tests.cli import test_cli
from tests.support.api_checks import issue
from tests.support.fixtures import BASE_URL

URL = "http://testserver.local"


def _fetcher(client):
    def fetch(url: str):
        response = client.get(url)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    return fetch


def run_audit(client, state: Path, *arguments: str, url: str = URL):
    return CliRunner().invoke(
        cli,
        ["audit", url, "--state", str(state), *arguments],
        obj={"fetch": _fetcher(client)} if client is not None else None,
    )


def _rows(registry, query: str) -> list[tuple]:
    with registry.reading() as session:
        return [tuple(row) for row in session.execute(text(query))]


def _write(registry, statement: str, **values) -> None:
    with registry.transaction() as session:
        session.execute(text(statement), values)


def _flip(value: bytes) -> bytes:
    return bytes([value[0] ^ 1]) + bytes(value[1:])


def test_a_partner_follows_the_log_across_issuances(client, demo, tmp_path):
    state = tmp_path / "state.json"
    first = run_audit(client, state, "--record", demo.records[0])
    assert first.exit_code == 0, first.output
    assert "KEY_PINNED" in first.output
    assert "FIRST_HEAD" in first.output
    assert "audit passed / 审计通过" in first.output
    issued = issue(client, demo, DEMO_RECORDS[3])
    second = run_audit(client, state, "--record", issued["id"], "--deep", "--json")
    assert second.exit_code == 0, second.output
    report = json.loads(second.output)
    assert report["ok"] is True
    codes = [check["code"] for check in report["checks"]]
    assert codes == [
        "HEAD_VALID",
        "LOG_CONSISTENT",
        "RECORD_INCLUDED",
        "ENTRIES_VERIFIED",
        "ENTRY_PROOFS_VERIFIED",
    ]
    assert all(check["message"]["zh"] and check["message"]["en"] for check in report["checks"])
    saved = json.loads(state.read_text())
    assert saved["head"]["treeSize"] == report["treeHead"]["treeSize"]
    assert len(saved["history"]) == 2
    again = run_audit(client, state)
    assert again.exit_code == 0
    assert "LOG_UNCHANGED" in again.output


def _baseline(client, tmp_path) -> Path:
    state = tmp_path / "baseline.json"
    result = run_audit(client, state, "--deep")
    assert result.exit_code == 0, result.output
    return state


def _audit_after_tamper(client, baseline: Path, tmp_path: Path, flag: str):
    state = tmp_path / "run.json"
    shutil.copy(baseline, state)
    result = run_audit(client, state, flag)
    assert json.loads(state.read_text()) == json.loads(baseline.read_text())  # not advanced
    return result


def test_changing_or_deleting_any_stored_leaf_is_detected(client, registry, tmp_path):
    baseline = _baseline(client, tmp_path)
    entries = _rows(
        registry,
        "select seq, leaf, leaf_hash, kind, record_id, issuer_uscc, created_at from log_entry order by seq",
    )
    size = len(entries)
    for seq, stored_leaf, stored_hash, kind, record_id, issuer, created in entries:
        leaf, leaf_hash = bytes(stored_leaf), bytes(stored_hash)
        # the leaf's content rewritten (say, another issuer's id)
        _write(
            registry,
            "update log_entry set leaf = :v where seq = :s",
            v=leaf.replace(b'"v":1', b'"v":2'),
            s=seq,
        )
        result = _audit_after_tamper(client, baseline, tmp_path, "--entries")
        assert result.exit_code == 1, (seq, result.output)
        assert "LEAF_HASH_MISMATCH" in result.output, result.output
        _write(registry, "update log_entry set leaf = :v where seq = :s", v=leaf, s=seq)
        # the stored leaf hash changed
        _write(
            registry,
            "update log_entry set leaf_hash = :v where seq = :s",
            v=_flip(leaf_hash),
            s=seq,
        )
        result = _audit_after_tamper(client, baseline, tmp_path, "--entries")
        assert result.exit_code == 1, (seq, result.output)
        on_the_edge = seq == size - 1 and size % 2  # the head's root uses this very hash
        assert ("LOG_FORK" if on_the_edge else "LEAF_HASH_MISMATCH") in result.output, result.output
        _write(registry, "update log_entry set leaf_hash = :v where seq = :s", v=leaf_hash, s=seq)
        # the leaf deleted
        _write(registry, "delete from log_entry where seq = :s", s=seq)
        result = _audit_after_tamper(client, baseline, tmp_path, "--entries")
        assert result.exit_code == 1, (seq, result.output)
        expected = "LOG_ROLLBACK" if seq == size - 1 else "ENTRY_MISSING"
        assert expected in result.output, result.output
        _write(
            registry,
            "insert into log_entry (seq, leaf, leaf_hash, kind, record_id, issuer_uscc, created_at)"
            " values (:s, :leaf, :h, :k, :r, :i, :c)",
            s=seq,
            leaf=leaf,
            h=leaf_hash,
            k=kind,
            r=record_id,
            i=issuer,
            c=created,
        )
    assert run_audit(client, tmp_path / "fresh.json", "--deep").exit_code == 0


def test_changing_or_deleting_any_stored_subtree_hash_is_detected(client, registry, tmp_path):
    baseline = _baseline(client, tmp_path)
    nodes = _rows(registry, "select level, idx, digest from log_node order by level, idx")
    assert nodes
    for level, index, stored in nodes:
        digest = bytes(stored)
        _write(
            registry,
            "update log_node set digest = :v where level = :l and idx = :i",
            v=_flip(digest),
            l=level,
            i=index,
        )
        result = _audit_after_tamper(client, baseline, tmp_path, "--deep")
        assert result.exit_code == 1, (level, index, result.output)
        assert "LOG_FORK" in result.output or "INCLUSION_PROOF_INVALID" in result.output, (
            result.output
        )
        _write(registry, "delete from log_node where level = :l and idx = :i", l=level, i=index)
        result = _audit_after_tamper(client, baseline, tmp_path, "--deep")
        assert result.exit_code == 1, (level, index, result.output)
        assert "LOG_STORE_INCONSISTENT" in result.output, result.output
        _write(
            registry,
            "insert into log_node (level, idx, digest) values (:l, :i, :v)",
            l=level,
            i=index,
            v=digest,
        )
    assert run_audit(client, tmp_path / "fresh.json", "--deep").exit_code == 0


def test_a_history_rewritten_from_scratch_is_a_fork(client, registry, tmp_path):
    """Rewrite a leaf and every hash above it consistently: the head changes, and the
    partner's earlier head proves the fork."""
    from registry.core.formats import merkle

    baseline = _baseline(client, tmp_path)
    leaves = [bytes(row[0]) for row in _rows(registry, "select leaf from log_entry order by seq")]
    leaves[0] = leaves[0].replace(b'"v":1', b'"v":2')
    frontier = merkle.Frontier()
    with registry.transaction() as session:
        session.execute(text("delete from log_node"))
        for seq, leaf in enumerate(leaves):
            digest = merkle.leaf_hash(leaf)
            session.execute(
                text("update log_entry set leaf = :l, leaf_hash = :h where seq = :s"),
                {"l": leaf, "h": digest, "s": seq},
            )
            for (level, index), value in frontier.append(digest):
                if level:
                    session.execute(
                        text("insert into log_node (level, idx, digest) values (:l, :i, :v)"),
                        {"l": level, "i": index, "v": value},
                    )
    result = _audit_after_tamper(client, baseline, tmp_path, "--deep")
    assert result.exit_code == 1
    assert "LOG_FORK" in result.output
    assert "历史被改写" in result.output
    assert run_audit(client, tmp_path / "newcomer.json", "--deep").exit_code == 0  # self-consistent


def test_keys_are_pinned_and_a_foreign_key_is_refused(client, tmp_path):
    state = tmp_path / "state.json"
    result = run_audit(client, state, "--pin", "00000000deadbeef")
    assert result.exit_code == 1
    assert "PINNED_KEY_NOT_PUBLISHED" in result.output
    assert not state.exists()
    kid = client.get("/log/head").json()["logKey"]["id"].rsplit("#", 1)[1]
    assert run_audit(client, state, "--pin", kid).exit_code == 0
    # the registry now signs with a key the partner never pinned
    head = client.get("/log/head").json()
    stranger = Ed25519PrivateKey.generate()
    multikey = public_multikey(stranger.public_key())
    forged = sign_tree_head(
        BASE_URL,
        size=head["treeSize"],
        root=decode_hash(head["rootHash"], "root"),
        at=datetime.now(UTC),
        key=LogKey("00000000deadbeef", stranger.public_key(), multikey),
        private_key=stranger,
    )
    fetch = _fetcher(client)
    result = CliRunner().invoke(
        cli,
        ["audit", URL, "--state", str(state), "--json"],
        obj={"fetch": lambda url: (200, forged) if url.endswith("/log/head") else fetch(url)},
    )
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["failures"] == ["HEAD_INVALID"]
    assert "TREE_HEAD_KEY_NOT_TRUSTED" in report["checks"][0]["message"]["en"]


def test_a_record_the_log_never_saw_fails_the_audit(client, tmp_path):
    result = run_audit(
        client, tmp_path / "s.json", "--record", "00000000-0000-4000-8000-000000000000"
    )
    assert result.exit_code == 1
    assert "RECORD_NOT_IN_LOG" in result.output


def test_bad_input_and_an_unreachable_registry_exit_2(client, tmp_path):
    assert run_audit(client, tmp_path / "s.json", url="ftp://example.org").exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = run_audit(client, broken)
    assert result.exit_code == 2
    assert "AUDIT_STATE_INVALID" in result.output
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_audit(None, tmp_path / "s.json", url=f"http://127.0.0.1:{port}")
    assert result.exit_code == 2
    assert "REGISTRY_UNREACHABLE" in result.output


@pytest.fixture
def served(registry, demo, settings) -> Iterator[str]:
    """The app on a free local port, served by uvicorn in a background thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, registry), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_audit_over_real_http(served, demo, registry, tmp_path):
    state = tmp_path / "state.json"
    result = run_audit(None, state, "--record", demo.records[4], "--deep", url=served)
    assert result.exit_code == 0, result.output
    assert "RECORD_INCLUDED" in result.output
    _write(registry, "update log_entry set leaf = :v where seq = 0", v=b'{"forged":true}')
    result = run_audit(None, state, "--entries", url=served)
    assert result.exit_code == 1, result.output
    assert "LEAF_HASH_MISMATCH" in result.output


def test_key_events_are_logged_by_seeding_and_by_keys_generate(runner, client, demo):
    size = client.get("/log/head").json()["treeSize"]
    seeded = client.get("/log/entries", params={"start": 0, "end": size}).json()["entries"]
    events = [entry["event"]["event"] for entry in seeded]
    assert events.count("issuer_created") == len(demo.issuers)
    assert events.count("key_created") == len(demo.issuers)
    assert events.count("issued") == len(demo.records)
    result = test_cli.run(runner, "keys", "generate", "--issuer", demo.issuers[0])
    assert result.exit_code == 0, result.output
    kid, multikey = result.stdout.strip().split("\t")[:2]
    (entry,) = client.get("/log/entries", params={"start": size, "end": size + 5}).json()["entries"]
    raw = public_key_from_multikey(multikey).public_bytes_raw()
    assert entry["event"] == {
        "v": 1,
        "event": "key_created",
        "at": entry["event"]["at"],
        "issuer": demo.issuers[0],
        "kid": kid,
        "digest": hashlib.sha256(raw).hexdigest(),  # the whole public key, not only its kid
    }


def test_a_plain_audit_checks_every_entry_appended_since_the_last_one(
    client, demo, registry, tmp_path
):
    state = tmp_path / "state.json"
    first = run_audit(client, state, "--json")
    assert first.exit_code == 0, first.output
    assert "ENTRIES_VERIFIED" in [c["code"] for c in json.loads(first.output)["checks"]]
    seen = json.loads(state.read_text())["head"]["treeSize"]
    for record in DEMO_RECORDS[2:5]:
        issue(client, demo, record)
    size = client.get("/log/head").json()["treeSize"]
    assert size >= seen + 3
    middle = seen + 1  # neither the first new leaf nor the last
    columns = "seq, leaf, leaf_hash, kind, record_id, issuer_uscc, created_at"
    ((_, stored_leaf, stored_hash, *rest),) = _rows(
        registry, f"select {columns} from log_entry where seq = {middle}"
    )
    leaf, leaf_hash = bytes(stored_leaf), bytes(stored_hash)
    edited = leaf.replace(b'"v":1', b'"v":2')

    def plain_audit_fails(expected: str, reason: str = "") -> None:
        result = _audit_after_tamper(client, state, tmp_path, "--json")
        assert result.exit_code == 1, result.output
        assert expected in json.loads(result.output)["failures"], result.output
        assert reason in result.output

    _write(registry, "update log_entry set leaf = :v where seq = :s", v=edited, s=middle)
    plain_audit_fails("LEAF_HASH_MISMATCH")
    # edited along with its stored hash: the signed head's subtree hashes disown it
    forged = merkle.leaf_hash(edited)
    _write(registry, "update log_entry set leaf_hash = :v where seq = :s", v=forged, s=middle)
    plain_audit_fails("INCLUSION_PROOF_INVALID")
    _write(registry, "delete from log_entry where seq = :s", s=middle)
    # the registry cannot prove a leaf it lacks, and says so
    plain_audit_fails("LOG_ANSWER_INVALID", "LOG_STORE_INCONSISTENT")
    _write(
        registry,
        f"insert into log_entry ({columns}) values (:s, :leaf, :h, :k, :r, :i, :c)",
        s=middle,
        leaf=leaf,
        h=leaf_hash,
        k=rest[0],
        r=rest[1],
        i=rest[2],
        c=rest[3],
    )

    fetched: list[str] = []
    fetch = _fetcher(client)

    def recording(url: str):
        fetched.append(url)
        return fetch(url)

    result = CliRunner().invoke(
        cli, ["audit", URL, "--state", str(state), "--json"], obj={"fetch": recording}
    )
    assert result.exit_code == 0, result.output
    checks = [c["code"] for c in json.loads(result.output)["checks"]]
    assert checks == ["HEAD_VALID", "LOG_CONSISTENT", "NEW_ENTRIES_VERIFIED"]
    entry_pages = [url for url in fetched if "/log/entries" in url]
    assert entry_pages == [f"{URL}/log/entries?start={seen}&end={size}&size={size}"]


def test_an_older_head_served_from_a_cache_is_not_a_rollback(client, demo, tmp_path):
    state = tmp_path / "state.json"
    older = client.get("/log/head").json()
    issue(client, demo, DEMO_RECORDS[2])
    assert run_audit(client, state).exit_code == 0
    fetch = _fetcher(client)

    def cached_head(url: str):
        return (200, older) if url.endswith("/log/head") else fetch(url)

    result = CliRunner().invoke(
        cli, ["audit", URL, "--state", str(state)], obj={"fetch": cached_head}
    )
    assert result.exit_code == 0, result.output
    assert "HEAD_STALE" in result.output
    assert json.loads(state.read_text())["head"]["treeSize"] > older["treeSize"]


def test_a_leaf_that_is_no_longer_json_is_served_and_caught(client, registry, tmp_path):
    baseline = _baseline(client, tmp_path)
    _write(registry, "update log_entry set leaf = :v where seq = 1", v=b"\xff\x00 not json")
    response = client.get("/log/entries", params={"start": 0, "end": 3})
    assert response.status_code == 200
    assert response.json()["entries"][1]["event"] is None
    result = _audit_after_tamper(client, baseline, tmp_path, "--entries")
    assert result.exit_code == 1
    assert "LEAF_HASH_MISMATCH" in result.output


def test_server_errors_and_a_wrong_address_are_not_audit_failures(client, tmp_path):
    state = tmp_path / "state.json"

    def answer(status: int, body):
        return lambda url: (status, body)

    for fetch, expected in [
        (answer(404, {"code": "NOT_FOUND"}), "no transparency log at this address"),
        (answer(502, None), "HTTP 502"),
        (answer(500, {"code": "INTERNAL_ERROR"}), "INTERNAL_ERROR"),
    ]:
        result = CliRunner().invoke(
            cli, ["audit", URL, "--state", str(state)], obj={"fetch": fetch}
        )
        assert result.exit_code == 2, result.output
        assert "REGISTRY_UNREACHABLE" in result.output
        assert expected in result.output


def test_a_state_whose_head_does_not_verify_is_bad_input(client, tmp_path):
    state = tmp_path / "state.json"
    assert run_audit(client, state).exit_code == 0
    saved = json.loads(state.read_text())
    saved["head"]["treeSize"] += 1  # the signature no longer covers it
    state.write_text(json.dumps(saved))
    result = run_audit(client, state)
    assert result.exit_code == 2
    assert "AUDIT_STATE_INVALID" in result.output
