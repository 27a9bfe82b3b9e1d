"""Layout analysis: which line breaks and spaces of raw PDF/DOCX text are soft.

The `xxgk_layout` component never changes `doc.text`. It sets
`doc._.clean_text` (the re-flowed text) and `doc._.xxgk_layout`, a JSON-safe
record of how each clean character maps back to the raw text, and of the
paragraphs (with their kind: "text" or "table"). `TextView` reads that record:
every rule of the later components matches on the clean (and digit-folded)
text and maps its hits back to raw offsets.
"""
import bisect
import dataclasses
import re
import statistics
import weakref
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .extensions import doc_text
from .rules import PatternRule, RuleComponent

# Whitespace and invisible characters (zero-width, BOM, soft hyphen, C0 controls
# other than line/tab breaks): removed or re-flowed, never copied.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f"
GAP_CHARS = r"\s" + INVISIBLE
_LINE_BREAK = re.compile(r"\r\n|[\n\r\f\v\x1c-\x1e\x85\u2028\u2029]")
_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({i: i - 0xFEE0 for i in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({i: i - 0xFEE0 for i in range(0xFF41, 0xFF5B)})
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
# One view per Doc (weakly keyed; the view holds only a weak reference back).
_VIEWS: "weakref.WeakKeyDictionary[Doc, Tuple[Dict[str, Any], TextView]]" = (
    weakref.WeakKeyDictionary())

RULE_TYPES = ("marker", "terminal", "clause_punct", "debris", "debris_line", "table_line")


_HAS_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def fold(text: str) -> str:
    """Fold full-width digits and Latin letters to ASCII (one char for one char)."""
    # str.translate visits every character; most reports have no full-width
    # letters at all, which one regex search tells at C speed
    return text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text


@dataclasses.dataclass
class LayoutRule(PatternRule):
    """A layout rule.

    type (str): "marker" (a line start that opens a heading or list item),
        "terminal" (a line end that closes a paragraph), "clause_punct" (a
        character that marks running text), "debris" (extraction debris removed
        inline), "debris_line" (a whole line of debris such as a page number),
        "table_line" (a line that is a table row).
    pattern (str): A regular expression.
    """

    TYPES = RULE_TYPES


@dataclasses.dataclass
class _Line:
    start: int  # raw offset of the first content character
    end: int  # raw offset after the last content character
    core: str  # content without whitespace or debris
    kind: str  # "text", "table", "debris", "blank"


class TextView:
    """The clean text of a Doc with maps between clean and raw offsets.

    clean (str): The re-flowed text (`doc._.clean_text`).
    match (str): `clean` with full-width digits and letters folded to ASCII,
        same length, for rules to match on.
    """

    __slots__ = ("_raw", "clean", "match", "_cs", "_rs", "_cl", "_rl", "paragraphs")

    def __init__(self, raw: Union[str, Doc, "weakref.ref[Doc]"], clean: str,
                 layout: Dict[str, Any]) -> None:
        self._raw = raw
        self.clean = clean
        self.match = fold(clean)
        self._cs, self._rs = layout["cs"], layout["rs"]
        self._cl, self._rl = layout["cl"], layout["rl"]
        self.paragraphs: List[List[Any]] = layout.get("paragraphs", [])

    @property
    def raw(self) -> str:
        """The raw text (`doc.text`), built on first use: spaCy joins it from the tokens."""
        if not isinstance(self._raw, str):
            doc = self._raw if isinstance(self._raw, Doc) else self._raw()
            self._raw = "" if doc is None else doc_text(doc)
        return self._raw

    @classmethod
    def from_doc(cls, doc: Doc) -> "TextView":
        """The view of a Doc; an identity view when layout analysis has not run.

        Every component asks for the view; it is built (and the text folded)
        once per Doc and layout record, and rebuilt if either changes.
        doc (Doc): The document.
        RETURNS (TextView): The view.
        """
        layout = doc._.xxgk_layout
        if layout is None:
            text = doc_text(doc)
            n = len(text)
            layout = {"cs": [0], "rs": [0], "cl": [n], "rl": [n],
                      "paragraphs": _identity_paragraphs(text)}
            return cls(text, text, layout)
        clean = doc._.clean_text
        cached = _VIEWS.get(doc)
        if cached is not None and cached[0] is layout and cached[1].clean is clean:
            return cached[1]
        view = cls(weakref.ref(doc), clean, layout)
        _VIEWS[doc] = (layout, view)
        return view

    def raw_start(self, i: int) -> int:
        """Raw offset of clean character i."""
        j = bisect.bisect_right(self._cs, i) - 1
        if j < 0:
            return 0
        if self._cl[j] == self._rl[j]:
            return self._rs[j] + (i - self._cs[j])
        return self._rs[j]

    def raw_end(self, e: int) -> int:
        """Raw end offset for a clean end offset e (exclusive)."""
        if e <= 0:
            return 0
        i = e - 1
        j = bisect.bisect_right(self._cs, i) - 1
        if self._cl[j] == self._rl[j]:
            return self._rs[j] + (i - self._cs[j]) + 1
        return self._rs[j] + self._rl[j]

    def raw_span(self, start: int, end: int) -> Tuple[int, int]:
        """Raw (start, end) offsets of a clean range."""
        return self.raw_start(start), self.raw_end(end)

    def _count_before(self, r: int) -> int:
        j = bisect.bisect_left(self._rs, r) - 1
        if j < 0:
            return 0
        if self._cl[j] == self._rl[j]:
            return self._cs[j] + min(self._cl[j], r - self._rs[j])
        return self._cs[j] + self._cl[j]

    def clean_span(self, start: int, end: int) -> Tuple[int, int]:
        """Clean (start, end) offsets of a raw range."""
        cs = self._count_before(start)
        return cs, max(cs, self._count_before(end))

    def clean_text(self, start: int, end: int) -> str:
        """The clean text of a raw range (what `span._.clean_text` returns)."""
        cs, ce = self.clean_span(start, end)
        return self.clean[cs:ce]

    def finditer(self, pattern, pos: int = 0, endpos: Optional[int] = None
                 ) -> Iterator[Tuple[Any, int, int]]:
        """Run a compiled pattern over the match text.

        RETURNS (Iterator[Tuple[Match, int, int]]): each match with its raw start and end.
        """
        endpos = len(self.match) if endpos is None else endpos
        for m in pattern.finditer(self.match, pos, endpos):
            if m.end() > m.start():
                yield m, self.raw_start(m.start()), self.raw_end(m.end())

    def iter_paragraphs(self, kind: Optional[str] = None) -> Iterator[Tuple[int, int, str]]:
        """Yield (clean_start, clean_end, kind) of every paragraph (or of one kind)."""
        for start, end, pkind in self.paragraphs:
            if kind is None or pkind == kind:
                yield start, end, pkind


def _identity_paragraphs(text: str) -> List[List[Any]]:
    out, pos = [], 0
    for m in re.finditer(r"\n", text):
        if m.start() > pos:
            out.append([pos, m.start(), "text"])
        pos = m.end()
    if pos < len(text):
        out.append([pos, len(text), "text"])
    return out


@Language.factory(
    "xxgk_layout",
    assigns=["doc._.clean_text", "doc._.xxgk_layout"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_layout(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                rules_mode: str) -> "LayoutAnalyzer":
    """Create the layout analyser (see `LayoutAnalyzer`)."""
    return LayoutAnalyzer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class LayoutAnalyzer(RuleComponent):
    """Find soft line breaks, stray spaces, debris and table rows in raw text.

    Sets on the Doc: `doc._.clean_text` (str) and `doc._.xxgk_layout`
    (dict with the segment map `cs`/`rs`/`cl`/`rl` and `paragraphs`:
    [clean_start, clean_end, "text"|"table"]). Rules: `layout.jsonl`.
    """

    rule_class = LayoutRule
    rule_files = ("layout.jsonl",)

    def _compile(self) -> Dict[str, Any]:
        by_type: Dict[str, List[str]] = {t: [] for t in RULE_TYPES}
        for rule in self._rules:
            by_type[rule.type].append(rule.pattern)
        never = r"(?!x)x"

        def join(kind: str) -> "re.Pattern":
            pats = by_type[kind]
            return re.compile("|".join(f"(?:{p})" for p in pats) if pats else never)

        debris = by_type["debris"]
        gap = f"[{GAP_CHARS}]+" + "".join(f"|(?:{p})" for p in debris)
        return {
            "marker": join("marker"),
            "terminal": join("terminal"),
            "clause": join("clause_punct"),
            "debris_line": join("debris_line"),
            "table_line": join("table_line"),
            "gap": re.compile(f"(?:{gap})+"),
        }

    def __call__(self, doc: Doc) -> Doc:
        clean, layout = self.analyze(doc_text(doc))
        doc._.clean_text = clean
        doc._.xxgk_layout = layout
        return doc

    # analysis ------------------------------------------------------------
    def analyze(self, text: str) -> Tuple[str, Dict[str, Any]]:
        """Analyse raw text.

        text (str): The raw text.
        RETURNS (Tuple[str, dict]): The clean text and the layout record.
        """
        c = self.compiled
        lines = self._lines(text, c)
        content = [ln for ln in lines if ln.kind in ("text", "table")]
        self._mark_table_continuations(content, c)
        width = self._wrap_width(content, c)
        cs: List[int] = []
        rs: List[int] = []
        cl: List[int] = []
        rl: List[int] = []
        parts: List[str] = []
        paragraphs: List[List[Any]] = []
        pos = 0  # clean length so far
        para_start, para_kind = 0, None
        gap_re = c["gap"]

        def emit_copy(a: int, b: int) -> None:
            nonlocal pos
            if b <= a:
                return
            if cl and cl[-1] == rl[-1] and rs[-1] + rl[-1] == a and cs[-1] + cl[-1] == pos:
                cl[-1] += b - a
                rl[-1] += b - a
            else:
                cs.append(pos), rs.append(a), cl.append(b - a), rl.append(b - a)
            parts.append(text[a:b])
            pos += b - a

        def emit_sub(a: int, b: int, repl: str) -> None:
            nonlocal pos
            cs.append(pos), rs.append(a), cl.append(len(repl)), rl.append(b - a)
            parts.append(repl)
            pos += len(repl)

        for idx, line in enumerate(content):
            if para_kind is None:
                para_start, para_kind = pos, line.kind
            # inline gaps: whitespace runs and debris inside the line
            last = line.start
            for m in gap_re.finditer(text, line.start, line.end):
                a, b = m.span()
                emit_copy(last, a)
                repl = self._inline_replacement(text, a, b, line.kind)
                if repl:
                    emit_sub(a, b, repl)
                last = b
            emit_copy(last, line.end)
            if idx + 1 < len(content):
                nxt = content[idx + 1]
                if self._is_hard_break(line, nxt, width, c):
                    paragraphs.append([para_start, pos, para_kind])
                    emit_sub(line.end, nxt.start, "\n")
                    para_kind = None
        if para_kind is not None:
            paragraphs.append([para_start, pos, para_kind])
        layout = {"cs": cs, "rs": rs, "cl": cl, "rl": rl, "paragraphs": paragraphs,
                  "wrap_width": width}
        return "".join(parts), layout

    def _lines(self, text: str, c: Dict[str, Any]) -> List[_Line]:
        lines: List[_Line] = []
        gap_re = c["gap"]
        pos = 0
        for m in _LINE_BREAK.finditer(text):
            lines.append(self._line(text, pos, m.start(), gap_re, c))
            pos = m.end()
        lines.append(self._line(text, pos, len(text), gap_re, c))
        return lines

    @staticmethod
    def _line(text: str, a: int, b: int, gap_re, c) -> _Line:
        raw = text[a:b]
        core = gap_re.sub("", raw)
        if not core:
            return _Line(a, a, "", "blank")
        # content bounds: skip leading and trailing gaps
        start, end = a, b
        m = gap_re.match(text, a, b)
        if m:
            start = m.end()
        for g in gap_re.finditer(text, start, b):
            if g.end() == b:
                end = g.start()
        stripped = text[start:end]
        cell = raw.lstrip(" \u3000").startswith("\t") and len(core) <= 60
        if "\t" in stripped or cell or c["table_line"].search(stripped):
            kind = "table"
        elif c["debris_line"].fullmatch(stripped):
            kind = "debris"
        else:
            kind = "text"
        return _Line(start, end, core, kind)

    @staticmethod
    def _mark_table_continuations(content: List[_Line], c) -> None:
        # Short lines between table rows are broken cells ("招生考试\n信息").
        i = 0
        n = len(content)
        while i < n:
            if content[i].kind != "text" or i == 0 or content[i - 1].kind != "table":
                i += 1
                continue
            j = i
            while j < n and content[j].kind == "text" and len(content[j].core) <= 30 \
                    and not c["terminal"].search(content[j].core) \
                    and not c["marker"].match(content[j].core):
                j += 1
            if j < n and j > i and content[j].kind == "table":
                for k in range(i, j):
                    content[k].kind = "table"
            i = max(j, i + 1)

    @staticmethod
    def _wrap_width(content: List[_Line], c) -> Optional[int]:
        # PDF text wraps at a fixed width: many running lines of about one length.
        lengths = [len(ln.core) for ln in content
                   if ln.kind == "text" and len(ln.core) >= 20 and not c["terminal"].search(ln.core)
                   and not c["marker"].match(ln.core)]
        if len(lengths) < 8:
            return None
        med = statistics.median(lengths)
        near = sum(1 for n in lengths if abs(n - med) <= 3)
        return int(med) if near >= 0.5 * len(lengths) else None

    @staticmethod
    def _is_hard_break(a: _Line, b: _Line, width: Optional[int], c) -> bool:
        if a.kind == "table" or b.kind == "table":
            return True
        if c["marker"].match(b.core) or c["terminal"].search(a.core):
            return True
        n = len(a.core)
        if c["marker"].match(a.core) and n <= 40 and "。" not in a.core:
            # a heading line; only a PDF wrap of a full-width line continues it
            return not (width and n >= 0.85 * width)
        if width:
            return not (n >= 0.75 * width or c["clause"].search(a.core))
        return not (n >= 30 or c["clause"].search(a.core))

    @staticmethod
    def _inline_replacement(text: str, a: int, b: int, kind: str) -> str:
        gap = text[a:b]
        if kind == "table":
            tabs = gap.count("\t")
            if tabs:
                return "\t" * tabs
            if len(gap) >= 2 and gap.isspace():
                return "\t"
        if a > 0 and b < len(text) and gap.isspace():
            left, right = fold(text[a - 1]), fold(text[b])
            if _ASCII_ALNUM.match(left) and _ASCII_ALNUM.match(right):
                return " "
        return ""
