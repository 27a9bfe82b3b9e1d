"""The annotated corpus: JSONL format, converter, validator and loaders.

A corpus file holds one report per line (docs/evaluation.md):

    {"id": "000_c6d877f868ca2807", "style": "university", "source": "…",
     "guideline": "1.0", "text": "<raw report text>",
     "headings": [{"level": 1, "number": "一", "title": "信息公开工作概述",
                   "kind": "overview", "start": 151, "end": 159}],
     "entities": [{"label": "INSTITUTION", "text": "北京理工大学", "start": 1,
                   "end": 7, "attrs": {}}],
     "report": {"title": "…", "institution": "…", "period": {…}, "indicators": {…}}}

`start`/`end` are character offsets into `text` (heading offsets cover the
title); span texts are compared with `text[start:end]` whitespace-insensitively.
`load()` reads such files into a `datasets.Dataset`; `to_examples()` and
`to_docbin()` turn it into spaCy training/evaluation data.
"""
import json
import math
import re
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.vocab import Vocab

from . import extensions  # noqa: F401
from .document import doc_to_dict
from .errors import Errors

GUIDELINE_VERSION = "1.0"
LABELS = ("DOC_NUMBER", "DOC_TITLE", "INSTITUTION", "AUTHORITY", "DEPARTMENT", "CHANNEL",
          "QUANTITY", "DATE", "PERIOD", "URL", "PHONE", "EMAIL")
HEADING_KINDS = ("overview", "proactive", "on_request", "evaluation", "complaints",
                 "improvements", "other", "checklist", None)
APPROX = ("exact", "about", "at_least", "at_most")
CHANNEL_KINDS = ("website", "weibo", "wechat", "video", "news_app", "app", "print", "broadcast",
                 "board", "mailbox", "hotline", "meeting", "oa", "im", "email", "other")
PERIOD_KINDS = ("academic_year", "range")
DOC_NUMBER_KINDS = ("document", "order")
RECORD_FIELDS = ("id", "style", "source", "guideline", "text", "headings", "entities", "report")
HEADING_FIELDS = ("level", "number", "title", "kind", "start", "end")
ENTITY_FIELDS = ("label", "text", "start", "end", "attrs")
# Attributes an entity of the label must carry (ANNOTATION.md §2).
REQUIRED_ATTRS = {
    "QUANTITY": ("value", "approx"),
    "DOC_NUMBER": ("serial", "kind"),
    "CHANNEL": ("kind",),
    "DATE": ("iso",),
    "PERIOD": ("start", "end", "kind"),
}
ISO_DATE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}(?:-\d{2})?)$")
WHITESPACE = re.compile(r"\s+")
SURROGATE = re.compile("[\ud800-\udfff]")
HEADING_NUMBER_SEP = r"\s*[、.．,，]?\s*"
MAX_MESSAGES = 20

PathLike = Union[str, Path]


def norm(text: Optional[str]) -> str:
    """Remove all whitespace: the comparison form of span texts (ANNOTATION.md).

    text (Optional[str]): A text or None.
    RETURNS (str): The text without whitespace ("" for None).
    """
    return WHITESPACE.sub("", text or "")


# --- paths -------------------------------------------------------------------


def default_corpus_dir() -> Path:
    """The bundled corpus: `./corpus` if present, else the source checkout's `corpus/`.

    The corpus is data of the repository, not of the installed package, so a
    source checkout (`pip install -e .`) finds it next to the package folder.
    RETURNS (Path): The corpus folder.
    """
    here = Path("corpus")
    if here.is_dir():
        return here
    import xxgk_nlp

    return Path(xxgk_nlp.__file__).resolve().parent.parent / "corpus"


# --- converting gold annotation files ---------------------------------------


def _loose(text: str) -> str:
    return r"\s*".join(re.escape(c) for c in norm(text))


def _locate(raw: str, text: str, pos: int, endpos: Optional[int] = None
            ) -> Optional[Tuple[int, int]]:
    if not norm(text):
        return None
    match = re.compile(_loose(text)).search(raw, pos, len(raw) if endpos is None else endpos)
    return match.span() if match else None


def _matches(text: str, span: Dict[str, Any], expected: Optional[str]) -> bool:
    start, end = span.get("start"), span.get("end")
    return (_is_int(start) and _is_int(end) and 0 <= start < end <= len(text)
            and norm(text[start:end]) == norm(expected))


def locate_spans(record: Dict[str, Any]) -> Tuple[Dict[str, Any], List[str]]:
    """Fill in or repair span offsets from the span texts, in document order.

    An annotator who adds or edits an entity or heading may leave `start`/`end`
    out (or wrong): the text is then searched whitespace-insensitively after the
    previous span (then from the start of the report). Offsets that already
    match their text are kept.

    record (Dict[str, Any]): A corpus record (`text`, `entities`, `headings`).
    RETURNS (Tuple[Dict[str, Any], List[str]]): The repaired copy and a message
        (E510) for every span whose text was not found.
    """
    record = normalize_record(record)
    text, problems = record["text"] or "", []
    for field, key in (("entities", "text"), ("headings", "title")):
        pos = 0
        for i, span in enumerate(record[field]):
            if not _matches(text, span, span.get(key)):
                where = _locate(text, span.get(key) or "", pos) or _locate(text, span.get(key) or "", 0)
                if where is None:
                    problems.append(Errors.E510.format(path=record["id"], what=f"{field}[{i}]",
                                                       text=span.get(key), pos=pos))
                    continue
                span["start"], span["end"] = where
            pos = span["end"]
    return record, problems


def gold_to_record(gold_path: PathLike) -> Dict[str, Any]:
    """Convert a gold annotation file (`<style>/gold/*.json`) to a corpus record.

    The gold file names its raw text (`raw_file`, relative to the style folder)
    and lists headings and entities in document order, with `raw_start`/`raw_end`
    offsets if `check_gold.py` added them; missing offsets are found by searching
    the text whitespace-insensitively after the previous span.

    gold_path (PathLike): The gold JSON file.
    RETURNS (Dict[str, Any]): The corpus record (not yet validated).
    """
    gold_path = Path(gold_path)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    raw_file = gold.get("raw_file") or f"seeds/{gold_path.stem}.txt"
    raw = (gold_path.parent.parent / raw_file).read_text(encoding="utf-8")
    rec_id = str(gold.get("id") or gold_path.stem)
    style = gold.get("style") or gold_path.parent.parent.name
    headings: List[Dict[str, Any]] = []
    pos = 0
    for h in gold.get("headings", []):
        number, title = h.get("number") or "", h.get("title") or ""
        if "raw_start" in h:
            where: Optional[Tuple[int, int]] = (h["raw_start"], h["raw_end"])
        else:
            found = re.compile(_loose(number) + HEADING_NUMBER_SEP + _loose(title)).search(raw, pos)
            where = found.span() if found else None
        if where is None:
            raise ValueError(Errors.E510.format(path=gold_path, what="heading", text=title, pos=pos))
        # the corpus offsets cover the title, as the pipeline's heading spans do
        lead = re.compile(_loose(number) + HEADING_NUMBER_SEP).match(raw, where[0])
        title_at = _locate(raw, title, lead.end() if lead else where[0], where[1])
        start, end = title_at if title_at else where
        headings.append({"level": h.get("level"), "number": number, "title": title,
                         "kind": h.get("kind"), "start": start, "end": end})
        pos = where[1]
    entities: List[Dict[str, Any]] = []
    pos = 0
    for e in gold.get("entities", []):
        if "raw_start" in e:
            where = (e["raw_start"], e["raw_end"])
        else:
            where = _locate(raw, e.get("text", ""), pos)
        if where is None:
            raise ValueError(Errors.E510.format(path=gold_path, what=e.get("label"),
                                                text=e.get("text"), pos=pos))
        entities.append({"label": e.get("label"), "text": e.get("text"), "start": where[0],
                         "end": where[1], "attrs": e.get("attrs") or {}})
        pos = where[1]
    return {
        "id": rec_id, "style": style,
        "source": gold.get("source") or f"{style}/{raw_file}",
        "guideline": gold.get("guideline") or GUIDELINE_VERSION,
        "text": raw, "headings": headings, "entities": entities,
        "report": gold.get("report") or {},
    }


def gold_dirs(corpus_dir: PathLike) -> Dict[str, Path]:
    """Find the `<style>/gold/` folders of a corpus folder.

    corpus_dir (PathLike): A folder such as `corpus/`.
    RETURNS (Dict[str, Path]): Style name → gold folder, sorted by style.
    """
    root = Path(corpus_dir)
    return {p.parent.name: p for p in sorted(root.glob("*/gold")) if p.is_dir()}


def convert_gold_dir(gold_dir: PathLike) -> List[Dict[str, Any]]:
    """Convert and validate every `*.json` of a gold folder.

    gold_dir (PathLike): A `<style>/gold` folder.
    RETURNS (List[Dict[str, Any]]): Valid records, sorted by id.
    """
    records = [gold_to_record(p) for p in sorted(Path(gold_dir).glob("*.json"))]
    check_records(records, source=str(gold_dir))
    return sorted(records, key=lambda r: r["id"])


def build_corpus(corpus_dir: Optional[PathLike] = None) -> Dict[str, Path]:
    """Write `<corpus_dir>/<style>.jsonl` from every `<corpus_dir>/<style>/gold/`.

    corpus_dir (Optional[PathLike]): The corpus folder (default: the bundled one).
    RETURNS (Dict[str, Path]): Style → the JSONL file written.
    """
    root = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    written: Dict[str, Path] = {}
    for style, folder in gold_dirs(root).items():
        out = root / f"{style}.jsonl"
        write_jsonl(convert_gold_dir(folder), out)
        written[style] = out
    return written


def write_jsonl(records: Iterable[Dict[str, Any]], path: PathLike) -> None:
    """Write records as JSONL (UTF-8, one record a line, fields in schema order).

    records (Iterable[Dict[str, Any]]): Corpus records.
    path (PathLike): The output file.
    """
    with Path(path).open("w", encoding="utf-8") as f:
        for record in records:
            f.write(dumps_record(record) + "\n")


def dumps_record(record: Dict[str, Any]) -> str:
    """One record as a JSON line (fields in schema order, no ASCII escaping).

    record (Dict[str, Any]): A corpus record.
    RETURNS (str): The JSON text, without a newline.
    """
    return json.dumps(normalize_record(record), ensure_ascii=False)


def normalize_record(record: Dict[str, Any]) -> Dict[str, Any]:
    """A record with exactly the schema fields, in schema order, defaults filled.

    record (Dict[str, Any]): A corpus record.
    RETURNS (Dict[str, Any]): The normalised copy.
    """
    return {
        "id": record.get("id"), "style": record.get("style") or "university",
        "source": record.get("source"), "guideline": record.get("guideline"),
        "text": record.get("text"),
        "headings": [{k: h.get(k) for k in HEADING_FIELDS} for h in record.get("headings") or []],
        "entities": [{**{k: e.get(k) for k in ENTITY_FIELDS}, "attrs": e.get("attrs") or {}}
                     for e in record.get("entities") or []],
        "report": record.get("report") or {},
    }


# --- validation ----------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _check_offsets(rec_id: str, field: str, span: Dict[str, Any], text: str,
                   expected: Optional[str]) -> List[str]:
    start, end = span.get("start"), span.get("end")
    if not (_is_int(start) and _is_int(end) and 0 <= start < end <= len(text)):
        return [Errors.E506.format(id=rec_id, field=field, start=start, end=end, length=len(text))]
    if expected is not None and norm(text[start:end]) != norm(expected):
        return [Errors.E501.format(id=rec_id, field=field, text=expected, start=start, end=end,
                                   found=text[start:end])]
    return []


def _check_attrs(rec_id: str, field: str, label: str, attrs: Dict[str, Any]) -> List[str]:
    errors = []

    def bad(key: str, reason: str) -> None:
        errors.append(Errors.E503.format(id=rec_id, field=f"{field}.attrs.{key}", label=label,
                                         reason=reason))

    for key in REQUIRED_ATTRS.get(label, ()):
        if key not in attrs:
            bad(key, "is missing")
    if label == "QUANTITY":
        if "value" in attrs and not _is_number(attrs["value"]):
            bad("value", f"must be a number, got {attrs['value']!r}")
        if "approx" in attrs and attrs["approx"] not in APPROX:
            bad("approx", f"must be one of {', '.join(APPROX)}, got {attrs['approx']!r}")
        if attrs.get("unit") is not None and not isinstance(attrs["unit"], str):
            bad("unit", f"must be a string or null, got {attrs['unit']!r}")
        rng = attrs.get("range")
        if rng is not None and not (isinstance(rng, list) and len(rng) == 2
                                    and all(_is_number(v) for v in rng)):
            bad("range", f"must be [low, high], got {rng!r}")
    elif label == "DOC_NUMBER":
        if "serial" in attrs and not _is_int(attrs["serial"]):
            bad("serial", f"must be an int, got {attrs['serial']!r}")
        if attrs.get("year") is not None and not _is_int(attrs["year"]):
            bad("year", f"must be an int or null, got {attrs['year']!r}")
        if "kind" in attrs and attrs["kind"] not in DOC_NUMBER_KINDS:
            bad("kind", f"must be one of {', '.join(DOC_NUMBER_KINDS)}, got {attrs['kind']!r}")
    elif label == "CHANNEL":
        if "kind" in attrs and attrs["kind"] not in CHANNEL_KINDS:
            bad("kind", f"must be a channel kind of ANNOTATION §2, got {attrs['kind']!r}")
    elif label == "DATE":
        if "iso" in attrs and not (isinstance(attrs["iso"], str) and ISO_DATE.match(attrs["iso"])):
            bad("iso", f"must be YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD, got {attrs['iso']!r}")
    elif label == "PERIOD":
        for key in ("start", "end"):
            value = attrs.get(key)
            if value is not None and not (isinstance(value, str) and ISO_DATE.match(value)):
                bad(key, f"must be an ISO date string, got {value!r}")
        if "kind" in attrs and attrs["kind"] not in PERIOD_KINDS:
            bad("kind", f"must be one of {', '.join(PERIOD_KINDS)}, got {attrs['kind']!r}")
    elif label == "DOC_TITLE":
        if attrs.get("doc_number") is not None and not isinstance(attrs["doc_number"], str):
            bad("doc_number", f"must be a string or null, got {attrs['doc_number']!r}")
    return errors


def _check_report(rec_id: str, report: Any) -> List[str]:
    if not isinstance(report, dict):
        return [Errors.E507.format(id=rec_id, field="report", reason="must be an object")]
    errors = []
    for key in ("title", "institution", "date"):
        if report.get(key) is not None and not isinstance(report[key], str):
            errors.append(Errors.E507.format(id=rec_id, field=f"report.{key}",
                                             reason="must be a string or null"))
    period = report.get("period")
    if period is not None:
        if not isinstance(period, dict):
            errors.append(Errors.E507.format(id=rec_id, field="report.period",
                                             reason="must be an object or null"))
        elif period.get("kind") not in PERIOD_KINDS + (None,):
            errors.append(Errors.E507.format(id=rec_id, field="report.period.kind",
                                             reason=f"must be one of {', '.join(PERIOD_KINDS)}"))
    indicators = report.get("indicators", {})
    if not isinstance(indicators, dict):
        return errors + [Errors.E507.format(id=rec_id, field="report.indicators",
                                            reason="must be an object")]
    for key, value in indicators.items():
        if value is not None and not _is_number(value):
            errors.append(Errors.E507.format(id=rec_id, field=f"report.indicators.{key}",
                                             reason=f"must be a number or null, got {value!r}"))
    return errors


def validate_record(record: Any) -> List[str]:
    """Check a corpus record against the format and the annotation guideline.

    Checks: required fields and types; offsets inside the text; span texts equal
    to the text at their offsets (whitespace-insensitive); known labels; the
    attributes of QUANTITY, DOC_NUMBER, CHANNEL, DATE, PERIOD and DOC_TITLE;
    entities in document order without overlaps; heading level 1-4 and kind;
    the report record's types.

    record (Any): A parsed JSON line.
    RETURNS (List[str]): Error messages naming the record id and field; empty if valid.
    """
    if not isinstance(record, dict):
        return [Errors.E507.format(id=None, field="<record>", reason="must be a JSON object")]
    rec_id = record.get("id")
    errors: List[str] = []
    if not isinstance(rec_id, str) or not rec_id:
        errors.append(Errors.E507.format(id=rec_id, field="id", reason="must be a non-empty string"))
    for key in record:
        if key not in RECORD_FIELDS:
            errors.append(Errors.E507.format(id=rec_id, field=key, reason=(
                f"unknown field; allowed: {', '.join(RECORD_FIELDS)}")))
    text = record.get("text")
    if not isinstance(text, str):
        return errors + [Errors.E507.format(id=rec_id, field="text", reason="must be a string")]
    surrogate = SURROGATE.search(text)
    if surrogate:
        return errors + [Errors.E507.format(id=rec_id, field="text", reason=(
            f"lone surrogate at offset {surrogate.start()}; decode the source correctly"))]
    if not isinstance(record.get("style", "university"), str):
        errors.append(Errors.E507.format(id=rec_id, field="style", reason="must be a string"))
    headings = record.get("headings", [])
    if not isinstance(headings, list):
        errors.append(Errors.E507.format(id=rec_id, field="headings", reason="must be a list"))
        headings = []
    for i, h in enumerate(headings):
        field = f"headings[{i}]"
        if not isinstance(h, dict):
            errors.append(Errors.E507.format(id=rec_id, field=field, reason="must be an object"))
            continue
        if not (_is_int(h.get("level")) and 1 <= h["level"] <= 4):
            errors.append(Errors.E505.format(id=rec_id, field=f"{field}.level",
                                             reason=f"level must be 1-4, got {h.get('level')!r}"))
        if h.get("kind") not in HEADING_KINDS:
            errors.append(Errors.E505.format(id=rec_id, field=f"{field}.kind", reason=(
                f"kind must be one of {', '.join(map(str, HEADING_KINDS))}, got {h.get('kind')!r}")))
        if not isinstance(h.get("number", ""), str) or not isinstance(h.get("title"), str):
            errors.append(Errors.E505.format(id=rec_id, field=f"{field}.title",
                                             reason="number and title must be strings"))
            continue
        errors.extend(_check_offsets(rec_id, field, h, text, h["title"]))
    entities = record.get("entities", [])
    if not isinstance(entities, list):
        return errors + [Errors.E507.format(id=rec_id, field="entities", reason="must be a list")]
    prev_end, prev_i = 0, None
    for i, e in enumerate(entities):
        field = f"entities[{i}]"
        if not isinstance(e, dict):
            errors.append(Errors.E507.format(id=rec_id, field=field, reason="must be an object"))
            continue
        label = e.get("label")
        if label not in LABELS:
            errors.append(Errors.E502.format(id=rec_id, field=f"{field}.label", label=label,
                                             labels=", ".join(LABELS)))
        if not isinstance(e.get("text"), str):
            errors.append(Errors.E507.format(id=rec_id, field=f"{field}.text",
                                             reason="must be a string"))
            continue
        offset_errors = _check_offsets(rec_id, field, e, text, e["text"])
        errors.extend(offset_errors)
        attrs = e.get("attrs", {})
        if not isinstance(attrs, dict):
            errors.append(Errors.E507.format(id=rec_id, field=f"{field}.attrs",
                                             reason="must be an object"))
        elif label in LABELS:
            errors.extend(_check_attrs(rec_id, field, label, attrs))
        if offset_errors:
            continue
        if prev_i is not None and e["start"] < prev_end:
            errors.append(Errors.E504.format(id=rec_id, field=field, other=f"entities[{prev_i}]",
                                             start=e["start"], end=e["end"]))
        if e["end"] > prev_end:
            prev_end, prev_i = e["end"], i
    return errors + _check_report(rec_id, record.get("report", {}))


def iter_jsonl(path: PathLike) -> Iterator[Tuple[int, Any]]:
    """Parse a JSONL file line by line.

    path (PathLike): The file.
    YIELDS (Tuple[int, Any]): Line number (1-based) and the parsed value.
    """
    path = Path(path)
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except ValueError as exc:
                raise ValueError(Errors.E508.format(path=path, line=n, reason=exc)) from None


def validate_file(path: PathLike) -> List[str]:
    """Validate every record of a JSONL corpus file (or a gold JSON file).

    path (PathLike): A `.jsonl` corpus file or a `<style>/gold/*.json` file.
    RETURNS (List[str]): Error messages (file, line, record id and field); empty if valid.
    """
    path = Path(path)
    errors: List[str] = []
    try:
        if path.suffix == ".json":
            records = [(1, gold_to_record(path))]
        else:
            records = list(iter_jsonl(path))
    except (OSError, ValueError) as exc:
        return [str(exc)]
    seen: Dict[Any, int] = {}
    for n, record in records:
        errors.extend(f"{path}:{n}: {msg}" for msg in validate_record(record))
        rec_id = record.get("id") if isinstance(record, dict) else None
        if rec_id in seen:
            errors.append(f"{path}:{n}: " + Errors.E512.format(id=rec_id, line=seen[rec_id]))
        seen.setdefault(rec_id, n)
    return errors


def check_records(records: Sequence[Dict[str, Any]], source: str) -> None:
    """Raise if any record is invalid or two records share an id.

    records (Sequence[Dict[str, Any]]): Corpus records.
    source (str): Where they came from (named in the message).
    """
    errors = [msg for r in records for msg in validate_record(r)]
    ids = [r.get("id") for r in records if isinstance(r, dict)]
    errors += [Errors.E512.format(id=i, line="?") for i in sorted({i for i in ids if ids.count(i) > 1})]
    if errors:
        shown = "\n  ".join(errors[:MAX_MESSAGES])
        more = f"\n  … and {len(errors) - MAX_MESSAGES} more" if len(errors) > MAX_MESSAGES else ""
        raise ValueError(Errors.E500.format(source=source, n=len(errors), errors=shown + more))


# --- reading into a datasets.Dataset -------------------------------------------


def read_records(path: Optional[PathLike] = None, style: Optional[str] = None,
                 validate: bool = True) -> List[Dict[str, Any]]:
    """Read corpus records from a JSONL file or a folder.

    A folder contributes its `*.jsonl` files; a folder without any is read from
    its gold annotations (`<style>/gold/*.json` below it, or `gold/*.json` in it).

    path (Optional[PathLike]): File or folder (default: the bundled corpus).
    style (Optional[str]): Keep only records of this style.
    validate (bool): Raise ValueError if a record breaks the format or guideline.
    RETURNS (List[Dict[str, Any]]): Normalised records.
    """
    path = Path(path) if path is not None else default_corpus_dir()
    if not path.exists():
        raise ValueError(Errors.E509.format(path=path))
    records: List[Dict[str, Any]] = []
    if path.is_file():
        records = [r for _, r in iter_jsonl(path)]
    elif sorted(path.glob("*.jsonl")):
        for p in sorted(path.glob("*.jsonl")):
            records.extend(r for _, r in iter_jsonl(p))
    elif (path / "gold").is_dir():
        records = convert_gold_dir(path / "gold")
    else:
        for folder in gold_dirs(path).values():
            records.extend(convert_gold_dir(folder))
    if validate:
        check_records(records, source=str(path))
    records = [normalize_record(r) for r in records if isinstance(r, dict)]
    if style is not None:
        records = [r for r in records if r["style"] == style]
    return records


def features():
    """The `datasets.Features` of a corpus Dataset (`attrs`, `report` as JSON).

    RETURNS (datasets.Features): The schema.
    """
    import datasets

    # `datasets.Json` keeps heterogeneous attribute dicts intact; older
    # versions store them as JSON strings (decoded by `records()`).
    json_type = datasets.Json() if hasattr(datasets, "Json") else datasets.Value("string")
    string, int64 = datasets.Value("string"), datasets.Value("int64")
    return datasets.Features({
        "id": string, "style": string, "source": string, "guideline": string, "text": string,
        "headings": [{"level": datasets.Value("int32"), "number": string, "title": string,
                      "kind": string, "start": int64, "end": int64}],
        "entities": [{"label": string, "text": string, "start": int64, "end": int64,
                      "attrs": json_type}],
        "report": json_type,
    })


def to_dataset(records: Iterable[Dict[str, Any]]):
    """Build an in-memory `datasets.Dataset` from corpus records (no cache files).

    records (Iterable[Dict[str, Any]]): Corpus records.
    RETURNS (datasets.Dataset): One row per report.
    """
    import datasets

    rows = [normalize_record(r) for r in records]
    if not hasattr(datasets, "Json"):
        for row in rows:
            row["report"] = json.dumps(row["report"], ensure_ascii=False)
            for e in row["entities"]:
                e["attrs"] = json.dumps(e["attrs"], ensure_ascii=False)
    return datasets.Dataset.from_list(rows, features=features())


def load(path: Optional[PathLike] = None, style: Optional[str] = None):
    """Load a corpus as a HuggingFace `datasets.Dataset` (offline, in memory).

    path (Optional[PathLike]): A JSONL file or a folder of them (default: bundled corpus).
    style (Optional[str]): Keep only records of this style.
    RETURNS (datasets.Dataset): One validated row per report.
    """
    return to_dataset(read_records(path, style=style))


def records(dataset: Any) -> Iterator[Dict[str, Any]]:
    """Iterate plain record dicts of a Dataset, a list of records or a path.

    dataset (Any): A `datasets.Dataset`, an iterable of records, or a path.
    YIELDS (Dict[str, Any]): Records with decoded `attrs` and `report`.
    """
    if isinstance(dataset, (str, Path)):
        yield from read_records(dataset)
        return
    for row in dataset:
        row = dict(row)
        if isinstance(row.get("report"), str):
            row["report"] = json.loads(row["report"])
        row["entities"] = [
            {**e, "attrs": json.loads(e["attrs"]) if isinstance(e.get("attrs"), str)
             else (e.get("attrs") or {})}
            for e in row.get("entities") or []]
        row["headings"] = list(row.get("headings") or [])
        yield row


# --- spaCy Docs, Examples and DocBin ------------------------------------------


def _trimmed(text: str, start: int, end: int) -> Tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _words(text: str, base: Optional[Doc], cuts: Iterable[int]) -> Tuple[List[str], List[bool]]:
    points = sorted({c for c in cuts if 0 < c < len(text)})
    if base is None:
        bounds = [0] + points + [len(text)]
        words = [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
        return words, [False] * len(words)
    words: List[str] = []
    spaces: List[bool] = []
    j = 0
    for tok in base:
        a, b = tok.idx, tok.idx + len(tok.text)
        while j < len(points) and points[j] <= a:
            j += 1
        prev = a
        while j < len(points) and points[j] < b:
            words.append(text[prev:points[j]])
            spaces.append(False)
            prev = points[j]
            j += 1
        words.append(text[prev:b])
        spaces.append(bool(tok.whitespace_))
    return words, spaces


def record_doc(vocab: Union[Vocab, Language], record: Dict[str, Any], base: Optional[Doc] = None,
               cuts: Iterable[int] = ()) -> Doc:
    """A Doc carrying a record's annotation: `doc.ents` with `span._.attrs`,
    `doc.spans["headings"]` with `._.level/number/title/kind`, `doc._.report`.

    Tokens are those of `base` (e.g. `nlp.make_doc(text)`) split at every span
    boundary, so character offsets always align; without `base` the text is cut
    at the span boundaries only. Offsets are trimmed of surrounding whitespace.

    vocab (Union[Vocab, Language]): The vocab, or a pipeline to take it from.
    record (Dict[str, Any]): A corpus record.
    base (Optional[Doc]): A Doc of the same text whose tokens are refined.
    cuts (Iterable[int]): Extra character offsets to split at.
    RETURNS (Doc): The annotated Doc; `doc.user_data["id"]` is the record id.
    """
    vocab = vocab.vocab if isinstance(vocab, Language) else vocab
    text = record["text"]
    ents = [(*_trimmed(text, e["start"], e["end"]), e) for e in record.get("entities") or []]
    heads = [(*_trimmed(text, h["start"], h["end"]), h) for h in record.get("headings") or []]
    points = [p for s, e, _ in ents + heads for p in (s, e)] + list(cuts)
    words, spaces = _words(text, base, points)
    doc = Doc(vocab, words=words, spaces=spaces)
    spans = []
    for start, end, e in ents:
        span = doc.char_span(start, end, label=e["label"])
        if span is None:
            raise ValueError(Errors.E511.format(id=record.get("id"), start=start, end=end))
        spans.append((span, e))
    doc.ents = [span for span, _ in spans]
    for span, e in spans:
        span._.attrs = dict(e.get("attrs") or {})
    headings = []
    for start, end, h in heads:
        span = doc.char_span(start, end, label=h.get("kind") or "heading")
        if span is None:
            raise ValueError(Errors.E511.format(id=record.get("id"), start=start, end=end))
        span._.level, span._.number = h.get("level"), h.get("number")
        span._.title, span._.kind = h.get("title"), h.get("kind")
        headings.append(span)
    doc.spans["headings"] = headings
    doc._.report = json.loads(json.dumps(record.get("report") or {}))
    doc.user_data["id"] = record.get("id")
    return doc


def to_examples(dataset: Any, nlp: Language) -> List[Example]:
    """spaCy Examples: `nlp.make_doc(text)` as predicted, the gold Doc as reference.

    dataset (Any): A corpus Dataset, a list of records or a path.
    nlp (Language): The pipeline whose tokenizer and vocab are used.
    RETURNS (List[Example]): One Example per report (use with `nlp.evaluate`).
    """
    examples = []
    for record in records(dataset):
        predicted = nlp.make_doc(record["text"])
        examples.append(Example(predicted, record_doc(nlp.vocab, record, base=predicted)))
    return examples


def to_docbin(dataset: Any, nlp: Language) -> DocBin:
    """The gold Docs in a `DocBin` (entities, heading spans and `._` values kept).

    dataset (Any): A corpus Dataset, a list of records or a path.
    nlp (Language): The pipeline whose tokenizer and vocab are used.
    RETURNS (DocBin): Serialisable with `.to_disk(path)` (`.spacy` file).
    """
    docbin = DocBin(store_user_data=True)
    for example in to_examples(dataset, nlp):
        docbin.add(example.reference)
    return docbin


def doc_to_record(doc: Doc, rec_id: str, style: str = "university",
                  source: Optional[str] = None) -> Dict[str, Any]:
    """A processed Doc as a corpus record (the pipeline's output in corpus form).

    doc (Doc): A Doc processed by an xxgk-nlp pipeline.
    rec_id (str): The record id.
    style (str): The report style.
    source (Optional[str]): Where the text came from.
    RETURNS (Dict[str, Any]): The record.
    """
    out = doc_to_dict(doc, style=style, source=source)
    return normalize_record({
        "id": rec_id, "style": style, "source": source, "guideline": GUIDELINE_VERSION,
        "text": out["text"], "headings": out["headings"], "entities": out["entities"],
        "report": out["report"],
    })


def draft_records(paths: Iterable[PathLike], nlp: Language, style: str = "university"
                  ) -> Iterator[Tuple[Dict[str, Any], List[str]]]:
    """Pipeline output for report files, in corpus format, as annotation drafts.

    paths (Iterable[PathLike]): Report files (any format `readers.read_text` reads).
    nlp (Language): The pipeline.
    style (str): The style recorded in the records.
    YIELDS (Tuple[Dict[str, Any], List[str]]): Each record and its validation messages
        (things the annotator must fix before the record is gold).
    """
    from .readers import read_text

    for path in paths:
        path = Path(path)
        record = doc_to_record(nlp(read_text(path)), path.stem, style=style, source=str(path))
        yield record, validate_record(record)


# --- statistics -----------------------------------------------------------------


def corpus_stats(dataset: Any) -> Dict[str, Any]:
    """Counts for the datasheet: reports, characters, headings and entities per label.

    dataset (Any): A corpus Dataset, a list of records or a path.
    RETURNS (Dict[str, Any]): {"styles": {style: {...}}, "reports": [...]} .
    """
    styles: Dict[str, Dict[str, Any]] = {}
    reports = []
    for r in records(dataset):
        s = styles.setdefault(r["style"], {"reports": 0, "chars": 0, "headings": {},
                                           "labels": {}})
        s["reports"] += 1
        s["chars"] += len(r["text"])
        for h in r["headings"]:
            key = f"level {h['level']}"
            s["headings"][key] = s["headings"].get(key, 0) + 1
        for e in r["entities"]:
            s["labels"][e["label"]] = s["labels"].get(e["label"], 0) + 1
        period = (r["report"] or {}).get("period") or {}
        reports.append({"id": r["id"], "style": r["style"], "source": r["source"],
                        "title": (r["report"] or {}).get("title"),
                        "period": "–".join(filter(None, (period.get("start"), period.get("end")))),
                        "chars": len(r["text"]), "headings": len(r["headings"]),
                        "entities": len(r["entities"]), "guideline": r["guideline"]})
    for s in styles.values():
        s["labels"] = dict(sorted(s["labels"].items()))
        s["headings"] = dict(sorted(s["headings"].items()))
    return {"styles": styles, "reports": reports}


def format_stats(stats: Dict[str, Any]) -> str:
    """The statistics as Markdown tables (pasted into corpus/README.md).

    stats (Dict[str, Any]): Output of `corpus_stats`.
    RETURNS (str): Markdown.
    """
    lines = ["| id | style | title | period | chars | headings | entities |",
             "|---|---|---|---|---:|---:|---:|"]
    for r in stats["reports"]:
        lines.append(f"| {r['id']} | {r['style']} | {r['title']} | {r['period']} | {r['chars']} "
                     f"| {r['headings']} | {r['entities']} |")
    for style, s in stats["styles"].items():
        lines += ["", f"**{style}**: {s['reports']} reports, {s['chars']} characters, "
                  f"{sum(s['headings'].values())} headings "
                  f"({', '.join(f'{k}: {v}' for k, v in s['headings'].items())}), "
                  f"{sum(s['labels'].values())} entities.", "",
                  "| label | count |", "|---|---:|"]
        lines += [f"| {label} | {n} |" for label, n in s["labels"].items()]
    return "\n".join(lines)
