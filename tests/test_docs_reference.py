"""The generated reference pages in docs/reference/ match what the code says today."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = Path(sys.executable).parent / "registry"


@pytest.mark.parametrize("page", ["cli", "errors", "settings"])
def test_reference_page_is_up_to_date(page: str) -> None:
    if not REGISTRY.exists():
        pytest.skip("the `registry` command is not installed beside this Python")
    generated = subprocess.run(
        [str(REGISTRY), "docs", page],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PATH": str(REGISTRY.parent), "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    ).stdout
    committed = (ROOT / "docs" / "reference" / f"{page}.md").read_text(encoding="utf-8")
    assert generated == committed, (
        f"docs/reference/{page}.md is out of date: run "
        f"`registry docs {page} --output docs/reference/{page}.md`"
    )


def test_error_codes_are_found_in_the_code() -> None:
    from registry.cli.error_reference import error_entries

    codes = {entry.code: entry.status for entry in error_entries()}
    # One of each way a code is raised: an error constructor, a module's helper, a helper
    # of another module, a status table, and a field problem inside another error.
    assert codes["CATALOGUE_VERSION_EXISTS"] == 409
    assert codes["PERMIT_VALIDITY_OUT_OF_RANGE"] == 422
    assert codes["SHEET_FILE_TOO_LARGE"] == 413
    assert codes["RATE_LIMITED"] == 429
    assert "FIELD_TOO_LONG" in codes
    assert "SIGNATURE_VALID" not in codes  # a check code: its own table
    # A helper of a helper, a row of a table, a subclass naming its kind, an answer built
    # in place, messages joined with +, and a check code that is also raised.
    assert codes["CHALLENGE_MISMATCH"] == 422
    assert codes["RECORD_ALREADY_REVOKED"] == 409
    assert codes["MATCH_LOCKED"] == 429
    assert codes["INTERNAL_ERROR"] == 500
    assert codes["DATA_MODEL_INVALID"] == 422
    assert codes["JSONLD_CONTEXT_UNKNOWN"] == 422


_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
# Codes a `raise` names that are not that error's own: trust-list parsing hands field
# problems on to be wrapped in TRUST_LIST_MALFORMED's errors[].
HANDED_ON = {"FIELD_MISSING", "FIELD_UNKNOWN"}


def _codes_raised() -> dict[str, str]:
    """Every code a ``raise`` statement under registry/ names (a literal or a module
    constant) outside a field problem, with the file; found without the generator."""
    raised: dict[str, str] = {}
    for path in sorted((ROOT / "registry").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            node.targets[0].id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            and _CODE.match(node.value.value)
        }

        def named(node: ast.AST, constants: dict[str, str] = constants) -> list[str]:
            callee = getattr(node, "func", None)
            if getattr(callee, "id", getattr(callee, "attr", None)) == "FieldProblem":
                return []
            own = []
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                own = [node.value] if _CODE.match(node.value) else []
            elif isinstance(node, ast.Name) and node.id in constants:
                own = [constants[node.id]]
            return own + [code for child in ast.iter_child_nodes(node) for code in named(child)]

        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for code in named(node.exc):
                    raised.setdefault(code, str(path.relative_to(ROOT)))
    return raised


def test_every_raised_code_has_its_http_status_in_the_reference() -> None:
    from registry.services.transparency.audit_report import MESSAGES as AUDIT_MESSAGES
    from registry.settings import SETTING_DOCS

    page = (ROOT / "docs" / "reference" / "errors.md").read_text(encoding="utf-8")
    errors = page.partition("\n## Errors\n")[2]
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \| ([0-9]{3}|–) \|", errors, re.MULTILINE)
    with_status = {code for code, status in rows if status != "–"}
    assert "MALFORMED_JSON" in with_status  # the table was read
    # Audit findings are reported by `registry audit` (their own table); settings are
    # named in messages.
    not_errors = set(AUDIT_MESSAGES) | {doc.name for doc in SETTING_DOCS} | HANDED_ON
    raised = _codes_raised()
    assert len(raised) > 150
    missing = {
        code: path
        for code, path in raised.items()
        if code not in with_status and code not in not_errors
    }
    assert not missing, f"raised with no HTTP status in docs/reference/errors.md: {missing}"


def test_command_page_shows_what_help_prints() -> None:
    if not REGISTRY.exists():
        pytest.skip("the `registry` command is not installed beside this Python")
    printed = subprocess.run(
        [str(REGISTRY), "batch", "template", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={"PATH": str(REGISTRY.parent), "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"},
    ).stdout
    page = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert f"## `registry batch template`\n\n```text\n{printed}```" in page
