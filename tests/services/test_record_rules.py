"""Database rules of record types run under the log's append lock, so no concurrent
issuance can commit a record between a rule's reads and this record's commit."""

from __future__ import annotations

import copy

from registry.core.records.schemas import schema_document
from registry.demo.data import QINGPU_BUREAU
from registry.demo.talent import POSTDOC_AFFILIATION, POSTDOC_STATION
from registry.services.access.tokens import Principal
from registry.services.issuance import record_rules
from registry.services.issuance.issue import issue_record
from registry.storage import transparency
from tests.support.clock import now


def _issuer(uscc: str) -> Principal:
    return Principal(1, "issuer", uscc, None, "test")


def _watch(monkeypatch) -> list[str]:
    calls: list[str] = []
    lock = transparency.LogRepository.lock_for_append
    edge = transparency.LogRepository.right_edge
    rule = record_rules.leaving_the_station_amends

    def locking(self):
        calls.append("lock")
        lock(self)

    def edging(self):  # on PostgreSQL the lock is taken inside right_edge's one round trip
        before = len(calls)
        found = edge(self)
        if "lock" not in calls[before:]:
            calls.insert(before, "lock")
        return found

    def checking(*args):
        calls.append("rule")
        return rule(*args)

    monkeypatch.setattr(transparency.LogRepository, "lock_for_append", locking)
    monkeypatch.setattr(transparency.LogRepository, "right_edge", edging)
    rules = dict(record_rules.RULES, **{POSTDOC_AFFILIATION: (checking,)})
    monkeypatch.setattr(record_rules, "RULES", rules)
    return calls


def test_a_type_with_rules_takes_the_log_lock_before_its_rules_run(registry, demo, monkeypatch):
    calls = _watch(monkeypatch)
    credential = copy.deepcopy(schema_document(POSTDOC_AFFILIATION)["examples"][0])
    issue_record(registry, _issuer(POSTDOC_STATION.uscc), credential, now=now())
    assert calls[:2] == ["lock", "rule"]


def test_a_type_without_rules_takes_the_lock_only_to_append(registry, demo, monkeypatch):
    calls = _watch(monkeypatch)
    title = next(r for r in demo_requests() if r[0] == QINGPU_BUREAU.uscc)
    issue_record(registry, _issuer(title[0]), title[1], now=now())
    assert calls == ["lock"]


def demo_requests():
    from registry.demo.data import DEMO_RECORDS

    return [
        (record.issuer_uscc, record.issuance_request())
        for record in DEMO_RECORDS
        if record.credential["type"][-1] == "ProfessionalTitleCredential"
    ]
