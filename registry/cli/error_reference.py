"""The error codes the registry raises, found in its source for ``registry docs errors``:
each code with the HTTP status it is answered with and its messages.

The source is read, not run: error constructors' calls and the helpers that pass a code on
to them at any depth, answers built in place, field problems, and tables of codes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import registry
from registry.core.checks import MESSAGES as CHECK_MESSAGES
from registry.core.errors import ErrorKind
from registry.http.problems import STATUS_OF_KIND
from registry.services.transparency.audit_report import MESSAGES as AUDIT_MESSAGES

_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_STATUS_OF_KIND: dict[str, int] = {kind.name: status for kind, status in STATUS_OF_KIND.items()}
# The constructors of the error tree, by the kind each gives.
_KIND_OF_FUNCTION: dict[str, str] = {
    "malformed": "MALFORMED",
    "invalid": "INVALID",
    "not_found": "NOT_FOUND",
    "forbidden": "FORBIDDEN",
    "unauthenticated": "UNAUTHENTICATED",
    "conflict": "CONFLICT",
    "too_large": "TOO_LARGE",
}


@dataclass(frozen=True, order=True)
class ErrorEntry:
    """One error code as the code raises it: its HTTP status when known, and its messages."""

    code: str
    status: int | None
    zh: str
    en: str


def _text(node: ast.expr, texts: Mapping[str, str] | None = None) -> str | None:
    """A string literal's text; an f-string or a ``+`` of texts with what they compute
    shown as ``{name}`` (``{…}`` when it has no name); a local variable holding a text
    (``texts``: the function's ``name = "..."`` assignments)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts: list[str] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            elif isinstance(value, ast.FormattedValue):
                parts.append("{" + (_name(value.value) or "…") + "}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left, texts), _text(node.right, texts)
        if left is None and right is None:
            return None
        return (left if left is not None else "{…}") + (right if right is not None else "{…}")
    if isinstance(node, ast.Name) and texts is not None:
        return texts.get(node.id)
    return None


def _local_texts(function: ast.AST) -> dict[str, str]:
    """A function's variables assigned a text once (``zh = "..."``), by name."""
    texts: dict[str, str] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            pairs: list[tuple[ast.expr, ast.expr]] = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            for name, value in pairs:
                if isinstance(name, ast.Name) and (text := _text(value)) is not None:
                    texts[name.id] = text
    return texts


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _code(node: ast.expr, constants: Mapping[str, str]) -> str | None:
    text = _text(node)
    if text is None and (name := _name(node)) is not None:
        text = constants.get(name)
    return text if text is not None and _CODE.match(text) else None


def _triples(
    args: list[ast.expr], constants: Mapping[str, str], texts: Mapping[str, str] | None = None
) -> Iterator[tuple[int, str, str, str]]:
    """Every (position, code, zh, en) run of three arguments or items."""
    for index in range(len(args) - 2):
        code = _code(args[index], constants)
        zh, en = _text(args[index + 1], texts), _text(args[index + 2], texts)
        if code and zh is not None and en is not None and _CJK.search(zh):
            yield index, code, zh, en


@dataclass(frozen=True)
class _Helper:
    """A function that passes its parameters on to an error constructor, such as
    ``_bad(pointer, code, zh, en)`` returning ``invalid(code, zh, en, ...)``: the kind it
    gives, and how its code and messages are made of its parameters."""

    kind: str
    params: tuple[str, ...]
    code: str
    zh: ast.expr
    en: ast.expr

    def entry(
        self, call: ast.Call, constants: Mapping[str, str], texts: Mapping[str, str] | None
    ) -> ErrorEntry | None:
        """The error a call of this helper raises, its messages filled in where the call
        gives literal text (``{name}`` for what it computes)."""
        values = {
            param: _text(arg, texts) or ("" if param == self.code else None)
            for param, arg in zip(self.params, call.args, strict=False)
        }
        code_arg = dict(zip(self.params, call.args, strict=False)).get(self.code)
        code = _code(code_arg, constants) if code_arg is not None else None
        zh, en = _render(self.zh, values), _render(self.en, values)
        if code is None or zh is None or en is None:
            return None
        return ErrorEntry(code, _STATUS_OF_KIND[self.kind], zh, en)


def _render(node: ast.expr, values: Mapping[str, str | None]) -> str | None:
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if not isinstance(node, ast.JoinedStr):
        return _text(node)
    parts: list[str] = []
    for value in node.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
        elif isinstance(value, ast.FormattedValue):
            name = _name(value.value)
            bound = values.get(name) if isinstance(value.value, ast.Name) and name else None
            parts.append(bound if bound is not None else "{" + (name or "…") + "}")
    return "".join(parts)


def _kind_of_call(call: ast.Call) -> str | None:
    name = _name(call.func)
    if name in _KIND_OF_FUNCTION:
        return _KIND_OF_FUNCTION[name]
    if name == "RegistryError" or (name or "").endswith("Error"):  # the tree or a subclass
        kinds = list(call.args[3:4]) + [
            keyword.value for keyword in call.keywords if keyword.arg == "kind"
        ]
        for kind in kinds:
            if isinstance(kind, ast.Attribute) and kind.attr in _STATUS_OF_KIND:
                return kind.attr
        return ErrorKind.INVALID.name if name == "RegistryError" else None
    return None


def _made_error(
    call: ast.Call, helpers: Mapping[str, _Helper]
) -> tuple[str, ast.expr, ast.expr, ast.expr] | None:
    """The kind, code, and messages of the error a call makes: an error constructor's, or
    a helper's with the call's arguments put in for its parameters."""
    kind = _kind_of_call(call)
    if kind is not None:
        if len(call.args) < 3:
            return None
        return kind, call.args[0], call.args[1], call.args[2]
    helper = helpers.get(_name(call.func) or "")
    if helper is None:
        return None
    bound = dict(zip(helper.params, call.args, strict=False))
    if helper.code not in bound:
        return None

    def put(node: ast.expr) -> ast.expr:
        return bound.get(node.id, node) if isinstance(node, ast.Name) else node

    return helper.kind, bound[helper.code], put(helper.zh), put(helper.en)


def _helpers(tree: ast.Module, known: Mapping[str, _Helper] | None = None) -> dict[str, _Helper]:
    """The functions of a module that make errors of their parameters, directly or through
    another such function (``known``: those found so far, in any module)."""
    helpers: dict[str, _Helper] = {}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        params = tuple(arg.arg for arg in function.args.args)
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            made = _made_error(node, {**(known or {}), **helpers})
            if made is None:
                continue
            kind, code, zh, en = made
            if isinstance(code, ast.Name) and code.id in params:
                helpers[function.name] = _Helper(kind, params, code.id, zh, en)
                break
    return helpers


def _all_helpers(trees: list[ast.Module]) -> list[dict[str, _Helper]]:
    """Each module's helpers, found again until helpers of helpers are all known."""
    found: list[dict[str, _Helper]] = [{} for _ in trees]
    while True:
        shared = {name: helper for helpers in found for name, helper in helpers.items()}
        again = [_helpers(tree, shared | found[i]) for i, tree in enumerate(trees)]
        if again == found:
            return found
        found = again


_STATUS_NAME = re.compile(r"^HTTP_([1-5][0-9]{2})_")


def _status_literal(node: ast.expr) -> int | None:
    """An HTTP status written as a number or as one of Litestar's ``HTTP_500_...`` names."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    name = _name(node)
    matched = _STATUS_NAME.match(name or "")
    return int(matched.group(1)) if matched else None


def _tables(
    tree: ast.Module, constants: Mapping[str, str]
) -> dict[str, list[tuple[str, str, str]]]:
    """Module-level dictionaries whose values are ``(code, zh, en)``: a function may take a
    row and raise it (``code, zh, en = TABLE[key]``)."""
    tables: dict[str, list[tuple[str, str, str]]] = {}
    for node in tree.body:
        target: ast.expr | None = None
        if isinstance(node, ast.AnnAssign):
            target = node.target
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and isinstance(value, ast.Dict):
            rows = [
                (code, zh, en)
                for item in value.values
                if isinstance(item, ast.Tuple)
                for _, code, zh, en in _triples(item.elts, constants)
            ]
            if rows:
                tables[target.id] = rows
    return tables


def _rows_taken(
    function: ast.AST, tables: Mapping[str, list[tuple[str, str, str]]]
) -> dict[str, str]:
    """The variables of a function that hold the code of a table's row, by table."""
    taken: dict[str, str] = {}
    for node in ast.walk(function):
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple)):
            continue
        names = node.targets[0].elts
        source = node.value
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute):
            source = source.func.value  # TABLE.get(key, default)
        elif isinstance(source, ast.Subscript):
            source = source.value  # TABLE[key]
        if names and isinstance(names[0], ast.Name) and _name(source) in tables:
            taken[names[0].id] = str(_name(source))
    return taken


def _string_constants(trees: list[ast.Module]) -> dict[str, str]:
    """Module-level ``NAME = "CODE"`` assignments, so a code held in a constant is found."""
    constants: dict[str, str] = {}
    for tree in trees:
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and (text := _text(node.value)) is not None
                and _CODE.match(text)
            ):
                constants[node.targets[0].id] = text
    return constants


@dataclass(frozen=True)
class _Module:
    """What the errors of one module are made with: error helpers (its own and the
    others'), code constants, and tables of ``(code, zh, en)`` rows with, for each node,
    the variables of its function that take a row of one."""

    helpers: Mapping[str, _Helper]
    constants: Mapping[str, str]
    tables: Mapping[str, list[tuple[str, str, str]]]
    taken: Mapping[int, Mapping[str, str]]  # by the id of each node: its function's
    texts: Mapping[int, Mapping[str, str]]  # the same: its function's text variables

    def entries(self, node: ast.AST) -> Iterator[ErrorEntry]:
        """The errors one node of the module's tree makes or lists."""
        if isinstance(node, ast.Call):
            yield from self._made(node)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and isinstance(key.value, int)
                    and isinstance(value, ast.Tuple)
                ):
                    for _, code, zh, en in _triples(value.elts, self.constants):
                        yield ErrorEntry(code, key.value, zh, en)
        elif isinstance(node, ast.Tuple):
            for _, code, zh, en in _triples(node.elts, self.constants):
                yield ErrorEntry(code, None, zh, en)

    def _made(self, call: ast.Call) -> Iterator[ErrorEntry]:
        made = _made_error(call, self.helpers)
        taken = self.taken.get(id(call), {})
        if made is not None and isinstance(made[1], ast.Name) and made[1].id in taken:
            for code, zh, en in self.tables[taken[made[1].id]]:  # a table's row
                yield ErrorEntry(code, _STATUS_OF_KIND[made[0]], zh, en)
        if helper := self.helpers.get(_name(call.func) or ""):
            if (entry := helper.entry(call, self.constants, self.texts.get(id(call)))) is not None:
                yield entry
        elif _name(call.func) == "problem" and call.args:
            # http/problems.py answers some errors itself: problem(status, code, zh, en)
            status = _status_literal(call.args[0])
            texts = self.texts.get(id(call))
            for _, code, zh, en in _triples(call.args[1:], self.constants, texts):
                yield ErrorEntry(code, status, zh, en)
        else:
            kind = _kind_of_call(call)
            texts = self.texts.get(id(call))
            for index, code, zh, en in _triples(call.args, self.constants, texts):
                # A code passed on deeper is a field problem's, inside another error.
                yield ErrorEntry(
                    code, _STATUS_OF_KIND[kind] if kind and index == 0 else None, zh, en
                )


def error_entries(root: Path | None = None) -> list[ErrorEntry]:
    """Every error code raised under ``registry/`` with its messages, found in the source:
    the error constructors' calls and the helpers that pass a code on to them (at any
    depth), answers built in place, field problems, and tables of ``status: (code, zh,
    en)``. Verification checks and audit findings have tables of their own and are left
    out, unless they are raised as errors too."""
    root = root or Path(registry.__file__).parent
    paths = sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)
    trees = [ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in paths]
    constants = _string_constants(trees)
    per_module = _all_helpers(trees)
    shared = {name: helper for helpers in per_module for name, helper in helpers.items()}
    found: set[ErrorEntry] = set()
    for tree, own in zip(trees, per_module, strict=True):
        tables = _tables(tree, constants)
        taken: dict[int, Mapping[str, str]] = {}
        texts: dict[int, Mapping[str, str]] = {}
        for function in ast.walk(tree):  # outer functions first: an inner one's win
            if isinstance(function, ast.FunctionDef):
                rows, local = _rows_taken(function, tables), _local_texts(function)
                taken.update({id(node): rows for node in ast.walk(function)})
                texts.update({id(node): local for node in ast.walk(function)})
        # A module's own helper wins over a namesake.
        module = _Module(shared | own, constants, tables, taken, texts)
        for node in ast.walk(tree):
            found.update(module.entries(node))
    checks = set(CHECK_MESSAGES) | set(AUDIT_MESSAGES)
    return _merge([e for e in found if e.code not in checks or e.status is not None])


def _merge(entries: list[ErrorEntry]) -> list[ErrorEntry]:
    """One row per code and message; a status found anywhere for it wins over none."""
    by_message: dict[tuple[str, str, str], set[int | None]] = {}
    for entry in entries:
        by_message.setdefault((entry.code, entry.zh, entry.en), set()).add(entry.status)
    merged: list[ErrorEntry] = []
    for (code, zh, en), statuses in by_message.items():
        known = sorted(status for status in statuses if status is not None)
        for status in [*known] if known else [None]:
            merged.append(ErrorEntry(code, status, zh, en))
    return sorted(merged, key=lambda e: (e.code, e.status or 0, e.zh, e.en))
