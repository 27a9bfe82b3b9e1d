"""The JSON document of CONTRACT.md, built from a processed Doc."""
import os
from typing import Any, Dict, List, Optional

from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .errors import Errors
from .extensions import doc_text
from .layout import TextView

SCHEMA = "xxgk-nlp/1"
INDICATORS = ("proactive_total", "requests_received", "complaints",
              "administrative_reviews", "lawsuits")


def empty_report() -> Dict[str, Any]:
    """A report record with every field present and nothing stated."""
    return {
        "title": None, "institution": None, "date": None, "period": None,
        "indicators": {key: None for key in INDICATORS},
        "sections_present": [], "sections_missing": [],
    }


def doc_to_dict(doc: Doc, style: str = "university", source: Optional[str] = None) -> Dict[str, Any]:
    """Serialise a processed Doc to the `xxgk-nlp/1` JSON document.

    doc (Doc): A Doc processed by an xxgk-nlp pipeline.
    style (str): The style name recorded in the document.
    source (Optional[str]): The input path, if any.
    RETURNS (Dict[str, Any]): The JSON-ready document.
    """
    for what, value, ok, expected in (
            ("doc", doc, isinstance(doc, Doc), "a spaCy Doc from nlp(text)"),
            ("style", style, isinstance(style, str), "a str"),
            ("source", source, source is None or isinstance(source, (str, os.PathLike)),
             "a str path or None")):
        if not ok:
            raise TypeError(Errors.E009.format(what=what, expected=expected, got=value,
                                               type=type(value).__name__))
    source = None if source is None else os.fspath(source)
    view = TextView.from_doc(doc)
    text = doc_text(doc)

    report = empty_report()
    for key, value in (doc._.report or {}).items():
        if key == "indicators" and isinstance(value, dict):
            report["indicators"].update(value)
        else:
            report[key] = value
    headings: List[Dict[str, Any]] = [
        {"level": s._.level, "number": s._.number, "title": s._.title, "kind": s._.kind,
         "start": s.start_char, "end": s.end_char}
        for s in doc.spans.get("headings", [])
    ]
    entities = [
        {"label": e.label_, "text": view.clean_text(e.start_char, e.end_char), "start": e.start_char, "end": e.end_char,
         "attrs": dict(e._.attrs or {})}
        for e in doc.ents
    ]
    return {
        "schema": SCHEMA,
        "style": style,
        "source": source,
        "text": text,
        "clean_text": doc._.clean_text if doc._.clean_text is not None else text,
        "report": report,
        "headings": headings,
        "entities": entities,
        "facts": list(doc._.facts or []),
    }
