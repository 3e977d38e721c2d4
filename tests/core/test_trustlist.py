"""The trust list format: build, sign, verify, parse, pin, version and freshness."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jsonschema import Draft202012Validator

from registry.core.checks import Outcome
from registry.core.errors import RegistryError
from registry.core.people.identifiers import USCC_ALPHABET
from registry.core.resources import schemas_dir
from registry.core.trustlists.trustlist import (
    RootKey,
    freshness_check,
    grouped,
    normalise_pin,
    root_fingerprint,
    verify_trust_list,
)
from tests.support.trust_lists import FOREIGN_BASE, FOREIGN_BUREAU, ForeignRegistry, resigned

NOW = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)  # fixed, as is all built from it


@pytest.fixture
def foreign() -> ForeignRegistry:
    return ForeignRegistry(NOW)


def schema_errors(document: dict) -> list[str]:
    schema = json.loads((schemas_dir() / "trust-list" / "v1.schema.json").read_text("utf-8"))
    return [e.message for e in Draft202012Validator(schema).iter_errors(document)]


def refused(document: object, *, pin: str | None = None) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        verify_trust_list(document, pin=pin)
    return caught.value


def test_a_signed_list_verifies_and_parses_back_to_its_content(foreign):
    document = foreign.signed(sequence=7)
    # what a file or the network hands over: JSON text, not the objects that built it
    listed = verify_trust_list(
        json.loads(json.dumps(document)), pin=foreign.content().root.fingerprint
    )
    assert listed.sequence == 7
    assert listed.issued == NOW
    assert listed.expires == NOW + timedelta(days=7)
    assert listed.content == foreign.content()
    assert listed.content.digest == foreign.content().digest
    assert listed.base_url == FOREIGN_BASE
    assert (
        document["proof"]["verificationMethod"]
        == f"{FOREIGN_BASE}/trust-list#" + document["registry"]["rootKey"]["id"].rsplit("#", 1)[1]
    )


def test_the_published_schema_accepts_a_signed_list(foreign):
    assert schema_errors(foreign.signed()) == []


def test_schema_uscc_alphabet_is_the_gb32100_alphabet():
    schema = json.loads((schemas_dir() / "trust-list" / "v1.schema.json").read_text("utf-8"))
    pattern = schema["$defs"]["issuer"]["properties"]["uscc"]["pattern"].replace("{18}", "")
    allowed = {c for c in map(chr, range(32, 127)) if re.fullmatch(pattern, c)}
    assert allowed == set(USCC_ALPHABET)


def test_fingerprint_is_sha256_of_the_raw_public_key_in_hex(foreign):
    public = foreign.root.public_key()
    fingerprint = root_fingerprint(public)
    assert fingerprint == hashlib.sha256(public.public_bytes_raw()).hexdigest()
    assert len(fingerprint) == 64
    assert grouped(fingerprint).replace(" ", "") == fingerprint
    assert len(grouped(fingerprint).split()) == 16


def test_a_pin_may_be_typed_grouped_in_any_case_with_colons(foreign):
    fingerprint = foreign.content().root.fingerprint
    assert normalise_pin(grouped(fingerprint).upper()) == fingerprint
    assert normalise_pin(":".join(fingerprint[i : i + 2] for i in range(0, 64, 2))) == fingerprint
    verify_trust_list(foreign.signed(), pin=grouped(fingerprint))


@pytest.mark.parametrize("pin", ["", "abc", "g" * 64, "0" * 63, "0" * 65])
def test_a_malformed_pin_is_refused(foreign, pin):
    assert refused(foreign.signed(), pin=pin).code == "TRUST_LIST_PIN_INVALID"


def test_a_list_whose_root_key_is_not_the_pinned_one_is_refused(foreign):
    other = root_fingerprint(Ed25519PrivateKey.generate().public_key())
    error = refused(foreign.signed(), pin=other)
    assert error.code == "TRUST_LIST_PIN_MISMATCH"
    assert error.message_zh != error.message_en


def test_an_impostor_that_swaps_in_its_own_root_key_verifies_only_unpinned(foreign):
    impostor = ForeignRegistry(NOW, root=Ed25519PrivateKey.generate())
    forged = impostor.signed()  # same registry, same issuers, another root key
    assert verify_trust_list(forged).base_url == FOREIGN_BASE
    assert refused(forged, pin=foreign.content().root.fingerprint).code == "TRUST_LIST_PIN_MISMATCH"


@pytest.mark.parametrize("version", [2, 0, "1", 1.0, True, None])
def test_unknown_versions_are_refused(foreign, version):
    document = foreign.signed()
    document["version"] = version
    assert refused(document).code == "TRUST_LIST_VERSION_UNSUPPORTED"


def test_a_list_without_version_is_refused(foreign):
    document = foreign.signed()
    del document["version"]
    assert refused(document).code == "TRUST_LIST_VERSION_UNSUPPORTED"


def test_any_change_after_signing_breaks_the_signature(foreign):
    document = foreign.signed()
    document["issuers"][0]["name"]["zh"] = "冒名机构"
    assert refused(document).code == "TRUST_LIST_SIGNATURE_INVALID"
    document = foreign.signed()
    document["sequence"] = 99
    assert refused(document).code == "TRUST_LIST_SIGNATURE_INVALID"


def test_a_proof_by_another_key_or_a_proof_set_is_refused(foreign):
    document = foreign.signed()
    stranger = Ed25519PrivateKey.generate()
    by_stranger = resigned(document, stranger, method=f"{FOREIGN_BASE}/trust-list#00000000deadbeef")
    assert refused(by_stranger).code == "TRUST_LIST_SIGNATURE_INVALID"
    proof_set = copy.deepcopy(document)
    proof_set["proof"] = [document["proof"], document["proof"]]
    assert refused(proof_set).code == "TRUST_LIST_SIGNATURE_INVALID"
    unsigned = copy.deepcopy(document)
    del unsigned["proof"]
    assert refused(unsigned).code == "TRUST_LIST_SIGNATURE_INVALID"


def _broken(foreign: ForeignRegistry, change) -> dict:
    document = foreign.signed()
    change(document)
    return resigned(document, foreign.root)


def _set(path: tuple, value):
    def change(document: dict) -> None:
        target = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


MALFORMED = {
    "unknown top member": (_set(("extra",), 1), "/extra"),
    "issuer outside the base URL": (
        _set(("issuers", 0, "id"), f"https://evil.example/issuers/{FOREIGN_BUREAU}"),
        "/issuers/0/id",
    ),
    "key id not under its issuer": (
        _set(("issuers", 0, "keys", 0, "id"), f"{FOREIGN_BASE}/issuers/X#0011223344556677"),
        "/issuers/0/keys/0/id",
    ),
    "compromised without a time": (
        _set(("issuers", 0, "keys", 0, "state"), "compromised"),
        "/issuers/0/keys/0/compromisedAt",
    ),
    "unknown key state": (
        _set(("issuers", 0, "keys", 0, "state"), "lost"),
        "/issuers/0/keys/0/state",
    ),
    "not a USCC": (_set(("issuers", 0, "uscc"), "not-a-uscc"), "/issuers/0/uscc"),
    "naive time": (_set(("issued",), "2026-01-01T00:00:00"), "/issued"),
    "sequence zero": (_set(("sequence",), 0), "/sequence"),
    "region code": (_set(("regions", 0, "code"), "44010"), "/regions/0/code"),
    "name missing en": (_set(("regions", 0, "name"), {"zh": "广州市"}), "/regions/0/name/en"),
    "expiry before issue": (_set(("expires",), "2000-01-01T00:00:00Z"), "/expires"),
    "demo not a boolean": (_set(("equivalences", 0, "demo"), "no"), "/equivalences/0/demo"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_members_are_refused_with_their_pointer_and_the_schema_agrees(foreign, case):
    change, pointer = MALFORMED[case]
    document = _broken(foreign, change)
    error = refused(document)
    assert error.code == "TRUST_LIST_MALFORMED"
    assert [p.pointer for p in error.problems] == [pointer]
    if case not in (
        "issuer outside the base URL",
        "key id not under its issuer",
        "compromised without a time",
        "expiry before issue",
    ):
        assert schema_errors(document), f"the schema accepts: {case}"


def test_duplicate_issuers_and_key_ids_are_refused(foreign):
    twin = copy.deepcopy(foreign.signed()["issuers"][0])
    document = _broken(foreign, lambda d: d["issuers"].append(twin))
    error = refused(document)
    assert error.code == "TRUST_LIST_MALFORMED"
    assert error.problems[0].pointer == "/issuers/1/keys/0/kid"


def test_the_root_key_must_be_named_under_the_base_url(foreign):
    document = foreign.signed()
    document["registry"]["rootKey"]["id"] = "https://evil.example/trust-list#00112233445566ff"
    document["proof"]["verificationMethod"] = document["registry"]["rootKey"]["id"]
    error = refused(resigned(document, foreign.root))
    assert error.code == "TRUST_LIST_MALFORMED"
    assert error.problems[0].pointer == "/registry/rootKey/id"


def test_not_an_object_is_refused():
    assert refused([]).code == "TRUST_LIST_MALFORMED"
    assert refused("{}").code == "TRUST_LIST_MALFORMED"


def test_digest_follows_content_not_order_sequence_or_time(foreign):
    content = foreign.content()
    reordered = replace(
        content,
        regions=tuple(reversed(content.regions)),
        keys=tuple(reversed(content.keys)),
    )
    assert reordered.digest == content.digest
    first = verify_trust_list(foreign.signed(sequence=1, issued=NOW))
    later = verify_trust_list(foreign.signed(sequence=5, issued=NOW + timedelta(hours=3)))
    assert first.content.digest == later.content.digest
    renamed = foreign.content(regions=())
    assert renamed.digest != content.digest
    rekeyed = replace(
        content, root=RootKey(content.root.method_id, Ed25519PrivateKey.generate().public_key())
    )
    assert rekeyed.digest != content.digest


def test_signing_with_a_key_other_than_the_root_is_a_programming_error(foreign):
    from registry.core.trustlists.trustlist import sign_trust_list

    with pytest.raises(ValueError, match="root key"):
        sign_trust_list(foreign.content(), sequence=1, issued=NOW, private_key=foreign.bureau_key)


FRESHNESS = [
    (timedelta(0), Outcome.PASSED, "TRUST_LIST_CURRENT"),
    (timedelta(hours=24), Outcome.PASSED, "TRUST_LIST_CURRENT"),
    (timedelta(hours=24, seconds=1), Outcome.WARNING, "TRUST_LIST_STALE"),
    (timedelta(days=7), Outcome.WARNING, "TRUST_LIST_STALE"),
    (timedelta(days=7, seconds=1), Outcome.FAILED, "TRUST_LIST_EXPIRED"),
    (timedelta(days=400), Outcome.FAILED, "TRUST_LIST_EXPIRED"),
    (timedelta(minutes=-4), Outcome.PASSED, "TRUST_LIST_CURRENT"),
    (timedelta(minutes=-6), Outcome.FAILED, "TRUST_LIST_NOT_YET_VALID"),
]


@pytest.mark.parametrize(("age", "outcome", "code"), FRESHNESS)
def test_freshness_warns_past_24_hours_and_fails_past_7_days(foreign, age, outcome, code):
    listed = verify_trust_list(foreign.signed())
    result = freshness_check(listed, NOW + age)
    assert (result.name, result.outcome, result.code) == ("trust_list", outcome, code)
    assert result.message_zh != result.message_en
    assert result.detail["registry"] == FOREIGN_BASE


def test_a_list_past_its_own_expiry_fails_even_when_younger_than_7_days(foreign):
    from registry.core.trustlists.trustlist import sign_trust_list

    document = sign_trust_list(
        foreign.content(),
        sequence=1,
        issued=NOW,
        private_key=foreign.root,
        lifetime=timedelta(days=2),
    )
    listed = verify_trust_list(document)
    assert freshness_check(listed, NOW + timedelta(days=2, seconds=1)).code == "TRUST_LIST_EXPIRED"


def _problem(document: dict) -> tuple[str, str, str]:
    error = refused(document)
    assert error.code == "TRUST_LIST_MALFORMED"
    [problem] = error.problems
    return problem.pointer, problem.code, problem.message_en


def test_a_text_member_may_hold_512_characters_and_not_513(foreign):
    at_limit = _broken(foreign, _set(("regions", 0, "name", "en"), "G" * 512))
    assert verify_trust_list(at_limit).content.regions[0].name_en == "G" * 512
    over = _broken(foreign, _set(("regions", 0, "name", "en"), "G" * 513))
    assert _problem(over) == ("/regions/0/name/en", "FIELD_INVALID", "must be a non-empty string")


def test_a_list_item_may_hold_512_characters_and_not_513(foreign):
    path = ("issuers", 0, "scopes", 0, "series")
    at_limit = _broken(foreign, _set(path, ["S" * 512]))
    assert verify_trust_list(at_limit).content.issuers[0].scopes[0].series == ("S" * 512,)
    over = _broken(foreign, _set(path, ["S" * 513]))
    assert _problem(over) == (
        "/issuers/0/scopes/0/series/0",
        "FIELD_INVALID",
        "must be a non-empty string",
    )


def test_the_sequence_may_reach_2_to_the_53_minus_1_and_not_2_to_the_53(foreign):
    assert verify_trust_list(_broken(foreign, _set(("sequence",), 2**53 - 1))).sequence == 2**53 - 1
    # 2^53 cannot even be signed (RFC 8785): the reader refuses it before canonicalising
    over = foreign.signed()
    _set(("sequence",), 2**53)(over)
    assert _problem(over) == ("/sequence", "FIELD_INVALID", "must be a positive integer")


@pytest.mark.parametrize("value", [[], ["code", "name"], "code", ""])
def test_a_member_that_must_be_an_object_is_refused_when_it_is_not(foreign, value):
    document = _broken(foreign, _set(("regions", 0), value))
    assert _problem(document) == ("/regions/0", "FIELD_INVALID", "must be an object")


def test_a_root_key_that_is_not_a_multikey_is_refused(foreign):
    document = _broken(foreign, _set(("registry", "rootKey", "type"), "JsonWebKey2020"))
    assert _problem(document) == ("/registry/rootKey", "FIELD_INVALID", "must be a Multikey")


def test_a_root_key_controlled_by_another_url_is_refused(foreign):
    change = _set(("registry", "rootKey", "controller"), "https://talent.sh-demo.example.cn")
    document = _broken(foreign, change)
    assert _problem(document) == ("/registry/rootKey", "FIELD_INVALID", "must be a Multikey")
