"""The shapes of the fictional demonstration data (``demo_data``, ``demo_talent``) and the
helpers that make its recognisably fictional identifiers."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from registry.core.people.identifiers import resident_id_check_char, uscc_check_char

IssuerKind = Literal[
    "hr_bureau", "review_committee", "joint_committee", "executive_committee", "postdoc_station"
]
QINGPU, WUJIANG, JIASHAN = "310118", "320509", "330421"


@dataclass(frozen=True)
class DemoRegion:
    """A region of the demonstration zone, by its GB/T 2260 division code."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class DemoIssuer:
    """An organisation that issues records, named by its (fictional) USCC."""

    uscc: str
    name_zh: str
    name_en: str
    region: str
    kind: IssuerKind
    record_types: tuple[str, ...]


@dataclass(frozen=True)
class DemoPerson:
    """A fictional engineer; ``id_number`` is a made-up resident ID with a valid check."""

    name: str
    name_en: str
    id_number: str
    region: str


@dataclass(frozen=True)
class DemoRecord:
    """An issuance request: the credential as ``POST /credentials/issue`` takes it.

    ``principal_key`` names the demo record a dependant's residence permit points to; the
    seed fills in that record's credential id once it is issued.
    """

    key: str
    issuer_uscc: str
    credential: dict[str, Any] = field(hash=False)
    principal_key: str | None = None

    def issuance_request(self) -> dict[str, Any]:
        """A private copy of the credential, safe to change."""
        return copy.deepcopy(self.credential)


def demo_uscc(region: str, serial: int) -> str:
    """A fictional government-organ USCC: ``11`` + region + ``MB00000`` + serial + check."""
    first17 = f"11{region}MB00000{serial:02d}"
    return first17 + uscc_check_char(first17)


def demo_id_number(region: str, birth: str, sequence: int) -> str:
    """A fictional resident ID: region, birth date ``YYYYMMDD``, sequence 990-999, check."""
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


__all__ = [
    "JIASHAN",
    "QINGPU",
    "WUJIANG",
    "DemoIssuer",
    "DemoPerson",
    "DemoRecord",
    "DemoRegion",
    "IssuerKind",
    "demo_id_number",
    "demo_uscc",
]
