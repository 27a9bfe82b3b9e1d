"""Section segmentation: headings (一、 （一） 1. （1） 附件), their level,
number, title and required-part `kind`, section spans, and the report title.
"""
import dataclasses
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example

from . import extensions  # noqa: F401
from .extensions import set_span_fields
from .layout import TextView, _char_class, _first_chars, _needed_chars, _parse
from .rules import Rule, RuleComponent
from .spans import char_span

RULE_TYPES = ("heading", "kind", "title", "title_head", "title_stop")
# X+ written XX*: re's search skips ahead to a first character only when a
# pattern starts with a character class, not with a repeat
_TRAILING = re.compile(r"[。：:；;，,\s][。：:；;，,\s]*$")
_SPACES = re.compile(r"\s\s*")


@dataclasses.dataclass
class SectionRule(Rule):
    """A section rule.

    type (str): "heading" (a numbering scheme: `pattern` with groups `number`
        and `title`, and a `level`), "kind" (a key phrase or `pattern` that gives
        a heading its required-part `kind`), "title" (a pattern that marks the
        report title line), "title_head" (a pattern matched at the start of the
        first paragraph when the title line was re-flowed into the text after it)
        or "title_stop" (a line that never joins the title).
    pattern (Optional[str]): A regular expression.
    phrase (Optional[str]): A literal key phrase (for "kind").
    level (Optional[int]): Heading level 1-4 (for "heading").
    levels (Optional[List[int]]): Heading levels a "kind" rule applies to (default all).
    kind (Optional[str]): The part a "kind" rule assigns.
    always (bool): For "heading": every match is a heading; otherwise the
        short-title test of ANNOTATION.md §5 applies (levels 3 and 4).
    """

    REQUIRED = ("type",)
    type: str = ""
    pattern: Optional[str] = None
    phrase: Optional[str] = None
    level: Optional[int] = None
    levels: Optional[List[int]] = None
    kind: Optional[str] = None
    always: bool = False
    description: Optional[str] = None

    def check(self):
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        if self.pattern is None and self.phrase is None:
            return "pattern", "give a 'pattern' or a 'phrase'"
        if self.pattern is not None:
            try:
                compiled = re.compile(self.pattern)
            except re.error as exc:
                return "pattern", f"not a valid regular expression ({exc})"
            if self.type == "heading" and not {"number", "title"} <= set(compiled.groupindex):
                return "pattern", "a heading pattern needs the groups (?P<number>…) and (?P<title>…)"
        if self.type == "heading" and self.level not in (1, 2, 3, 4):
            return "level", "a heading rule needs a level from 1 to 4"
        if self.type == "kind" and not self.kind:
            return "kind", "a kind rule needs a kind"
        return None


@dataclasses.dataclass
class _Candidate:
    para: int
    level: int
    number: str
    title_start: int  # clean offsets
    title_end: int
    line_start: int
    form: str
    ok: bool
    always: bool


@Language.factory(
    "xxgk_sections",
    assigns=["doc.spans", "doc._.report"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend",
                    "max_title_chars": 40, "headings_key": "headings",
                    "sections_key": "sections", "title_key": "title"},
)
def make_sections(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                  rules_mode: str, max_title_chars: int, headings_key: str,
                  sections_key: str, title_key: str) -> "SectionSegmenter":
    """Create the section segmenter (see `SectionSegmenter`)."""
    return SectionSegmenter(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode,
                            max_title_chars=max_title_chars, headings_key=headings_key,
                            sections_key=sections_key, title_key=title_key)


class SectionSegmenter(RuleComponent):
    """Find headings and sections.

    Sets on the Doc: `doc.spans["headings"]` (one span per heading title, with
    `span._.level`, `._.number`, `._.title`, `._.kind`), `doc.spans["sections"]`
    (heading line + body up to the next heading of the same or higher level,
    labelled with the kind or "section"), `doc.spans["title"]` (the report
    title lines, if found) and `doc._.report["title"]`.
    Rules: `headings.jsonl`.
    """

    rule_class = SectionRule
    rule_files = ("headings.jsonl",)

    def _compile(self) -> Dict[str, Any]:
        headings, kinds, titles, heads, stops = [], [], [], [], []
        for rule in self._rules:
            rx = re.compile(rule.pattern) if rule.pattern else re.compile(re.escape(rule.phrase))
            if rule.type == "heading":
                headings.append((rx, rule))
            elif rule.type == "kind":
                kinds.append((rx, rule))
            elif rule.type == "title":
                titles.append(rx)
            elif rule.type == "title_head":
                heads.append(rx)
            else:
                stops.append(rx)
        compiled = {"headings": headings, "kinds": kinds, "titles": titles, "heads": heads,
                    "stops": stops, "heading_index": self._heading_index(headings),
                    "kinds_by_level": {}}
        for level in (1, 2, 3, 4):  # the heading levels; kind_of fills in others on use
            self._kinds(level, compiled)
        return compiled

    @staticmethod
    def _heading_index(headings: List[Tuple[Any, SectionRule]]) -> Optional[Dict[str, Any]]:
        """The heading rules worth trying on a paragraph, by its first character.

        RETURNS (Optional[dict]): None when a rule does not tell its first
            characters, else {"start": a regex for any first character,
            "by_char": {char: rules}, "firsts": [(regex for the first
            character of one rule, rx, rule)]}; "by_char" holds the characters
            the rules name and ASCII, others are looked up in "firsts".
        """
        firsts = [_first_chars(rule.pattern) for _, rule in headings]
        if not headings or None in firsts:
            return None
        chars = set().union(*(f[0] for f in firsts))
        classes = set().union(*(f[1] for f in firsts))
        rules = [(_char_class(*f), rx, rule) for f, (rx, rule) in zip(firsts, headings)]
        by_char = {ch: [(rx, rule) for first, rx, rule in rules if first.match(ch)]
                   for ch in chars | set(map(chr, range(128)))}
        return {"start": _char_class(chars, classes), "by_char": by_char, "firsts": rules}

    def _kinds(self, level: int, compiled: Optional[Dict[str, Any]] = None
               ) -> Tuple[Optional[Callable[[str], Any]], List[Tuple[str, Any, str]]]:
        """The kind rules of a level, in order, as (a character every match
        needs, or "", regex, kind), and a search for any of them."""
        compiled = compiled or self.compiled
        by_level = compiled["kinds_by_level"]
        if level not in by_level:
            rules = []
            for rx, rule in compiled["kinds"]:
                if not rule.levels or level in rule.levels:
                    needed = _needed_chars(_parse(rx.pattern))
                    rules.append((min(needed) if needed and len(needed) == 1 else "", rx, rule.kind))
            try:
                any_kind = re.compile("|".join(f"(?:{rx.pattern})" for _, rx, _ in rules)).search
            except re.error:  # e.g. two rules name a group alike
                any_kind = None
            by_level[level] = (any_kind if rules else None, rules)
        return by_level[level]

    def kind_of(self, title: str, level: int) -> Optional[str]:
        """The required-part kind of a heading title at a level, or None.

        title (str): The heading title.
        level (int): The heading level.
        RETURNS (Optional[str]): The first kind whose key phrase the title contains.
        """
        # " " is the only whitespace character that str.isprintable passes
        compact = title if title.isprintable() and " " not in title else _SPACES.sub("", title)
        any_kind, rules = self._kinds(level)
        if any_kind is not None and any_kind(compact) is None:
            return None  # most titles have no kind: one search tells
        for needed, rx, kind in rules:
            if needed in compact and rx.search(compact):
                return kind
        return None

    def __call__(self, doc: Doc) -> Doc:
        view = TextView.from_doc(doc)
        paragraphs = view.paragraphs
        clean = view.clean
        headings = [cand for cand in self._candidates(view) if cand.ok]
        found: List[Tuple[_Candidate, Span, str, Optional[str]]] = []
        for cand in headings:
            rs, re_ = view.raw_span(cand.title_start, cand.title_end)
            span = char_span(doc, rs, re_, label=f"H{cand.level}")
            if span is None:
                continue
            title = clean[cand.title_start:cand.title_end]
            kind = self.kind_of(title, cand.level)
            set_span_fields(doc, span.start_char, span.end_char,
                            {"level": cand.level, "number": cand.number, "title": title, "kind": kind})
            span.label_ = kind or "heading"
            found.append((cand, span, title, kind))
        # a section runs to the next heading of the same or a higher level
        ends = [len(clean)] * len(found)
        later: List[_Candidate] = []
        for i in range(len(found) - 1, -1, -1):
            cand = found[i][0]
            while later and later[-1].level > cand.level:
                later.pop()
            if later:
                ends[i] = later[-1].line_start
            later.append(cand)
        raw = view.raw
        section_spans = []
        for (cand, span, title, kind), end_clean in zip(found, ends):
            rs = view.raw_start(cand.line_start)
            re_ = view.raw_end(end_clean)
            while re_ > rs and raw[re_ - 1].isspace():
                re_ -= 1
            section = char_span(doc, rs, re_, label=kind or "section")
            if section is None:
                continue
            set_span_fields(doc, section.start_char, section.end_char,
                            {"level": cand.level, "number": cand.number, "title": title, "kind": kind})
            section_spans.append(section)
        doc.spans[self.cfg["headings_key"]] = [span for _, span, _, _ in found]
        doc.spans[self.cfg["sections_key"]] = section_spans
        numbered = [c.para for c in headings if c.number]
        first_body = numbered[0] if numbered else len(paragraphs)
        report = dict(doc._.report or {})
        bounds = self._title(view, paragraphs, first_body, {c.para for c in headings})
        report["title"] = None
        title_spans = []
        if bounds is not None:
            start, end = bounds
            report["title"] = "".join(clean[s:e].strip() for s, e, _ in paragraphs[start:end + 1])
            clean_range = (paragraphs[start][0], paragraphs[end][1])
        else:
            clean_range = self._title_head(view, paragraphs, first_body)
            if clean_range is not None:
                report["title"] = clean[clean_range[0]:clean_range[1]].strip()
        if clean_range is not None:
            rs, re_ = view.raw_span(*clean_range)
            span = char_span(doc, rs, re_, label="TITLE")
            if span is not None:
                title_spans.append(span)
        doc.spans[self.cfg["title_key"]] = title_spans
        doc._.report = report
        return doc

    def score(self, examples: Iterable[Example], **kwargs: Any) -> Dict[str, Any]:
        """Score heading spans (`spans_headings_p/r/f`) for `nlp.evaluate(examples)`.

        examples (Iterable[Example]): Examples with gold `doc.spans["headings"]`.
        RETURNS (Dict[str, Any]): The scores.
        """
        key = self.cfg["headings_key"]
        kwargs.setdefault("getter", lambda doc, attr: doc.spans.get(key, []))
        kwargs.setdefault("has_annotation", lambda doc: key in doc.spans)
        kwargs.setdefault("labeled", False)
        return Scorer.score_spans(examples, f"spans_{key}", **kwargs)

    def _candidates(self, view: TextView) -> List[_Candidate]:
        rules = self.compiled["headings"]
        index = self.compiled["heading_index"]
        limit = self.cfg["max_title_chars"]
        clean, match = view.clean, view.match
        found: List[_Candidate] = []
        for p, (start, end, kind) in enumerate(view.paragraphs):
            if kind != "text":
                continue
            if index is not None:
                # only the rules whose matches can start with the first character
                if index["start"].match(match, start, end) is None:
                    continue
                rules = index["by_char"].get(match[start])
                if rules is None:
                    rules = [(rx, rule) for first, rx, rule in index["firsts"]
                             if first.match(match, start)]
            text = match[start:end]
            for rx, rule in rules:
                m = rx.match(text)
                if not m:
                    continue
                n_start, n_end = m.span("number")
                number = clean[start + n_start:start + n_end]
                t_start, t_end = m.span("title")
                t_start += start
                t_end += start
                title = clean[t_start:t_end]
                cut = title.find("。")
                runin = 0 <= cut < len(title.rstrip()) - 1
                if runin:
                    t_end = t_start + cut
                stripped = _TRAILING.sub("", clean[t_start:t_end])
                t_end = t_start + len(stripped)
                # leading separators and spaces are outside the title
                lead = len(stripped) - len(stripped.lstrip("、.．,，:： \u3000"))
                t_start += lead
                if t_end <= t_start:
                    if rule.level != 1 or not number == "":
                        continue
                if rule.always:
                    ok = True
                else:
                    whole_ends_period = clean[start:end].rstrip().endswith("。")
                    ok = (t_end - t_start) <= limit and (runin or not whole_ends_period)
                found.append(_Candidate(p, rule.level, number, t_start, t_end, start,
                                        rule.id or rule.pattern, ok, rule.always))
                break
        # The items of one list (same numbering form, same parent) are all
        # headings or none (ANNOTATION.md §5).
        groups: Dict[Tuple[int, str], List[_Candidate]] = {}
        for i, cand in enumerate(found):
            if cand.always:
                continue
            parent = -1
            for j in range(i - 1, -1, -1):
                if found[j].level < cand.level:
                    parent = j
                    break
            groups.setdefault((parent, cand.form), []).append(cand)
        for members in groups.values():
            if not all(m.ok for m in members):
                for m in members:
                    m.ok = False
        return found

    def _title_head(self, view: TextView, paragraphs, first_body: int
                    ) -> Optional[Tuple[int, int]]:
        """Clean offsets of a title that the layout re-flowed into a first paragraph."""
        for start, end, kind in paragraphs[:min(first_body, 3)]:
            if kind != "text":
                continue
            for rx in self.compiled["heads"]:
                m = rx.match(view.match, start, end)
                if m:
                    return m.start(), m.end()
        return None

    def _title(self, view: TextView, paragraphs, first_body: int, heading_paras
               ) -> Optional[Tuple[int, int]]:
        titles, stops = self.compiled["titles"], self.compiled["stops"]
        best = None
        for p in range(min(first_body, len(paragraphs))):
            start, end, kind = paragraphs[p]
            text = view.clean[start:end].strip()
            if kind != "text" or p in heading_paras or len(text) > 60 or text.endswith("。"):
                continue
            if any(rx.search(text) for rx in titles):
                best = p
        if best is None:
            return None
        first = best
        while first - 1 >= 0 and first - 1 not in heading_paras:
            start, end, kind = paragraphs[first - 1]
            text = view.clean[start:end].strip()
            if kind != "text" or len(text) > 30 or any(rx.search(text) for rx in stops) \
                    or any(rx.search(text) for rx in titles):
                break
            first -= 1
        return first, best
