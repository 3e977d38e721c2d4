"""Loader for the e-licence identifiers under ``tests/vectors/elicence-gbt36904/``.

See ``tests/vectors/elicence-gbt36904/PROVENANCE.md``: public integration code, not the
standard's text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ELICENCE_VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "elicence-gbt36904"


@dataclass(frozen=True)
class ElicenceVector:
    """One quoted identifier and its parts as we read them."""

    identifier: str
    type_code: str
    issuer_uscc: str
    serial: str
    version: str
    check: str


def elicence_vectors() -> list[ElicenceVector]:
    """``identifiers.json``: the four identifiers of issue 19."""
    raw = json.loads((ELICENCE_VECTORS / "identifiers.json").read_text(encoding="utf-8"))
    return [
        ElicenceVector(
            item["identifier"],
            item["typeCode"],
            item["issuerUscc"],
            item["serial"],
            item["version"],
            item["check"],
        )
        for item in raw
    ]
