"""A self-contained HTML view of a processed report (displaCy, span style)."""
import html
from typing import Dict, Optional

from spacy import displacy
from spacy.tokens import Doc

from . import extensions  # noqa: F401

SHOW_KEY = "xxgk_show"
COLORS: Dict[str, str] = {
    "HEADING": "#ffd166", "DOC_NUMBER": "#ef476f", "DOC_TITLE": "#f78c6b", "INSTITUTION": "#06d6a0",
    "AUTHORITY": "#118ab2", "DEPARTMENT": "#73d2de", "CHANNEL": "#9b5de5", "QUANTITY": "#f15bb5",
    "DATE": "#00bbf9", "PERIOD": "#00f5d4", "URL": "#adb5bd", "PHONE": "#c9ada7", "EMAIL": "#b5838d",
}


def render_html(doc: Doc, title: Optional[str] = None) -> str:
    """Render headings and entities of a Doc as one self-contained HTML page.

    doc (Doc): A Doc processed by an xxgk-nlp pipeline.
    title (Optional[str]): Page title (default: the report title).
    RETURNS (str): The HTML page.
    """
    spans = [h for h in doc.spans.get("headings", [])]
    heading_spans = []
    for h in spans:
        span = doc[h.start:h.end]
        span.label_ = f"HEADING {h._.level}" + (f" · {h._.kind}" if h._.kind else "")
        heading_spans.append(span)
    doc.spans[SHOW_KEY] = heading_spans + list(doc.ents)
    colors = dict(COLORS)
    for span in heading_spans:
        colors[span.label_] = COLORS["HEADING"]
    body = displacy.render(doc, style="span", page=False, jupyter=False,
                           options={"spans_key": SHOW_KEY, "colors": colors})
    del doc.spans[SHOW_KEY]
    report = doc._.report or {}
    page_title = html.escape(title or report.get("title") or "xxgk-nlp")
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in (("institution", report.get("institution")), ("date", report.get("date")),
                     ("period", report.get("period")), ("indicators", report.get("indicators")),
                     ("sections missing", report.get("sections_missing"))))
    legend = "".join(f'<span class="legend" style="background:{c}">{html.escape(k)}</span>'
                     for k, c in COLORS.items())
    return (
        "<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
        f"<title>{page_title}</title><style>"
        "body{font-family:sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #ccc;"
        "padding:.2em .5em;text-align:left;font-size:.9em}"
        ".legend{display:inline-block;padding:.1em .4em;margin:.1em;border-radius:3px;font-size:.8em}"
        "</style></head><body>"
        f"<h1>{page_title}</h1><table>{rows}</table><div>{legend}</div>{body}</body></html>"
    )
