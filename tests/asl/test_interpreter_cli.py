"""python -m asl validate|run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asl.__main__ import main

GOOD = {
    "StartAt": "Add",
    "States": {
        "Add": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "End": True}
    },
}
BROKEN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}


def write(tmp_path: Path, name: str, value: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(value))
    return str(path)


def test_it_accepts_a_valid_definition(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", write(tmp_path, "good.json", GOOD)]) == 0
    assert "valid" in capsys.readouterr().out


def test_it_lists_diagnostics_and_exits_1_for_an_invalid_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", write(tmp_path, "broken.json", BROKEN)]) == 1
    assert "/States/A/Next" in capsys.readouterr().out


def test_it_runs_a_definition_with_input_from_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write(tmp_path, "input.json", {"n": 41})
    assert main(["run", write(tmp_path, "good.json", GOOD), "--input", f"@{data}"]) == 0
    assert json.loads(capsys.readouterr().out) == {"status": "SUCCEEDED", "output": {"n": 42}}
