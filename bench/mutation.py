"""Mutation testing of ``registry/core``: does the suite notice when a rule changes?

Each mutant is one small change to one module (a comparison swapped, an integer constant
moved by one, ``and``/``or`` swapped, a condition or boolean negated, an arithmetic or
shift operator swapped, a ``raise``/``return`` guard dropped). For each mutant the tests
that could notice run in a fresh process: the test files that import the module, then the
rest of ``tests/core``, then the importers outside ``tests/core`` (``-x``, so a killed mutant
stops at its first failing test). A mutant is *killed* (a test failed), *survived* (all
passed: the rule it breaks is untested), or *timeout*.

Not part of the test suite; run it by hand (see docs/mutation-testing.md)::

    .venv/bin/python bench/mutation.py --sample 450 --seed 16 --jobs 2
    .venv/bin/python bench/mutation.py --modules people/identifiers formats/statuslist
    .venv/bin/python bench/mutation.py --list          # count the mutants, run nothing

Every worker works in its own copy of the repository (the working tree is never touched)
and forks one child per mutant from a process that has already imported the third-party
libraries, so a mutant costs its tests, not the interpreter's start-up.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib.util
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "registry" / "core"
IGNORED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "data",
    "*.pyc",
)
PRELOAD = (
    "litestar",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "psycopg",
    "cryptography",
    "jsonschema",
    "cbor2",
    "rfc8785",
    "qrcode",
    "PIL",
    "zxingcpp",
    "click",
    "openpyxl",
    "msgspec",
    "httpx",
    "pytest",
    "hypothesis",
    "hypothesis.strategies",
    "pytest_bdd",
    "schemathesis",
    "faker",
    "_hypothesis_pytestplugin",
    "litestar.testing",
    "sqlalchemy.orm",
    "pydantic",
    "yaml",
)

OUTER_DIRS = ("services", "render")

COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip
BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.LShift: ast.RShift, ast.RShift: ast.LShift,
    ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd, ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv,
}  # fmt: skip
SYMBOLS = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+",
    ast.Sub: "-", ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|",
    ast.Mult: "*", ast.FloorDiv: "//", ast.Mod: "%", ast.And: "and", ast.Or: "or",
}  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    """One change to one module: the node (by ``ast.walk`` position) and what to do to it."""

    path: str  # relative to the repository root
    node: int
    operator: str  # compare | constant | boolop | negate | binop | guard | unnot
    arg: int  # which comparison operator, or the constant's delta
    line: int
    description: str

    @property
    def name(self) -> str:
        return f"{self.path}:{self.line} {self.description}"


def _excluded(tree: ast.Module) -> set[int]:
    """Nodes never mutated: annotations, docstrings, ``__all__``, ``TYPE_CHECKING`` blocks."""
    skip: set[int] = set()

    def cover(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign):
            cover(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            cover(node.returns)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            cover(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            cover(node)
    return skip


def _short(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _is_guard(node: ast.If) -> bool:
    return (
        not node.orelse and len(node.body) == 1 and isinstance(node.body[0], ast.Raise | ast.Return)
    )


def mutants_of(path: Path) -> list[Mutant]:
    """Every mutant of one module, in a stable order."""
    rel = str(path.relative_to(ROOT))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _excluded(tree)
    found: list[Mutant] = []

    def add(index: int, node: ast.AST, operator: str, arg: int, description: str) -> None:
        found.append(Mutant(rel, index, operator, arg, getattr(node, "lineno", 0), description))

    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                swap = COMPARE_SWAPS.get(type(op))
                if swap is not None:
                    add(
                        index,
                        node,
                        "compare",
                        position,
                        f"`{SYMBOLS[type(op)]}` → `{SYMBOLS[swap]}` in `{_short(node)}`",
                    )
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                add(index, node, "constant", 0, f"`{node.value}` → `{not node.value}`")
            elif isinstance(node.value, int):
                for delta in (1, -1):
                    add(index, node, "constant", delta, f"`{node.value}` → `{node.value + delta}`")
        elif isinstance(node, ast.BoolOp):
            other = "or" if isinstance(node.op, ast.And) else "and"
            add(
                index,
                node,
                "boolop",
                0,
                f"`{SYMBOLS[type(node.op)]}` → `{other}` in `{_short(node)}`",
            )
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            swap = BINOP_SWAPS[type(node.op)]
            add(
                index,
                node,
                "binop",
                0,
                f"`{SYMBOLS[type(node.op)]}` → `{SYMBOLS[swap]}` in `{_short(node)}`",
            )
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(index, node, "unnot", 0, f"`{_short(node)}` → `{_short(node.operand)}`")
        if isinstance(node, ast.If | ast.While | ast.IfExp | ast.Assert):
            add(index, node.test, "negate", 0, f"condition negated: `not ({_short(node.test)})`")
        if isinstance(node, ast.If) and _is_guard(node):
            add(index, node, "guard", 0, f"guard dropped: `if {_short(node.test)}: ...`")
    # a negated condition is keyed by its statement's node, so it cannot clash with a
    # compare/boolop mutant of the same expression
    return found


class _Apply(ast.NodeTransformer):
    def __init__(self, target: ast.AST, mutant: Mutant) -> None:
        self.target = target
        self.mutant = mutant

    def visit(self, node: ast.AST) -> ast.AST:
        if node is not self.target:
            return super().visit(node)
        m = self.mutant
        if m.operator == "compare":
            assert isinstance(node, ast.Compare)
            node.ops[m.arg] = COMPARE_SWAPS[type(node.ops[m.arg])]()
        elif m.operator == "constant":
            assert isinstance(node, ast.Constant)
            node.value = (not node.value) if isinstance(node.value, bool) else node.value + m.arg
        elif m.operator == "boolop":
            assert isinstance(node, ast.BoolOp)
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif m.operator == "binop":
            assert isinstance(node, ast.BinOp)
            node.op = BINOP_SWAPS[type(node.op)]()
        elif m.operator == "unnot":
            assert isinstance(node, ast.UnaryOp)
            return node.operand
        elif m.operator == "negate":
            assert isinstance(node, ast.If | ast.While | ast.IfExp | ast.Assert)
            node.test = ast.UnaryOp(ast.Not(), node.test)
        elif m.operator == "guard":
            return ast.copy_location(ast.Pass(), node)
        return node


def mutated_source(mutant: Mutant) -> str:
    """The module's text with the one change made."""
    tree = ast.parse((ROOT / mutant.path).read_text(encoding="utf-8"))
    target = next(n for i, n in enumerate(ast.walk(tree)) if i == mutant.node)
    tree = _Apply(target, mutant).visit(tree)
    ast.fix_missing_locations(tree)
    source = ast.unparse(tree)
    compile(source, mutant.path, "exec")
    return source


def _dotted(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def tests_for(mutant_path: str) -> list[list[str]]:
    """Test files in stages, each run only if the one before passed: the importers inside
    tests/core, the rest of tests/core, then importers in tests/services and tests/render
    (the HTTP and CLI tests and features/ are too slow to run per mutant). Most mutants die
    in the first, small stage."""
    module = _dotted(mutant_path)
    parent, _, leaf = module.rpartition(".")
    needles = (f"{module} import", f"import {module}", f"from {parent} import {leaf}")
    files = sorted((ROOT / "tests").rglob("test_*.py"))
    importers = {
        f for f in files if any(needle in f.read_text(encoding="utf-8") for needle in needles)
    }
    core = [f for f in files if f.parent == ROOT / "tests" / "core"]
    stages = [
        [f for f in core if f in importers],
        [f for f in core if f not in importers],
        [f for f in sorted(importers) if f not in core and f.parent.name in OUTER_DIRS],
    ]
    return [[str(f.relative_to(ROOT)) for f in stage] for stage in stages if stage]


# ---------------------------------------------------------------- worker: one copy, forks


def _run_tests(copy_root: Path, tests: list[str], timeout: float, basetemp: Path) -> str:
    """Fork a child that runs pytest on ``tests`` in the copy; 'killed'/'survived'/'timeout'."""
    pid = os.fork()
    if pid == 0:  # child: registry is imported fresh from the copy
        try:
            os.chdir(copy_root)
            sys.path.insert(0, str(copy_root))
            sys.dont_write_bytecode = True
            log = os.open(basetemp.parent / "last-run.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(log, 1)
            os.dup2(log, 2)
            import pytest

            code = pytest.main(
                [
                    "-x",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-o",
                    "addopts=--strict-markers",
                    "-W",
                    "ignore::pytest.PytestAssertRewriteWarning",
                    f"--basetemp={basetemp}",
                    *tests,
                ]
            )
            os._exit(int(code))
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(99)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return "survived" if code == 0 else ("killed" if code in (1, 2, 3) else "error")
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.05)


def worker(chunk_file: Path, results_file: Path, timeout: float) -> None:
    """Run the mutants of one chunk in a private copy of the repository."""
    from importlib.metadata import entry_points

    for name in (*PRELOAD, *(e.module for e in entry_points(group="pytest11"))):
        with contextlib.suppress(ImportError):
            __import__(name)
    mutants = [Mutant(**m) for m in json.loads(chunk_file.read_text())]
    scratch = Path(tempfile.mkdtemp(prefix="mutation-"))
    copy_root = scratch / "repo"
    shutil.copytree(ROOT, copy_root, ignore=IGNORED)
    os.environ["REGISTRY_TEST_POSTGRES_URL"] = ""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        baseline = _run_tests(copy_root, ["tests/core"], timeout * 3, scratch / "tmp")
        if baseline != "survived":
            log = (scratch / "last-run.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"the unmutated tests/core fails in the copy ({baseline}):\n{log}")
        with results_file.open("a", encoding="utf-8") as out:
            for mutant in mutants:
                target = copy_root / mutant.path
                original = target.read_text(encoding="utf-8")
                cached = Path(importlib.util.cache_from_source(str(target)))
                started = time.monotonic()
                try:
                    target.write_text(mutated_source(mutant), encoding="utf-8")
                    cached.unlink(missing_ok=True)
                    outcome = "survived"
                    for stage in tests_for(mutant.path):
                        left = timeout - (time.monotonic() - started)
                        outcome = _run_tests(copy_root, stage, left, scratch / "tmp")
                        if outcome != "survived":
                            break
                except SyntaxError:
                    outcome = "invalid"
                finally:
                    target.write_text(original, encoding="utf-8")
                    cached.unlink(missing_ok=True)
                seconds = round(time.monotonic() - started, 1)
                out.write(json.dumps({**asdict(mutant), "outcome": outcome, "s": seconds}) + "\n")
                out.flush()
                print(f"{outcome:8} {seconds:5.1f}s {mutant.name}", flush=True)
    finally:
        if os.environ.get("MUTATION_KEEP") is None:
            shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------- driver


def select(modules: list[str] | None) -> list[Path]:
    """The core modules to mutate: all, or those whose path contains one of ``modules``."""
    paths = sorted(CORE.rglob("*.py"))
    if modules:
        paths = [p for p in paths if any(m in str(p.relative_to(ROOT)) for m in modules)]
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modules", nargs="*", help="path fragments, e.g. people/identifiers")
    parser.add_argument("--sample", type=int, default=0, help="random sample of N mutants")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant")
    parser.add_argument("--list", action="store_true", help="only count the mutants")
    parser.add_argument("--report", type=Path, help="write the results (JSON lines) here")
    parser.add_argument("--rerun", type=Path, help="run again the non-killed mutants of a report")
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        worker(args.worker[0], args.worker[1], args.timeout)
        return 0

    mutants = [m for path in select(args.modules) for m in mutants_of(path)]
    print(f"{len(mutants)} mutants in {len(select(args.modules))} modules")
    earlier: list[dict[str, object]] = []
    if args.rerun:
        earlier = [json.loads(line) for line in args.rerun.read_text().splitlines()]
        again = {(r["path"], r["node"], r["operator"], r["arg"]) for r in earlier
                 if r["outcome"] != "killed"}  # fmt: skip
        earlier = [r for r in earlier if r["outcome"] == "killed"]
        mutants = [m for m in mutants if (m.path, m.node, m.operator, m.arg) in again]
        print(f"running again the {len(mutants)} not killed in {args.rerun}")
    elif args.sample and args.sample < len(mutants):
        mutants = sorted(
            random.Random(args.seed).sample(mutants, args.sample), key=lambda m: (m.path, m.line)
        )
        print(f"sampled {len(mutants)} (seed {args.seed})")
    if args.list:
        return 0

    work = Path(tempfile.mkdtemp(prefix="mutation-run-"))
    report = args.report or work / "results.jsonl"
    report.unlink(missing_ok=True)
    jobs = max(1, min(args.jobs, len(mutants)))
    started = time.monotonic()
    processes = []
    for job in range(jobs):
        chunk = work / f"chunk{job}.json"
        chunk.write_text(json.dumps([asdict(m) for m in mutants[job::jobs]]))
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--timeout",
                    str(args.timeout),
                    "--worker",
                    str(chunk),
                    str(report),
                ]
            )
        )
    failed = [p.wait() for p in processes]
    results = earlier + [json.loads(line) for line in report.read_text().splitlines()]
    counts = {k: sum(r["outcome"] == k for r in results) for k in
              ("killed", "survived", "timeout", "error", "invalid")}  # fmt: skip
    scored = counts["killed"] + counts["survived"] + counts["timeout"]
    score = (counts["killed"] + counts["timeout"]) / scored if scored else 0.0
    minutes = (time.monotonic() - started) / 60
    print(
        f"\n{len(results)} mutants in {minutes:.1f} min: "
        + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    )
    print(f"mutation score {score:.1%} (killed or timed out / killed, survived, timed out)")
    for r in sorted(results, key=lambda r: (r["path"], r["line"])):
        if r["outcome"] != "killed":
            print(f"  {r['outcome'].upper():8} {r['path']}:{r['line']} {r['description']}")
    print(f"results: {report}")
    return 1 if any(failed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
