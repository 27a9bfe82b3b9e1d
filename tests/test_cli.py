"""The real `xxgk-nlp` console script, run in a subprocess."""
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS

SCRIPT = Path(sys.executable).parent / "xxgk-nlp"
if not SCRIPT.exists():
    SCRIPT = Path(shutil.which("xxgk-nlp") or "xxgk-nlp")

pytestmark = pytest.mark.slow


def run(*args, **kw):
    return subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    seeds = sorted((CORPUS / "university" / "seeds").glob("*.txt"))
    (folder / "a_utf8.txt").write_bytes(seeds[2].read_bytes())
    (folder / "b_gb18030.txt").write_bytes(seeds[2].read_text(encoding="utf-8").encode("gb18030"))
    (folder / "c_utf16.txt").write_bytes(seeds[0].read_text(encoding="utf-8").encode("utf-16"))
    (folder / "d_broken.txt").write_bytes(b"\x00\x01binary\x00")
    return folder


def test_extract_folder_with_mixed_encodings_and_a_broken_file(mixed_folder, tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("extract", mixed_folder, "--format", "jsonl", "--out", out)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("xxgk-nlp: error:")]
    assert len(errors) == 1 and "d_broken.txt" in errors[0]
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(d["source"]).name for d in docs] == ["a_utf8.txt", "b_gb18030.txt", "c_utf16.txt"]
    assert docs[0]["headings"] == docs[1]["headings"]  # same report, two encodings
    assert docs[0]["report"]["title"].startswith("长春理工大学")


def test_extract_single_file_json(tmp_path):
    seed = sorted((CORPUS / "university" / "seeds").glob("*.txt"))[0]
    result = run("extract", seed)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "xxgk-nlp/1" and doc["source"] == str(seed)


def test_extract_summary_and_csv(tmp_path):
    seeds = CORPUS / "university" / "seeds"
    result = run("extract", seeds, "--format", "summary")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("== ") == 5 and "title:" in result.stdout
    out = tmp_path / "facts.csv"
    result = run("extract", seeds, "--format", "csv", "--out", out)
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["source", "section", "channel"]
    with (tmp_path / "facts.reports.csv").open(encoding="utf-8") as fh:
        reports = list(csv.reader(fh))
    assert len(reports) == 6 and reports[0][:2] == ["source", "title"]


def test_unknown_style_and_missing_file(tmp_path):
    result = run("extract", tmp_path / "nope.txt")
    assert result.returncode == 1 and "E605" in result.stderr
    result = run("extract", tmp_path, "--style", "hospital")
    assert result.returncode == 2 and "E001" in result.stderr


def test_help_lists_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("extract", "styles"):
        assert command in result.stdout
