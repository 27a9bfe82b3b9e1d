"""CSV export: one row per fact, plus a report-level CSV."""
import csv
from pathlib import Path
from typing import Any, Dict, List, Optional, TextIO

FACT_COLUMNS = ("source", "section", "channel", "metric", "value", "unit", "approx",
                "sentence_start", "sentence_end")
REPORT_COLUMNS = ("source", "title", "institution", "date", "period_start", "period_end",
                  "period_kind", "sections_present", "sections_missing")


def write_csv(docs: List[Dict[str, Any]], out: TextIO, report_path: Optional[Path] = None) -> None:
    """Write the facts of documents as CSV, and their report records to `report_path`.

    docs (List[dict]): `xxgk-nlp/1` documents.
    out (TextIO): Stream for the facts CSV.
    report_path (Optional[Path]): Where to write the report-level CSV (skipped if None).
    """
    writer = csv.writer(out)
    writer.writerow(FACT_COLUMNS)
    for doc in docs:
        for fact in doc.get("facts", []):
            sentence = fact.get("sentence") or [None, None]
            writer.writerow([doc.get("source"), fact.get("section"), fact.get("channel"),
                             fact.get("metric"), fact.get("value"), fact.get("unit"),
                             fact.get("approx"), sentence[0], sentence[1]])
    if report_path is None:
        return
    indicator_keys: List[str] = []
    for doc in docs:
        for key in (doc["report"].get("indicators") or {}):
            if key not in indicator_keys:
                indicator_keys.append(key)
    with open(report_path, "w", encoding="utf-8", newline="") as fh:
        rw = csv.writer(fh)
        rw.writerow(list(REPORT_COLUMNS) + indicator_keys)
        for doc in docs:
            rep = doc["report"]
            period = rep.get("period") or {}
            ind = rep.get("indicators") or {}
            rw.writerow([doc.get("source"), rep.get("title"), rep.get("institution"), rep.get("date"),
                         period.get("start"), period.get("end"), period.get("kind"),
                         ";".join(rep.get("sections_present") or []),
                         ";".join(rep.get("sections_missing") or [])]
                        + [ind.get(k) for k in indicator_keys])
