"""The report record: title, institution, signature date, statistical period,
key indicators, and which required parts are present or missing.
"""
import bisect
import dataclasses
import itertools
import re
from typing import Any, Dict, Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example

from . import extensions  # noqa: F401
from .document import INDICATORS
from .extensions import _plain, doc_text, span_value
from .layout import TextView
from .rules import Rule, RuleComponent
from .sentences import (Entities, OffsetMap, Range, sections, split,
                        without_spaces)
from .styles import style_meta

RULE_TYPES = ("indicator", "period_cue", "institution_label", "signature")
SENTENCE_END = re.compile(r"[。！？!?；;]")
# SENTENCE_END or a paragraph break: a run of adjacent text paragraphs is split
# into sentences at once (a paragraph holds no line break)
_BREAK = re.compile(r"[。！？!?；;\n]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_YEAR = re.compile(r"\d{4}")


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
        problem = self.invalid_regex(*("trigger", "zero", "cue", "exclude", "pattern"))
        if problem:
            return problem
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
        titles = [(s.start_char, s.end_char) for s in doc.spans.get("title", [])]
        ents = Entities(doc)
        sentences = _Sentences(doc, view)
        report["institution"] = self._institution(ents, view, titles, c["labels"])
        report["date"] = self._signature_date(ents, view, c["signature"])
        report["period"] = self._period(ents, titles, sentences, c["cues"])
        report["indicators"] = self._indicators(doc_text(doc), ents, sentences, c["indicators"])
        present = []
        for kind in _kinds(doc, "headings"):
            if kind and kind not in present:
                present.append(kind)
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
    def _institution(ents: Entities, view: TextView, titles: List[Range], labels: List[str]
                     ) -> Optional[str]:
        found = sorted({i for label in labels for i in ents.with_label(label)})
        for t_start, t_end in titles:
            for i in found:
                if t_start <= ents.starts[i] and ents.ends[i] <= t_end:
                    return view.clean_text(ents.starts[i], ents.ends[i])
        return view.clean_text(ents.starts[found[0]], ents.ends[found[0]]) if found else None

    @staticmethod
    def _signature_date(ents: Entities, view: TextView, n_last: int) -> Optional[str]:
        dates = [i for i in ents.with_label("DATE")
                 if _ISO_DAY.fullmatch(str(ents.attrs(i).get("iso", "")))]
        if not dates:
            return None
        # an attached table after the signature does not push it out of reach
        if n_last > 0:
            last = itertools.islice((p for p in reversed(view.paragraphs) if p[2] == "text"),
                                    n_last)
        else:
            last = reversed([p for p in view.paragraphs if p[2] == "text"][-n_last:])
        for p_start, p_end, _ in last:
            rs, re_ = view.raw_span(p_start, p_end)
            for i in dates:
                if rs <= ents.starts[i] and ents.ends[i] <= re_:
                    ent_text = view.clean_text(ents.starts[i], ents.ends[i])
                    rest = view.clean[p_start:p_end].replace(ent_text, "")
                    if len(rest.strip()) <= 2:
                        return ents.attrs(i)["iso"]
        return None

    @staticmethod
    def _period(ents: Entities, titles: List[Range], sentences: "_Sentences", cues
                ) -> Optional[dict]:
        # the first sentence with a cue that has a period starting in it: only
        # sentences holding a period start can qualify, so only those are read
        periods = {}
        for i in ents.with_label("PERIOD"):
            k = sentences.at(ents.starts[i])
            if k is not None and k not in periods:
                periods[k] = i
        for k in sorted(periods):
            text = sentences.text(k)
            if any(cue.search(text) for cue in cues):
                return _period_attrs(ents.attrs(periods[k]))
        for t_start, t_end in titles:
            for i in range(bisect.bisect_left(ents.starts, t_start), len(ents)):
                if ents.starts[i] >= t_end:
                    break
                if ents.ends[i] <= t_end:
                    if ents.labels[i] == "PERIOD":
                        return _period_attrs(ents.attrs(i))
                    iso = str(ents.attrs(i).get("iso", ""))
                    if ents.labels[i] == "DATE" and _YEAR.fullmatch(iso):
                        return {"start": iso, "end": iso, "kind": "range"}
        return None

    @staticmethod
    def _indicators(text: str, ents: Entities, sentences: "_Sentences", rules
                    ) -> Dict[str, Any]:
        values: Dict[str, Any] = {key: None for key in INDICATORS}
        quantities = _Quantities(text, ents, sentences)
        decided = set()
        for rule, rx in rules:
            key = rule.indicator
            if key in decided:
                continue
            values.setdefault(key, None)
            trigger, zero, cue, exclude = rx["trigger"], rx["zero"], rx["cue"], rx["exclude"]
            units = rule.units
            # without a quantity only a stated zero can decide the rule
            if rule.sections:
                order = sentences.within(rule.sections)
                if not zero:
                    has = quantities.has
                    order = [k for k in order if has[k]]
            else:
                order = range(len(sentences)) if zero else quantities.holding
            for k in order:
                s_text = sentences.text(k)
                trig = trigger.search(s_text)
                if not trig:
                    continue
                if zero and zero.search(s_text):
                    values[key] = 0
                    decided.add(key)
                    break
                for unit, value, before in quantities.of(k):
                    if units is not None and unit not in units:
                        continue
                    if rule.after_trigger and len(before) < trig.end():
                        continue
                    if cue is not None and not cue.search(before):
                        continue
                    if exclude is not None and exclude.search(before):
                        continue
                    values[key] = value
                    decided.add(key)
                    break
                if key in decided:
                    break
        return values


class _Quantities:
    """The quantities inside each sentence that give a number, read once for all
    indicator rules: (unit, value, the raw sentence text before the quantity
    without whitespace)."""

    def __init__(self, text: str, ents: Entities, sentences: "_Sentences") -> None:
        self.index = ents.with_label("QUANTITY")
        self.starts = [ents.starts[i] for i in self.index]
        # per sentence, the first quantity starting at or after it, and whether
        # one starts inside it
        self.first = [bisect.bisect_left(self.starts, a) for a in sentences.raw_starts]
        self.has = [j < len(self.starts) and self.starts[j] < b
                    for j, b in zip(self.first, sentences.raw_ends)]
        self.holding = list(itertools.compress(range(len(self.has)), self.has))
        self._text, self._ents, self._sentences = text, ents, sentences
        self._of: Dict[int, List[Tuple[Any, Any, str]]] = {}

    def of(self, k: int) -> List[Tuple[Any, Any, str]]:
        """(unit, value, before) of the quantities inside sentence k, in order."""
        found = self._of.get(k)
        if found is None:
            found = self._of[k] = []
            ents = self._ents
            s_start, s_end = self._sentences.raw_starts[k], self._sentences.raw_ends[k]
            for j in range(self.first[k], len(self.starts)):
                if self.starts[j] >= s_end:
                    break
                i = self.index[j]
                if ents.ends[i] > s_end:
                    continue
                attrs = ents.attrs(i)
                value = attrs.get("value")
                if isinstance(value, (int, float)):
                    before = without_spaces(self._text[s_start:ents.starts[i]])
                    found.append((attrs.get("unit"), value, before))
        return found


class _Sentences:
    """The sentences of the text paragraphs: raw ranges, match texts (sliced when
    read), and which of them lie inside sections of given kinds."""

    def __init__(self, doc: Doc, view: TextView) -> None:
        match = view.match
        ranges = _sentence_ranges(view)
        self.raw_starts, self.raw_ends = OffsetMap(doc, view).raw_spans(ranges)
        self._ranges = ranges
        self._match = match
        self._texts: List[Optional[str]] = [None] * len(ranges)
        self._doc = doc
        self._sections: Optional[List[Tuple[int, int, int, str]]] = None
        self._within: Dict[Tuple[str, ...], List[int]] = {}

    def __len__(self) -> int:
        return len(self._ranges)

    def text(self, k: int) -> str:
        """The match text of sentence k."""
        text = self._texts[k]
        if text is None:
            a, b = self._ranges[k]
            text = self._texts[k] = self._match[a:b]
        return text

    def at(self, offset: int) -> Optional[int]:
        """The sentence whose raw range holds a raw offset, if any."""
        k = bisect.bisect_right(self.raw_starts, offset) - 1
        return k if k >= 0 and offset < self.raw_ends[k] else None

    def within(self, kinds: List[str]) -> List[int]:
        """Indices of the sentences inside a section of one of the kinds, in order."""
        key = tuple(kinds)
        if key not in self._within:
            if self._sections is None:
                self._sections = sections(self._doc)
            starts, ends = self.raw_starts, self.raw_ends
            marks = bytearray(len(starts))
            for a, b, _, kind in self._sections:
                if kind in kinds:
                    # sentences are in order: those starting at or after a and
                    # ending at or before b are consecutive
                    lo, hi = bisect.bisect_left(starts, a), bisect.bisect_right(ends, b)
                    if hi > lo:
                        marks[lo:hi] = b"\x01" * (hi - lo)
            self._within[key] = [k for k, m in enumerate(marks) if m]
        return self._within[key]


def _sentence_ranges(view: TextView) -> List[Range]:
    """Clean ranges of the sentences of the text paragraphs (table rows are read
    by xxgk_tables, not by the text indicator rules)."""
    match = view.match
    runs: List[List[int]] = []  # [start, end, paragraphs] of adjacent text paragraphs
    end = -2
    for p_start, p_end, kind in view.paragraphs:
        if kind != "text":
            continue
        if p_start == end + 1 and match[end] == "\n":
            runs[-1][1] = end = p_end
            runs[-1][2] += 1
        else:
            runs.append([p_start, p_end, 1])
            end = p_end
    ranges: List[Range] = []
    for start, end, n in runs:
        if match.count("\n", start, end) != n - 1:  # a line break inside a paragraph
            for p_start, p_end, kind in view.paragraphs:
                if kind == "text" and start <= p_start < end:
                    ranges.extend(split(match[p_start:p_end], SENTENCE_END, p_start))
            continue
        pos = start
        for piece in _BREAK.split(match[start:end]):
            if piece:
                ranges.append((pos, pos + len(piece)))
            pos += len(piece) + 1  # a break is one character
    return ranges


def _kinds(doc: Doc, group: str) -> List[Any]:
    """`span._.kind` of every span of a group, in order."""
    spans = doc.spans.get(group, [])
    if not _plain("kind"):
        return [span_value(doc, "kind", s.start_char, s.end_char) for s in spans]
    get = doc.user_data.get
    return [get(("._.", "kind", s.start_char, s.end_char)) for s in spans]


def _period_attrs(attrs: Dict[str, Any]) -> dict:
    return {"start": attrs.get("start"), "end": attrs.get("end"), "kind": attrs.get("kind")}
