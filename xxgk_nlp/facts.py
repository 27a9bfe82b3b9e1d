"""Facts: each QUANTITY linked to the channel(s) and the thing counted in its clause.

`官方微博粉丝数 124 万，发布信息 851 条` gives (官方微博, 粉丝数, 1240000) and
(官方微博, 发布信息, 851 条); a table row `1\t主页\twww.hit.edu.cn\t158` under the
header `序号\t网站名称\t网址\t数量` gives (主页, 数量, 158).
"""
import bisect
import dataclasses
import itertools
import re
from typing import Any, Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .layout import TextView
from .rules import PatternRule, RuleComponent
from .sentences import Entities, OffsetMap, Range, sections, split, without_spaces

RULE_TYPES = ("clause_break", "sentence_break", "strip_prefix", "strip_suffix", "no_carry",
              "total_row", "index_cell")


@dataclasses.dataclass
class FactRule(PatternRule):
    """A fact-linking rule.

    type (str): "clause_break" / "sentence_break" (characters that end a clause /
        a sentence), "strip_prefix" / "strip_suffix" (words trimmed from a
        metric), "no_carry" (a clause matching it does not inherit the channel of
        the clause before), "total_row" (a table row label that is a total),
        "index_cell" (a 序号 cell).
    pattern (str): A regular expression.
    """

    TYPES = RULE_TYPES


@Language.factory(
    "xxgk_facts",
    assigns=["doc._.facts"],
    requires=["doc.ents", "doc.spans"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend",
                    "max_metric_chars": 24},
)
def make_facts(nlp: Language, name: str, style: str, rules_dir: Optional[str], rules_mode: str,
               max_metric_chars: int) -> "FactBuilder":
    """Create the fact builder (see `FactBuilder`)."""
    return FactBuilder(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode,
                       max_metric_chars=max_metric_chars)


class FactBuilder(RuleComponent):
    """Link quantities to channels and metrics.

    Sets on the Doc: `doc._.facts`, a list of dicts with `channel` (str or null;
    several channels of one clause are joined with "、" and listed in
    `channels`), `metric`, `value`, `unit`, `approx`, `section` (kind of the
    innermost section with a kind) and `sentence` ([start, end] raw offsets).
    Rules: `facts.jsonl`.
    """

    rule_class = FactRule
    rule_files = ("facts.jsonl",)

    def _compile(self) -> Dict[str, Any]:
        by: Dict[str, List[str]] = {t: [] for t in RULE_TYPES}
        for rule in self._rules:
            by[rule.type].append(rule.pattern)

        def one(kind: str, wrap: str = "{}") -> Optional["re.Pattern"]:
            if not by[kind]:
                return None
            return re.compile(wrap.format("|".join(f"(?:{p})" for p in by[kind])))

        return {
            "clause": one("clause_break"), "sentence": one("sentence_break"),
            "prefix": one("strip_prefix", "^(?:{})+"), "suffix": one("strip_suffix", "(?:{})+$"),
            "no_carry": one("no_carry"), "total": one("total_row"), "index": one("index_cell"),
        }

    def __call__(self, doc: Doc) -> Doc:
        c = self.compiled
        view = TextView.from_doc(doc)
        ents = _Ents(doc, view)
        facts: List[Dict[str, Any]] = []
        trims: Dict[str, str] = {}  # _trim of texts seen in this document
        # a row of labels only is the header of the rows that follow: its range,
        # and its cell texts once a row of figures needs them
        header_row: Optional[Range] = None
        header: Optional[List[str]] = None
        starts = ents.clean_starts
        lo = 0
        for p_start, p_end, kind in view.paragraphs:
            lo = bisect.bisect_left(starts, p_start, lo)
            hi = bisect.bisect_left(starts, p_end, lo)
            has_quantity = ents.n_quantities(lo, hi) > 0
            if kind == "table":
                if not has_quantity:
                    header_row, header = (p_start, p_end), None
                    continue
                if header_row is not None and header is None:
                    header = [text for _, _, text in _cells(view.clean, *header_row)]
                self._table_row(view, p_start, p_end, ents, lo, hi, header, facts, c)
                continue
            header_row = header = None
            if has_quantity:
                self._text_paragraph(view, p_start, p_end, ents, facts, trims, c)
        doc._.facts = facts
        return doc

    # text ----------------------------------------------------------------
    def _text_paragraph(self, view, p_start, p_end, ents, facts, trims, c) -> None:
        clean = view.clean
        labels, cstarts, cends = ents.labels, ents.clean_starts, ents.clean_ends
        no_carry_rx = c["no_carry"]
        # only the sentences holding a quantity give facts (channels are carried
        # only within a sentence), so only those are found
        for s_start, s_end in _holding(clean, p_start, p_end, c["sentence"],
                                       ents.quantity_starts(p_start, p_end)):
            lo = bisect.bisect_left(cstarts, s_start)
            carried: List[int] = []
            sentence = None
            for a, b in split(clean[s_start:s_end], c["clause"], s_start):
                lo = bisect.bisect_left(cstarts, a, lo)
                hi = bisect.bisect_left(cstarts, b, lo)
                if lo == hi:
                    continue
                channels = [i for i in range(lo, hi) if labels[i] == "CHANNEL"] \
                    if ents.n_channels(lo, hi) else []
                if channels:
                    carried = channels
                if not ents.n_quantities(lo, hi):
                    continue
                no_carry = None  # searched when a quantity would inherit `carried`
                if sentence is None:
                    sentence = view.raw_span(s_start, s_end)
                seen: List[int] = []
                left = a  # end of the entity before the current one
                for i in range(lo, hi):
                    label = labels[i]
                    if label == "CHANNEL":
                        seen.append(i)
                    elif label == "QUANTITY":
                        linked = seen or channels
                        if not linked and carried:
                            if no_carry is None:
                                no_carry = bool(no_carry_rx and no_carry_rx.search(clean[a:b]))
                            if not no_carry:
                                linked = carried
                        right = cstarts[i + 1] if i + 1 < hi else b
                        metric = self._metric(clean[left:cstarts[i]], clean[cends[i]:right],
                                              trims, c)
                        names = ents.names(linked) if linked else []
                        facts.append(_fact(ents, i, "、".join(names) if names else None, names,
                                           metric, sentence))
                    if cends[i] > left:
                        left = cends[i]

    def _metric(self, before: str, after: str, trims: Dict[str, str], c) -> Optional[str]:
        metric = trims.get(before)
        if metric is None:
            metric = trims[before] = self._trim(before, c)
        tail = trims.get(after)
        if tail is None:
            tail = trims[after] = self._trim(after, c)
        if tail and len(tail) <= 6:
            metric = (metric or "") + tail
        limit = self.cfg.get("max_metric_chars", 24)
        if metric and len(metric) > limit:
            # keep the head noun phrase: the part after the last enumeration comma
            metric = metric.rsplit("、", 1)[-1][-limit:]
        return metric or None

    @staticmethod
    def _trim(text: str, c) -> str:
        # the prefix pattern is anchored at the start (^) and the suffix one at
        # the end ($): stripping the match is what re.sub does, except after an
        # empty prefix match, where re.sub tries again for a non-empty one
        text = without_spaces(text)
        prefix, suffix = c["prefix"], c["suffix"]
        while True:
            n = len(text)
            if prefix:
                m = prefix.match(text)
                if m:
                    text = text[m.end():] if m.end() else prefix.sub("", text)
            if suffix:
                m = suffix.search(text)
                if m:
                    text = text[:m.start()]
            if len(text) == n:
                return text

    # tables --------------------------------------------------------------
    def _table_row(self, view, p_start, p_end, ents, lo, hi, header, facts, c) -> None:
        cells = _cells(view.clean, p_start, p_end)
        labels = ents.labels
        quantities = [i for i in range(lo, hi) if labels[i] == "QUANTITY"]
        label = _row_label(cells, ents, quantities, c)
        is_total = bool(label and c["total"] and c["total"].fullmatch(label))
        names: List[str] = []
        if not is_total and ents.n_channels(lo, hi):
            names = ents.names([i for i in range(lo, hi) if labels[i] == "CHANNEL"])
        elif not is_total and label:
            names = [label]  # the row label names the channel
        channel = "、".join(names) if names else None
        sentence = view.raw_span(p_start, p_end)
        # rows that lost empty cells are aligned to the header from the right,
        # where the count columns are
        shift = max(0, len(header) - len(cells)) if header else 0
        cell_starts = [start for start, _, _ in cells]
        for i in quantities:
            metric = None
            if header:
                q_start = ents.clean_starts[i]
                k = bisect.bisect_right(cell_starts, q_start) - 1
                if k >= 0 and q_start < cells[k][1] and k + shift < len(header):
                    metric = header[k + shift]
            if is_total:
                metric = f"{metric}（{label}）" if metric else label
            facts.append(_fact(ents, i, channel, names, metric, sentence))


def _holding(clean: str, start: int, end: int, breaker, offsets: List[int]) -> List[Range]:
    """The ranges of `split(clean[start:end], breaker, start)` that hold one of
    the ascending offsets, without building the others."""
    if breaker is None:
        return [(start, end)] if offsets else []
    text = clean[start:end]
    b_starts = [m.start() for m in breaker.finditer(text)]
    b_ends = [m.end() for m in breaker.finditer(text)]
    out: List[Range] = []
    for offset in offsets:
        r = offset - start
        # the range after the last break starting at or before r
        k = bisect.bisect_right(b_starts, r)
        a = b_ends[k - 1] if k else 0
        b = b_starts[k] if k < len(b_starts) else len(text)
        if a <= r < b and (not out or out[-1][0] != start + a):
            out.append((start + a, start + b))
    return out


def _row_label(cells: List[Tuple[int, int, str]], ents: "_Ents", quantities: List[int], c
               ) -> Optional[str]:
    """The first cell of a row that is not an index, a URL, a figure or a quantity."""
    index = c["index"]
    cstarts, cends = ents.clean_starts, ents.clean_ends
    for _, _, text in cells:
        if not text or (index and index.fullmatch(text)):
            continue
        if "http" in text or "www." in text or ".cn" in text or ".com" in text:
            continue
        if _NUMBER_CELL.fullmatch(text):
            continue
        # the text of a quantity: only one at least as long can give it
        compact = _without_parens(text)
        n = len(compact)
        if any(cends[i] - cstarts[i] >= n and without_spaces(ents.text(i)) == compact
               for i in quantities):
            continue
        return text
    return None


def _without_parens(text: str) -> str:
    """The text without whitespace and parentheses."""
    if "（" in text or "）" in text or "(" in text or ")" in text:
        return _SPACES_PARENS.sub("", text)
    return without_spaces(text)


def _fact(ents: "_Ents", i: int, channel: Optional[str], names: List[str],
          metric: Optional[str], sentence: Range) -> Dict[str, Any]:
    value, unit, approx, section = ents.quantity(i)
    return {
        "channel": channel,
        "channels": list(names),
        "metric": metric,
        "value": value,
        "unit": unit,
        "approx": approx,
        "section": section,
        "sentence": [sentence[0], sentence[1]],
    }


class _Ents(Entities):
    """The entities of a Doc with their clean offsets, channel names and sections."""

    __slots__ = ("view", "clean_starts", "clean_ends", "_q_before", "_c_before", "_sections",
                 "_section_starts", "_section_ends", "_kinds", "_quantities")

    def __init__(self, doc: Doc, view: TextView) -> None:
        super().__init__(doc)
        self.view = view
        self.clean_starts, self.clean_ends = self.clean_spans(OffsetMap(doc, view))
        # the number of quantities / channels before entity i
        self._q_before = list(itertools.accumulate(map("QUANTITY".__eq__, self.labels), initial=0))
        self._c_before = list(itertools.accumulate(map("CHANNEL".__eq__, self.labels), initial=0))
        self._sections = sections(doc)
        self._section_starts = sorted(a for a, _, _, _ in self._sections)
        self._section_ends = sorted(b for _, b, _, _ in self._sections)
        self._kinds: Dict[Tuple[int, int], Optional[str]] = {}
        self._quantities: Dict[int, Tuple[Any, Any, Any, Optional[str]]] = {}

    def n_quantities(self, lo: int, hi: int) -> int:
        """The number of quantities among entities lo..hi-1."""
        return self._q_before[hi] - self._q_before[lo]

    def quantity_starts(self, start: int, end: int) -> List[int]:
        """Clean starts of the quantities starting within clean [start, end)."""
        cstarts, labels = self.clean_starts, self.labels
        lo = bisect.bisect_left(cstarts, start)
        hi = bisect.bisect_left(cstarts, end, lo)
        return [cstarts[i] for i in range(lo, hi) if labels[i] == "QUANTITY"]

    def n_channels(self, lo: int, hi: int) -> int:
        """The number of channels among entities lo..hi-1."""
        return self._c_before[hi] - self._c_before[lo]

    def text(self, i: int) -> str:
        """The clean text of entity i."""
        return self.view.clean[self.clean_starts[i]:self.clean_ends[i]]

    def names(self, channels: List[int]) -> List[str]:
        """The distinct texts of channel entities, in order."""
        names: List[str] = []
        for k in channels:
            name = self.text(k)
            if name not in names:
                names.append(name)
        return names

    def quantity(self, i: int) -> Tuple[Any, Any, Any, Optional[str]]:
        """(value, unit, approx, section) of quantity entity i (read once for
        all quantities of the Doc)."""
        if not self._quantities:
            self._read_quantities()
        return self._quantities[i]

    def _read_quantities(self) -> None:
        index = [i for i, label in enumerate(self.labels) if label == "QUANTITY"]
        # the section of each quantity, from where it falls among section bounds
        # (see `section`)
        s_starts, s_ends = self._section_starts, self._section_ends
        kinds = self._kinds
        for i, attrs in zip(index, self.attrs_of(index)):
            start, end = self.starts[i], self.ends[i]
            key = (bisect.bisect_right(s_starts, start), bisect.bisect_left(s_ends, end))
            section = kinds[key] if key in kinds else self.section(i)
            self._quantities[i] = (attrs.get("value"), attrs.get("unit"),
                                   attrs.get("approx", "exact"), section)

    def section(self, i: int) -> Optional[str]:
        """Kind of the innermost section (highest level; the first listed of equals)
        holding entity i."""
        start, end = self.starts[i], self.ends[i]
        # which sections hold [start, end) depends only on how many sections
        # start at or before `start` and how many end before `end`
        key = (bisect.bisect_right(self._section_starts, start),
               bisect.bisect_left(self._section_ends, end))
        if key not in self._kinds:
            section = None
            depth = -1
            for s_start, s_end, level, kind in self._sections:
                if s_start <= start and end <= s_end and level > depth:
                    section, depth = kind, level
            self._kinds[key] = section
        return self._kinds[key]


_NUMBER_CELL = re.compile(r"[\d.,，%％万亿+]+")
_SPACES_PARENS = re.compile(r"[\s（）()]+")


def _cells(clean: str, start: int, end: int) -> List[Tuple[int, int, str]]:
    """(start, end, text) of the cells of a table row: the texts between runs of tabs."""
    parts = clean[start:end].split("\t")
    cells, pos, last = [], start, len(parts) - 1
    for k, text in enumerate(parts):
        # an empty part between two parts is a tab inside a run of tabs
        if text or k == 0 or k == last:
            cells.append((pos, pos + len(text), text))
        pos += len(text) + 1
    return cells
