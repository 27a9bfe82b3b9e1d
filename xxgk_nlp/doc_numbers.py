"""DOC_NUMBER: official document numbers (发文字号 `教办函〔2014〕23号`) and order
numbers (`教育部令第29号`, `教育部第29号令`, `国务院令〔2004〕412号`).

A fixed pattern finds the distinctive tail (year bracket and serial, or 令 and
serial); the issuer in front of it is then delimited by a boundary model that
is data (`doc_numbers.jsonl`): stop words, prefixes, authority-name endings
and document-kind words, within a maximum issuer length.
"""
import dataclasses
import re
from typing import Any, Dict, Iterator, List, Optional, Tuple

import cn2an
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401
from .extensions import doc_text, set_span_values, span_value
from .layout import TextView
from .rules import Rule, RuleComponent, alternation
from .spans import add_entities, char_span

LABEL = "DOC_NUMBER"
TITLE_LABEL = "DOC_TITLE"
RULE_TYPES = ("stop", "prefix", "authority_end", "kind_word", "court", "form")

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
OPEN_BRACKETS = "〔\\[［【（(﹝"
CLOSE_BRACKETS = "〕\\]］】）)﹞"
# Digits may be split by a kept space, and any part by a hard line break that
# layout analysis kept (a short wrapped line): `〔2014〕\n23 号`.
GAP = "\\n?"
YEAR = r"[12](?:[ \n]?\d){3}"
SERIAL = r"\d(?:[ \n]?\d){0,5}"
CN_SERIAL = r"[〇零一二三四五六七八九十百千两]{1,8}"
NUMBER_END = GAP + "[号號]"


def _bracketed_year(group: str) -> str:
    return f"[{OPEN_BRACKETS}]{GAP} ?(?P<{group}>{YEAR}) ?{GAP}[{CLOSE_BRACKETS}]{GAP}"


def _serial(prefix: str, di: str = "第?") -> str:
    return (f"(?:第{GAP}(?P<{prefix}cn>{CN_SERIAL})"
            f"|(?P<{prefix}di>{di}){GAP}(?P<{prefix}serial>{SERIAL})){NUMBER_END}")


# The tail after the issuer. Order forms come first: scanning left to right, the
# 令 of 国务院令〔2004〕412号 is reached before its bracket. Every form starts with
# one of TAIL_FIRST. An announcement may give its year unbracketed
# (国家税务总局公告2018年第31号): only after 公告/通告, as 2020年第2号 alone is a
# journal issue; that match starts at the 告, the tail itself at the group "annual".
# An old form puts the year first (（1989）财预字第68号), as court case numbers do
# (（2007）朝民初字第18230号): "court" rules tell them apart.
TAIL_FIRST = f"令第告)）{OPEN_BRACKETS}"
TAIL_FORMS = (
    f"告(?P<annual>(?P<ayear>{YEAR}){GAP}年{GAP}第{GAP}(?P<aserial>{SERIAL}){NUMBER_END})|"
    f"(?P<first>[（(]{GAP} ?(?P<fyear>{YEAR}) ?{GAP}[）)]{GAP}(?P<fcode>[{HAN}]{{1,8}}字){GAP}"
    f"第{GAP}(?P<fserial>{SERIAL}){NUMBER_END})|"
    f"(?P<order>令{GAP}(?:{_bracketed_year('oyear')})?{_serial('o')})"
    f"|(?P<inverted>{_serial('i', '第')}{GAP}令)"
    f"|(?P<document>第?{GAP}[)）]?{GAP}{_bracketed_year('dyear')}[)）]?{GAP}{_serial('d')})"
)
TAIL = re.compile(f"(?=[{TAIL_FIRST}])(?:{TAIL_FORMS})")
# TAIL's matches, found about twice as fast: the engine tries a pattern that
# starts with a lookahead at every position, but skips ahead to the next
# character of a leading character class. TAIL_SCAN matches one first character
# and, inside a lookbehind, the forms from it (group "tail" is TAIL's match);
# `_tails` searches on after each match.
TAIL_SCAN = re.compile(f"[{TAIL_FIRST}](?<=(?=(?P<tail>{TAIL_FORMS})).)")
# The Han run an issuer is cut from: 发文字号 codes may hold a short parenthetical
# (法（研）发); order issuers may list joint bodies with 、.
DOCUMENT_RUN = re.compile(f"(?:[{HAN}]|（[{HAN}]{{1,2}}）)+\\Z")
ORDER_RUN = re.compile(f"[{HAN}、]+\\Z")
# The last character no run can hold: a run is searched for only after it, as
# a search from further left would try every start, each time up to the end.
RUN_BREAK = {DOCUMENT_RUN: re.compile(f"[^{HAN}（）][{HAN}（）]*+\\Z"),
             ORDER_RUN: re.compile(f"[^{HAN}、][{HAN}、]*+\\Z")}
MIN_YEAR, MAX_YEAR = 1949, 2099
# The opening parenthesis between a title and the document number it gives.
TITLE_LINK = re.compile(r"[（(]\s*\Z")


@dataclasses.dataclass
class DocNumberRule(Rule):
    """A rule of the issuer boundary model.

    type (str): "stop" (a word or pattern that ends the text before the issuer),
        "prefix" (a word dropped from the start of an issuer), "authority_end"
        (the ending of a body name: a 发文字号 code written right after a body
        name starts after it) or "kind_word" (a document kind such as 公告 that
        ends an issuer made of body names, which is then not split), or
        "court" (a mark of a court case number such as 民初, for the year-first
        form (2007）朝民初字第18230号, which is not a document number), or
        "form" (a whole document-number form the built-in tail does not know: a
        `pattern` with the groups `issuer` and `serial`, and optionally `year`).
    phrase (Optional[str]): A literal word.
    pattern (Optional[str]): A regular expression (for "stop", "court" and "form").
    kind (Optional[str]): For "form": "document" (default) or "order".
    """

    REQUIRED = ("type",)
    type: str = ""
    phrase: Optional[str] = None
    pattern: Optional[str] = None
    kind: Optional[str] = None
    description: Optional[str] = None

    def check(self):
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        if not self.phrase and not self.pattern:
            return "phrase", "give a 'phrase' or a 'pattern'"
        if self.pattern is not None:
            if self.type not in ("stop", "court", "form"):
                return "pattern", "only 'stop', 'court' and 'form' rules take a pattern"
            try:
                compiled = re.compile(self.pattern)
            except re.error as exc:
                return "pattern", f"not a valid regular expression ({exc})"
            if self.type == "form" and not {"issuer", "serial"} <= set(compiled.groupindex):
                return "pattern", "a form needs the groups (?P<issuer>…) and (?P<serial>…)"
        if self.type == "form" and self.pattern is None:
            return "pattern", "a form rule needs a pattern"
        if self.kind not in (None, "document", "order"):
            return "kind", "must be 'document' or 'order'"
        return None


def _tails(text: str) -> Iterator["re.Match"]:
    """The matches of TAIL in a text, as `TAIL.finditer` gives them (the search
    goes on after each), but with their span in the group "tail"."""
    pos = 0
    while True:
        m = TAIL_SCAN.search(text, pos)
        if m is None:
            return
        pos = m.end("tail")
        yield m


def _alternation(rules: List[DocNumberRule], suffix: str = "") -> "re.Pattern":
    return re.compile(alternation((r.phrase for r in rules if r.phrase),
                                  (r.pattern for r in rules if r.pattern)) + suffix)


def _to_int(digits: Optional[str], chinese: Optional[str]) -> Optional[int]:
    if digits is not None:
        return int("".join(digits.split()))
    if chinese is not None:
        try:
            return int(cn2an.cn2an(chinese, "normal"))
        except (ValueError, KeyError, TypeError):
            return None
    return None


@Language.factory(
    "xxgk_doc_numbers",
    assigns=["doc.ents", "span._.attrs"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend",
                    "max_code_chars": 10, "max_issuer_chars": 60},
)
def make_doc_numbers(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                     rules_mode: str, max_code_chars: int,
                     max_issuer_chars: int) -> "DocNumberRecognizer":
    """Create the xxgk_doc_numbers component (see `DocNumberRecognizer`).

    max_code_chars (int): Longest 发文字号 issuer code that is not a chain of body
        names ending in a kind word (…公告); a longer one is taken for prose.
    max_issuer_chars (int): Longest issuer of any kind (joint issuing bodies).
    RETURNS (DocNumberRecognizer): The component.
    """
    return DocNumberRecognizer(nlp, name, style=style, rules_dir=rules_dir,
                               rules_mode=rules_mode, max_code_chars=max_code_chars,
                               max_issuer_chars=max_issuer_chars)


class DocNumberRecognizer(RuleComponent):
    """Recognise DOC_NUMBER entities (document and order numbers).

    Sets on the Doc: `doc.ents` (adds DOC_NUMBER spans that overlap no existing
    entity), on each of them `span._.attrs = {"issuer": str, "year": int|None,
    "serial": int, "kind": "document"|"order"}`, and `attrs["doc_number"]` of a
    DOC_TITLE directly followed by the number in parentheses
    (`《高等学校信息公开办法》（教育部令第29号）`). Rules: `doc_numbers.jsonl`.
    """

    rule_class = DocNumberRule
    rule_files = ("doc_numbers.jsonl",)

    def __init__(self, nlp: Language, name: str, *, max_code_chars: int = 10,
                 max_issuer_chars: int = 60, **kwargs) -> None:
        super().__init__(nlp, name, max_code_chars=max_code_chars,
                         max_issuer_chars=max_issuer_chars, **kwargs)

    def _compile(self) -> Dict[str, Any]:
        by_type: Dict[str, List[DocNumberRule]] = {t: [] for t in RULE_TYPES}
        for rule in self._rules:
            by_type[rule.type].append(rule)
        return {
            "stop": _alternation(by_type["stop"]),
            "prefix": _alternation(by_type["prefix"]),
            "authority_end": _alternation(by_type["authority_end"]),
            "authority_final": _alternation(by_type["authority_end"], r"\Z"),
            "kind_final": _alternation(by_type["kind_word"], r"\Z"),
            "court": _alternation(by_type["court"]),
            "forms": [(re.compile(r.pattern), r.kind or "document") for r in by_type["form"]],
        }

    def __call__(self, doc: Doc) -> Doc:
        view = TextView.from_doc(doc)
        found = self.find(view.match)
        if not found:
            return doc
        spans, attrs = [], {}
        for start, end, info in found:
            raw_start, raw_end = view.raw_span(start, end)
            span = char_span(doc, raw_start, raw_end, label=LABEL)
            if span is None:
                continue
            issuer = "".join(view.clean[slice(*info["issuer"])].split())
            spans.append(span)
            attrs[(span.start_char, span.end_char)] = {
                "issuer": issuer, "year": info["year"], "serial": info["serial"],
                "kind": info["kind"]}
        added = add_entities(doc, spans)
        set_span_values(doc, "attrs", ((s.start_char, s.end_char, attrs[(s.start_char, s.end_char)])
                                       for s in added))
        self._link_titles(doc, view, added)
        return doc

    def find(self, text: str) -> List[Tuple[int, int, Dict[str, Any]]]:
        """Find document and order numbers in a (clean, digit-folded) text.

        text (str): The text to search, e.g. `TextView.match`.
        RETURNS (List[Tuple[int, int, dict]]): (start, end, attrs) per number;
            attrs hold "year", "serial", "kind" and "issuer" (the issuer's
            (start, end) offsets).
        """
        out = []
        c = self.compiled
        for m in _tails(text):
            if m.group("order"):
                kind, year = "order", m.group("oyear")
                serial = _to_int(m.group("oserial"), m.group("ocn"))
            elif m.group("first"):
                kind, year = "document", m.group("fyear")
                serial = _to_int(m.group("fserial"), None)
            elif m.group("annual"):
                kind, year = "document", m.group("ayear")
                serial = _to_int(m.group("aserial"), None)
            elif m.group("inverted"):
                kind, year = "order", None
                serial = _to_int(m.group("iserial"), m.group("icn"))
            else:
                kind, year = "document", m.group("dyear")
                serial = _to_int(m.group("dserial"), m.group("dcn"))
            if serial is None:
                continue
            if year is not None:
                year = int("".join(year.split()))
                if not MIN_YEAR <= year <= MAX_YEAR:
                    continue
            if m.group("first"):
                # the code sits inside the tail: （1989）财预字第68号
                start, end = m.span("fcode")
                if c["court"].search(text, start, end):
                    continue
                out.append((m.start("tail"), m.end("tail"), {
                    "year": year, "serial": serial, "kind": kind, "issuer": (start, end)}))
                continue
            end = m.start("annual") if m.group("annual") else m.start("tail")
            start = self.issuer_start(text, end, kind)
            if start is None:
                continue
            # An order is issued by a body (教育部令, 主席令), not by 命令 or 口令.
            if kind == "order" and not c["authority_final"].search(text, start, end):
                continue
            if m.group("annual") and not c["kind_final"].search(text, start, end):
                continue
            out.append((start, m.end("tail"), {"year": year, "serial": serial, "kind": kind,
                                               "issuer": (start, end)}))
        for form, kind in c["forms"]:
            for m in form.finditer(text):
                serial = _to_int(m.group("serial"), None) if m.group("serial").isdigit() \
                    else _to_int(None, m.group("serial"))
                year = m.groupdict().get("year")
                if serial is None or m.end() <= m.start():
                    continue
                # the boundary model cuts the issuer's left edge, as for built-in forms
                issuer_end = m.end("issuer")
                start = self.issuer_start(text, issuer_end, kind)
                start = m.start("issuer") if start is None else max(start, m.start("issuer"))
                if start >= issuer_end:
                    continue
                out.append((start, m.end(), {
                    "year": int(year) if year and year.isdigit() else None, "serial": serial,
                    "kind": kind, "issuer": (start, issuer_end)}))
        return out

    def issuer_start(self, text: str, end: int, kind: str) -> Optional[int]:
        """Where the issuer that ends at `end` starts (the boundary model).

        text (str): The text.
        end (int): Offset where the issuer ends (the tail starts).
        kind (str): "document" or "order".
        RETURNS (Optional[int]): The start offset, or None when there is no issuer.
        """
        c = self.compiled
        lo = max(0, end - self.cfg["max_issuer_chars"])
        run_re = ORDER_RUN if kind == "order" else DOCUMENT_RUN
        brk = RUN_BREAK[run_re].search(text, lo, end)
        run = run_re.search(text, lo if brk is None else brk.start() + 1, end)
        if run is None:
            return None
        start = run.start()
        for stop in c["stop"].finditer(text, start, end):
            if stop.end() > start:
                start = stop.end()
        if start == lo and lo > 0 and run.re.search(text, lo - 1, lo):
            return None  # the run goes on beyond the longest issuer: no boundary found
        while start < end:
            prefix = c["prefix"].match(text, start, end)
            if prefix is None or prefix.end() == start:
                break
            start = prefix.end()
        if start >= end:
            return None
        if kind == "order":
            return start
        if not c["kind_final"].search(text, start, end):
            # 自治区教育厅桂教办: the code starts after the last body-name ending
            # that leaves at least two characters (not in 工信厅办, 教办厅函).
            cut = None
            for ending in c["authority_end"].finditer(text, start, end):
                if end - ending.end() >= 2:
                    cut = ending.end()
            if cut is not None:
                start = cut
            if end - start > self.cfg["max_code_chars"]:
                return None
        return start

    @staticmethod
    def _link_titles(doc: Doc, view: TextView, numbers: List[Span]) -> None:
        wanted = []  # (clean end of the title it would belong to, number's raw offsets)
        for number in numbers:
            start = view.clean_span(number.start_char, number.end_char)[0]
            before = view.clean[max(0, start - 3):start]
            link = TITLE_LINK.search(before)
            if link is not None:
                wanted.append((start - (len(before) - link.start()),
                               number.start_char, number.end_char))
        if not wanted:
            return  # `doc.ents` builds every entity span: read it only when needed
        # a title ends before the number it gets: later titles are not mapped
        last = max(start for _, start, _ in wanted)
        label = doc.vocab.strings[TITLE_LABEL]
        titles = {view.clean_span(ent.end_char, ent.end_char)[1]: (ent.start_char, ent.end_char)
                  for ent in doc.ents if ent.label == label and ent.end_char <= last}
        text = doc_text(doc)
        for end, start_char, end_char in wanted:
            title = titles.get(end)
            if title is None:
                continue
            attrs = dict(span_value(doc, "attrs", *title) or {})
            attrs["doc_number"] = "".join(text[start_char:end_char].split())
            set_span_values(doc, "attrs", [(*title, attrs)])
