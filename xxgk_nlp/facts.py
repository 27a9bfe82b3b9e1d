"""Facts: each QUANTITY linked to the channel(s) and the thing counted in its clause.

`官方微博粉丝数 124 万，发布信息 851 条` gives (官方微博, 粉丝数, 1240000) and
(官方微博, 发布信息, 851 条); a table row `1\t主页\twww.hit.edu.cn\t158` under the
header `序号\t网站名称\t网址\t数量` gives (主页, 数量, 158).
"""
import bisect
import dataclasses
import re
from typing import Any, Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .layout import TextView
from .rules import PatternRule, RuleComponent

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
        sections = [(s.start_char, s.end_char, s._.level or 0, s._.kind)
                    for s in doc.spans.get("sections", []) if s._.kind]
        facts: List[Dict[str, Any]] = []
        header: Optional[List[str]] = None
        for p_start, p_end, kind in view.iter_paragraphs():
            lo, hi = ents.between(p_start, p_end)
            if kind == "table":
                header = self._table_row(doc, view, p_start, p_end, ents, lo, hi, header,
                                         sections, facts, c)
                continue
            header = None
            if any(ents.labels[i] == "QUANTITY" for i in range(lo, hi)):
                self._text_paragraph(view, p_start, p_end, ents, sections, facts, c)
        doc._.facts = facts
        return doc

    # text ----------------------------------------------------------------
    def _text_paragraph(self, view, p_start, p_end, ents, sections, facts, c) -> None:
        text = view.clean[p_start:p_end]
        for s_start, s_end in _split(text, c["sentence"]):
            carried: List[int] = []
            sent_rs, sent_re = view.raw_span(p_start + s_start, p_start + s_end)
            for k_start, k_end in _split(text[s_start:s_end], c["clause"]):
                a, b = p_start + s_start + k_start, p_start + s_start + k_end
                lo, hi = ents.between(a, b)
                if lo == hi:
                    continue
                clause_text = view.clean[a:b]
                channels = [i for i in range(lo, hi) if ents.labels[i] == "CHANNEL"]
                if channels:
                    carried = channels
                no_carry = bool(c["no_carry"] and c["no_carry"].search(clause_text))
                seen: List[int] = []
                left = a  # end of the entity before the current one
                for i in range(lo, hi):
                    e_start, e_end = ents.clean[i]
                    if ents.labels[i] == "CHANNEL":
                        seen.append(i)
                    elif ents.labels[i] == "QUANTITY":
                        if seen:
                            linked = list(seen)
                        elif channels:
                            linked = channels
                        elif carried and not no_carry:
                            linked = carried
                        else:
                            linked = []
                        right = ents.clean[i + 1][0] if i + 1 < hi else b
                        metric = self._metric(view.clean[left:e_start], view.clean[e_end:right], c)
                        facts.append(self._fact(ents, i, linked, metric, sections,
                                                (sent_rs, sent_re)))
                    left = max(left, e_end)

    def _metric(self, before: str, after: str, c) -> Optional[str]:
        metric = self._trim(before, c)
        after = self._trim(after, c)
        if after and len(after) <= 6:
            metric = (metric or "") + after
        limit = self.cfg.get("max_metric_chars", 24)
        if metric and len(metric) > limit:
            # keep the head noun phrase: the part after the last enumeration comma
            metric = re.split(r"[、]", metric)[-1][-limit:]
        return metric or None

    @staticmethod
    def _trim(text: str, c) -> str:
        text = re.sub(r"\s+", "", text)
        prev = None
        while prev != text:
            prev = text
            if c["prefix"]:
                text = c["prefix"].sub("", text)
            if c["suffix"]:
                text = c["suffix"].sub("", text)
        return text

    # tables --------------------------------------------------------------
    def _table_row(self, doc, view, p_start, p_end, ents, lo, hi, header, sections, facts, c):
        cells = _cells(view.clean, p_start, p_end)
        quantities = [i for i in range(lo, hi) if ents.labels[i] == "QUANTITY"]
        if not quantities:
            # a row of labels only is the header of the rows that follow
            return [text for _, _, text in cells]
        row_rs, row_re = view.raw_span(p_start, p_end)
        channels = [i for i in range(lo, hi) if ents.labels[i] == "CHANNEL"]
        quantity_texts = {_compact(ents.texts[i]) for i in quantities}
        label = None
        for _, _, text in cells:
            if not text or (c["index"] and c["index"].fullmatch(text)):
                continue
            if any(mark in text for mark in ("http", "www.", ".cn", ".com")):
                continue
            if _NUMBER_CELL.fullmatch(text) or _compact(text, "（）()") in quantity_texts:
                continue
            label = text
            break
        is_total = bool(label and c["total"] and c["total"].fullmatch(label))
        for i in quantities:
            q_start = ents.clean[i][0]
            column = next((k for k, (a, b, _) in enumerate(cells) if a <= q_start < b), None)
            metric = None
            if header and column is not None:
                # rows that lost empty cells are aligned to the header from the right,
                # where the count columns are
                column += max(0, len(header) - len(cells))
                if column < len(header):
                    metric = header[column]
            if is_total:
                metric = f"{metric}（{label}）" if metric else label
                fact = self._fact(ents, i, [], metric, sections, (row_rs, row_re))
            else:
                fact = self._fact(ents, i, channels, metric, sections, (row_rs, row_re))
                if not channels and label:
                    fact["channel"] = label
                    fact["channels"] = [label]
            facts.append(fact)
        return header

    @staticmethod
    def _fact(ents: "_Ents", i: int, channels: List[int], metric: Optional[str], sections,
              sentence: Tuple[int, int]) -> Dict[str, Any]:
        attrs = ents.attrs(i)
        names: List[str] = []
        for k in channels:
            if ents.texts[k] not in names:
                names.append(ents.texts[k])
        start, end = ents.chars[i]
        section = None
        depth = -1
        for s_start, s_end, level, kind in sections:
            if kind and s_start <= start and end <= s_end and level > depth:
                section, depth = kind, level
        return {
            "channel": "、".join(names) if names else None,
            "channels": names,
            "metric": metric,
            "value": attrs.get("value"),
            "unit": attrs.get("unit"),
            "approx": attrs.get("approx", "exact"),
            "section": section,
            "sentence": [sentence[0], sentence[1]],
        }


class _Ents:
    """The entities of a Doc with their clean offsets, for range look-ups by bisection."""

    def __init__(self, doc: Doc, view: TextView) -> None:
        self.spans = list(doc.ents)
        self.labels = [e.label_ for e in self.spans]
        self.chars = [(e.start_char, e.end_char) for e in self.spans]
        self.clean = [view.clean_span(a, b) for a, b in self.chars]
        self.starts = [start for start, _ in self.clean]
        self.texts = [view.clean[a:b] for a, b in self.clean]
        self._attrs: Dict[int, Dict[str, Any]] = {}

    def attrs(self, i: int) -> Dict[str, Any]:
        """`span._.attrs` of entity i (read once)."""
        if i not in self._attrs:
            self._attrs[i] = self.spans[i]._.attrs or {}
        return self._attrs[i]

    def between(self, a: int, b: int) -> Tuple[int, int]:
        """Index range of the entities that start within clean offsets [a, b)."""
        return bisect.bisect_left(self.starts, a), bisect.bisect_left(self.starts, b)


_NUMBER_CELL = re.compile(r"[\d.,，%％万亿+]+")


def _compact(text: str, drop: str = "") -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch not in drop)


def _split(text: str, breaker) -> List[Tuple[int, int]]:
    if breaker is None:
        return [(0, len(text))]
    out, pos = [], 0
    for m in breaker.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _cells(clean: str, start: int, end: int) -> List[Tuple[int, int, str]]:
    cells, pos = [], start
    for m in re.finditer(r"\t+", clean[start:end]):
        cells.append((pos, start + m.start(), clean[pos:start + m.start()]))
        pos = start + m.end()
    cells.append((pos, end, clean[pos:end]))
    return cells
