"""The QR verify path (the scan and the partner API) stays free of JSON-LD: credential
documents get JSON-LD processing, a QR payload is CBOR signed with COSE and needs none, and
pyld would cost a scan more than its signature check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from registry.core.formats import jsonld as jsonld_module
from registry.services.access.tokens import Principal
from registry.services.partners.checks import partner_verify
from registry.services.verification.verifier import Verifier
from tests.support.clock import now


def test_a_scan_and_a_partner_check_of_a_qr_never_call_pyld(registry, demo, monkeypatch):
    at = now()

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("JSON-LD processing on the QR verify path")

    for name in ("expand", "compact", "normalize", "to_rdf", "flatten", "frame"):
        if hasattr(jsonld_module.jsonld, name):
            monkeypatch.setattr(jsonld_module.jsonld, name, refuse)
    with registry.reading() as session:
        payloads = session.execute(text("SELECT qr_payload FROM credential")).scalars().all()
    verifier = Verifier(registry)
    partner = Principal(0, "partner", "嘉善伙伴系统", "330421", "test")
    assert payloads
    for payload in payloads:
        assert verifier.qr(payload, now=at).facts is not None
        checked = partner_verify(
            verifier, partner, purpose="人才引进", qr=payload, credential=None, region=None,
            now=at,
        )  # fmt: skip
        assert checked.verification.facts is not None
