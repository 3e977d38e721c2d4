"""Checks on identifiers received from others: a failing check character is a warning.

Some legally issued early USCCs fail the GB 32100 check. The registry refuses such a code
for its own issuers (issuer creation, issuance), but a code in a credential or request
from a partner only raises ``USCC_CHECK_FAILED`` with an ``Outcome.WARNING``: the answer
stays valid and says where the code is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from registry.core.checks import Check, Outcome, check
from registry.core.people.identifiers import looks_like_uscc, read_received_uscc
from registry.core.records.credential import issuer_id_of, issuer_uscc_from_id

CHECK_NAME = "identifiers"
USCC_FIELDS = frozenset({"uscc", "jointCommittee", "committee", "issuerUscc"})


def _is_uscc_field(name: str) -> bool:
    return name in USCC_FIELDS or name.endswith("Uscc")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _uscc_fields(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for name, value in node.items():
            here = f"{pointer}/{_escape(str(name))}"
            if _is_uscc_field(str(name)) and isinstance(value, str):
                yield here, value
            else:
                yield from _uscc_fields(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _uscc_fields(item, f"{pointer}/{index}")


def failing_usccs(document: Mapping[str, Any]) -> list[str]:
    """JSON pointers of USCC-shaped codes in a received credential whose check fails: the
    issuer id's last segment, and subject fields named ``uscc``, ``jointCommittee``,
    ``committee`` or ending in ``Uscc`` (an employer's, an issuer's)."""
    found = []
    issuer = issuer_id_of(document)
    candidates = [("/issuer", issuer_uscc_from_id(issuer))] if issuer else []
    candidates += list(_uscc_fields(document.get("credentialSubject"), "/credentialSubject"))
    for pointer, value in candidates:
        if looks_like_uscc(value) and read_received_uscc(value).check_failed:
            found.append(pointer)
    return found


def received_uscc_check(document: Mapping[str, Any]) -> Check | None:
    """A warning naming each received USCC that fails its check, or ``None`` if none does."""
    pointers = failing_usccs(document)
    if not pointers:
        return None
    return check(CHECK_NAME, Outcome.WARNING, "USCC_CHECK_FAILED", pointers=pointers)


__all__ = ["CHECK_NAME", "failing_usccs", "received_uscc_check"]
