"""The report record: title, institution, signature date, statistical period,
key indicators, and which required parts are present or missing.
"""
import dataclasses
import re
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example

from . import extensions  # noqa: F401
from .document import INDICATORS
from .extensions import doc_text
from .layout import TextView
from .rules import Rule, RuleComponent
from .styles import style_meta

RULE_TYPES = ("indicator", "period_cue", "institution_label", "signature")
SENTENCE_END = re.compile(r"[。！？!?；;]")


@dataclasses.dataclass
class ReportRule(Rule):
    """A report rule.

    type (str): "indicator" (how to read one indicator from the text),
        "period_cue" (a `pattern` that marks the sentence stating the statistical
        period), "institution_label" (the entity `label` naming the reporting
        body) or "signature" (how many final paragraphs may hold the signature date).
    indicator (Optional[str]): Indicator key, e.g. "requests_received".
    sections (Optional[List[str]]): Section kinds to look in (any level); all text if empty.
    trigger (Optional[str]): Regex a sentence must contain.
    zero (Optional[str]): Regex by which the sentence states there was none (value 0).
    cue (Optional[str]): Regex the text right before the quantity must end with.
    exclude (Optional[str]): Regex that rules out a quantity when the sentence text
        before it matches (campus sub-totals: 校本部…13218条; a breakdown: 其中…).
    units (Optional[List[str]]): Allowed quantity units.
    after_trigger (bool): The quantity must follow the trigger.
    pattern (Optional[str]): Regex (for "period_cue").
    label (Optional[str]): Entity label (for "institution_label").
    paragraphs (Optional[int]): For "signature": final paragraphs searched.
    """

    REQUIRED = ("type",)
    type: str = ""
    indicator: Optional[str] = None
    sections: Optional[List[str]] = None
    trigger: Optional[str] = None
    zero: Optional[str] = None
    cue: Optional[str] = None
    exclude: Optional[str] = None
    units: Optional[List[str]] = None
    after_trigger: bool = False
    pattern: Optional[str] = None
    label: Optional[str] = None
    paragraphs: Optional[int] = None
    description: Optional[str] = None

    def check(self):
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        for key in ("trigger", "zero", "cue", "exclude", "pattern"):
            value = getattr(self, key)
            if value is not None:
                try:
                    re.compile(value)
                except re.error as exc:
                    return key, f"not a valid regular expression ({exc})"
        if self.type == "indicator" and not (self.indicator and self.trigger):
            return "indicator", "an indicator rule needs 'indicator' and 'trigger'"
        if self.type == "period_cue" and not self.pattern:
            return "pattern", "a period_cue rule needs a pattern"
        if self.type == "institution_label" and not self.label:
            return "label", "an institution_label rule needs a label"
        return None


@Language.factory(
    "xxgk_report",
    assigns=["doc._.report"],
    requires=["doc.spans", "doc.ents"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_report(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                rules_mode: str) -> "ReportBuilder":
    """Create the report builder (see `ReportBuilder`)."""
    return ReportBuilder(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class _Sentence:
    __slots__ = ("start", "end", "text", "kinds")

    def __init__(self, start: int, end: int, text: str, kinds: List[str]) -> None:
        self.start, self.end, self.text, self.kinds = start, end, text, kinds


class ReportBuilder(RuleComponent):
    """Roll the spans up into the report record.

    Sets on the Doc: `doc._.report`, a dict with `title`, `institution`, `date`,
    `period` ({"start", "end", "kind"}), `indicators` (null when not stated, 0 when
    the report says there was none), `sections_present` and `sections_missing`
    (against the style's `required_sections` in `style.json`). Rules: `report.jsonl`.
    """

    rule_class = ReportRule
    rule_files = ("report.jsonl",)

    def _compile(self) -> Dict[str, Any]:
        def rx(p: Optional[str]):
            return re.compile(p) if p else None

        indicators: List[Tuple[ReportRule, Dict[str, Any]]] = []
        cues, labels, signature = [], [], 6
        for rule in self._rules:
            if rule.type == "indicator":
                indicators.append((rule, {k: rx(getattr(rule, k))
                                          for k in ("trigger", "zero", "cue", "exclude")}))
            elif rule.type == "period_cue":
                cues.append(re.compile(rule.pattern))
            elif rule.type == "institution_label":
                labels.append(rule.label)
            elif rule.paragraphs:
                signature = rule.paragraphs
        try:
            required = list(style_meta(self.cfg["style"]).get("required_sections", []))
        except ValueError:
            required = []
        return {"indicators": indicators, "cues": cues, "labels": labels or ["INSTITUTION"],
                "signature": signature, "required": required}

    def __call__(self, doc: Doc) -> Doc:
        c = self.compiled
        view = TextView.from_doc(doc)
        report = dict(doc._.report or {})
        report.setdefault("title", None)
        title_spans = list(doc.spans.get("title", []))
        sentences = list(self._sentences(doc, view))
        ents = list(doc.ents)  # each doc.ents access builds new Span objects
        report["institution"] = self._institution(ents, title_spans, c["labels"])
        report["date"] = self._signature_date(ents, view, c["signature"])
        report["period"] = self._period(ents, title_spans, sentences, c["cues"])
        report["indicators"] = self._indicators(doc_text(doc), ents, sentences, c["indicators"])
        present = []
        for span in doc.spans.get("headings", []):
            if span._.kind and span._.kind not in present:
                present.append(span._.kind)
        required = c["required"]
        report["sections_present"] = [k for k in required if k in present] + \
            [k for k in present if k not in required]
        report["sections_missing"] = [k for k in required if k not in present]
        doc._.report = report
        return doc

    def score(self, examples: Iterable[Example], **kwargs: Any) -> Dict[str, Any]:
        """Score the entities of the pipeline (`ents_p`, `ents_r`, `ents_f`,
        `ents_per_type`), so `nlp.evaluate(examples)` reports them.

        examples (Iterable[Example]): Examples with gold entities in `reference`.
        RETURNS (Dict[str, Any]): The scores.
        """
        return Scorer.score_spans(examples, "ents", **kwargs)

    # pieces ----------------------------------------------------------------
    @staticmethod
    def _sentences(doc: Doc, view: TextView) -> Iterator[_Sentence]:
        sections = [(s.start_char, s.end_char, s._.kind) for s in doc.spans.get("sections", [])
                    if s._.kind]
        sections.sort()
        # sections of one level do not overlap: the ones open at a point are few,
        # so one pass with a pruned list of open sections is linear
        pending, open_ = 0, []
        # table rows are read by xxgk_tables, not by the text indicator rules
        for p_start, p_end, _ in view.iter_paragraphs("text"):
            text = view.match[p_start:p_end]
            pos = 0
            for m in SENTENCE_END.finditer(text + "。"):
                if m.start() > pos:
                    rs, re_ = view.raw_span(p_start + pos, p_start + m.start())
                    while pending < len(sections) and sections[pending][0] <= rs:
                        open_.append(sections[pending])
                        pending += 1
                    open_ = [s for s in open_ if s[1] > rs]
                    kinds = [k for a, b, k in open_ if a <= rs and re_ <= b]
                    yield _Sentence(rs, re_, text[pos:m.start()], kinds)
                pos = m.end()

    @staticmethod
    def _institution(ents: List[Span], title_spans: List[Span], labels: List[str]) -> Optional[str]:
        ents = [e for e in ents if e.label_ in labels]
        for title in title_spans:
            inside = [e for e in ents if title.start_char <= e.start_char and e.end_char <= title.end_char]
            if inside:
                return inside[0]._.clean_text
        return ents[0]._.clean_text if ents else None

    @staticmethod
    def _signature_date(ents: List[Span], view: TextView, n_last: int) -> Optional[str]:
        # an attached table after the signature does not push it out of reach
        paragraphs = list(view.iter_paragraphs("text"))[-n_last:]
        dates = [e for e in ents if e.label_ == "DATE"
                 and re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", str((e._.attrs or {}).get("iso", "")))]
        for p_start, p_end, _ in reversed(paragraphs):
            rs, re_ = view.raw_span(p_start, p_end)
            for ent in dates:
                if rs <= ent.start_char and ent.end_char <= re_:
                    rest = view.clean[p_start:p_end].replace(ent._.clean_text, "")
                    if len(rest.strip()) <= 2:
                        return ent._.attrs["iso"]
        return None

    @staticmethod
    def _period(ents: List[Span], title_spans: List[Span], sentences: List[_Sentence], cues
                ) -> Optional[dict]:
        periods = [e for e in ents if e.label_ == "PERIOD"]
        for sentence in sentences:
            if any(cue.search(sentence.text) for cue in cues):
                for ent in periods:
                    if sentence.start <= ent.start_char < sentence.end:
                        return _period_attrs(ent)
        for title in title_spans:
            for ent in ents:
                if title.start_char <= ent.start_char and ent.end_char <= title.end_char:
                    if ent.label_ == "PERIOD":
                        return _period_attrs(ent)
                    iso = str((ent._.attrs or {}).get("iso", ""))
                    if ent.label_ == "DATE" and re.fullmatch(r"\d{4}", iso):
                        return {"start": iso, "end": iso, "kind": "range"}
        return None

    @staticmethod
    def _indicators(text: str, ents: List[Span], sentences: List[_Sentence], rules
                    ) -> Dict[str, Any]:
        values: Dict[str, Any] = {key: None for key in INDICATORS}
        quantities = [e for e in ents if e.label_ == "QUANTITY"]
        decided = set()
        for rule, rx in rules:
            key = rule.indicator
            if key in decided:
                continue
            values.setdefault(key, None)
            for sentence in sentences:
                if rule.sections and not set(rule.sections) & set(sentence.kinds):
                    continue
                trig = rx["trigger"].search(sentence.text)
                if not trig:
                    continue
                if rx["zero"] and rx["zero"].search(sentence.text):
                    values[key] = 0
                    decided.add(key)
                    break
                value = _pick_quantity(text, sentence, trig, quantities, rule, rx["cue"],
                                       rx["exclude"])
                if value is not None:
                    values[key] = value
                    decided.add(key)
                    break
        return values


def _period_attrs(ent: Span) -> dict:
    attrs = ent._.attrs or {}
    return {"start": attrs.get("start"), "end": attrs.get("end"), "kind": attrs.get("kind")}


def _pick_quantity(text: str, sentence: _Sentence, trig, quantities, rule: ReportRule, cue,
                   exclude):
    for ent in quantities:
        if not (sentence.start <= ent.start_char and ent.end_char <= sentence.end):
            continue
        attrs = ent._.attrs or {}
        if rule.units is not None and attrs.get("unit") not in rule.units:
            continue
        before = re.sub(r"\s+", "", text[sentence.start:ent.start_char])
        if rule.after_trigger and len(before) < trig.end():
            continue
        if cue is not None and not cue.search(before):
            continue
        if exclude is not None and exclude.search(before):
            continue
        value = attrs.get("value")
        if isinstance(value, (int, float)):
            return value
    return None
