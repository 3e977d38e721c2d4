"""Verification with nothing but a cached trust list: no database, no network.

What a partner's offline verifier does: it holds a registry's trust list (checked against
the pinned root-key fingerprint), and checks QR codes and credentials of that registry
with it. Every answer carries the ``trust_list`` check: a warning once the list is more
than 24 hours old, a failure once it is more than 7 days old or past its expiry. Status
comes from the issuers' status lists fetched earlier (``add_status_lists``); without them
the status check answers "could not check".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from registry.core.errors import invalid, malformed
from registry.core.formats.canonical import require_shallow, too_deep
from registry.core.trust.model import StatusSource
from registry.core.trustlists.statussources import StatusListSource, verify_status_list
from registry.core.trustlists.trustlist import TrustList, verify_trust_list
from registry.core.trustlists.trustsources import (
    NoStatusSource,
    TrustListSource,
    with_trust_list_check,
)
from registry.core.verification.credential import verify_credential
from registry.core.verification.record import Verification, VerifyRequest, verify_qr
from registry.services.verification.verifier import asking_region

MAX_TRUST_LIST_BYTES = 32 * 1024 * 1024


def read_trust_list_document(path: Path) -> Any:
    """The JSON of a trust list file, within the size and nesting limits (not yet verified)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_TRUST_LIST_BYTES + 1)
    if len(data) > MAX_TRUST_LIST_BYTES:
        raise invalid(
            "TRUST_LIST_TOO_LARGE", "信任列表文件过大", "the trust list file is too large"
        )
    return read_json(data)


def read_trust_list_file(path: Path, pin: str | None) -> TrustList:
    """Read, verify and parse a trust list file (pinned when ``pin`` is given)."""
    return verify_trust_list(read_trust_list_document(path), pin=pin)


def read_json(data: bytes) -> Any:
    """JSON from bytes, refusing what does not parse and what nests too deep."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise malformed(
            "MALFORMED_JSON", "文件不是有效的 JSON", "the file is not valid JSON"
        ) from None
    except RecursionError:
        raise too_deep() from None
    require_shallow(document)
    return document


class TrustListVerifier:
    """Verifies QR codes and credentials against one trust list, offline."""

    def __init__(self, trust_list: TrustList) -> None:
        self.trust_list = trust_list
        self.source = TrustListSource(trust_list)
        self.statuses: StatusSource = NoStatusSource()

    def add_status_lists(self, documents: Sequence[object], now: datetime) -> None:
        """Answer status from these fetched status list credentials, each checked against
        its issuer's key in the trust list."""
        self.statuses = StatusListSource(
            [verify_status_list(doc, self.source, now) for doc in documents]
        )

    def qr(self, text: str, *, now: datetime, region: str | None = None) -> Verification:
        """Verify a scanned QR URL, fragment or payload."""
        request = VerifyRequest(now, asking_region(region))
        verification = verify_qr(text, self.source, self.statuses, request)
        return with_trust_list_check(verification, self.trust_list, now)

    def credential(
        self, document: Any, *, now: datetime, region: str | None = None
    ) -> Verification:
        """Verify a credential document."""
        require_shallow(document)
        request = VerifyRequest(now, asking_region(region))
        verification = verify_credential(document, self.source, self.statuses, request)
        return with_trust_list_check(verification, self.trust_list, now)


__all__ = ["TrustListVerifier", "read_json", "read_trust_list_document", "read_trust_list_file"]
