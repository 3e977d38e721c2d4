import json
from datetime import date
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from registry.core.codes import code_list
from registry.core.people.identifiers import parse_resident_id, parse_uscc
from registry.core.resources import schemas_dir
from registry.demo.data import (
    DEMO_ISSUERS,
    DEMO_PEOPLE,
    DEMO_RECORDS,
    DEMO_REGIONS,
    DemoRecord,
    demo_issuer,
)

ZONE = {"310118", "320509", "330421"}


def _validator(record_type: str) -> Draft202012Validator:
    path = schemas_dir() / record_type / "v1.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _record_type(record: DemoRecord) -> str:
    return str(record.credential["type"][1])


def test_regions_are_the_zone_and_in_the_division_list() -> None:
    assert {region.code for region in DEMO_REGIONS} == ZONE
    for region in DEMO_REGIONS:
        assert code_list("divisions").by_code(region.code).zh == region.name_zh


@pytest.mark.parametrize("issuer", DEMO_ISSUERS, ids=lambda issuer: issuer.uscc)
def test_issuer_codes_are_valid_and_fictional(issuer: Any) -> None:
    assert parse_uscc(issuer.uscc) == issuer.uscc
    assert issuer.uscc.startswith("11" + issuer.region)
    assert "MB00000" in issuer.uscc
    assert issuer.region in ZONE
    for record_type in issuer.record_types:
        assert record_type in code_list("record-types")


def test_each_region_has_a_bureau_and_the_joint_committee_sits_in_wujiang() -> None:
    bureaus = {issuer.region for issuer in DEMO_ISSUERS if issuer.kind == "hr_bureau"}
    assert bureaus == ZONE
    (committee,) = [issuer for issuer in DEMO_ISSUERS if issuer.kind == "joint_committee"]
    assert committee.region == "320509"
    assert committee.record_types == ("JointTitleCredential",)
    assert len({issuer.uscc for issuer in DEMO_ISSUERS}) == len(DEMO_ISSUERS)


@pytest.mark.parametrize("person", DEMO_PEOPLE, ids=lambda person: person.name_en)
def test_people_have_valid_recognisably_fictional_numbers(person: Any) -> None:
    parsed = parse_resident_id(person.id_number)
    assert parsed.value == person.id_number
    assert person.id_number.startswith(person.region)
    assert person.id_number[14:16] == "99"
    assert date(1970, 1, 1) <= parsed.birth_date < date(2000, 1, 1)


@pytest.mark.parametrize("record", DEMO_RECORDS, ids=lambda record: record.key)
def test_records_validate_against_their_schema(record: DemoRecord) -> None:
    errors = list(_validator(_record_type(record)).iter_errors(record.credential))
    assert errors == []
    issuer = demo_issuer(record.issuer_uscc)
    assert _record_type(record) in issuer.record_types
    subject = record.credential["credentialSubject"]
    if "idNumber" in subject:
        assert subject["idNumber"] in {person.id_number for person in DEMO_PEOPLE}
    else:  # foreign talent: a fictional passport (DM99...) instead of an ID number
        assert subject["passport"]["number"].startswith("DM99")
    if "professionalTitle" in subject:
        title = subject["professionalTitle"]
        names = code_list("title-names").by_code(title["titleName"])
        assert names.extra == {"series": title["series"], "level": title["level"]}


def test_every_issuer_has_a_record_and_the_joint_title_names_its_committee() -> None:
    assert {record.issuer_uscc for record in DEMO_RECORDS} == {i.uscc for i in DEMO_ISSUERS}
    (joint,) = [r for r in DEMO_RECORDS if _record_type(r) == "JointTitleCredential"]
    title = joint.credential["credentialSubject"]["professionalTitle"]
    assert title["jointCommittee"] == joint.issuer_uscc
    assert set(title["reviewRegions"]) == ZONE
    assert (title["specialty"], title["level"], title["titleName"], title["obtainedBy"]) == (
        "机械工程",
        "副高级",
        "高级工程师",
        "评审",
    )


def test_issuance_request_is_a_private_copy() -> None:
    record = DEMO_RECORDS[0]
    request = record.issuance_request()
    request["credentialSubject"]["name"] = "changed"
    assert record.credential["credentialSubject"]["name"] != "changed"


def test_unknown_demo_issuer_raises() -> None:
    with pytest.raises(KeyError):
        demo_issuer("91440300192203821X")
