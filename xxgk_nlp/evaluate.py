"""Evaluation against the annotated corpus.

Two entity measures per label: `exact` (same label and raw character offsets,
spaCy's `Scorer.score_spans` on Examples) and `text` (whitespace-insensitive
multiset of (label, text) per report, every occurrence counts — the measure of
the project's scorer `score.py`). Also headings (level + title), level-1 kind
accuracy, attribute accuracy of matched entities, and the report record.
"""
import json
import math
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.vocab import Vocab

from . import corpus
from .corpus import norm
from .errors import Errors

# Attributes compared on matched entities (those present in the gold entity).
ATTR_KEYS = {
    "QUANTITY": ("value", "unit", "approx"),
    "DOC_NUMBER": ("issuer", "year", "serial", "kind"),
    "CHANNEL": ("kind",),
    "DATE": ("iso",),
    "PERIOD": ("start", "end", "kind"),
    "DOC_TITLE": ("doc_number",),
}
REPORT_KEYS = ("title", "institution", "date")
CONTEXT = 15
THRESHOLDS_FILE = "thresholds.json"
# Allowed drift when comparing a score with its floor (float noise only).
EPSILON = 1e-9


def same(a: Any, b: Any) -> bool:
    """Attribute equality: numbers with a relative tolerance, strings whitespace-insensitive.

    a (Any): Gold value.
    b (Any): Predicted value.
    RETURNS (bool): Whether they are equal.
    """
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-6 * max(1, abs(a), abs(b))
    if isinstance(a, str) and isinstance(b, str):
        return norm(a) == norm(b)
    return a == b


def prf(tp: int, n_pred: int, n_gold: int) -> Tuple[float, float, float]:
    """Precision, recall and F1 from counts (1.0 when both sides are empty).

    tp (int): True positives.
    n_pred (int): Predicted count.
    n_gold (int): Gold count.
    RETURNS (Tuple[float, float, float]): P, R, F1.
    """
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else (1.0 if not n_pred else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The span in brackets with `width` characters either side, whitespace collapsed.

    text (str): The raw text.
    start (int): Span start.
    end (int): Span end.
    width (int): Characters of context on each side.
    RETURNS (str): E.g. "…依据《高等学校信息公开办法》[（教育部令第29号）]要求…".
    """
    def flat(s: str) -> str:
        return " ".join(s.split())

    left = flat(text[max(0, start - width):start])
    right = flat(text[end:end + width])
    return f"{left}[{flat(text[start:end])}]{right}"


class _Tally:
    def __init__(self) -> None:
        self.labels: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0])
        self.attrs: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
        self.headings = [0, 0, 0]
        self.kinds = [0, 0]
        self.report: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
        self.errors: List[Dict[str, Any]] = []

    def error(self, rec_id: str, type_: str, **info: Any) -> None:
        self.errors.append({"id": rec_id, "type": type_, **info})


def _surplus(mine: List[Dict[str, Any]], theirs: List[Dict[str, Any]], n: int) -> List[Dict[str, Any]]:
    # The n occurrences on this side that best explain a count difference:
    # those without a span at the same offsets on the other side come first.
    taken = {(s["start"], s["end"]) for s in theirs}
    ranked = sorted(mine, key=lambda s: ((s["start"], s["end"]) in taken, s["start"]))
    return sorted(ranked[:n], key=lambda s: s["start"])


def _score_entities(tally: _Tally, gold: Dict[str, Any], pred: Dict[str, Any]) -> None:
    text = gold["text"]
    g_by: Dict[Tuple[str, str], List[Dict[str, Any]]] = defaultdict(list)
    p_by: Dict[Tuple[str, str], List[Dict[str, Any]]] = defaultdict(list)
    for e in gold["entities"]:
        g_by[(e["label"], norm(e["text"]))].append(e)
    for e in pred["entities"]:
        p_by[(e["label"], norm(e["text"]))].append(e)
    for key in sorted(set(g_by) | set(p_by)):
        label = key[0]
        g, p = g_by.get(key, []), p_by.get(key, [])
        counts = tally.labels[label]
        counts[0] += min(len(g), len(p))
        counts[1] += len(p)
        counts[2] += len(g)
        for kind, mine, theirs in (("FP", p, g), ("FN", g, p)):
            for s in _surplus(mine, theirs, len(mine) - len(theirs)):
                tally.error(gold["id"], kind, label=label, text=key[1], start=s["start"],
                            end=s["end"], context=context(text, s["start"], s["end"]))
        for ge, pe in zip(g, p):
            ga, pa = ge.get("attrs") or {}, pe.get("attrs") or {}
            for k in ATTR_KEYS.get(label, ()):
                if k in ga:
                    ok = same(ga.get(k), pa.get(k))
                    tally.attrs[f"{label}.{k}"][0] += ok
                    tally.attrs[f"{label}.{k}"][1] += 1
                    if not ok:
                        tally.error(gold["id"], "ATTR", label=label, text=key[1], attr=k,
                                    gold=ga.get(k), pred=pa.get(k), start=pe["start"],
                                    end=pe["end"], context=context(text, pe["start"], pe["end"]))


def _score_headings(tally: _Tally, gold: Dict[str, Any], pred: Dict[str, Any]) -> None:
    def key(h: Dict[str, Any]) -> Tuple[Any, str]:
        return (h.get("level"), norm(h.get("title")))

    gh, ph = Counter(map(key, gold["headings"])), Counter(map(key, pred["headings"]))
    tally.headings[0] += sum((gh & ph).values())
    tally.headings[1] += sum(ph.values())
    tally.headings[2] += sum(gh.values())
    for kind, side, missing in (("FN heading", gold, gh - ph), ("FP heading", pred, ph - gh)):
        left = dict(missing)
        for h in side["headings"]:
            if left.get(key(h), 0) > 0:
                left[key(h)] -= 1
                tally.error(gold["id"], kind, label=f"level {h.get('level')}", text=h.get("title"),
                            start=h["start"], end=h["end"],
                            context=context(gold["text"], h["start"], h["end"]))
    pred_kind = {key(h): h.get("kind") for h in pred["headings"]}
    for h in gold["headings"]:
        if h["level"] == 1 and key(h) in pred_kind:
            ok = pred_kind[key(h)] == h.get("kind")
            tally.kinds[0] += ok
            tally.kinds[1] += 1
            if not ok:
                tally.error(gold["id"], "KIND", text=h.get("title"), gold=h.get("kind"),
                            pred=pred_kind[key(h)])


def _score_report(tally: _Tally, gold: Dict[str, Any], pred: Dict[str, Any]) -> None:
    grep, prep = gold.get("report") or {}, pred.get("report") or {}

    def check(name: str, g: Any, p: Any, kind: str) -> None:
        ok = same(g, p)
        tally.report[name][0] += ok
        tally.report[name][1] += 1
        if not ok:
            tally.error(gold["id"], kind, text=name, gold=g, pred=p)

    for k in REPORT_KEYS:
        if k in grep:
            check(k, grep[k], prep.get(k), "REPORT")
    gper, pper = grep.get("period") or {}, prep.get("period") or {}
    for k in ("start", "end"):
        if gper.get(k) is not None:
            check(f"period.{k}", gper.get(k), pper.get(k), "REPORT")
    gi, pi = grep.get("indicators") or {}, prep.get("indicators") or {}
    for k, v in gi.items():
        check(f"indicators.{k}", v, pi.get(k), "INDICATOR")


def _heading_spans(doc: Doc, attr: str) -> List[Span]:
    return [Span(doc, s.start, s.end, label=f"level {s._.level}") for s in doc.spans.get(attr, [])]


def _exact_scores(gold_records: Sequence[Dict[str, Any]], pred_records: Sequence[Dict[str, Any]]
                  ) -> Dict[str, Any]:
    # Both Docs share one tokenization cut at every gold and predicted boundary,
    # so the Scorer compares raw character offsets exactly.
    vocab = Vocab()
    examples = []
    for g, p in zip(gold_records, pred_records):
        cuts = [o for s in p["entities"] + p["headings"] for o in (s["start"], s["end"])]
        cuts += [o for s in g["entities"] + g["headings"] for o in (s["start"], s["end"])]
        examples.append(Example(corpus.record_doc(vocab, p, cuts=cuts),
                                corpus.record_doc(vocab, g, cuts=cuts)))
    ents = Scorer.score_spans(examples, "ents")
    heads = Scorer.score_spans(examples, "headings", getter=_heading_spans)
    return {"ents": ents, "headings": heads}


def score_records(gold_records: Sequence[Dict[str, Any]], pred_records: Sequence[Dict[str, Any]]
                  ) -> Dict[str, Any]:
    """Score predicted records against gold records of the same texts.

    gold_records (Sequence[Dict[str, Any]]): Gold corpus records.
    pred_records (Sequence[Dict[str, Any]]): Predicted records, same order and texts.
    RETURNS (Dict[str, Any]): The result dict (see `evaluate`).
    """
    tally = _Tally()
    for g, p in zip(gold_records, pred_records):
        _score_entities(tally, g, p)
        _score_headings(tally, g, p)
        _score_report(tally, g, p)
    exact = _exact_scores(gold_records, pred_records)
    per_type = exact["ents"].get("ents_per_type") or {}
    labels = {}
    for label, (tp, n_pred, n_gold) in sorted(tally.labels.items()):
        p, r, f = prf(tp, n_pred, n_gold)
        ex = per_type.get(label, {"p": 0.0, "r": 0.0, "f": 0.0})
        labels[label] = {"p": p, "r": r, "f1": f, "tp": tp, "support": n_gold, "predicted": n_pred,
                         "exact_p": ex["p"], "exact_r": ex["r"], "exact_f1": ex["f"]}
    total = [sum(c[i] for c in tally.labels.values()) for i in range(3)]
    p, r, f = prf(*total)
    hp, hr, hf = prf(*tally.headings)
    return {
        "docs": len(gold_records),
        "labels": labels,
        "overall": {"p": p, "r": r, "f1": f, "support": total[2], "predicted": total[1],
                    "exact_p": exact["ents"]["ents_p"] or 0.0,
                    "exact_r": exact["ents"]["ents_r"] or 0.0,
                    "exact_f1": exact["ents"]["ents_f"] or 0.0},
        "overall_f1": f,
        "headings": {"p": hp, "r": hr, "f1": hf, "tp": tally.headings[0],
                     "support": tally.headings[2],
                     "predicted": tally.headings[1],
                     "exact_f1": exact["headings"]["headings_f"] or 0.0},
        "heading_kind_acc": tally.kinds[0] / tally.kinds[1] if tally.kinds[1] else None,
        "heading_kind_n": tally.kinds[1],
        "attributes": {k: {"acc": ok / n, "n": n} for k, (ok, n) in sorted(tally.attrs.items()) if n},
        "report": {k: {"acc": ok / n, "n": n} for k, (ok, n) in sorted(tally.report.items()) if n},
        "errors": tally.errors,
    }


@lru_cache(maxsize=4)
def default_pipeline(style: str) -> Language:
    """The pipeline of a style, built once per process.

    style (str): The report style.
    RETURNS (Language): `xxgk_nlp.load(style=style)`.
    """
    from . import load

    return load(style=style)


def evaluate(dataset_or_path: Any = None, nlp: Optional[Language] = None,
             style: Optional[str] = None,
             load_pipeline: Optional[Callable[[str], Language]] = None,
             skip_unknown_styles: bool = False) -> Dict[str, Any]:
    """Run the pipeline over a corpus and score it against the gold annotation.

    dataset_or_path (Any): A corpus `datasets.Dataset`, a list of records, or a
        JSONL file / corpus folder (default: the bundled corpus).
    nlp (Optional[Language]): The pipeline for every record; by default each
        record is processed by `xxgk_nlp.load(record style)`.
    style (Optional[str]): Score only records of this style.
    load_pipeline (Optional[Callable[[str], Language]]): Builds the pipeline of a
        style when `nlp` is None (default `default_pipeline`).
    skip_unknown_styles (bool): Leave out records whose style has no rule pack
        (listed under "skipped") instead of raising.
    RETURNS (Dict[str, Any]): "labels" (per label p/r/f1/support/predicted and
        exact_p/exact_r/exact_f1), "overall", "overall_f1" (text measure),
        "headings", "heading_kind_acc", "attributes" and "report" ({"acc", "n"}),
        "errors" (FP/FN/ATTR/heading/KIND/REPORT/INDICATOR with context), "docs",
        "style", "skipped".
    """
    if dataset_or_path is None or isinstance(dataset_or_path, (str, Path)):
        gold = corpus.read_records(dataset_or_path, style=style)
    else:
        gold = [r for r in corpus.records(dataset_or_path) if style is None or r["style"] == style]
        corpus.check_records(gold, source="<records>")
    skipped: Dict[str, int] = {}
    if skip_unknown_styles and nlp is None:
        from .styles import available_styles

        known = set(available_styles())
        for record in gold:
            if record["style"] not in known:
                skipped[record["style"]] = skipped.get(record["style"], 0) + 1
        gold = [r for r in gold if r["style"] in known]
    if not gold:
        raise ValueError(Errors.E513.format(path=dataset_or_path or corpus.default_corpus_dir(),
                                            style=style))
    pred: List[Optional[Dict[str, Any]]] = [None] * len(gold)
    by_style: Dict[str, List[int]] = defaultdict(list)
    for i, record in enumerate(gold):
        by_style[record["style"]].append(i)
    for rec_style, indices in by_style.items():
        if nlp is not None:
            pipeline = nlp
        else:
            pipeline = (load_pipeline or default_pipeline)(rec_style)
        docs = pipeline.pipe(gold[i]["text"] for i in indices)
        for i, doc in zip(indices, docs):
            pred[i] = corpus.doc_to_record(doc, gold[i]["id"], style=rec_style)
    result = score_records(gold, pred)  # type: ignore[arg-type]
    result["style"] = style
    result["skipped"] = skipped
    return result


# --- output ---------------------------------------------------------------------


def _fmt(value: Optional[float]) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def format_table(result: Dict[str, Any]) -> str:
    """The result as plain-text tables (the `xxgk-nlp evaluate` output).

    result (Dict[str, Any]): Output of `evaluate` / `score_records`.
    RETURNS (str): The tables; the last line is "overall entity F1 X.XXX".
    """
    lines = [f"{result['docs']} report(s)" + (f", style {result['style']}"
                                               if result.get("style") else ""), "",
             f"{'label':14} {'P':>6} {'R':>6} {'F1':>6} {'n':>5} {'pred':>5}   "
             f"{'exactP':>6} {'exactR':>6} {'exactF':>6}"]
    rows = list(result["labels"].items()) + [("ALL", result["overall"])]
    for label, v in rows:
        lines.append(f"{label:14} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f} {v['support']:5d} "
                     f"{v['predicted']:5d}   {v['exact_p']:6.3f} {v['exact_r']:6.3f} "
                     f"{v['exact_f1']:6.3f}")
    h = result["headings"]
    lines += ["", f"{'HEADINGS':14} {h['p']:6.3f} {h['r']:6.3f} {h['f1']:6.3f} {h['support']:5d} "
              f"{h['predicted']:5d}   {'':6} {'':6} {h['exact_f1']:6.3f}",
              f"heading kind accuracy (level 1): {_fmt(result['heading_kind_acc'])}", ""]
    lines += [f"attr {k:30} {v['acc']:.3f}  (n={v['n']})" for k, v in result["attributes"].items()]
    lines += [""] + [f"report {k:28} {v['acc']:.3f}  (n={v['n']})"
                     for k, v in result["report"].items()]
    lines += ["", f"overall entity F1 {result['overall_f1']:.3f}"]
    return "\n".join(lines)


def format_errors(result: Dict[str, Any]) -> str:
    """Every error of a result, one a line: id, type, label, text and context.

    result (Dict[str, Any]): Output of `evaluate`.
    RETURNS (str): The error lines ("none" if there are none).
    """
    lines = [] if result["errors"] else ["none"]
    for e in result["errors"]:
        head = f"{e['id']}: {e['type']}"
        if e["type"] in ("ATTR",):
            lines.append(f"{head} {e['label']} {e['text']} {e['attr']}: gold={e['gold']!r} "
                         f"pred={e['pred']!r}  {e['context']}")
        elif e["type"] in ("KIND", "REPORT", "INDICATOR"):
            lines.append(f"{head} {e['text']}: gold={e['gold']!r} pred={e['pred']!r}")
        else:
            lines.append(f"{head} {e['label']} {e['text']}  {e['context']}")
    return "\n".join(lines)


def to_json(result: Dict[str, Any], errors: bool = False) -> str:
    """The result as JSON (errors included only if asked).

    result (Dict[str, Any]): Output of `evaluate`.
    errors (bool): Keep the "errors" list.
    RETURNS (str): Indented JSON.
    """
    data = dict(result) if errors else {k: v for k, v in result.items() if k != "errors"}
    return json.dumps(data, ensure_ascii=False, indent=1)


# --- regression floors -------------------------------------------------------------


def thresholds_path(corpus_dir: Optional[Union[str, Path]] = None) -> Path:
    """The thresholds file of a corpus folder (`corpus/thresholds.json`).

    corpus_dir (Optional[Union[str, Path]]): Corpus folder (default: the bundled one).
    RETURNS (Path): The file path.
    """
    root = Path(corpus_dir) if corpus_dir is not None else corpus.default_corpus_dir()
    return root / THRESHOLDS_FILE


def _checks(result: Dict[str, Any]) -> Iterable[Tuple[str, Optional[float], Optional[float]]]:
    # (metric, score, the score after one more error)
    def f1_less_one(v: Dict[str, Any]) -> float:
        return prf(max(0, v["tp"] - 1), v["predicted"], v["support"])[2]

    def acc_less_one(acc: float, n: int) -> float:
        return max(0.0, (round(acc * n) - 1) / n)

    for label, v in result["labels"].items():
        yield f"labels.{label}.f1", v["f1"], f1_less_one(v)
    yield "headings.f1", result["headings"]["f1"], f1_less_one(result["headings"])
    kind_acc, kind_n = result["heading_kind_acc"], result.get("heading_kind_n", 0)
    yield "heading_kind_acc", kind_acc, acc_less_one(kind_acc, kind_n) if kind_n else None
    for k, v in result["attributes"].items():
        yield f"attributes.{k}", v["acc"], acc_less_one(v["acc"], v["n"])
    for k, v in result["report"].items():
        yield f"report.{k}", v["acc"], acc_less_one(v["acc"], v["n"])
    total = result["overall"]
    yield "overall_f1", result["overall_f1"], f1_less_one(
        {"tp": round(total["r"] * total["support"]), **total})


def current_floors(result: Dict[str, Any], margin: float = 0.02) -> Dict[str, float]:
    """Floors derived from a result: each score minus `margin`, or lower when one
    more error would cost more than that (small supports), rounded down to 0.001.

    result (Dict[str, Any]): Output of `evaluate`.
    margin (float): Allowed drop below the measured score.
    RETURNS (Dict[str, float]): Metric name → floor.
    """
    floors = {}
    for name, value, one_error in _checks(result):
        if value is not None:
            low = min(value - margin, one_error if one_error is not None else value)
            floors[name] = max(0.0, math.floor(low * 1000 + 1e-6) / 1000)
    return floors


def check_thresholds(result: Dict[str, Any], floors: Dict[str, float]) -> List[str]:
    """Compare a result with floors.

    result (Dict[str, Any]): Output of `evaluate`.
    floors (Dict[str, float]): Metric name → minimum (from `load_thresholds`).
    RETURNS (List[str]): One message per metric below its floor or missing.
    """
    measured = {name: value for name, value, _ in _checks(result)}
    failures = []
    for name, floor in sorted(floors.items()):
        value = measured.get(name)
        if value is None:
            failures.append(f"{name}: not measured (floor {floor:.3f})")
        elif value + EPSILON < floor:
            failures.append(f"{name}: {value:.3f} < floor {floor:.3f}")
    return failures


def load_thresholds(path: Optional[Union[str, Path]] = None, style: str = "university"
                    ) -> Dict[str, float]:
    """Read the floors of a style from a thresholds file.

    path (Optional[Union[str, Path]]): The file (default: `corpus/thresholds.json`).
    style (str): The style whose floors are returned.
    RETURNS (Dict[str, float]): Metric name → floor.
    """
    path = Path(path) if path is not None else thresholds_path()
    floors = _read_thresholds(path).get(style)
    if not isinstance(floors, dict) or not all(isinstance(v, (int, float)) for v in floors.values()):
        raise ValueError(Errors.E514.format(path=path, reason=f"no floors for style {style!r}"))
    return floors


def _read_thresholds(path: Path) -> Dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(Errors.E514.format(path=path, reason=exc)) from None
    if not isinstance(data, dict):
        raise ValueError(Errors.E514.format(path=path, reason="expected an object of styles"))
    return data


def check_corpus(dataset_or_path: Any = None, path: Optional[Union[str, Path]] = None,
                 style: Optional[str] = None, nlp: Optional[Language] = None,
                 result: Optional[Dict[str, Any]] = None) -> List[str]:
    """Evaluate each style that has floors and compare its scores with them.

    dataset_or_path (Any): The corpus (default: the bundled one).
    path (Optional[Union[str, Path]]): The thresholds file (default: `corpus/thresholds.json`).
    style (Optional[str]): Check only this style.
    nlp (Optional[Language]): The pipeline (default: one per style).
    result (Optional[Dict[str, Any]]): An `evaluate` result of `style` to reuse.
    RETURNS (List[str]): "style: metric: score < floor" messages; empty if all pass.
    """
    path = Path(path) if path is not None else thresholds_path()
    styles = [style] if style else sorted(_read_thresholds(path))
    failures = []
    for name in styles:
        floors = load_thresholds(path, style=name)
        measured = result if result is not None and style else evaluate(
            dataset_or_path, nlp=nlp, style=name)
        failures += [f"{name}: {msg}" for msg in check_thresholds(measured, floors)]
    return failures
