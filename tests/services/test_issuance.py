"""Issuing through the service: what is stored, what is signed, what is refused."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from registry.core.errors import RegistryError
from registry.core.people.privacy import id_number_digest
from registry.demo.data import (
    DEMO_PEOPLE,
    DEMO_RECORDS,
    JOINT_MECHANICAL_COMMITTEE,
    QINGPU_BUREAU,
)
from registry.services.access.tokens import Principal
from registry.services.issuance.issue import STATUS_LIST_SIZE, issue_record
from registry.storage.tables import CredentialRow, IssuerRow
from tests.support.clock import now


def principal(uscc: str) -> Principal:
    return Principal(1, "issuer", uscc, None, "test")


def demo_request(key_prefix: str) -> tuple[str, dict]:
    record = next(r for r in DEMO_RECORDS if r.key.startswith(key_prefix))
    return record.issuer_uscc, record.issuance_request()


def count(registry) -> int:
    with registry.reading() as session:
        return session.exec(select(func.count()).select_from(CredentialRow)).one()


def test_issued_record_is_stored_without_the_id_number(registry, demo, caplog):
    caplog.set_level(logging.DEBUG)
    uscc, request = demo_request("joint")
    clear = request["credentialSubject"]["idNumber"]
    issued = issue_record(registry, principal(uscc), request, now=now())
    with registry.reading() as session:
        row = session.get(CredentialRow, issued.record_id)
    assert row is not None
    assert row.id_number_digest == id_number_digest(registry.hash_key, clear)
    assert clear not in str(row.document) and clear not in row.qr_payload
    assert row.document["credentialSubject"]["idNumber"] == "*" * 14 + clear[-4:]
    assert 0 <= row.status_list_index < STATUS_LIST_SIZE
    assert len(row.document["proof"]) == 4
    assert clear not in caplog.text


def test_status_indices_differ(registry, demo):
    uscc, request = demo_request("qingpu-wang")
    indices = set()
    for _ in range(5):
        status = issue_record(registry, principal(uscc), request, now=now()).credential[
            "credentialStatus"
        ]
        assert [entry["statusPurpose"] for entry in status] == ["revocation", "suspension"]
        assert status[0]["statusListIndex"] == status[1]["statusListIndex"]
        indices.add(status[0]["statusListIndex"])
    assert len(indices) == 5


def test_idempotent_replay_and_conflict(registry, demo):
    at = now()
    uscc, request = demo_request("qingpu-wang")
    first = issue_record(
        registry, principal(uscc), request, now=at, idempotency_key="session-2025-01"
    )
    again = issue_record(
        registry, principal(uscc), request, now=at, idempotency_key="session-2025-01"
    )
    assert again.replayed and again.record_id == first.record_id
    request["credentialSubject"]["name"] = "王建国"
    with pytest.raises(RegistryError) as caught:
        issue_record(registry, principal(uscc), request, now=at, idempotency_key="session-2025-01")
    assert caught.value.code == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (
            lambda r: r["credentialSubject"].__setitem__(
                "idNumber",
                DEMO_PEOPLE[0].id_number[:-1]
                + ("0" if DEMO_PEOPLE[0].id_number[-1] != "0" else "1"),
            ),
            "ID_NUMBER_INVALID",
        ),
        (
            lambda r: r["credentialSubject"]["professionalTitle"].__setitem__("level", "助理级"),
            "TITLE_NAME_MISMATCH",
        ),
        (lambda r: r["credentialSubject"].__setitem__("extra", 1), "CREDENTIAL_SCHEMA_INVALID"),
        (
            lambda r: r.__setitem__("type", ["VerifiableCredential", "AlumniCredential"]),
            "RECORD_TYPE_UNSUPPORTED",
        ),
        (
            lambda r: r.__setitem__("proof", {"type": "DataIntegrityProof"}),
            "CREDENTIAL_SCHEMA_INVALID",
        ),
    ],
    ids=["id-check-digit", "title-level", "unknown-field", "foreign-type", "has-proof"],
)
def test_refusals_write_nothing(registry, demo, mutate, code):
    uscc, request = demo_request("qingpu-wang")
    mutate(request)
    before = count(registry)
    with pytest.raises(RegistryError) as caught:
        issue_record(registry, principal(uscc), request, now=now())
    assert caught.value.code == code
    assert count(registry) == before


def test_bureau_cannot_issue_joint_title(registry, demo):
    _, request = demo_request("joint")
    with pytest.raises(RegistryError) as caught:
        issue_record(registry, principal(QINGPU_BUREAU.uscc), request, now=now())
    assert caught.value.code == "ISSUER_OUT_OF_SCOPE"
    assert "type" in caught.value.message_en


def test_joint_committee_must_be_the_issuer(registry, demo):
    _, request = demo_request("joint")
    request["credentialSubject"]["professionalTitle"]["jointCommittee"] = QINGPU_BUREAU.uscc
    with pytest.raises(RegistryError) as caught:
        issue_record(registry, principal(JOINT_MECHANICAL_COMMITTEE.uscc), request, now=now())
    assert caught.value.code == "JOINT_COMMITTEE_UNKNOWN"
    assert caught.value.problems[0].pointer.endswith("/jointCommittee")


def test_partner_cannot_issue(registry, demo):
    _, request = demo_request("qingpu-wang")
    with pytest.raises(RegistryError) as caught:
        issue_record(registry, Principal(1, "partner", None, "330421", "p"), request, now=now())
    assert caught.value.code == "ROLE_FORBIDDEN"


def test_a_failure_after_the_record_row_is_written_stores_nothing(registry, demo, monkeypatch):
    """The record, its sealed numbers and its log leaf commit together or not at all."""
    import registry.services.issuance.stored as issuance
    from registry.storage.tables import LogEntryRow, PersonalNumberRow

    def refuse(*_args, **_kwargs):
        raise RuntimeError("the log is unavailable")

    uscc, request = demo_request("qingpu-wang")
    before = count(registry)
    with registry.reading() as session:
        numbers = session.exec(select(func.count()).select_from(PersonalNumberRow)).one()
        leaves = session.exec(select(func.count()).select_from(LogEntryRow)).one()
    monkeypatch.setattr(issuance, "append_event", refuse)
    with pytest.raises(RuntimeError):
        issue_record(registry, principal(uscc), request, now=now())
    assert count(registry) == before
    with registry.reading() as session:
        assert session.exec(select(func.count()).select_from(PersonalNumberRow)).one() == numbers
        assert session.exec(select(func.count()).select_from(LogEntryRow)).one() == leaves


def _taken_index(registry, uscc: str) -> int:
    with registry.reading() as session:
        query = (
            select(CredentialRow.status_list_index)
            .join(IssuerRow, IssuerRow.id == CredentialRow.issuer_id)
            .where(IssuerRow.uscc == uscc)
        )
        return int(session.exec(query).first())


def test_a_status_index_taken_meanwhile_is_drawn_again(registry, demo, monkeypatch):
    """Another writer took the drawn index between the check and the INSERT: issuance
    draws again instead of failing, and stores one record."""
    import registry.services.issuance.stored as issuance

    uscc, request = demo_request("qingpu-wang")
    taken = _taken_index(registry, uscc)
    draws = iter([taken, taken, 7])
    monkeypatch.setattr(issuance, "draw_status_index", lambda *_: next(draws))
    before = count(registry)
    issued = issue_record(registry, principal(uscc), request, now=now())
    assert count(registry) == before + 1
    with registry.reading() as session:
        stored = session.get(CredentialRow, issued.record_id)
        assert stored is not None and stored.status_list_index == 7


def test_an_index_taken_at_every_draw_is_a_conflict_that_writes_nothing(
    registry, demo, monkeypatch
):
    import registry.services.issuance.stored as issuance

    uscc, request = demo_request("qingpu-wang")
    taken = _taken_index(registry, uscc)
    monkeypatch.setattr(issuance, "draw_status_index", lambda *_: taken)
    before = count(registry)
    with pytest.raises(RegistryError) as caught:
        issue_record(registry, principal(uscc), request, now=now())
    assert caught.value.code == "ISSUE_CONFLICT"
    assert count(registry) == before


def test_concurrent_requests_with_one_idempotency_key_replay_the_winner(registry, demo):
    """Issue 16: two requests with the same key at once: one issues, the other waits for it
    and replays its answer (never ISSUE_CONFLICT), on SQLite and PostgreSQL."""
    uscc, request = demo_request("qingpu-wang")
    before = count(registry)
    for round_ in range(4):
        key = f"concurrent-{round_}"
        barrier = threading.Barrier(2)

        def send(key: str = key, barrier: threading.Barrier = barrier) -> object:
            barrier.wait()
            try:
                return issue_record(
                    registry, principal(uscc), request, now=now(), idempotency_key=key
                )
            except RegistryError as error:
                return error

        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda _: send(), range(2)))
        assert not [a for a in answers if isinstance(a, RegistryError)], answers
        assert len({a.record_id for a in answers}) == 1  # type: ignore[union-attr]
        assert sorted(a.replayed for a in answers) == [False, True]  # type: ignore[union-attr]
    assert count(registry) == before + 4


def test_an_issued_record_answers_as_its_replay_does(registry, demo):
    """``IssuedRecord.of`` serves a fresh record and its replay alike: the QR's verify URL
    from the stored payload, and only the replay flag differs."""
    from registry.core.formats.qrcontainer import verify_url
    from registry.services.issuance.stored import IssuedRecord

    uscc, request = demo_request("qingpu-wang")
    first = issue_record(registry, principal(uscc), request, now=now(), idempotency_key="of-1")
    again = issue_record(registry, principal(uscc), request, now=now(), idempotency_key="of-1")
    assert first.qr_url == verify_url(registry.settings.base_url, first.qr_payload)
    assert again == IssuedRecord(
        first.record_id,
        first.credential,
        first.qr_payload,
        first.qr_url,
        replayed=True,
        electronic_licence_id=first.electronic_licence_id,
    )
    with registry.reading() as session:
        row = session.get(CredentialRow, first.record_id)
    assert row is not None
    row.qr_payload = ""  # a generic credential: no QR, no verify URL
    assert IssuedRecord.of(row, registry.settings.base_url).qr_url == ""


def _another_worker(settings):
    """A second registry on the same store: another engine and pool, as another worker
    process has (its own cache of issuer facts)."""
    from registry.services.runtime.context import Registry

    return Registry.open(settings, migrate_schema=False)


def test_a_key_retired_by_another_worker_stops_the_next_issuance(registry, demo, settings):
    from registry.services.authority.keys import list_keys, retire_key

    uscc, request = demo_request("qingpu-wang")
    issue_record(registry, principal(uscc), request, now=now())  # the issuer's facts are kept
    other = _another_worker(settings)
    try:
        for key in list_keys(other, uscc):
            if key.state == "active":
                retire_key(other, actor="test", kid=key.kid, now=now())
    finally:
        other.close()
    with pytest.raises(RegistryError) as caught:
        issue_record(registry, principal(uscc), request, now=now())
    assert caught.value.code == "ISSUER_HAS_NO_KEY"


def test_a_key_rotated_by_another_worker_signs_the_next_issuance(registry, demo, settings):
    from registry.services.authority.keys import rotate_key

    uscc, request = demo_request("qingpu-wang")
    issue_record(registry, principal(uscc), request, now=now())
    other = _another_worker(settings)
    try:
        new_key = rotate_key(other, actor="test", uscc=uscc, now=now())
    finally:
        other.close()
    issued = issue_record(registry, principal(uscc), request, now=now())
    assert issued.credential["proof"]["verificationMethod"].endswith(new_key.kid)


def test_a_scope_ended_by_another_worker_refuses_the_next_issuance(registry, demo, settings):
    from datetime import timedelta

    from registry.services.authority.scopes import end_scope, scopes_of

    uscc, request = demo_request("qingpu-wang")
    later = now() + timedelta(days=3)
    issue_record(registry, principal(uscc), request, now=later)  # in scope that day, kept
    other = _another_worker(settings)
    try:
        for scope in scopes_of(other, uscc):
            assert scope.scope_id is not None
            end_scope(other, actor="test", scope_id=scope.scope_id, until=None, now=now())
    finally:
        other.close()
    with pytest.raises(RegistryError) as caught:
        issue_record(registry, principal(uscc), request, now=later)
    assert caught.value.code == "ISSUER_OUT_OF_SCOPE"


def _issuer_id(registry, uscc: str) -> int:
    with registry.reading() as session:
        issuer = session.exec(select(IssuerRow).where(IssuerRow.uscc == uscc)).one()
    assert issuer.id is not None
    return issuer.id


def test_a_drawn_status_index_is_never_one_in_use(registry, demo):
    from registry.services.issuance.status_index import draw_status_index

    uscc, _ = demo_request("qingpu-wang")
    issuer_id = _issuer_id(registry, uscc)
    with registry.reading() as session:
        query = select(CredentialRow.status_list_index).where(CredentialRow.issuer_id == issuer_id)
        taken = set(session.exec(query).all())
        drawn = {draw_status_index(session, issuer_id) for _ in range(200)}
    assert taken and not drawn & taken
    assert all(0 <= index < 2 * STATUS_LIST_SIZE for index in drawn)


def test_indices_are_drawn_for_a_list_grown_since_the_last_draw(registry, demo, monkeypatch):
    """Candidates are drawn for the list length last seen; when another writer has grown
    the list meanwhile, they are drawn again for its new length."""
    from sqlalchemy import text

    from registry.core.formats.statuslist import candidate_indices, list_entries
    from registry.services.issuance import status_index

    uscc, _ = demo_request("qingpu-wang")
    issuer_id = _issuer_id(registry, uscc)
    with registry.reading() as session:
        status_index.draw_status_index(session, issuer_id)  # the smallest list, seen
    with registry.transaction() as session:  # another writer took an index of a 4x list
        session.connection().execute(
            text(
                "UPDATE credential SET status_list_index = :index WHERE id ="
                " (SELECT min(id) FROM credential WHERE issuer_id = :issuer)"
            ),
            {"index": 3 * STATUS_LIST_SIZE, "issuer": issuer_id},
        )
    lengths: list[int] = []

    def drawing(highest: int | None) -> list[int]:
        lengths.append(list_entries(highest))
        return candidate_indices(highest)

    monkeypatch.setattr(status_index, "candidate_indices", drawing)
    with registry.reading() as session:
        drawn = status_index.draw_status_index(session, issuer_id)
    assert lengths == [STATUS_LIST_SIZE, 4 * STATUS_LIST_SIZE]  # drawn again for the new one
    assert 0 <= drawn < 8 * STATUS_LIST_SIZE
