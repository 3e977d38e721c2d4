"""The offline JSON-LD loader and processing (registry/core/formats/jsonld.py)."""

from __future__ import annotations

import copy
import hashlib
import re

import pytest

from registry.core.errors import RegistryError
from registry.core.formats import jsonld
from registry.core.resources import schemas_dir

CONTEXTS = schemas_dir() / "context"


def test_every_shipped_context_loads_and_is_listed_with_its_hash() -> None:
    provenance = (CONTEXTS / "external" / "PROVENANCE.md").read_text(encoding="utf-8")
    loader = jsonld.OfflineLoader()
    for url, name in jsonld.SHIPPED_CONTEXTS.items():
        served = loader(url, {})
        assert served["documentUrl"] == url and "@context" in served["document"]
        digest = hashlib.sha256((CONTEXTS / name).read_bytes()).hexdigest()
        row = next(line for line in provenance.splitlines() if line.startswith(f"| {url} |"))
        assert digest in row, f"{name} changed: update PROVENANCE.md"
    listed = set(re.findall(r"^\| (https://\S+) \|", provenance, re.MULTILINE))
    assert listed == set(jsonld.SHIPPED_CONTEXTS)


def test_an_unknown_url_is_refused_and_never_fetched() -> None:
    with pytest.raises(RegistryError) as caught:
        jsonld.OfflineLoader()("https://www.w3.org/2018/credentials/v1", {})
    assert caught.value.code == "JSONLD_CONTEXT_UNKNOWN"


def test_the_own_context_is_served_where_the_caller_says_only() -> None:
    own = "https://registry.example/contexts/v1"
    with pytest.raises(RegistryError):
        jsonld.OfflineLoader()(own, {})
    served = jsonld.OfflineLoader(own.__eq__)(own, {})
    assert "tag" not in served  # not kept in pyld's shared cache: the predicate may differ
    assert served["document"]["@context"]["@protected"] is True


def test_served_documents_are_copies() -> None:
    loader = jsonld.OfflineLoader()
    first = loader(jsonld.VC_V2_CONTEXT, {})
    first["document"]["@context"]["id"] = "changed"
    assert loader(jsonld.VC_V2_CONTEXT, {})["document"]["@context"]["id"] == "@id"


def test_expansion_reports_dropped_terms() -> None:
    document = {"@context": [jsonld.VC_V2_CONTEXT], "name": "n", "nickname": "x"}
    expansion = jsonld.expand(document)
    assert expansion.dropped == frozenset({"nickname"})
    assert expansion.expanded[0]["https://schema.org/name"] == [{"@value": "n"}]


@pytest.mark.parametrize(
    ("context", "code"),
    [
        (
            [jsonld.VC_V2_CONTEXT, {"name": "https://x.example/#n"}],
            "JSONLD_PROTECTED_TERM_REDEFINED",
        ),
        ([jsonld.VC_V2_CONTEXT, "https://x.example/c"], "JSONLD_CONTEXT_UNKNOWN"),
        ([jsonld.VC_V2_CONTEXT, {"@version": 2.0}], "JSONLD_INVALID"),
    ],
)
def test_expansion_failures_carry_codes(context: list[object], code: str) -> None:
    with pytest.raises(RegistryError) as caught:
        jsonld.expand({"@context": context, "name": "n"})
    assert caught.value.code == code
    with pytest.raises(RegistryError) as again:
        jsonld.canonical_nquads({"@context": context, "name": "n"})
    assert again.value.code == code


def test_deep_nesting_is_refused_not_crashed() -> None:
    document: dict[str, object] = {"@context": [jsonld.VC_V2_CONTEXT], "name": "n"}
    inner = document
    for _ in range(5000):
        nested: dict[str, object] = {"name": "n"}
        inner["https://x.example/#p"] = nested
        inner = nested
    with pytest.raises(RegistryError) as caught:
        jsonld.expand(document)
    assert caught.value.code == "JSONLD_INVALID"


def test_results_are_remembered_per_document_and_own_context_answer() -> None:
    own = "https://registry.example/contexts/v1"
    document = {"@context": [jsonld.VC_V2_CONTEXT, own], "name": "remembered"}
    calls: list[bool] = []

    def compute() -> list[bool]:
        calls.append(True)
        return calls

    first = jsonld.memoised("test", document, own.__eq__, compute)
    assert jsonld.memoised("test", copy.deepcopy(document), own.__eq__, compute) is first
    assert len(calls) == 1
    jsonld.memoised("test", document, jsonld.no_own_context, compute)  # another answer
    jsonld.memoised("test", {**document, "name": "changed"}, own.__eq__, compute)
    jsonld.memoised("other", document, own.__eq__, compute)
    assert len(calls) == 4


def test_a_failure_is_not_remembered() -> None:
    document = {"@context": [jsonld.VC_V2_CONTEXT], "name": "failing"}
    attempts: list[int] = []

    def compute() -> int:
        attempts.append(1)
        raise RuntimeError("no")

    for _ in range(2):
        with pytest.raises(RuntimeError):
            jsonld.memoised("failing", document, jsonld.no_own_context, compute)
    assert len(attempts) == 2


def test_plain_errors_pyld_lets_through_are_refusals() -> None:
    # A context naming a relative IRI: pyld raises ValueError, not JsonLdError.
    document = {"@context": [jsonld.VC_V2_CONTEXT, "Relative"], "name": "n"}
    for run in (jsonld.expand, jsonld.canonical_nquads):
        with pytest.raises(RegistryError) as caught:
            run(document)
        assert caught.value.code == "JSONLD_INVALID"
