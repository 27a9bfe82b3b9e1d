"""Layout analysis: which line breaks and spaces of raw PDF/DOCX text are soft.

The `xxgk_layout` component never changes `doc.text`. It sets
`doc._.clean_text` (the re-flowed text) and `doc._.xxgk_layout`, a JSON-safe
record of how each clean character maps back to the raw text, and of the
paragraphs (with their kind: "text" or "table"). `TextView` reads that record:
every rule of the later components matches on the clean (and digit-folded)
text and maps its hits back to raw offsets.
"""
import dataclasses
import re
import statistics
import weakref
from bisect import bisect_left, bisect_right
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .extensions import doc_text, doc_value
from .rules import PatternRule, RuleComponent

try:
    from re import _constants as _sre_constants, _parser as _sre_parser
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre_constants
    import sre_parse as _sre_parser

# Whitespace and invisible characters (zero-width, BOM, soft hyphen, C0 controls
# other than line/tab breaks): removed or re-flowed, never copied.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f"
GAP_CHARS = r"\s" + INVISIBLE
_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({i: i - 0xFEE0 for i in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({i: i - 0xFEE0 for i in range(0xFF41, 0xFF5B)})
_FULLWIDTH_CHARS = frozenset(map(chr, _FULLWIDTH))
# ASCII letters and digits, also full-width ones (what folds to [A-Za-z0-9])
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") | _FULLWIDTH_CHARS
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
# \s+, written \s\s*: re's search skips ahead to a first character only when a
# pattern starts with a character class, not with a repeat
_WHITESPACE = re.compile(r"\s\s*")
# regex nodes that look beyond the matched text
_CONTEXT_OPS = (_sre_constants.AT, _sre_constants.ASSERT, _sre_constants.ASSERT_NOT)
# where spaCy keeps the values of doc._.xxgk_layout and doc._.clean_text
# One view per Doc (weakly keyed; the view holds only a weak reference back).
_VIEWS: "weakref.WeakKeyDictionary[Doc, Tuple[Dict[str, Any], TextView]]" = (
    weakref.WeakKeyDictionary())

# a content line: raw start and end offsets of its content, its core (the
# content without gaps) and the raw (start, end) of the gaps inside it, or
# _TAB_ROW when those are all runs of tabs
_Line = Tuple[int, int, str, Sequence[Tuple[int, int]]]
_TAB_ROW: Sequence[Tuple[int, int]] = ((-1, -1),)

RULE_TYPES = ("marker", "terminal", "clause_punct", "debris", "debris_line", "table_line")


_FULLWIDTH_CHAR = "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
_FULLWIDTH_RUN = re.compile(_FULLWIDTH_CHAR + _FULLWIDTH_CHAR + "*")  # X+ (see _WHITESPACE)
# re checks one range of characters several times faster than three: runs
# without any of U+FF10-FF5A (the full-width digits and letters, and also
# ：；？ and a few other signs)
_OUTSIDE_FF10_FF5A = re.compile("[^\uff10-\uff5a]*")


def fold(text: str) -> str:
    """Fold full-width digits and Latin letters to ASCII (one char for one char)."""
    # Most reports have none at all. str.translate looks every character up
    # in a dict: only the runs of them are translated.
    pos, n = 0, len(text)
    while True:
        pos = _OUTSIDE_FF10_FF5A.match(text, pos).end()
        if pos == n:
            return text
        if text[pos] in _FULLWIDTH_CHARS:
            return _FULLWIDTH_RUN.sub(lambda m: m.group().translate(_FULLWIDTH), text)
        pos += 1


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
        layout = doc_value(doc, "xxgk_layout")
        if layout is None:
            text = doc_text(doc)
            n = len(text)
            layout = {"cs": [0], "rs": [0], "cl": [n], "rl": [n],
                      "paragraphs": _identity_paragraphs(text)}
            return cls(text, text, layout)
        clean = doc_value(doc, "clean_text")
        cached = _VIEWS.get(doc)
        if cached is not None and cached[0] is layout and cached[1].clean is clean:
            return cached[1]
        view = cls(weakref.ref(doc), clean, layout)
        _VIEWS[doc] = (layout, view)
        return view

    # The maps are called for every span of every component: raw_span and
    # clean_span do their two look-ups inline rather than by method calls.
    def raw_start(self, i: int) -> int:
        """Raw offset of clean character i."""
        j = bisect_right(self._cs, i) - 1
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
        j = bisect_right(self._cs, i) - 1
        if self._cl[j] == self._rl[j]:
            return self._rs[j] + (i - self._cs[j]) + 1
        return self._rs[j] + self._rl[j]

    def raw_span(self, start: int, end: int) -> Tuple[int, int]:
        """Raw (start, end) offsets of a clean range."""
        cs, rs, cl, rl = self._cs, self._rs, self._cl, self._rl
        j = bisect_right(cs, start) - 1
        if j < 0:
            raw_start = 0
        elif cl[j] == rl[j]:
            raw_start = rs[j] + (start - cs[j])
        else:
            raw_start = rs[j]
        if end <= 0:
            return raw_start, 0
        i = end - 1
        j = bisect_right(cs, i) - 1
        if cl[j] == rl[j]:
            return raw_start, rs[j] + (i - cs[j]) + 1
        return raw_start, rs[j] + rl[j]

    def _count_before(self, r: int) -> int:
        j = bisect_left(self._rs, r) - 1
        if j < 0:
            return 0
        if self._cl[j] == self._rl[j]:
            return self._cs[j] + min(self._cl[j], r - self._rs[j])
        return self._cs[j] + self._cl[j]

    def clean_span(self, start: int, end: int) -> Tuple[int, int]:
        """Clean (start, end) offsets of a raw range."""
        cs, rs, cl, rl = self._cs, self._rs, self._cl, self._rl
        j = bisect_left(rs, start) - 1
        if j < 0:
            clean_start = 0
        elif cl[j] == rl[j]:
            clean_start = cs[j] + min(cl[j], start - rs[j])
        else:
            clean_start = cs[j] + cl[j]
        j = bisect_left(rs, end) - 1
        if j < 0:
            return clean_start, clean_start
        if cl[j] == rl[j]:
            return clean_start, max(clean_start, cs[j] + min(cl[j], end - rs[j]))
        return clean_start, max(clean_start, cs[j] + cl[j])

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
        raw_span = self.raw_span
        for m in pattern.finditer(self.match, pos, endpos):
            start, end = m.span()
            if end > start:
                yield (m, *raw_span(start, end))

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
        gap_re = re.compile(f"(?:{gap})+")
        return {
            "marker": join("marker").match,
            "terminal": _search_test(by_type["terminal"]),
            "clause": join("clause_punct").search,
            "debris_line": join("debris_line").fullmatch,
            "table_line": _search_test(by_type["table_line"]),
            "gap": gap_re,
            "debris": re.compile("|".join(f"(?:{p})" for p in debris) if debris else never),
            # one scan per line finds the same gaps as a scan per question
            # (leading gap, trailing gap, inner gaps, core) unless a debris
            # pattern looks at its context
            "one_scan": not gap_re.fullmatch("") and not any(map(_has_context, debris)),
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
        lines, kinds, term, mark = self._lines(text, c)
        self._mark_table_continuations(lines, kinds, term, mark)
        width = self._wrap_width(lines, kinds, term, mark)
        breaks = self._hard_breaks(lines, kinds, term, mark, width, c["clause"])
        clean, layout = self._reflow(text, lines, kinds, breaks, c["one_scan"])
        layout["wrap_width"] = width
        return clean, layout

    @staticmethod
    def _reflow(text: str, lines: List[_Line], kinds: List[str], breaks: List[int],
                one_scan: bool) -> Tuple[str, Dict[str, Any]]:
        """Join the content lines into the clean text and its segment map and
        paragraphs (in one-scan mode a line without inner gaps is its core)."""
        # the segment map, flat: clean start, raw start, clean length, raw length, ...
        seg: List[int] = []
        parts: List[str] = []
        paragraphs: List[List[Any]] = []
        pos = 0  # clean length so far
        # raw end of the last segment while it maps one to one (a copy that
        # continues it there extends it), else -1
        tail = -1
        para_start, para_kind = 0, None
        n_text = len(text)
        for (start, end, core, inner), kind, nxt in zip(lines, kinds, breaks):
            if para_kind is None:
                para_start, para_kind = pos, kind
            if not inner:
                if tail == start:
                    seg[-2] += end - start
                    seg[-1] += end - start
                else:
                    seg += (pos, start, end - start, end - start)
                parts.append(core if one_scan else text[start:end])
                pos += end - start
                tail = end
            elif inner is _TAB_ROW:
                # the tab runs stay: after a copy of the first cell, a segment
                # from each run to the next (what a run-by-run copy leaves)
                a = text.find("\t", start, end)
                if tail == start:
                    seg[-2] += a - start
                    seg[-1] += a - start
                else:
                    seg += (pos, start, a - start, a - start)
                shift = pos - start
                while a < end:
                    b = a + 1
                    while text[b] == "\t":
                        b += 1
                    b = text.find("\t", b, end)
                    if b < 0:
                        b = end
                    seg += (a + shift, a, b - a, b - a)
                    a = b
                parts.append(text[start:end])
                pos += end - start
                tail = end
            else:
                # the line without its inner gaps (whitespace runs, debris), some
                # of them replaced by a space or a tab
                last = start
                for a, b in inner:
                    if a > last:
                        if tail == last:
                            seg[-2] += a - last
                            seg[-1] += a - last
                        else:
                            seg += (pos, last, a - last, a - last)
                        parts.append(text[last:a])
                        pos += a - last
                        tail = a
                    last = b
                    repl = ""
                    if kind == "table":
                        tabs = text.count("\t", a, b)
                        if tabs:
                            repl = "\t" * tabs
                        elif b - a >= 2 and text[a:b].isspace():
                            repl = "\t"
                    if not repl:
                        if a > 0 and b < n_text and text[a - 1] in _ALNUM and text[b] in _ALNUM \
                                and text[a:b].isspace():
                            repl = " "
                        else:
                            continue
                    size = len(repl)
                    seg += (pos, a, size, b - a)
                    parts.append(repl)
                    pos += size
                    tail = b if size == b - a else -1
                if end > last:
                    if tail == last:
                        seg[-2] += end - last
                        seg[-1] += end - last
                    else:
                        seg += (pos, last, end - last, end - last)
                    parts.append(text[last:end])
                    pos += end - last
                    tail = end
            if nxt >= 0:
                # a hard break: a new paragraph starts at the next line (at raw nxt)
                paragraphs.append([para_start, pos, para_kind])
                seg += (pos, end, 1, nxt - end)
                parts.append("\n")
                pos += 1
                tail = nxt if nxt - end == 1 else -1
                para_kind = None
        if para_kind is not None:
            paragraphs.append([para_start, pos, para_kind])
        layout = {"cs": seg[0::4], "rs": seg[1::4], "cl": seg[2::4], "rl": seg[3::4],
                  "paragraphs": paragraphs}
        return "".join(parts), layout

    @staticmethod
    def _hard_breaks(lines: List[_Line], kinds: List[str], term: List[bool], mark: List[bool],
                     width: Optional[int], clause: Callable[[str], Any]) -> List[int]:
        """For each line, the raw start of the next line if the break after it
        is hard (a new paragraph), else -1."""
        out = []
        for i in range(1, len(lines)):
            if kinds[i - 1] == "table" or kinds[i] == "table" or mark[i] or term[i - 1]:
                out.append(lines[i][0])
                continue
            core = lines[i - 1][2]
            size = len(core)
            if mark[i - 1] and size <= 40 and "。" not in core:
                # a heading line; only a PDF wrap of a full-width line continues it
                hard = not (width and size >= 0.85 * width)
            elif width:
                hard = not (size >= 0.75 * width or clause(core))
            else:
                hard = not (size >= 30 or clause(core))
            out.append(lines[i][0] if hard else -1)
        out.append(-1)
        return out

    @classmethod
    def _lines(cls, text: str, c: Dict[str, Any]
               ) -> Tuple[List[_Line], List[str], List[bool], List[bool]]:
        """The content lines (blank and debris lines left out), their kinds
        and, for running-text lines, whether the terminal and marker rules match."""
        table_line, debris_line = c["table_line"], c["debris_line"]
        terminal, marker = c["terminal"], c["marker"]
        one_scan = c["one_scan"]
        debris = c["debris"].search if one_scan and c["debris"].search(text) else None
        lines: List[_Line] = []
        kinds: List[str] = []
        term: List[bool] = []
        mark: List[bool] = []
        # str.splitlines breaks at \r\n, \n, \r, \f, \v, \x1c-\x1e, \x85, \u2028, \u2029
        b = 0
        for raw, with_break in zip(text.splitlines(), text.splitlines(True)):
            a, b = b, b + len(with_break)
            if not raw:
                continue
            line = None
            if one_scan and not (debris and debris(text, a, a + len(raw))):
                # Without debris and invisible characters, the gaps of a line are
                # its whitespace runs, which str methods find faster than the gap regex.
                stripped = raw.strip()
                if not stripped:
                    continue
                start = a + len(raw) - len(raw.lstrip())
                end = start + len(stripped)
                # " " is the only whitespace character that str.isprintable
                # passes, and no invisible one passes
                if stripped.isprintable() and " " not in stripped:
                    line = start, end, stripped, ()
                else:
                    words = stripped.split()
                    core = stripped if len(words) == 1 else "".join(words)
                    if core.isprintable() or not _INVISIBLE.search(core):
                        if len(words) == 1:
                            inner = ()
                        elif len(stripped) - len(core) == stripped.count("\t"):
                            inner = _TAB_ROW
                        else:
                            inner = [m.span() for m in _WHITESPACE.finditer(text, start, end)]
                        line = start, end, core, inner
            if line is None:
                line = cls._gaps(text, a, a + len(raw), raw, c)
                if line is None:
                    continue
                stripped = text[line[0]:line[1]]
            if "\t" in stripped or table_line(stripped) or "\t" in raw and len(line[2]) <= 60 \
                    and raw.lstrip(" \u3000").startswith("\t"):
                kinds.append("table")
                term.append(False)
                mark.append(False)
            elif debris_line(stripped):
                continue
            else:
                kinds.append("text")
                term.append(terminal(line[2]))
                mark.append(marker(line[2]))
            lines.append(line)
        return lines, kinds, term, mark

    @staticmethod
    def _gaps(text: str, a: int, b: int, raw: str, c: Dict[str, Any]) -> Optional[_Line]:
        """The line text[a:b] (raw) as (start, end, core, inner gaps), None if blank."""
        gap_re = c["gap"]
        if c["one_scan"]:
            spans = [m.span() for m in gap_re.finditer(text, a, b)]
            if not spans:
                return a, b, raw, spans
            lo, hi = 0, len(spans)
            start, end = a, b
            if spans[0][0] == a:
                start = spans[0][1]
                lo = 1
            if spans[-1][1] == b:
                if hi == lo:
                    return None  # one gap covers the line
                end = spans[-1][0]
                hi -= 1
            inner = spans[lo:hi]
            core = gap_re.sub("", text[start:end]) if inner else text[start:end]
        else:
            # what each question asks, scanned separately
            core = gap_re.sub("", raw)
            start, end = a, b
            m = gap_re.match(text, a, b)
            if m:
                start = m.end()
            for g in gap_re.finditer(text, start, b):
                if g.end() == b:
                    end = g.start()
            inner = [m.span() for m in gap_re.finditer(text, start, end)]
        return (start, end, core, inner) if core else None

    @staticmethod
    def _mark_table_continuations(lines, kinds: List[str], term: List[bool],
                                  mark: List[bool]) -> None:
        # Short lines between table rows are broken cells ("招生考试\n信息").
        n = len(kinds)
        for i in range(1, n):
            if kinds[i] != "text" or kinds[i - 1] != "table":
                continue
            j = i
            while j < n and kinds[j] == "text" and len(lines[j][2]) <= 30 \
                    and not term[j] and not mark[j]:
                j += 1
            if j < n and j > i and kinds[j] == "table":
                kinds[i:j] = ["table"] * (j - i)

    @staticmethod
    def _wrap_width(lines, kinds: List[str], term: List[bool], mark: List[bool]) -> Optional[int]:
        # PDF text wraps at a fixed width: many running lines of about one length.
        lengths = [len(line[2]) for line, kind, t, m in zip(lines, kinds, term, mark)
                   if kind == "text" and not t and not m and len(line[2]) >= 20]
        if len(lengths) < 8:
            return None
        med = statistics.median(lengths)
        near = sum(1 for n in lengths if abs(n - med) <= 3)
        return int(med) if near >= 0.5 * len(lengths) else None


# Rule tests with cheap pre-checks ----------------------------------------
# re's search tries a pattern at every position of a line; for most lines
# and rules that is wasted: a pattern anchored with ^ can only match at the
# start, and others need one of a few characters that the line lacks.

_C = _sre_constants
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT) + (
    (_C.POSSESSIVE_REPEAT,) if hasattr(_C, "POSSESSIVE_REPEAT") else ())


def _search_test(patterns: List[str]) -> Callable[[str], Any]:
    """A test with the truth of `re.search("(?:p1)|(?:p2)|…", s)` for a string
    s without line breaks, but cheaper: patterns anchored with ^ are only
    tried at the start of s, and a pattern whose every match needs one of at
    most three characters only when s holds one.

    patterns (List[str]): The regular expressions.
    RETURNS (Callable[[str], Any]): The test; its result is true or false.
    """
    def union(pats: List[str]) -> "re.Pattern":
        return re.compile("|".join(f"(?:{p})" for p in pats))

    anchored, gated, floating = [], [], []
    needed: set = set()
    for p in patterns:
        tree = _parse(p)
        chars = _needed_chars(tree)
        if _anchored(tree):
            anchored.append(p)
        elif chars is not None and len(needed | chars) <= 3:
            gated.append(p)
            needed |= chars
        else:
            floating.append(p)
    at_start = union(anchored).match if anchored else None
    anywhere = union(floating).search if floating else None
    gated_search = union(gated).search if gated else None
    x, y, z = (sorted(needed) * 3)[:3] if gated else ("", "", "")
    if at_start and not anywhere and not gated_search:
        return at_start
    if anywhere and not at_start and not gated_search:
        return anywhere
    return lambda s: (at_start is not None and at_start(s)) \
        or (anywhere is not None and anywhere(s)) \
        or (gated_search is not None and (x in s or y in s or z in s) and gated_search(s))


def _parse(pattern: str) -> Any:
    try:
        return _sre_parser.parse(pattern)
    except Exception:  # pragma: no cover - an unknown parser: tell nothing
        return None


def _anchored(tree: Any) -> bool:
    """Whether every match of a parsed regex starts at the start of the string."""
    if not tree:
        return False
    op, av = tree[0]
    if op is _C.AT:
        return av is _C.AT_BEGINNING or av is _C.AT_BEGINNING_STRING
    if op is _C.SUBPATTERN:
        return _anchored(av[3])
    if op is _C.BRANCH:
        return all(_anchored(alt) for alt in av[1])
    return False


def _first_chars(pattern: str) -> Optional[Tuple[set, set]]:
    """The characters and re classes (such as \\d) that can start a match of a
    regex at the start of a string, or None when the pattern does not tell
    or can match the empty string."""
    tree = _parse(pattern)
    first = _first(tree) if tree is not None and not tree.state.flags & re.IGNORECASE else None
    return None if first is None or first[2] or not (first[0] or first[1]) else first[:2]


def _char_class(chars: set, classes: set) -> "re.Pattern":
    """A regex for one character of a set or of re classes (such as \\d)."""
    return re.compile("[" + "".join(map(re.escape, sorted(chars))) + "".join(sorted(classes)) + "]")


# re's classes, as they are written in a character class
_CATEGORIES = {_C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_SPACE: r"\s", _C.CATEGORY_WORD: r"\w"}


def _first(seq: Any) -> Optional[Tuple[set, set, bool]]:
    # (characters, classes, can be empty) that start a sequence of parsed regex items
    chars: set = set()
    cats: set = set()
    for op, av in seq:
        if op is _C.LITERAL:
            chars.add(chr(av))
            return chars, cats, False
        if op is _C.IN:
            for kind, value in av:
                if kind is _C.LITERAL:
                    chars.add(chr(value))
                elif kind is _C.RANGE and value[1] - value[0] < 256:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                elif kind is _C.CATEGORY and value in _CATEGORIES:
                    cats.add(_CATEGORIES[value])
                else:
                    return None
            return chars, cats, False
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue  # takes no character
        if op is _C.BRANCH:
            subs = [_first(alt) for alt in av[1]]
        elif op is _C.SUBPATTERN and not av[1] & re.IGNORECASE:
            subs = [_first(av[3])]
        elif op in _REPEATS:
            subs = [_first(av[2])]
        else:
            return None
        if None in subs:
            return None
        for sub in subs:
            chars |= sub[0]
            cats |= sub[1]
        if not any(sub[2] for sub in subs) and not (op in _REPEATS and av[0] == 0):
            return chars, cats, False
    return chars, cats, True


def _needed_chars(tree: Any) -> Optional[set]:
    """Characters one of which every match of a parsed regex contains, or None."""
    # with ignored case, the characters of a pattern say little
    options = _needed(tree) if tree is not None and not tree.state.flags & re.IGNORECASE else []
    return min(options, key=len) if options else None


def _needed(seq: Any) -> List[set]:
    # character sets of a sequence of regex items: each holds a character of every match
    options = []
    for op, av in seq:
        if op is _C.LITERAL:
            options.append({chr(av)})
        elif op is _C.IN:
            chars = set()
            for kind, value in av:
                if kind is _C.LITERAL:
                    chars.add(chr(value))
                elif kind is _C.RANGE and value[1] - value[0] < 256:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    break
            else:
                options.append(chars)
        elif op is _C.BRANCH:
            alts = [_needed(alt) for alt in av[1]]
            if all(alts):
                # a character that every alternative needs, else one set of each
                common = set.intersection(*({ch for o in alt if len(o) == 1 for ch in o}
                                            for alt in alts))
                options.append({min(common)} if common
                               else set().union(*(min(alt, key=len) for alt in alts)))
        elif op is _C.SUBPATTERN and not av[1] & re.IGNORECASE:
            options.extend(_needed(av[3]))
        elif op in _REPEATS and av[0] >= 1:
            options.extend(_needed(av[2]))
    return options


def _has_context(pattern: str) -> bool:
    """Whether a regex may look beyond its match (anchors, lookarounds, \\b)."""
    tree = _parse(pattern)
    return tree is None or _tree_has_context(tree)


def _tree_has_context(node: Any) -> bool:
    if isinstance(node, (list, tuple, _sre_parser.SubPattern)):
        for item in node:
            if isinstance(item, tuple) and item and any(item[0] is op for op in _CONTEXT_OPS):
                return True
            if _tree_has_context(item):
                return True
    return False
