"""JSON-LD processing with an offline document loader (pyld): expansion and RDFC-1.0.

The registry never fetches a context from the network. The loader serves the contexts
shipped in ``schemas/context/`` (the W3C ones under ``external/``, see its PROVENANCE.md)
and this registry's own context; any other URL is refused with
``JSONLD_CONTEXT_UNKNOWN``. Shipped contexts are read once per process, and pyld keeps
their processed form in its shared cache, so a verify does not re-parse them.

The registry's own context is published at ``<base>/contexts/v1``, and the base differs
between deployments, so which URLs name it is the caller's to say (``own_context``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pyld import jsonld

from registry.core.errors import RegistryError, invalid
from registry.core.formats.canonical import canonical_json
from registry.core.resources import schemas_dir

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
EXAMPLES_V2_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
DATA_INTEGRITY_V2_CONTEXT = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1_CONTEXT = "https://w3id.org/security/multikey/v1"
CID_V1_CONTEXT = "https://www.w3.org/ns/cid/v1"  # controlled identifier (controller) documents
# Where credentials v2 sends a term no context defines (its ``@vocab``).
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"

SHIPPED_CONTEXTS: Mapping[str, str] = {
    VC_V2_CONTEXT: "external/credentials-v2.jsonld",
    EXAMPLES_V2_CONTEXT: "external/credentials-examples-v2.jsonld",
    DATA_INTEGRITY_V2_CONTEXT: "external/data-integrity-v2.jsonld",
    MULTIKEY_V1_CONTEXT: "external/multikey-v1.jsonld",
    CID_V1_CONTEXT: "external/cid-v1.jsonld",
}
OWN_CONTEXT_FILE = "v1.jsonld"
OWN_CONTEXT_PATH = "/contexts/v1"

OwnContext = Callable[[str], bool]


def no_own_context(url: str) -> bool:
    """The default: no URL names this registry's context."""
    return False


@cache
def _context_file(name: str) -> dict[str, Any]:
    """A shipped context, parsed once per process."""
    with (schemas_dir() / "context" / name).open(encoding="utf-8") as handle:
        parsed: dict[str, Any] = json.load(handle)
    return parsed


def context_unknown(url: str) -> RegistryError:
    """The refusal of a context URL the registry does not ship."""
    return invalid(
        "JSONLD_CONTEXT_UNKNOWN",
        f"未知的 JSON-LD 上下文（本系统不联网获取上下文）：{url}",
        f"Unknown JSON-LD context (contexts are never fetched from the network): {url}",
    )


@dataclass(frozen=True)
class OfflineLoader:
    """A pyld document loader that serves only the shipped contexts."""

    own_context: OwnContext = no_own_context

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        name = SHIPPED_CONTEXTS.get(url)
        tag: str | None = "static"
        if name is None and self.own_context(url):
            name, tag = OWN_CONTEXT_FILE, None  # per operation: the predicate may differ
        if name is None:
            raise context_unknown(url)
        document = {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            # pyld resolves relative URLs inside a context in place: hand it a copy.
            "document": copy.deepcopy(_context_file(name)),
        }
        if tag is not None:
            document["tag"] = tag
        return document


def _causes(error: BaseException) -> list[BaseException]:
    """The error and the chain of errors beneath it (pyld wraps its own errors)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        nested = getattr(current, "cause", None)
        current = current.__cause__ or (nested if isinstance(nested, BaseException) else None)
    return chain


def _refusal(error: jsonld.JsonLdError) -> RegistryError:
    """The registry error for a pyld failure: unknown context, protected term, or invalid."""
    chain = _causes(error)
    for cause in chain:
        if isinstance(cause, RegistryError):
            return cause
    codes = [str(getattr(cause, "code", "") or "") for cause in chain]
    if "protected term redefinition" in codes:
        return invalid(
            "JSONLD_PROTECTED_TERM_REDEFINED",
            "JSON-LD 上下文重新定义了受保护的术语",
            "A JSON-LD context redefines a protected term",
        )
    code = next((c for c in reversed(codes) if c), "error")
    return invalid(
        "JSONLD_INVALID",
        f"JSON-LD 处理失败（{code}）",
        f"JSON-LD processing failed ({code})",
    )


# Errors pyld raises on hostile input besides JsonLdError (a relative context IRI with no
# base is a ValueError, for one): each is a refusal of the input, never a server error.
_PYLD_SLIPS = (ValueError, TypeError, KeyError, IndexError, AttributeError)


def _slipped(error: Exception) -> RegistryError:
    return invalid(
        "JSONLD_INVALID",
        f"JSON-LD 处理失败（{type(error).__name__}）",
        f"JSON-LD processing failed ({type(error).__name__})",
    )


@dataclass(frozen=True)
class Expansion:
    """A document's expanded form and the terms that expansion dropped."""

    expanded: list[Any]
    dropped: frozenset[str]


_T = TypeVar("_T")
MEMO_SIZE = 512  # results kept per process: a credential verified again is not re-expanded
_memo: OrderedDict[tuple[str, bytes, tuple[tuple[str, bool], ...]], Any] = OrderedDict()
_memo_lock = threading.Lock()
# pyld keeps processed contexts in a process-wide cachetools LRU, which is not thread-safe
# (inline contexts of documents enter it too, so it evicts): one pyld call at a time. The
# work is CPU-bound under the GIL, so the lock costs no throughput.
_pyld_lock = threading.Lock()


def _context_urls(value: object, inside: bool = False) -> Iterator[str]:
    """Every context URL a document names, at any depth (scoped contexts included)."""
    if isinstance(value, str):
        if inside:
            yield value
    elif isinstance(value, list):
        for member in value:
            yield from _context_urls(member, inside)
    elif isinstance(value, Mapping):
        for key, member in value.items():
            yield from _context_urls(member, inside or key == "@context")


def memoised(
    kind: str,
    document: Mapping[str, Any],
    own_context: OwnContext,
    compute: Callable[[], _T],
) -> _T:
    """``compute()``, remembered for the same document and the same answer about which of
    its context URLs name the registry's own context. Failures are not remembered.

    Callers remember what they derive (a hash, a list of checks), not the expanded or
    canonical document, so no personal data is kept in the process.
    """
    try:
        digest = hashlib.sha256(canonical_json(document)).digest()
    except RegistryError:
        return compute()
    urls = sorted(set(_context_urls(document)) - set(SHIPPED_CONTEXTS))
    key = (kind, digest, tuple((url, own_context(url)) for url in urls))
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            found: _T = _memo[key]
            return found
    result = compute()
    with _memo_lock:
        _memo[key] = result
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return result


def expand(document: Mapping[str, Any], own_context: OwnContext = no_own_context) -> Expansion:
    """Expand a JSON-LD document offline; raises ``RegistryError`` when it cannot be."""
    dropped: set[str] = set()

    def on_dropped(term: str | None) -> None:
        dropped.add(term or "")

    try:
        with _pyld_lock:
            expanded = jsonld.expand(
                dict(document),
                {"documentLoader": OfflineLoader(own_context), "base": None},
                on_property_dropped=on_dropped,
            )
    except jsonld.JsonLdError as error:
        raise _refusal(error) from None
    except RecursionError:
        raise invalid("JSONLD_INVALID", "JSON-LD 嵌套过深", "JSON-LD nesting too deep") from None
    except _PYLD_SLIPS as error:  # pyld lets some bad input through as plain errors
        raise _slipped(error) from None
    return Expansion(list(expanded), frozenset(dropped))


def canonical_nquads(document: Mapping[str, Any], own_context: OwnContext = no_own_context) -> str:
    """The RDF Dataset Canonicalization (RDFC-1.0 / URDNA2015) of a document, as N-Quads."""
    try:
        with _pyld_lock:
            text = jsonld.normalize(
                dict(document),
                {
                    "algorithm": "URDNA2015",
                    "format": "application/n-quads",
                    "documentLoader": OfflineLoader(own_context),
                    "base": None,
                },
            )
    except jsonld.JsonLdError as error:
        raise _refusal(error) from None
    except RecursionError:
        raise invalid("JSONLD_INVALID", "JSON-LD 嵌套过深", "JSON-LD nesting too deep") from None
    except _PYLD_SLIPS as error:  # pyld lets some bad input through as plain errors
        raise _slipped(error) from None
    return str(text)


__all__ = [
    "CID_V1_CONTEXT",
    "DATA_INTEGRITY_V2_CONTEXT",
    "EXAMPLES_V2_CONTEXT",
    "ISSUER_DEPENDENT",
    "MULTIKEY_V1_CONTEXT",
    "OWN_CONTEXT_PATH",
    "SHIPPED_CONTEXTS",
    "VC_V1_CONTEXT",
    "VC_V2_CONTEXT",
    "Expansion",
    "OfflineLoader",
    "OwnContext",
    "canonical_nquads",
    "context_unknown",
    "expand",
    "memoised",
    "no_own_context",
]
