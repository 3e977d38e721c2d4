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


def mutants_of(path: Path, root: Path = ROOT) -> list[Mutant]:
    """Every mutant of one module (a file in the tree ``root``), in a stable order."""
    rel = str(path.relative_to(root))
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


def mutated_source(mutant: Mutant, root: Path = ROOT) -> str:
    """The module's text in the tree ``root`` with the one change made."""
    tree = ast.parse((root / mutant.path).read_text(encoding="utf-8"))
    target = next(n for i, n in enumerate(ast.walk(tree)) if i == mutant.node)
    tree = _Apply(target, mutant).visit(tree)
    ast.fix_missing_locations(tree)
    source = ast.unparse(tree)
    compile(source, mutant.path, "exec")
    return source


def _dotted(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


# slow property-based tests: run after the rest of tests/core, so that most mutants die
# before them (the order changes how long a kill takes, never whether it happens)
LATE = ("test_fuzz_core.py",)


def tests_for(mutant_path: str, root: Path) -> list[list[str]]:
    """Test files in stages, each run only if the one before passed: the importers inside
    tests/core, the rest of tests/core, then importers in tests/services and tests/render
    (the HTTP and CLI tests and features/ are too slow to run per mutant). Most mutants die
    in the first, small stage. The files are those of ``root``: a worker passes its own
    copy, so a test file added to the working tree during a run is never named to pytest in
    a copy that lacks it (the cause of the first run's ``error`` results)."""
    module = _dotted(mutant_path)
    parent, _, leaf = module.rpartition(".")
    needles = (f"{module} import", f"import {module}", f"from {parent} import {leaf}")
    files = sorted((root / "tests").rglob("test_*.py"))
    importers = {
        f for f in files if any(needle in f.read_text(encoding="utf-8") for needle in needles)
    }
    core = [f for f in files if f.parent == root / "tests" / "core"]
    late = [f for f in core if f.name in LATE]
    core = [f for f in core if f.name not in LATE]
    stages = [
        [f for f in core if f in importers],
        [f for f in core if f not in importers],
        late,
        [f for f in sorted(importers) if f not in core and f.parent.name in OUTER_DIRS],
    ]
    return [[str(f.relative_to(root)) for f in stage] for stage in stages if stage]


# ---------------------------------------------------------------- worker: one copy, forks


def _classify(code: int, log: str) -> str:
    """The outcome of one pytest run from its exit code and output.

    0 passed; 1 a test failed and 2 a collection error (the mutant broke an import): killed.
    The test plugin (``tests.support.fixtures``, which imports most of ``registry``) or a
    conftest that cannot be imported is exit 3 or 4 with its own message: also the mutant.
    Any other code (3 internal error, 4 usage error such as a missing file, 5 nothing
    collected, 99 the child itself failed, a signal) is a fault of the harness: ``error``,
    never counted as a kill."""
    if code == 0:
        return "survived"
    if code in (1, 2) or (code in (3, 4) and any(m in log for m in _IMPORT_FAILED)):
        return "killed"
    return "error"


_IMPORT_FAILED = ("Error while loading plugin", "ImportError while loading conftest")


def _run_tests(
    copy_root: Path, tests: list[str], timeout: float, basetemp: Path
) -> tuple[str, str]:
    """Fork a child that runs pytest on ``tests`` in the copy: the outcome
    ('killed'/'survived'/'timeout'/'error') and, for an error, the exit code and the end of
    the child's output (so an error can always be explained)."""
    missing = [t for t in tests if not (copy_root / t).exists()]
    if missing:
        return "error", f"not in the copy: {missing}"
    log_path = basetemp.parent / "last-run.log"
    pid = os.fork()
    if pid == 0:  # child: registry is imported fresh from the copy
        try:
            os.setpgid(0, 0)  # its own group, so a timeout kills anything it started
            os.chdir(copy_root)
            sys.path.insert(0, str(copy_root))
            sys.dont_write_bytecode = True
            log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
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
            text = log_path.read_text(errors="replace") if log_path.exists() else ""
            outcome = _classify(code, text)
            detail = f"exit {code}: {text[-1500:]}" if outcome == "error" else ""
            return outcome, detail
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout", ""
        time.sleep(0.05)


def worker(chunk_file: Path, results_file: Path, snapshot: Path, timeout: float) -> None:
    """Run the mutants of one chunk in a private copy of the run's snapshot.

    Everything (the module's original text, its mutant, the test files of each stage) comes
    from that copy, never from the working tree, which may change while the run goes on."""
    from importlib.metadata import entry_points

    for name in (*PRELOAD, *(e.module for e in entry_points(group="pytest11"))):
        with contextlib.suppress(ImportError):
            __import__(name)
    mutants = [Mutant(**m) for m in json.loads(chunk_file.read_text())]
    scratch = Path(tempfile.mkdtemp(prefix="mutation-"))
    copy_root = scratch / "repo"
    shutil.copytree(snapshot, copy_root, ignore=IGNORED)
    os.environ["REGISTRY_TEST_POSTGRES_URL"] = ""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        baseline, _ = _run_tests(copy_root, ["tests/core"], timeout * 3, scratch / "tmp")
        if baseline != "survived":
            log = (scratch / "last-run.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"the unmutated tests/core fails in the copy ({baseline}):\n{log}")
        with results_file.open("a", encoding="utf-8") as out:
            for mutant in mutants:
                target = copy_root / mutant.path
                original = target.read_text(encoding="utf-8")
                cached = Path(importlib.util.cache_from_source(str(target)))
                started = time.monotonic()
                detail = ""
                try:
                    if mutant not in mutants_of(target, copy_root):
                        raise LookupError("the module changed: this mutant is not in it")
                    target.write_text(mutated_source(mutant, copy_root), encoding="utf-8")
                    cached.unlink(missing_ok=True)
                    outcome = "survived"
                    for stage in tests_for(mutant.path, copy_root):
                        left = timeout - (time.monotonic() - started)
                        outcome, detail = _run_tests(copy_root, stage, left, scratch / "tmp")
                        if outcome != "survived":
                            break
                except SyntaxError:
                    outcome = "invalid"
                except LookupError as exc:
                    outcome, detail = "error", str(exc)
                finally:
                    target.write_text(original, encoding="utf-8")
                    cached.unlink(missing_ok=True)
                seconds = round(time.monotonic() - started, 1)
                record = {**asdict(mutant), "outcome": outcome, "s": seconds}
                if detail:
                    record["detail"] = detail
                out.write(json.dumps(record) + "\n")
                out.flush()
                print(f"{outcome:8} {seconds:5.1f}s {mutant.name}", flush=True)
                if detail:
                    print(f"         {detail[-400:]}", flush=True)
    finally:
        if os.environ.get("MUTATION_KEEP") is None:
            shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------- driver


def select(modules: list[str] | None, root: Path = ROOT) -> list[Path]:
    """The core modules to mutate: all, or those whose path contains one of ``modules``."""
    paths = sorted((root / CORE.relative_to(ROOT)).rglob("*.py"))
    if modules:
        paths = [p for p in paths if any(m in str(p.relative_to(root)) for m in modules)]
    return paths


def _only(mutant: Mutant, wanted: list[str]) -> bool:
    """Whether ``mutant`` is one of ``--only``'s ``FILE:LINE`` or ``FILE:LINE:TEXT`` (FILE a
    path fragment; TEXT, if given, a part of the description such as ```10` → `11```)."""
    for item in wanted:
        fragment, line, text = (*item.split(":", 2), "")[:3]
        if fragment in mutant.path and str(mutant.line) == line and text in mutant.description:
            return True
    return False


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
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="FILE:LINE[:TEXT]",
        help="only the mutants on these lines, e.g. people/identifiers.py:164, or those of a "
        "line whose description contains TEXT: 'people/identifiers.py:37:`19` → `20`'",
    )
    parser.add_argument("--worker", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        worker(args.worker[0], args.worker[1], args.worker[2], args.timeout)
        return 0

    # one snapshot of the tree for the whole run: the mutants are enumerated from it and
    # every worker copies it, so editing the working tree during a run changes nothing
    work = Path(tempfile.mkdtemp(prefix="mutation-run-"))
    snapshot = work / "snapshot"
    shutil.copytree(ROOT, snapshot, ignore=IGNORED)
    modules = select(args.modules, snapshot)
    mutants = [m for path in modules for m in mutants_of(path, snapshot)]
    print(f"{len(mutants)} mutants in {len(modules)} modules")
    if args.only:
        mutants = [m for m in mutants if _only(m, args.only)]
        print(f"{len(mutants)} on the lines {' '.join(args.only)}")
    earlier: list[dict[str, object]] = []
    if args.rerun:
        earlier = [json.loads(line) for line in args.rerun.read_text().splitlines()]
        again = {(r["path"], r["node"], r["operator"], r["arg"], r["description"])
                 for r in earlier if r["outcome"] != "killed"}  # fmt: skip
        earlier = [r for r in earlier if r["outcome"] == "killed"]
        mutants = [
            m for m in mutants if (m.path, m.node, m.operator, m.arg, m.description) in again
        ]
        print(f"running again the {len(mutants)} not killed in {args.rerun}")
    elif args.sample and args.sample < len(mutants):
        mutants = sorted(
            random.Random(args.seed).sample(mutants, args.sample), key=lambda m: (m.path, m.line)
        )
        print(f"sampled {len(mutants)} (seed {args.seed})")
    if args.list:
        if args.only:
            print("\n".join(f"  {m.name}" for m in mutants))
        shutil.rmtree(work, ignore_errors=True)
        return 0

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
                    str(snapshot),
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
    shutil.rmtree(snapshot, ignore_errors=True)
    if args.report:  # the default report lives in the run's folder: keep it
        shutil.rmtree(work, ignore_errors=True)
    return 1 if any(failed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
