"""Where the project's published files (schemas, code lists, JSON-LD context) live."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def schemas_dir() -> Path:
    """The ``schemas/`` tree: inside an installed wheel, else at the repository's top level.

    The wheel build force-includes ``schemas/`` as ``registry/_schemas``; an editable
    install reads the repository copy.
    """
    for candidate in (_PACKAGE_DIR / "_schemas", _PACKAGE_DIR.parent / "schemas"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError("the schemas directory is missing from this installation")
