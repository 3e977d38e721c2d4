"""An independent implementation agrees with us (issue 15): Digital Bazaar's VC libraries,
run by node, sign credentials that our ``POST /credentials/verify`` accepts (and a
tampered copy that it rejects), and verify the credentials we issue, with the verification
method, controller document, contexts and status lists the app publishes.

Node reads everything from a static map built from the app's answers: it never touches
the network. Each test runs one node process for all its cases.
"""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import TestClient

from registry.core.formats.jsonld import DATA_INTEGRITY_V2_CONTEXT as DATA_INTEGRITY_V2
from registry.core.formats.jsonld import EXAMPLES_V2_CONTEXT as EXAMPLES_V2
from registry.core.formats.jsonld import MULTIKEY_V1_CONTEXT as MULTIKEY_V1
from registry.core.formats.jsonld import SHIPPED_CONTEXTS
from registry.core.formats.jsonld import VC_V2_CONTEXT as VC_V2
from registry.core.resources import schemas_dir
from registry.demo.data import DEMO_RECORDS
from registry.demo.seed import DemoSummary
from tests.interop.node import Node
from tests.support.api_checks import assert_problem, check_of, issue, issuer_headers
from tests.support.fixtures import BASE_URL

JCS = "eddsa-jcs-2022"
RDFC = "eddsa-rdfc-2022"
OTHER_DID_KEY = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
HOLDER_SEED = "11" * 32
CHALLENGE = "3f6c1b0e-verifier-challenge"
DOMAIN = "verifier.jiashan.example"
ISSUER_SEED = "22" * 32
TITLE_RECORD = DEMO_RECORDS[0]  # Qingpu bureau: one proof
REVOKED_RECORD = DEMO_RECORDS[1]  # Qingpu bureau too, revoked in the test
JOINT_RECORD = DEMO_RECORDS[4]  # joint committee + the three regions' bureaus: four proofs
JOINT_RECORD_REGIONS = ("310118", "320509", "330421")
ISSUER_FAILURES = {"issuer_known", "issuer_authorised"}  # a did:key issuer is not ours


def _generic_credential() -> dict[str, Any]:
    """A plain VCDM 2.0 credential another stack would issue: no type or context of ours."""
    return {
        "@context": [VC_V2],
        "id": "urn:uuid:6a3c2f1e-5b4d-4c8e-9f7a-1b2c3d4e5f60",
        "type": ["VerifiableCredential"],
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:holder-1",
            "name": "Ada Lovelace",
            "description": "a holder on another credential stack",
        },
    }


def _verify_here(client: TestClient, credential: dict[str, Any]) -> dict[str, Any]:  # type: ignore[type-arg]
    response = client.post("/credentials/verify", json={"verifiableCredential": credential})
    assert response.status_code in (200, 422), response.text
    answer: dict[str, Any] = response.json()
    return answer


def _failed(answer: dict[str, Any]) -> set[str]:
    return {c["check"] for c in answer["checks"] if c["outcome"] in ("failed", "unknown")}


def shipped_context(url: str) -> dict[str, Any]:
    """A W3C context as the file we ship holds it."""
    path = schemas_dir() / "context" / SHIPPED_CONTEXTS[url]
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _shipped_contexts() -> dict[str, Any]:
    """The W3C contexts our JSON-LD loader serves, read from the files we ship."""
    return {url: shipped_context(url) for url in SHIPPED_CONTEXTS}


def test_our_shipped_contexts_are_those_digital_bazaar_packages(node: Node) -> None:
    packaged = node.run([{"id": "contexts", "op": "contexts"}])["contexts"]
    assert packaged["ok"], packaged.get("error")
    compared = set(SHIPPED_CONTEXTS) & set(packaged["contexts"])
    assert compared >= {VC_V2, DATA_INTEGRITY_V2, MULTIKEY_V1}
    for url in compared:
        assert shipped_context(url) == packaged["contexts"][url], url


@pytest.mark.parametrize("suite", [JCS, RDFC])
def test_credentials_node_signs_verify_here_and_tampering_is_caught(
    client: TestClient,  # type: ignore[type-arg]
    node: Node,
    suite: str,
) -> None:
    plain = _generic_credential()
    with_examples = _generic_credential()
    with_examples["@context"] = [VC_V2, EXAMPLES_V2]
    with_examples["type"] = ["VerifiableCredential", "ExampleAlumniCredential"]
    with_examples["credentialSubject"]["alumniOf"] = "Example University"
    tasks = [
        {"id": name, "op": "issue", "suite": suite, "seed": ISSUER_SEED, "credential": c}
        for name, c in (("plain", plain), ("examples", with_examples))
    ]
    # Data Integrity: `created` is optional in a proof.
    tasks.append({**tasks[0], "id": "no-created", "date": None})
    signed = node.run(tasks, _shipped_contexts())
    assert "created" not in signed["no-created"]["document"]["proof"]
    for name, result in signed.items():
        assert result["ok"], (name, result.get("error"))
        credential = result["document"]
        assert credential["proof"]["cryptosuite"] == suite
        assert credential["issuer"] == result["verificationMethod"].partition("#")[0]

        answer = _verify_here(client, credential)
        assert check_of(answer, "format")["outcome"] == "passed", (name, answer)
        assert check_of(answer, "signature")["outcome"] == "passed", (name, answer)
        assert check_of(answer, "signature")["code"] == "SIGNATURE_VALID"
        assert check_of(answer, "validity")["outcome"] == "passed"
        assert _failed(answer) <= ISSUER_FAILURES, (name, answer["checks"])
        issuer = check_of(answer, "issuer_known")
        assert issuer["outcome"] != "passed", "a did:key issuer is not one of ours"

        tampered = copy.deepcopy(credential)
        tampered["credentialSubject"]["name"] = "Ada Byron"
        other_key = copy.deepcopy(credential)
        other_key["issuer"] = OTHER_DID_KEY
        for forged in (tampered, other_key):
            refused = _verify_here(client, forged)
            assert refused["verified"] is False
            assert check_of(refused, "signature")["outcome"] == "failed", refused["checks"]


def _path(url: str) -> str:
    assert url.startswith(BASE_URL), url
    return urlsplit(url).path


def _published(client: TestClient, url: str) -> dict[str, Any]:  # type: ignore[type-arg]
    response = client.get(_path(url))
    assert response.status_code == 200, (url, response.text)
    document: dict[str, Any] = response.json()
    return document


def _documents_for(client: TestClient, credential: dict[str, Any]) -> dict[str, Any]:  # type: ignore[type-arg]
    """What a verifier dereferences, as the app serves it: the contexts we ship, each proof's
    verification method (the fragment of its controller document), the controller
    document and the status list credentials."""
    documents: dict[str, Any] = _shipped_contexts()
    for context in credential["@context"]:
        if isinstance(context, str) and context.startswith(BASE_URL):
            documents[context] = _published(client, context)
    proofs = credential["proof"] if isinstance(credential["proof"], list) else [credential["proof"]]
    for proof in proofs:
        method = proof["verificationMethod"]
        controller_url = method.partition("#")[0]
        controller = _published(client, controller_url)
        documents[controller_url] = controller
        [found] = [m for m in controller["verificationMethod"] if m["id"] == method]
        # DB's ed25519-multikey 1.x insists on the Multikey context in a key document; the
        # CID context our controller document uses defines the same Multikey terms.
        documents[method] = {"@context": [*controller["@context"], MULTIKEY_V1], **found}
    status = credential.get("credentialStatus", [])
    for entry in status if isinstance(status, list) else [status]:
        documents[entry["statusListCredential"]] = _published(client, entry["statusListCredential"])
    return documents


def _verified_in_node(
    client: TestClient,  # type: ignore[type-arg]
    node: Node,
    cases: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """Node's verdict on each of our credentials (proofs, issuer controller document and
    status), in one process, with what the app publishes for them; each by its case name."""
    documents: dict[str, Any] = {}
    for case in cases.values():
        documents |= _documents_for(client, case)
    results = node.run(
        [
            {"id": name, "op": "verify", "credential": case, "issuerController": True}
            for name, case in cases.items()
        ],
        documents,
    )
    for name, result in results.items():
        assert result["ok"], (name, result.get("error"))
    return results


def test_our_issued_records_verify_in_node_with_their_status(
    client: TestClient,  # type: ignore[type-arg]
    demo: DemoSummary,
    node: Node,
) -> None:
    credential = issue(client, demo, TITLE_RECORD)["verifiableCredential"]
    revoked = issue(client, demo, REVOKED_RECORD)
    response = client.post(
        f"/credentials/{revoked['id']}/revoke",
        json={"reason": "obtained_by_fraud"},
        headers=issuer_headers(demo, REVOKED_RECORD.issuer_uscc),
    )
    assert response.status_code == 200, response.text
    tampered = copy.deepcopy(credential)
    tampered["validFrom"] = "2000-01-01T00:00:00Z"
    cases = {"ours": credential, "tampered": tampered, "revoked": revoked["verifiableCredential"]}
    results = _verified_in_node(client, node, cases)
    ours = results["ours"]
    assert ours["verified"] is True, ours["errors"]
    assert [(s["purpose"], s["set"]) for s in ours["status"]] == [
        ("revocation", False),
        ("suspension", False),
    ]
    assert results["tampered"]["verified"] is False
    assert any("Invalid signature" in error for error in results["tampered"]["errors"]), results[
        "tampered"
    ]["errors"]
    # The proofs hold; the bit node reads in our revocation list is set.
    assert results["revoked"]["verified"] is False
    assert [(s["purpose"], s["set"]) for s in results["revoked"]["status"]] == [
        ("revocation", True),
        ("suspension", False),
    ]


def test_every_proof_of_our_joint_record_verifies_in_node(
    client: TestClient,  # type: ignore[type-arg]
    demo: DemoSummary,
    node: Node,
) -> None:
    """A jointly reviewed title carries a proof set: the committee's proof (the issuer's)
    and one per co-reviewing bureau. Node checks the whole credential against the
    committee and then each proof alone against its own bureau's controller document."""
    credential = issue(client, demo, JOINT_RECORD)["verifiableCredential"]
    proofs = credential["proof"]
    assert len(proofs) == len(JOINT_RECORD_REGIONS) + 1
    unsigned = {name: value for name, value in credential.items() if name != "proof"}
    tasks: list[dict[str, Any]] = [
        {"id": "credential", "op": "verify", "credential": credential, "issuerController": True}
    ]
    for index, proof in enumerate(proofs):
        tasks.append(
            {
                "id": f"proof-{index}",
                "op": "verify-proof",
                "document": {**unsigned, "proof": proof},
                "controller": proof["verificationMethod"].partition("#")[0],
            }
        )
    forged = copy.deepcopy(proofs[1])
    forged["created"] = "2020-01-01T00:00:00Z"
    tasks.append(
        {
            "id": "forged",
            "op": "verify-proof",
            "document": {**unsigned, "proof": forged},
            "controller": forged["verificationMethod"].partition("#")[0],
        }
    )
    results = node.run(tasks, _documents_for(client, credential))
    for result in results.values():
        assert result["ok"], result.get("error")
    assert results["credential"]["verified"] is True
    controllers = {p["verificationMethod"].partition("#")[0] for p in proofs}
    assert credential["issuer"]["id"] in controllers
    for index in range(len(proofs)):
        assert results[f"proof-{index}"]["verified"] is True, results[f"proof-{index}"]
    assert results["forged"]["verified"] is False


def _presentations_verify(
    client: TestClient,  # type: ignore[type-arg]
    presentation: dict[str, Any],
    challenge: str,
    domain: str,
) -> Any:
    return client.post(
        "/presentations/verify",
        json={
            "verifiablePresentation": presentation,
            "options": {"challenge": challenge, "domain": domain},
        },
    )


@pytest.mark.parametrize("suite", [JCS, RDFC])
def test_presentations_node_signs_verify_here_with_their_challenge_and_domain(
    client: TestClient,  # type: ignore[type-arg]
    demo: DemoSummary,
    node: Node,
    suite: str,
) -> None:
    ours = issue(client, demo, TITLE_RECORD)["verifiableCredential"]
    signed = node.run(
        [
            {
                "id": "theirs",
                "op": "issue",
                "suite": suite,
                "seed": ISSUER_SEED,
                "credential": _generic_credential(),
            }
        ],
        _shipped_contexts(),
    )["theirs"]
    assert signed["ok"], signed.get("error")
    holding = [signed["document"], ours]
    tasks = [
        {
            "id": f"vp-{index}",
            "op": "prove-presentation",
            "suite": suite,
            "seed": HOLDER_SEED,
            "presentation": {
                "@context": [VC_V2],
                "type": ["VerifiablePresentation"],
                "verifiableCredential": credentials,
            },
            "challenge": CHALLENGE,
            "domain": DOMAIN,
        }
        for index, credentials in enumerate([[signed["document"]], holding])
    ]
    documents = _shipped_contexts() | _documents_for(client, ours)
    proved = node.run(tasks, documents)
    for result in proved.values():
        assert result["ok"], result.get("error")
    for name, result in proved.items():
        presentation = result["document"]
        assert presentation["proof"]["proofPurpose"] == "authentication"
        assert presentation["proof"]["challenge"] == CHALLENGE
        assert presentation["holder"] == result["verificationMethod"].partition("#")[0]
        response = _presentations_verify(client, presentation, CHALLENGE, DOMAIN)
        assert response.status_code == 200, (name, response.text)
        assert response.json()["verified"] is True

    presentation = proved["vp-1"]["document"]
    wrong_challenge = _presentations_verify(client, presentation, "another-challenge", DOMAIN)
    assert_problem(wrong_challenge, 422, "CHALLENGE_MISMATCH")
    wrong_domain = _presentations_verify(client, presentation, CHALLENGE, "other.example")
    assert_problem(wrong_domain, 422, "DOMAIN_MISMATCH")
    tampered = copy.deepcopy(presentation)
    tampered["verifiableCredential"].pop()
    refused = _presentations_verify(client, tampered, CHALLENGE, DOMAIN)
    assert_problem(refused, 422, "PRESENTATION_SIGNATURE_INVALID")


def _generic_request(suite: str) -> dict[str, Any]:
    credential = {
        "@context": [VC_V2, EXAMPLES_V2],
        "type": ["VerifiableCredential", "ExampleMembershipCredential"],
        "credentialSubject": {"id": "did:example:member", "memberOf": "YRD partner network"},
    }
    # eddsa-jcs-2022 is the default; the option names the other suite.
    return {
        "credential": credential,
        **({"options": {"cryptosuite": suite}} if suite != JCS else {}),
    }


@pytest.mark.parametrize("suite", [JCS, RDFC])
def test_generic_credentials_we_issue_verify_in_node_with_their_status(
    client: TestClient,  # type: ignore[type-arg]
    demo: DemoSummary,
    node: Node,
    suite: str,
) -> None:
    headers = issuer_headers(demo, TITLE_RECORD.issuer_uscc)
    issued = []
    for _ in range(2):
        response = client.post("/credentials/issue", json=_generic_request(suite), headers=headers)
        assert response.status_code == 201, response.text
        issued.append(response.json())
    suspended = issued[1]
    response = client.post(
        f"/credentials/{suspended['id']}/suspend",
        json={"reason": "under_investigation"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    credential = issued[0]["verifiableCredential"]
    assert credential["proof"]["cryptosuite"] == suite
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["memberOf"] = "another network"
    cases = {
        "ours": credential,
        "tampered": tampered,
        "suspended": suspended["verifiableCredential"],
    }
    results = _verified_in_node(client, node, cases)
    assert results["ours"]["verified"] is True, results["ours"]["errors"]
    assert [(s["purpose"], s["set"]) for s in results["ours"]["status"]] == [
        ("revocation", False),
        ("suspension", False),
    ]
    assert results["tampered"]["verified"] is False
    assert results["suspended"]["verified"] is False
    assert [(s["purpose"], s["set"]) for s in results["suspended"]["status"]] == [
        ("revocation", False),
        ("suspension", True),
    ]
