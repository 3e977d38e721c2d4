"""A review session (评审批次) as a bureau handles it: the template header from the
``registry`` command, a CSV filled with one engineer a row, the command's runs and the
results file each run writes. The engineers' ID numbers are made with ``demo_id_number``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

from features.steps.command import run_registry
from registry.demo.data import QINGPU, QINGPU_BUREAU, demo_id_number
from registry.settings import Settings

TITLE = "ProfessionalTitleCredential"
ENGINEERS = (  # name, birth date
    ("孙浩然", "19880315"),
    ("周雅琴", "19910704"),
    ("吴俊杰", "19860922"),
    ("郑思敏", "19930118"),
)
CHECK_CHARACTERS = "0123456789X"


def engineer_id_number(number: int) -> str:
    """The valid ID number of the ``number``-th engineer of the session (from 1)."""
    return demo_id_number(QINGPU, ENGINEERS[number - 1][1], 990 + number)


def wrong_check(id_number: str) -> str:
    """The same ID number with another check character."""
    return id_number[:-1] + CHECK_CHARACTERS.replace(id_number[-1], "")[0]


def engineer_cells(number: int) -> dict[str, str]:
    """The ``number``-th engineer's intermediate title, by template column."""
    return {
        "name": ENGINEERS[number - 1][0],
        "idNumber": engineer_id_number(number),
        "professionalTitle.series": "工程技术",
        "professionalTitle.specialty": "电气工程",
        "professionalTitle.level": "中级",
        "professionalTitle.titleName": "工程师",
        "professionalTitle.obtainedBy": "评审",
        "professionalTitle.obtainedOn": "2026-11-20",
        "professionalTitle.approvalNumber": "青人社职〔2026〕12号",
        "professionalTitle.certificateNumber": f"QP-2026-{number:04d}",
        "professionalTitle.employer": "青浦演示电气有限公司",
    }


@dataclass
class Run:
    """One ``registry batch issue``: what it printed, the results file it wrote (if any)
    and the log's size just before it."""

    command: CompletedProcess[str]
    results_text: str | None
    log_size_before: int

    @property
    def results(self) -> list[dict[str, str]]:
        """The results file's lines, by column name."""
        assert self.results_text is not None, "this run wrote no results file"
        return list(csv.DictReader(io.StringIO(self.results_text)))


@dataclass
class ReviewSheet:
    """The bureau's sheet (row 1 the header, engineer ``n`` on row ``n + 1``) and its runs."""

    path: Path
    header: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)

    @property
    def results_path(self) -> Path:
        """Where ``registry batch issue`` writes the results when not told otherwise."""
        return self.path.with_name(self.path.name + ".results.csv")

    def cells(self, row: int) -> dict[str, str]:
        """The cells of sheet row ``row`` (2 for the first engineer)."""
        return self.rows[row - 2]

    def write(self) -> None:
        """Save the sheet as a UTF-8 CSV with a BOM, as spreadsheet programs do."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        for cells in self.rows:
            writer.writerow([cells.get(column, "") for column in self.header])
        self.path.write_bytes(out.getvalue().encode("utf-8-sig"))

    @property
    def last(self) -> Run:
        assert self.runs, "registry batch issue has not been run"
        return self.runs[-1]

    def result(self, row: int, run: int = -1) -> dict[str, str]:
        """The results file's line for sheet row ``row`` after a run (the last by default)."""
        results = self.runs[run].results
        found = [line for line in results if line["row"] == str(row)]
        assert len(found) == 1, results
        return found[0]


def template_header(settings: Settings, record_type: str = TITLE) -> list[str]:
    """The header row ``registry batch template`` prints for a record type."""
    completed = run_registry(settings, "batch", "template", record_type)
    assert completed.returncode == 0, completed.stderr
    return next(csv.reader(io.StringIO(completed.stdout)))


def log_size(client: Any) -> int:
    """The size of the transparency log's latest signed tree head."""
    response = client.get("/log/head")
    assert response.status_code == 200, response.text
    return int(response.json()["treeSize"])


def issued_since(client: Any, start: int) -> list[str]:
    """The record ids of the ``issued`` events the log gained from leaf ``start`` on."""
    end = log_size(client)
    if end <= start:
        return []
    response = client.get("/log/entries", params={"start": start, "end": end})
    assert response.status_code == 200, response.text
    events = [entry["event"] for entry in response.json()["entries"]]
    return [event["record"] for event in events if event["event"] == "issued"]


def issue_sheet(client: Any, settings: Settings, sheet: ReviewSheet, session_key: str) -> Run:
    """Run ``registry batch issue`` on the sheet as the Qingpu bureau; the run is kept."""
    before = log_size(client)
    completed = run_registry(
        settings, "batch", "issue", str(sheet.path), "--type", TITLE,
        "--session", session_key, "--issuer", QINGPU_BUREAU.uscc,
    )  # fmt: skip
    results = None
    if sheet.results_path.exists():
        results = sheet.results_path.read_text(encoding="utf-8")
        sheet.results_path.unlink()  # each run's results are its own
    run = Run(completed, results, before)
    sheet.runs.append(run)
    return run
