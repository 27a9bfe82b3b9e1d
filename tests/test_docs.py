"""Every top-level ```python block of the user-facing docs runs (one namespace per file,
from the repository root, so paths such as corpus/ resolve). Illustrative fragments
that cannot run on their own are fenced as ```py instead."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
FILES = sorted(p for p in (ROOT / "docs").glob("*.md") if BLOCK.search(p.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_doc_examples_run(path, monkeypatch):
    monkeypatch.chdir(ROOT)
    namespace = {"__name__": f"docs_{path.stem}"}
    for i, block in enumerate(BLOCK.findall(path.read_text(encoding="utf-8"))):
        exec(compile(block, f"{path.name}[block {i}]", "exec"), namespace)
