"""Issuing equivalence records against the stored catalogue: unknown catalogue, version or
item, and mappings that differ from the item, each refused at its field with nothing
stored; and the other new types issued from their schema examples."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from sqlmodel import func, select

from registry.core.errors import RegistryError
from registry.core.resources import schemas_dir
from registry.demo.data import QINGPU_BUREAU
from registry.services.access.tokens import authenticate
from registry.services.issuance.issue import issue_record
from registry.services.qualifications.catalogues import import_catalogue_version
from registry.storage.tables import CredentialRow
from tests.support.catalogue_files import CSV_2024

EQUIVALENCE = "QualificationEquivalenceCredential"
POINTER = "/credential/credentialSubject/qualificationEquivalence"
NOW = datetime(2025, 6, 1, 8, tzinfo=UTC)


def _example(record_type: str) -> dict:
    path = schemas_dir() / record_type / "v1.schema.json"
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["examples"][0])


def _issue(registry, demo, credential, issuer=QINGPU_BUREAU):
    principal = authenticate(registry, "Bearer " + demo.tokens[f"issuer:{issuer.uscc}"])
    return issue_record(registry, principal, credential, now=NOW)


def _count(registry) -> int:
    with registry.reading() as session:
        return session.exec(select(func.count()).select_from(CredentialRow)).one()


@pytest.mark.parametrize(
    ("record_type", "issuer_key"),
    [
        ("VocationalQualificationCredential", "issuer:11330421MB0000001N"),
        ("ContinuingEducationCredential", "issuer:11310118MB0000001L"),
        (EQUIVALENCE, "issuer:11310118MB0000001L"),
    ],
)
def test_the_schema_examples_issue(registry, demo, record_type, issuer_key):
    principal = authenticate(registry, "Bearer " + demo.tokens[issuer_key])
    issued = issue_record(registry, principal, _example(record_type), now=NOW)
    assert issued.credential["type"] == ["VerifiableCredential", record_type]
    assert issued.qr_payload.startswith("RC1:")


@pytest.mark.parametrize(
    ("change", "code", "fields"),
    [
        ({"catalogue": "NO-SUCH"}, "CATALOGUE_UNKNOWN", ["catalogue"]),
        ({"catalogueVersion": "1999.1"}, "CATALOGUE_VERSION_UNKNOWN", ["catalogueVersion"]),
        ({"item": "IT-999"}, "CATALOGUE_ITEM_UNKNOWN", ["item"]),
        ({"mappedLevel": "副高级"}, "EQUIVALENCE_MAPPING_MISMATCH", ["mappedLevel"]),
        (
            {"mappedSeries": "经济", "mappedLevel": "副高级", "mappedSpecialty": None},
            "EQUIVALENCE_MAPPING_MISMATCH",
            ["mappedSeries", "mappedLevel", "mappedSpecialty"],
        ),
    ],
    ids=["catalogue", "version", "item", "level", "three-fields"],
)
def test_refused_at_the_field_and_nothing_stored(registry, demo, change, code, fields):
    credential = _example(EQUIVALENCE)
    block = credential["credentialSubject"]["qualificationEquivalence"]
    for name, value in change.items():
        if value is None:
            del block[name]
        else:
            block[name] = value
    before = _count(registry)
    with pytest.raises(RegistryError) as caught:
        _issue(registry, demo, credential)
    assert caught.value.code == code
    assert [p.pointer for p in caught.value.problems] == [f"{POINTER}/{f}" for f in fields]
    assert _count(registry) == before


def test_an_item_of_another_version_is_judged_by_the_version_named(registry, demo):
    import_catalogue_version(
        registry,
        "DEMO-FQ",
        "2024.1",
        CSV_2024.read_bytes(),
        source_name="2024.csv",
        imported_by="test",
        now=NOW,
    )
    credential = _example(EQUIVALENCE)
    block = credential["credentialSubject"]["qualificationEquivalence"]
    block.update(catalogueVersion="2024.1", item="IT-001")  # CITP is IT-001 in 2024.1
    assert (
        _issue(registry, demo, credential).credential["credentialSubject"][
            "qualificationEquivalence"
        ]["item"]
        == "IT-001"
    )
    block["item"] = "IT-003"  # IT-003 exists in 2025.1 only
    with pytest.raises(RegistryError) as caught:
        _issue(registry, demo, credential)
    assert caught.value.code == "CATALOGUE_ITEM_UNKNOWN"


def test_an_item_without_a_specialty_takes_none(registry, demo):
    credential = _example(EQUIVALENCE)
    block = credential["credentialSubject"]["qualificationEquivalence"]
    block.update(item="FIN-001", mappedSeries="经济", mappedLevel="中级")
    del block["mappedSpecialty"]
    issued = _issue(registry, demo, credential)
    assert (
        "mappedSpecialty" not in issued.credential["credentialSubject"]["qualificationEquivalence"]
    )
    block["mappedSpecialty"] = "机械工程"
    with pytest.raises(RegistryError) as caught:
        _issue(registry, demo, credential)
    assert caught.value.code in (
        "EQUIVALENCE_SPECIALTY_SERIES_MISMATCH",
        "EQUIVALENCE_MAPPING_MISMATCH",
    )


def test_an_issuer_without_the_type_may_not_issue_it(registry, demo):
    from registry.demo.data import WUJIANG_BUREAU

    with pytest.raises(RegistryError) as caught:
        _issue(registry, demo, _example(EQUIVALENCE), issuer=WUJIANG_BUREAU)
    assert caught.value.code == "ISSUER_OUT_OF_SCOPE"
