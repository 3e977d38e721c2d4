"""Authority changes as use cases: recorded, logged, and seen by every worker's directory."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest

from registry.core.errors import RegistryError
from registry.demo.authority import ZONE_AGREEMENT_ID
from registry.demo.data import (
    DEMO_ISSUERS,
    JOINT_MECHANICAL_COMMITTEE,
    QINGPU_BUREAU,
    WUJIANG_BUREAU,
)
from registry.services.authority.keys import compromise_key, list_keys, rotate_key
from registry.services.authority.scopes import ScopeRequest, end_scope, grant_scope
from registry.services.transparency.history import history
from registry.services.trust import directory as directory_module
from registry.services.trust.directory import Directory
from tests.support.clock import now


def test_the_demo_seeds_scopes_the_agreement_and_demo_equivalences(registry, demo):
    directory = Directory(registry)
    committee = directory.issuer(JOINT_MECHANICAL_COMMITTEE.uscc)
    assert committee is not None
    (scope,) = committee.scopes
    assert (scope.specialties, scope.highest_level, scope.valid_from) == (
        ("机械工程",),
        "正高级",
        date(2021, 1, 1),
    )
    bureau = directory.issuer(QINGPU_BUREAU.uscc)
    assert bureau is not None and bureau.scopes[0].highest_level == "中级"
    agreements = {a.agreement_id: a for a in directory.agreements()}
    assert set(agreements) == {ZONE_AGREEMENT_ID, "DEMO-YRDZ-RP"}
    agreement = agreements[ZONE_AGREEMENT_ID]
    residence = agreements["DEMO-YRDZ-RP"]
    assert "演示数据" in residence.name_zh and "demo data" in residence.name_en
    assert residence.record_types == ("ResidencePermitCredential",)
    assert set(agreement.parties) == {"310118", "320509", "330421"}
    assert agreement.legal_article is None  # the document only: no invented article number
    entries = directory.equivalences("320509", "330421")
    assert entries and all(e.demo and "演示" in e.label_zh for e in entries)
    assert {r.code for r in directory.regions()} >= {"310118", "320509", "330421"}


def test_another_worker_sees_a_compromise_within_the_version_check(
    registry, demo, monkeypatch: pytest.MonkeyPatch
):
    at = now()
    monkeypatch.setattr(directory_module, "VERSION_CHECK", 0.0)
    this_worker, other_worker = Directory(registry), Directory(registry)
    kid = next(k.kid for k in list_keys(registry, WUJIANG_BUREAU.uscc))
    key = other_worker.key_by_kid(bytes.fromhex(kid))
    assert key is not None and key.compromised_at is None
    compromise_key(registry, actor="test", kid=key.kid.hex(), at=at, now=at)
    this_worker.refresh()
    seen = other_worker.key_by_kid(key.kid)
    assert seen is not None and seen.compromised_at == at and seen.state == "compromised"


def test_without_a_change_the_cache_is_kept(registry, demo, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(directory_module, "VERSION_CHECK", 0.0)
    directory = Directory(registry)
    directory.refresh()
    loaded = directory._loaded_at
    directory.issuer(QINGPU_BUREAU.uscc)
    assert directory._loaded_at == loaded
    rotate_key(registry, actor="test", uscc=QINGPU_BUREAU.uscc, now=now())
    directory.issuer(QINGPU_BUREAU.uscc)
    assert directory._loaded_at != loaded


def test_scope_grants_are_checked_and_recorded(registry, demo):
    at = now()
    with pytest.raises(RegistryError) as caught:
        grant_scope(
            registry,
            actor="test",
            uscc=QINGPU_BUREAU.uscc,
            request=ScopeRequest(
                ("ProfessionalTitleCredential",), date(2024, 1, 1), valid_until=date(2023, 1, 1)
            ),
            now=at,
        )
    assert caught.value.code == "SCOPE_DATES_INVALID"
    with pytest.raises(RegistryError) as caught:
        grant_scope(
            registry,
            actor="test",
            uscc="11310118MB0000009X",
            request=ScopeRequest(("ProfessionalTitleCredential",), date(2024, 1, 1)),
            now=at,
        )
    assert caught.value.code == "ISSUER_UNKNOWN"
    scope = grant_scope(
        registry,
        actor="token:9 tester",
        uscc=QINGPU_BUREAU.uscc,
        request=ScopeRequest(
            ("ProfessionalTitleCredential",), date(2024, 1, 1), series=("卫生技术",)
        ),
        now=at,
    )
    assert scope.scope_id is not None
    end_scope(registry, actor="token:9 tester", scope_id=scope.scope_id, until=None, now=at)
    changes = history(registry, "scope", str(scope.scope_id))
    assert [(c.action, c.actor) for c in changes] == [
        ("granted", "token:9 tester"),
        ("ended", "token:9 tester"),
    ]
    assert changes[0].detail["series"] == ["卫生技术"]
    assert (
        changes[1].at == at
        and changes[1].detail["validUntil"]
        == (at.astimezone(UTC) + timedelta(hours=8) + timedelta(days=1)).date().isoformat()
    )


def test_zone_bodies_serve_every_region_of_the_zone(registry, demo):
    directory = Directory(registry)
    zone_bodies = [i for i in DEMO_ISSUERS if i.kind in ("executive_committee", "postdoc_station")]
    assert zone_bodies
    for body in zone_bodies:
        info = directory.issuer(body.uscc)
        assert info is not None and set(info.jurisdiction) == {"310118", "320509", "330421"}
    bureau = directory.issuer(QINGPU_BUREAU.uscc)
    assert bureau is not None and bureau.jurisdiction == ()
