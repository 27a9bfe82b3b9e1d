"""The displaCy page of `xxgk-nlp show`, and how it looks in a real browser."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xxgk_nlp.display import COLORS, render_html

from .conftest import CORPUS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_render_html_shows_headings_and_entities(seed_docs):
    _, _, doc = seed_docs["002_f5b593b1beff7260"]
    page = render_html(doc)
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert "HEADING 1 · overview" in page and "HEADING 2" in page
    for label in ("CHANNEL", "QUANTITY", "INSTITUTION", "URL"):
        assert label in page
    assert "<script" not in page and "http-equiv" not in page  # self-contained, no assets
    assert "xxgk_show" not in doc.spans  # the Doc is left as it was


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed")
def test_page_renders_in_headless_chromium(tmp_path):
    seed = sorted((CORPUS / "university" / "seeds").glob("*.txt"))[2]
    page = tmp_path / "show.html"
    script = Path(sys.executable).parent / "xxgk-nlp"
    subprocess.run([str(script), "show", str(seed), "--html", str(page)], check=True,
                   capture_output=True)
    shot = tmp_path / "show.png"
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                    "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert shot.read_bytes().startswith(b"\x89PNG")
    image = pytest.importorskip("PIL.Image")
    colours = dict((rgb, n) for n, rgb in image.open(shot).convert("RGB").getcolors(1 << 24))
    counts = {}
    for label in ("HEADING", "QUANTITY", "CHANNEL", "INSTITUTION"):
        rgb = tuple(int(COLORS[label][i:i + 2], 16) for i in (1, 3, 5))
        counts[label] = colours.get(rgb, 0)
    # headings and coloured entities are drawn (the screenshot in docs/show.png was checked by eye)
    assert all(n > 50 for n in counts.values()), counts
