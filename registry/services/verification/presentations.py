"""Verifying a presentation (VC-API ``POST /presentations/verify``): its shape and holder
proof (``core.verification.presentation``), then each credential it holds as
``/credentials/verify`` verifies one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.core.formats.canonical import require_shallow
from registry.core.verification.presentation import CheckedPresentation, check_presentation
from registry.core.verification.record import Verification
from registry.services.verification.verifier import Verifier


@dataclass(frozen=True)
class PresentationVerification:
    """A presentation whose holder proof held (or that needed none), and the verification
    of every credential it holds, in order."""

    presentation: CheckedPresentation
    credentials: tuple[Verification, ...]

    @property
    def verified(self) -> bool:
        """Verified when every credential held is (the holder proof already held)."""
        return all(result.verified for result in self.credentials)


def verify_presentation(
    verifier: Verifier,
    document: Any,
    *,
    challenge: str | None,
    domain: str | None,
    now: datetime,
) -> PresentationVerification:
    """Check the presentation (a 4xx ``RegistryError`` for an invalid one), then verify each
    credential it holds."""
    require_shallow(document)
    checked = check_presentation(
        document, challenge=challenge, domain=domain, own_context=verifier.own_context()
    )
    results = tuple(verifier.credential(item, now=now) for item in checked.credentials)
    return PresentationVerification(checked, results)


__all__ = ["PresentationVerification", "verify_presentation"]
