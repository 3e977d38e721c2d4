"""Two verifiers judge the same signed credentials: Digital Bazaar's ``vc.verifyCredential``
(under node) and our ``POST /credentials/verify``. Node signs each case with a bare Data
Integrity proof (no data-model check), so only the data model decides; each case names
what VCDM 2.0 says of it. Ours must say the same; where node differs from the spec, the
case says so (``NODE_DIFFERS``) and tests/interop/README.md explains it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from registry.core.formats.jsonld import EXAMPLES_V2_CONTEXT as EXAMPLES_V2
from registry.core.formats.jsonld import VC_V2_CONTEXT as VC_V2
from registry.http.app import create_app
from registry.services.runtime.context import Registry
from tests.interop.node import Node
from tests.support.fixtures import make_settings
from tests.support.privacy import guard_answers

JCS = "eddsa-jcs-2022"
SEED = "33" * 32
ACCEPT, REJECT = "accept", "reject"
# Checks that may fail for a credential whose issuer is a did:key, not one of ours.
FOREIGN_ISSUER_CHECKS = {"issuer_known", "issuer_authorised"}

Mutation = Callable[[dict[str, Any]], None]


def _set(**fields: Any) -> Mutation:
    def mutate(credential: dict[str, Any]) -> None:
        credential.update(copy.deepcopy(fields))

    return mutate


def _subject(**fields: Any) -> Mutation:
    def mutate(credential: dict[str, Any]) -> None:
        credential["credentialSubject"] = copy.deepcopy(fields)

    return mutate


def _extra_context(extra: Any) -> Mutation:
    def mutate(credential: dict[str, Any]) -> None:
        credential["@context"] = [VC_V2, extra]

    return mutate


def _examples(**fields: Any) -> Mutation:
    """The fields, with the W3C examples context that defines their terms."""

    def mutate(credential: dict[str, Any]) -> None:
        credential["@context"] = [VC_V2, EXAMPLES_V2]
        credential.update(copy.deepcopy(fields))

    return mutate


def _subjects(credential: dict[str, Any]) -> None:
    credential["credentialSubject"] = [
        {"id": "did:example:holder-1", "name": "Ada Lovelace"},
        {"id": "did:example:holder-2", "name": "Charles Babbage"},
    ]


def _unsigned() -> dict[str, Any]:
    return {
        "@context": [VC_V2],
        "id": "urn:uuid:0d5b0f5e-3c8a-4f3e-9a51-7f6f5b1c2d3e",
        "type": ["VerifiableCredential"],
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:holder-1", "name": "Ada Lovelace"},
    }


# (case, mutation, what VCDM 2.0 asks of a verifier)
CASES: list[tuple[str, Mutation, str]] = [
    ("valid", _set(), ACCEPT),
    ("subject-set", _subjects, ACCEPT),  # §4.8: one or more subjects
    ("issuer-not-url", _set(issuer="fake-issuer"), REJECT),  # §4.7
    ("issuer-object-without-id", _set(issuer={"name": "x"}), REJECT),  # §4.7
    ("id-not-url", _set(id="not a url"), REJECT),  # §4.4
    ("id-two-values", _set(id=["urn:uuid:1", "urn:uuid:2"]), REJECT),  # §4.4
    ("subject-no-claims", _subject(), REJECT),  # §4.8
    ("subject-id-not-url", _subject(id="holder one", name="x"), REJECT),  # §4.8 → §4.4
    ("evidence-untyped", _set(evidence=[{"id": "https://example.org/evidence/1"}]), REJECT),
    ("terms-untyped", _set(termsOfUse=[{"id": "https://example.org/terms"}]), REJECT),
    ("refresh-untyped", _set(refreshService={"id": "https://example.org/refresh"}), REJECT),
    ("schema-untyped", _set(credentialSchema={"id": "https://example.org/schema.json"}), REJECT),
    ("schema-id-not-url", _set(credentialSchema={"id": "schema", "type": "JsonSchema"}), REJECT),
    (
        "name-language-extra",
        _set(name={"@value": "Diploma", "@language": "en", "extra": "x"}),
        REJECT,
    ),  # §4.6 / §11.1
    (
        "context-embedded-object",
        _extra_context({"favoriteColor": "https://example.org/vocab#favoriteColor"}),
        ACCEPT,
    ),  # §4.3: a context may be an object
    ("context-number", _extra_context(42), REJECT),  # §4.3
    ("context-not-url", _extra_context("not a url"), REJECT),  # §4.3
    (
        "context-redefines-protected",
        _extra_context({"VerifiableCredential": "https://example.org/NotAVC"}),
        REJECT,
    ),  # JSON-LD: protected term redefinition
    ("valid-from-not-datetime", _set(validFrom="yesterday"), REJECT),  # §4.9
    ("valid-until-past", _set(validUntil="2026-01-02T00:00:00Z"), REJECT),  # §4.9
    (
        "status-type-unknown",
        _examples(credentialStatus={"id": "https://example.org/status#1", "type": "ExampleStatus"}),
        ACCEPT,  # §4.10: a status type the verifier does not know is not a failure
    ),
    (
        "status-type-undefined",
        _set(credentialStatus={"id": "https://example.org/status#1", "type": "ExampleStatus"}),
        REJECT,  # the type is no term of the contexts (only credentials v2's @vocab)
    ),
]
# Cases where Digital Bazaar's libraries are not what VCDM 2.0 asks (see README.md).
NODE_DIFFERS: dict[str, str] = {
    "id-not-url": "vc 7.3 does not check the credential's id",
    "id-two-values": "vc 7.3 does not check the credential's id",
    "refresh-untyped": "vc 7.3 checks type only on evidence, termsOfUse and status",
    "schema-untyped": "vc 7.3 checks type only on evidence, termsOfUse and status",
    "schema-id-not-url": "vc 7.3 does not check credentialSchema",
    "name-language-extra": "vc 7.3 does not check language value objects",
    "context-number": "vc 7.3 checks the first context only (jcs never expands)",
    "context-not-url": "vc 7.3 checks the first context only (jcs never expands)",
    "context-embedded-object": "eddsa-jcs-2022-cryptosuite 1.0 compares contexts by identity",
    "status-type-undefined": "with eddsa-jcs-2022 nothing in vc 7.3 expands the contexts",
}


def _our_verdict(client: TestClient, credential: dict[str, Any]) -> tuple[str, Any]:  # type: ignore[type-arg]
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    if response.status_code == 400:
        return REJECT, response.json().get("code")
    assert response.status_code in (200, 422), response.text
    answer = response.json()
    failed = [
        (c["check"], c["code"])
        for c in answer["checks"]
        if c["outcome"] in ("failed", "unknown") and c["check"] not in FOREIGN_ISSUER_CHECKS
    ]
    signature = [c for c in answer["checks"] if c["check"] == "signature"]
    assert failed or signature[0]["outcome"] == "passed", answer
    return (REJECT if failed else ACCEPT), failed


@pytest.fixture(scope="module")
def verifier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """One app for every case (an empty registry: no issuer here is any case's issuer),
    its answers searched for ID numbers as the suite's ``client`` fixture's are."""
    data = tmp_path_factory.mktemp("datamodel")
    settings = make_settings(str(data), f"sqlite:///{data / 'registry.db'}")
    registry = Registry.open(settings)
    try:
        with TestClient(app=create_app(settings, registry)) as client:
            guard_answers(client)
            yield client
    finally:
        registry.close()


@pytest.fixture(scope="module")
def signed_cases(node: Node) -> dict[str, dict[str, Any]]:
    """Every case signed by node (one process), then judged by node (a second one)."""
    unsigned = {}
    for name, mutate, _ in CASES:
        credential = _unsigned()
        mutate(credential)
        unsigned[name] = credential
    signed = node.run(
        [
            {"id": name, "op": "sign", "suite": JCS, "seed": SEED, "credential": credential}
            for name, credential in unsigned.items()
        ]
    )
    for name, result in signed.items():
        assert result["ok"], (name, result.get("error"))
    judged = node.run(
        [
            {"id": name, "op": "verify", "credential": result["document"]}
            for name, result in signed.items()
        ]
    )
    return {name: {"document": signed[name]["document"], "node": judged[name]} for name in signed}


@pytest.mark.parametrize(("case", "expected"), [(c[0], c[2]) for c in CASES])
def test_node_and_we_judge_a_credential_as_vcdm_asks(
    verifier: TestClient,  # type: ignore[type-arg]
    signed_cases: dict[str, dict[str, Any]],
    case: str,
    expected: str,
) -> None:
    judged = signed_cases[case]
    node = judged["node"]
    assert node["ok"], node.get("error")
    node_verdict = ACCEPT if node["verified"] else REJECT
    if case in NODE_DIFFERS:
        assert node_verdict != expected, f"node now agrees with VCDM 2.0 on {case}: update"
    else:
        assert node_verdict == expected, (case, node["errors"])
    ours, why = _our_verdict(verifier, judged["document"])
    assert ours == expected, (case, why)
