"""Public documents (registry/services/trust/publication.py): an issuer's controller
document is JSON-LD that a standard processor expands offline, every term defined."""

from __future__ import annotations

from typing import Any

from registry.core.formats.jsonld import CID_V1_CONTEXT, expand
from registry.demo.data import QINGPU_BUREAU
from registry.services.authority.keys import rotate_key
from registry.services.trust.publication import controller_document
from tests.support.clock import now

SECURITY = "https://w3id.org/security#"
OURS = "https://w3id.org/yrd-talent#"


def _methods(expanded: list[Any]) -> list[dict[str, Any]]:
    [document] = expanded
    methods: list[dict[str, Any]] = document[SECURITY + "verificationMethod"]
    return methods


def test_a_controller_document_expands_offline_with_no_undefined_term(registry, demo):
    rotate_key(registry, actor="test", uscc=QINGPU_BUREAU.uscc, now=now())  # a retired key
    document = controller_document(registry, QINGPU_BUREAU.uscc)
    assert document["@context"][0] == CID_V1_CONTEXT
    states = {method["state"] for method in document["verificationMethod"]}
    assert states == {"active", "retired"}
    assert any("validUntil" in method for method in document["verificationMethod"])

    expansion = expand(document)  # pyld, with the offline loader: no network

    assert expansion.dropped == frozenset()
    [expanded] = expansion.expanded
    assert {(n["@value"], n["@language"]) for n in expanded["https://schema.org/name"]} == {
        (QINGPU_BUREAU.name_zh, "zh"),
        (QINGPU_BUREAU.name_en, "en"),
    }
    methods = _methods(expansion.expanded)
    assert len(methods) == len(document["verificationMethod"])
    for method in methods:
        assert method["@type"] == [SECURITY + "Multikey"]
        assert {OURS + "keyState", OURS + "keyValidFrom", SECURITY + "publicKeyMultibase"} <= set(
            method
        )
    assert sum(OURS + "keyValidUntil" in method for method in methods) == 1


def test_without_the_embedded_terms_the_same_document_loses_them(registry, demo):
    """The check above can fail: the CID context alone leaves the name and each key's
    state and validity undefined, and expansion drops them."""
    document = controller_document(registry, QINGPU_BUREAU.uscc)
    document["@context"] = [CID_V1_CONTEXT]
    assert expand(document).dropped == {"name", "state", "validFrom"}
