"""The instant a test acts at.

A module constant such as ``NOW = datetime.now(UTC)`` is taken when pytest collects the
module, which in a long run can be many minutes before a fixture seeds the demo: records
and keys made at run time would then lie after the test's "now" (not yet valid). Tests
over data seeded at run time take their time from ``now()`` inside the test; tests over
data they build themselves use a fixed instant instead.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant in whole seconds (as credentials carry it), taken when called:
    after whatever the test's fixtures seeded."""
    return datetime.now(UTC).replace(microsecond=0)
