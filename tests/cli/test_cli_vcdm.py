"""``registry verify`` of credential documents against VCDM 2.0 (offline, no registry):
the ``data_model`` checks and rdfc proofs, as the VC-API answers them."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from registry.cli.main import cli
from registry.settings import SETTING_DOCS
from tests.support.vectors_dataintegrity import rdfc_suite

VECTOR = rdfc_suite()


@pytest.fixture
def offline(monkeypatch, tmp_path) -> CliRunner:
    """No registry here: only REGISTRY_DATA_DIR, naming a folder that does not exist."""
    for doc in SETTING_DOCS:
        monkeypatch.delenv(doc.name, raising=False)
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(tmp_path / "nothing-here"))
    return CliRunner()


def verify_json(runner: CliRunner, tmp_path, document: object) -> tuple[int, dict]:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(cli, ["verify", str(path), "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, json.loads(result.stdout)


def test_the_rdfc_vector_is_read_and_judged_like_the_jcs_one(offline, tmp_path):
    exit_code, answer = verify_json(offline, tmp_path, VECTOR.signed)
    assert exit_code == 1
    codes = {c["check"]: c["code"] for c in answer["checks"]}
    assert codes["data_model"] == "DATA_MODEL_VALID"
    assert codes["signature"] == "KEY_NOT_CONTROLLED_BY_ISSUER"


def test_a_broken_data_model_names_its_codes(offline, tmp_path):
    document = copy.deepcopy(VECTOR.signed)
    document["issuer"] = "fake-issuer"
    document["id"] = "credential 1"
    exit_code, answer = verify_json(offline, tmp_path, document)
    assert exit_code == 1 and answer["verified"] is False
    failed = [
        (c["code"], c["detail"]["pointer"]) for c in answer["checks"] if c["check"] == "data_model"
    ]
    assert failed == [("VC_ID_INVALID", "/id"), ("VC_ISSUER_INVALID", "/issuer")]
