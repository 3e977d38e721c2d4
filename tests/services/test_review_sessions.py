"""Issuing a review session row by row: bad rows refused with their column and reason,
the rest issued; the same session again replays what was issued; a wrong header or an
unreadable file stops the session before anything is issued."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import col, func, select

from registry.core.errors import RegistryError
from registry.demo.data import QINGPU_BUREAU
from registry.services.access.tokens import Principal
from registry.services.issuance.review_sessions import (
    ISSUED,
    REFUSED,
    REPLAYED,
    issue_items,
    issue_sheet,
)
from registry.storage.tables import CredentialRow, PersonalNumberRow
from tests.support.clock import now
from tests.support.session_sheets import (
    BAD_CHECK_DIGIT,
    csv_bytes,
    many_title_rows,
    sheet_xlsx,
    title_rows,
)

TITLE = "ProfessionalTitleCredential"
BUREAU = Principal(1, "issuer", QINGPU_BUREAU.uscc, None, "test")


def _count(registry) -> int:
    with registry.reading() as session:
        return int(session.exec(select(func.count()).select_from(CredentialRow)).one())


def _issue(registry, data: bytes, name: str = "session.csv", key: str = "qp-2026-1", **kw):
    return issue_sheet(registry, BUREAU, TITLE, data, name, session_key=key, now=now(), **kw)


def _refused(call) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        call()
    return caught.value


def test_bad_rows_are_refused_with_their_column_and_the_others_issued(registry, demo):
    rows = title_rows(4)
    rows[2][1] = BAD_CHECK_DIGIT
    rows[4][4] = "高级"  # not a level
    before = _count(registry)
    report = _issue(registry, csv_bytes(rows))
    assert [(row.number, row.outcome) for row in report.outcomes] == [
        (2, ISSUED),
        (3, REFUSED),
        (4, ISSUED),
        (5, REFUSED),
    ]
    refused = {row.number: row for row in report.outcomes if row.outcome == REFUSED}
    assert refused[3].column == "idNumber"
    assert refused[3].error is not None and refused[3].error.code == "ID_NUMBER_INVALID"
    assert refused[5].column == "professionalTitle.level"
    assert _count(registry) == before + 2


def test_running_the_session_again_issues_only_the_rows_fixed_since(registry, demo):
    rows = title_rows(3)
    good_id = rows[2][1]
    rows[2][1] = BAD_CHECK_DIGIT
    first = _issue(registry, csv_bytes(rows))
    rows[2][1] = good_id
    before = _count(registry)
    second = _issue(registry, csv_bytes(rows))
    assert [row.outcome for row in second.outcomes] == [REPLAYED, ISSUED, REPLAYED]
    assert second.outcomes[0].record is not None and first.outcomes[0].record is not None
    assert second.outcomes[0].record.record_id == first.outcomes[0].record.record_id
    assert _count(registry) == before + 1


def test_a_row_changed_after_it_was_issued_is_refused(registry, demo):
    rows = title_rows(2)
    _issue(registry, csv_bytes(rows))
    rows[1][9] = "QP-2026-CHANGED"
    report = _issue(registry, csv_bytes(rows))
    assert report.outcomes[0].error is not None
    assert report.outcomes[0].error.code == "IDEMPOTENCY_KEY_REUSED"
    assert report.outcomes[1].outcome == REPLAYED


def test_another_session_key_issues_the_rows_again(registry, demo):
    data = csv_bytes(title_rows(2))
    _issue(registry, data, key="qp-2026-1")
    before = _count(registry)
    assert _issue(registry, data, key="qp-2026-2").count(ISSUED) == 2
    assert _count(registry) == before + 2


def test_an_xlsx_sheet_with_date_and_number_cells_is_read_as_text(registry, demo):
    rows: list[list[object]] = [list(row) for row in title_rows(1)]
    rows[1][7] = datetime(2026, 11, 20)  # a date cell, as an office suite stores it
    rows[1][9] = 20260001  # a number cell
    report = _issue(registry, sheet_xlsx(rows), name="session.xlsx")
    assert [row.outcome for row in report.outcomes] == [ISSUED]
    record = report.outcomes[0].record
    assert record is not None
    title = record.credential["credentialSubject"]["professionalTitle"]
    assert title["obtainedOn"] == date(2026, 11, 20).isoformat()
    assert title["certificateNumber"] == "20260001"


def test_a_wrong_header_stops_the_session_before_anything_is_issued(registry, demo):
    rows = title_rows(2)
    rows[0][2] = "professionalTitle.seris"
    before = _count(registry)
    error = _refused(lambda: _issue(registry, csv_bytes(rows)))
    assert error.code == "SHEET_COLUMNS_INVALID"
    assert [p.pointer for p in error.problems] == ["/columns/2"]
    assert _count(registry) == before


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\xff\xfe not utf-8", "s.csv", "SHEET_FILE_UNREADABLE"),
        (b"PK\x03\x04 not a workbook", "s.xlsx", "SHEET_FILE_UNREADABLE"),
        (csv_bytes([title_rows(1)[0]]), "s.csv", "SHEET_EMPTY"),
        (b"", "s.csv", "SHEET_EMPTY"),
    ],
    ids=["not-utf8", "not-xlsx", "header-only", "empty"],
)
def test_a_file_that_cannot_be_read_is_refused_whole(registry, demo, data, name, code):
    assert _refused(lambda: _issue(registry, data, name=name)).code == code


def test_limits_and_keys(registry, demo, monkeypatch):
    from registry.services.issuance import review_sessions

    assert _refused(lambda: _issue(registry, b"x", key="bad key")).code == "SESSION_KEY_INVALID"
    monkeypatch.setattr(review_sessions, "MAX_SHEET_ROWS", 2)
    assert _refused(lambda: _issue(registry, csv_bytes(title_rows(3)))).code == "SESSION_TOO_LARGE"
    monkeypatch.setattr(review_sessions, "MAX_SHEET_BYTES", 10)
    assert _refused(lambda: _issue(registry, csv_bytes(title_rows(1)))).code == (
        "SHEET_FILE_TOO_LARGE"
    )


def test_only_issuers_issue_sessions(registry, demo):
    partner = Principal(2, "partner", None, "330421", "test")
    data = csv_bytes(title_rows(1))
    assert (
        _refused(
            lambda: issue_sheet(registry, partner, TITLE, data, "s.csv", session_key="k", now=now())
        ).code
        == "ROLE_FORBIDDEN"
    )


def test_progress_is_told_after_every_row(registry, demo):
    seen: list[tuple[int, int]] = []
    _issue(
        registry, csv_bytes(title_rows(3)), progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_items_are_numbered_from_zero_and_a_non_object_is_refused_alone(registry, demo):
    from registry.core.records.sheetrows import credential_of_row, read_columns
    from tests.support.session_sheets import title_row

    columns = read_columns(TITLE, title_rows(0)[0])
    credentials = [credential_of_row(TITLE, columns, title_row(n)) for n in (1, 2)]
    report = issue_items(
        registry,
        BUREAU,
        [credentials[0], "not an object", credentials[1]],
        session_key="api-1",
        now=now(),
    )
    assert [(row.number, row.outcome) for row in report.outcomes] == [
        (0, ISSUED),
        (1, REFUSED),
        (2, ISSUED),
    ]
    assert report.outcomes[1].error is not None
    assert report.outcomes[1].error.code == "REQUEST_INVALID"


def _statements_and_commits(registry):
    """Count the SQL statements and the commits the registry's engine runs."""
    from sqlalchemy import event

    seen = {"statements": 0, "commits": 0}

    def statement(*_args):
        seen["statements"] += 1

    def commit(*_args):
        seen["commits"] += 1

    event.listen(registry.engine, "before_cursor_execute", statement)
    event.listen(registry.engine, "commit", commit)
    return seen, lambda: (
        event.remove(registry.engine, "before_cursor_execute", statement),
        event.remove(registry.engine, "commit", commit),
    )


def test_rows_are_committed_a_chunk_at_a_time_with_few_statements_each(registry, demo, monkeypatch):
    from registry.services.issuance import review_sessions

    monkeypatch.setattr(review_sessions, "ROWS_PER_TRANSACTION", 4)
    seen, stop = _statements_and_commits(registry)
    done: list[int] = []
    try:
        report = _issue(
            registry, csv_bytes(many_title_rows(10)), progress=lambda n, _total: done.append(n)
        )
    finally:
        stop()
    assert report.count(ISSUED) == 10
    assert seen["commits"] == 3  # 4 + 4 + 2 rows
    assert done == list(range(1, 11))
    # Through SQLAlchemy, once a transaction: the issuer with its key and its scopes when
    # the authority generation has moved, the rows' idempotency keys and the chunk's sealed
    # numbers (one batched INSERT); the records, the log leaves and the status-index and
    # generation reads go to the driver.
    assert seen["statements"] <= 10 * 1 + 3 * 6, seen


def test_a_refused_row_leaves_the_other_rows_of_its_transaction_issued(registry, demo, monkeypatch):
    from registry.services.issuance import review_sessions

    monkeypatch.setattr(review_sessions, "ROWS_PER_TRANSACTION", 10)
    rows = many_title_rows(5)
    rows[3][1] = BAD_CHECK_DIGIT
    before = _count(registry)
    report = _issue(registry, csv_bytes(rows))
    assert [row.outcome for row in report.outcomes] == [ISSUED, ISSUED, REFUSED, ISSUED, ISSUED]
    assert _count(registry) == before + 4


def _log(registry):
    """Every stored leaf's event, and whether the stored subtree hashes give the root of
    the stored leaves."""
    import json

    from registry.core.formats import merkle
    from registry.services.transparency.log import root_at
    from registry.storage.transparency import LogRepository

    with registry.reading() as session:
        log = LogRepository(session)
        size = log.size()
        leaves = log.entries(0, size)
        consistent = root_at(log, size) == merkle.root_from_leaf_hashes(
            [merkle.leaf_hash(leaf.leaf) for leaf in leaves]
        )
    assert [leaf.index for leaf in leaves] == list(range(size))  # contiguous
    return [json.loads(leaf.leaf) for leaf in leaves], consistent


def test_a_chunks_leaves_are_appended_in_row_order_and_none_for_a_refused_row(
    registry, demo, monkeypatch
):
    """A chunk appends its records' "issued" leaves in one write when it ends: one leaf per
    issued row, in row order, none for the refused row, and the tree stays consistent."""
    from registry.services.issuance import review_sessions

    monkeypatch.setattr(review_sessions, "ROWS_PER_TRANSACTION", 4)
    rows = many_title_rows(7)
    rows[2][1] = BAD_CHECK_DIGIT
    before, _ = _log(registry)
    report = _issue(registry, csv_bytes(rows))
    assert [row.outcome for row in report.outcomes].count(REFUSED) == 1
    after, consistent = _log(registry)
    added = after[len(before) :]
    issued = [row.record.record_id for row in report.outcomes if row.outcome == ISSUED]
    assert len(issued) == 6
    assert [event["event"] for event in added] == ["issued"] * 6
    assert [event["record"] for event in added] == issued
    assert consistent
    with registry.reading() as session:  # each issued record's number, stored with its chunk
        numbers = session.exec(
            select(PersonalNumberRow.record_id).where(col(PersonalNumberRow.record_id).in_(issued))
        ).all()
    assert sorted(numbers) == sorted(issued)
    again = _log(registry)
    _issue(registry, csv_bytes(rows))  # every row replayed or refused again: no leaf
    assert _log(registry)[0] == again[0]


def test_a_chunk_that_fails_appends_no_leaf_and_stores_no_row(registry, demo, monkeypatch):
    """An unexpected failure inside a chunk rolls its rows and its leaves back together."""
    from registry.services.issuance import review_sessions, stored

    monkeypatch.setattr(review_sessions, "ROWS_PER_TRANSACTION", 4)
    real = stored.append_events

    def failing(session, events):
        if events:
            raise RuntimeError("the log is unavailable")
        return real(session, events)

    monkeypatch.setattr(stored, "append_events", failing)
    before, records = _log(registry)[0], _count(registry)
    with pytest.raises(RuntimeError):
        _issue(registry, csv_bytes(many_title_rows(3)))
    assert _count(registry) == records
    assert _log(registry)[0] == before


def test_a_row_stored_after_its_chunk_read_the_keys_is_replayed_not_issued_twice(
    registry, demo, monkeypatch
):
    """A chunk reads its rows' idempotency keys at once; a record stored under one of
    them after that read (another run of the session, say) clashes on the unique key and
    is replayed: no second record, the same answer."""
    from registry.storage.repositories import CredentialRepository

    rows = many_title_rows(3)
    first = _issue(registry, csv_bytes(rows))
    records = _count(registry)
    monkeypatch.setattr(CredentialRepository, "idempotency_keys_taken", lambda *_: set())
    again = _issue(registry, csv_bytes(rows))
    assert [row.outcome for row in again.outcomes] == [REPLAYED] * 3
    assert [row.record.record_id for row in again.outcomes] == [
        row.record.record_id for row in first.outcomes
    ]
    assert _count(registry) == records
