"""Offline status from fetched status list credentials: checked, then read bit by bit."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from registry.core.errors import RegistryError
from registry.core.formats import dataintegrity
from registry.core.formats.statuslist import StatusList
from registry.core.formats.timefmt import format_instant
from registry.core.trust.model import Presented, RecordStatus
from registry.core.trustlists.statussources import StatusChain, StatusListSource, verify_status_list
from tests.support.memory_trust import BASE, BUREAUS, MemoryTrust, title_facts, zone_trust

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
WUJIANG = BUREAUS["320509"]
SHOWN = Presented("qr", bytes(64))  # status lists answer by issuer and index alone
FACTS = title_facts("9a1b7c3e-4d5f-4e6a-8b9c-0d1e2f3a4b5c", status_index=4242)


@pytest.fixture
def trust() -> MemoryTrust:
    return zone_trust(NOW)


def status_list(
    trust: MemoryTrust,
    purpose: str,
    flagged: tuple[int, ...] = (),
    *,
    uscc: str = WUJIANG,
    signer: str | None = None,
    at: datetime = NOW,
) -> dict:
    bits = StatusList()
    for index in flagged:
        bits.set(index, 1)
    url = f"{BASE}/status/{uscc}/{purpose}"
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": f"{BASE}/issuers/{uscc}",
        "validFrom": format_instant(at),
        "validUntil": format_instant(at + timedelta(days=7)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": bits.encode(),
        },
    }
    key_owner = signer or uscc
    options = dataintegrity.ProofOptions(trust.key_of(key_owner).method_id, at)
    return dataintegrity.add_proof(document, trust.private[key_owner], options)


def source(trust, *documents, now=NOW):
    return StatusListSource([verify_status_list(doc, trust, now) for doc in documents])


def test_both_lists_clear_reads_active(trust):
    found = source(trust, status_list(trust, "revocation"), status_list(trust, "suspension"))
    assert found.status_of(FACTS, SHOWN) == RecordStatus("active", by_list=True, listed_at=NOW)


def test_set_bits_read_revoked_or_suspended(trust):
    revoked = source(trust, status_list(trust, "revocation", (4242,)))
    assert revoked.status_of(FACTS, SHOWN) == RecordStatus("revoked", by_list=True, listed_at=NOW)
    suspended = source(
        trust, status_list(trust, "revocation"), status_list(trust, "suspension", (4242,))
    )
    assert suspended.status_of(FACTS, SHOWN).state == "suspended"


def test_without_both_lists_a_clear_bit_is_could_not_check(trust):
    assert source(trust, status_list(trust, "revocation")).status_of(FACTS, SHOWN) is None
    assert source(trust, status_list(trust, "suspension")).status_of(FACTS, SHOWN) is None
    other = BUREAUS["310118"]
    lists = (status_list(trust, p, uscc=other) for p in ("revocation", "suspension"))
    assert source(trust, *lists).status_of(FACTS, SHOWN) is None  # another issuer's lists
    assert source(trust).status_of(FACTS, SHOWN) is None


def test_an_index_past_the_end_or_missing_is_could_not_check(trust):
    lists = (status_list(trust, "revocation"), status_list(trust, "suspension"))
    found = source(trust, *lists)
    assert found.status_of(title_facts(FACTS.record_id, status_index=None), SHOWN) is None
    assert found.status_of(title_facts(FACTS.record_id, status_index=10**7), SHOWN) is None


def test_the_newest_list_wins(trust):
    old = status_list(trust, "revocation", at=NOW - timedelta(hours=2))
    new = status_list(trust, "revocation", (4242,), at=NOW - timedelta(hours=1))
    assert source(trust, new, old).status_of(FACTS, SHOWN).state == "revoked"
    assert source(trust, old, new).status_of(FACTS, SHOWN).state == "revoked"


def test_altered_lists_are_refused(trust):
    document = status_list(trust, "revocation", (4242,))
    altered = copy.deepcopy(document)
    altered["credentialSubject"]["encodedList"] = StatusList().encode()
    with pytest.raises(RegistryError) as caught:
        verify_status_list(altered, trust, NOW)
    assert caught.value.code == "STATUS_LIST_SIGNATURE_INVALID"


def test_a_list_signed_by_another_issuer_is_refused(trust):
    forged = status_list(trust, "revocation", signer=BUREAUS["310118"])
    with pytest.raises(RegistryError) as caught:
        verify_status_list(forged, trust, NOW)
    assert caught.value.code == "STATUS_LIST_SIGNATURE_INVALID"


def test_expired_or_unknown_or_malformed_lists_are_refused(trust):
    old = status_list(trust, "revocation", at=NOW - timedelta(days=8))
    with pytest.raises(RegistryError, match="STATUS_LIST_EXPIRED"):
        verify_status_list(old, trust, NOW)
    stranger = status_list(trust, "revocation")
    stranger["issuer"] = f"{BASE}/issuers/91310000MA1FL00000"
    with pytest.raises(RegistryError, match="STATUS_LIST_ISSUER_UNKNOWN"):
        verify_status_list(stranger, trust, NOW)
    for bad in ([], {"type": ["VerifiableCredential"]}, {**stranger, "credentialSubject": 1}):
        with pytest.raises(RegistryError, match="STATUS_LIST_INVALID"):
            verify_status_list(bad, trust, NOW)


def test_a_compromised_key_cannot_vouch_for_a_list(trust):
    trust.set_key(WUJIANG, compromised_at=NOW - timedelta(hours=1))
    with pytest.raises(RegistryError, match="KEY_COMPROMISED"):
        verify_status_list(status_list(trust, "revocation"), trust, NOW)


def test_a_chain_asks_each_source_in_turn(trust):
    lists = source(trust, status_list(trust, "revocation", (4242,)))
    local = MemoryTrust(statuses={FACTS.record_id: "active"})
    assert StatusChain(lists, local).status_of(FACTS, SHOWN).state == "revoked"
    assert StatusChain(source(trust), local).status_of(FACTS, SHOWN) == RecordStatus("active")
    assert StatusChain(source(trust)).status_of(FACTS, SHOWN) is None
