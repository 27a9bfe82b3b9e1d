"""INSTITUTION, AUTHORITY and DEPARTMENT: named universities, government and
Party bodies, and the units of the reporting body (ANNOTATION.md §2, §4, §5).

Everything that names an organisation is rule data (`institutions.jsonl`,
`authorities.jsonl`, `departments.jsonl`):

- `phrase` / `pattern` rules name whole organisations (`国务院`, `党办`, `纪委`).
- INSTITUTION names are built as place name + (level word) + at most a few
  characters + an institution suffix (`大学`, `职业学院`…). With a `bare`
  suffix (`大学`, `高等专科学校`…) a name may also stand without a place name
  when it starts at a boundary: after punctuation, a joining character or a
  `lead` word that stays out of it (`借鉴利兹大学` → `利兹大学`); read right
  to left from the suffix.
- The reporting body named in the report title (an institution, or a government
  body in a government report) is found everywhere in the report (`title`
  rules say how to cut it out of the title); the place, sub-district and town
  names of a government title are place names in the whole report
  (柳溪市江南区望湖街道办事处 → 江南区委, 望湖街道党工委).
- AUTHORITY names are built as (place names and level words) + a government
  `body` (`吉林省教育厅`, `自治区教育厅`, `区教育局`, bare `教育厅`).
- DEPARTMENT names are built right to left: a unit `suffix` (`处`, `办公室`,
  `领导小组`…) and the run of vocabulary `stem`s in front of it
  (`信息公开` + `领导` + `小组` + `办公室`); whatever is not a stem stays out
  (`学校`, `常态化`). A table cell that is a whole unit name is one span.
- `generic`, `not_before` and `not_after` rules drop candidates that are generic
  references or parts of other words (`各部门`, `处理`, `党委书记`, `校办企业`).

Quoted names (“…” without `，`/`。`) hold no INSTITUTION or DEPARTMENT, and no
name is taken inside `《…》`. The longest candidate wins; entities set by earlier
components win over all of them.
"""
import bisect
import dataclasses
import re
import sys
from typing import Dict, Iterator, List, Optional, Tuple

try:  # the parser of the `re` module (its name since Python 3.11)
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as _sre  # type: ignore
    import sre_parse as _sre_parse  # type: ignore

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .extensions import doc_value, set_span_values
from .layout import TextView, fold
from .rules import Rule, RuleComponent
from .spans import add_entities, char_span

LABELS = ("INSTITUTION", "AUTHORITY", "DEPARTMENT")
RULE_TYPES = ("phrase", "pattern", "title", "place", "level", "body", "stem", "suffix",
              "lead", "generic", "not_before", "not_after")
_NEEDS_PHRASE = ("phrase", "place", "level", "body", "stem", "suffix", "lead")
_NEEDS_PATTERN = ("pattern", "title", "generic", "not_before", "not_after")
_NEEDS_LABEL = ("phrase", "pattern", "suffix")

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Quoted names: no comma or full stop inside (ANNOTATION.md §5 "Names").
QUOTED_NAMES = {q[0]: re.compile(q) for q in (
    r"“[^“”，,。\n]{1,60}”", r"「[^「」，,。\n]{1,60}」", r"『[^『』，,。\n]{1,60}』", r'"[^"，,。\n]{1,60}"')}
QUOTED_NAME = re.compile("|".join(p.pattern for p in QUOTED_NAMES.values()))
BOOK_TITLE = re.compile(r"《[^《》]{0,300}》")
# One step of a unit name: a stem, optionally joined to the next by 与 or 和
# (招生与市场推广处, 网络安全和信息化领导小组).
UNIT_JOINER = "[与和]"
JOINER_RE = re.compile(UNIT_JOINER)
# A stretch of text in front of a unit suffix that may hold its stems.
STEM_WINDOW = 32
GUARD_WINDOW = 16
# Alternatives for a unit suffix written with its second name: 学生工作处（部）.
SUFFIX_ALIAS = r"(?:[（(][部处室办][）)])?"
# Function characters after which a boundary-bound unit name may start (和计算机学院).
BOUNDARY_CHARS = "的和与及在由对向将把从为是了"
# An independent college or branch named after its university: 北京理工大学珠海学院.
BRANCH_SUFFIX = "学院|分校"
# The general office of a body is part of its name: 吉林省教育厅办公室.
AUTHORITY_TAIL = "办公厅|办公室"
AUTHORITY_TAIL_RE = re.compile(AUTHORITY_TAIL)
# A place name followed by its level word, at the start of a title's body name
# (澄州市云溪区人民政府 → 澄州, 云溪): local places the gazetteer may lack.
TITLE_PLACE = re.compile(f"([{HAN}]{{2,4}}?)(?:自治区|自治州|特别行政区|市|区|县|省|州|盟|旗)")
# A sub-district or town after them, when a body or a street office follows
# (望湖街道办事处, 青石镇人民政府 → 望湖, 青石).
TITLE_TOWN = re.compile(f"([{HAN}]{{2,4}}?)(?:街道|镇|乡)")
# A street office ends a government title name as a known body does.
TITLE_OFFICE = re.compile("办事处$")
# Characters that separate the cells of a table row.
CELL_SEPARATORS = "\t\n、，,；;/／ \u3000"
NEVER = re.compile(r"(?!x)x")
# A name without a place name: 2-4 characters before a bare suffix, starting
# after a non-Han character, one of these joining characters or a lead word.
UNPLACED_CHARS = 4
UNPLACED_JOINERS = "和与及同跟"
# First characters per group of a long word list (see `_alternation`).
TRIE_GROUP = 40

# candidate priorities for equal lengths: whole-name rules first
PRIO_PHRASE, PRIO_PATTERN, PRIO_INSTITUTION, PRIO_AUTHORITY, PRIO_UNIT, PRIO_CELL = range(6)


@dataclasses.dataclass
class OrganizationRule(Rule):
    """An organisation rule.

    type (str): "phrase" (a whole name), "pattern" (a regular expression; the
        span is its group `name` if it has one), "title" (a pattern with group
        `name` that cuts the reporting body out of the report title; its label
        defaults to INSTITUTION), "place" (a
        place name), "level" (an administrative level word: 省, 自治区), "body"
        (a government body: 教育厅), "stem" (a word of unit names: 财务),
        "suffix" (the head of a composed name: 大学 for INSTITUTION, 处 for
        DEPARTMENT), "lead" (a word that may stand right before a name without
        a place name but is not part of it: 借鉴, 英国), "generic" (a pattern
        that rejects a candidate whose text it finds; `^` and `$` anchor to
        the candidate), "not_before" (a pattern that rejects a candidate when
        the text before it ends with a match), "not_after" (a pattern that
        rejects a candidate when it matches right after it; lookbehind sees
        the name).
    label (Optional[str]): INSTITUTION, AUTHORITY or DEPARTMENT; for guards,
        None applies to all three.
    phrase (Optional[str]): The literal word.
    pattern (Optional[str]): The regular expression.
    weak (bool): A stem that cannot make a unit name on its own (领导, 工作).
    bare (bool): A body that is a name without a place or level word (教育厅);
        an INSTITUTION suffix whose names may stand without a place name
        (利兹大学); a not_after guard that applies only to such names.
    cell (bool): A suffix whose whole table cell is a unit name (东凌经济管理学院).
    boundary (bool): A suffix whose composed name must start at a word boundary.
    description (Optional[str]): A note for readers.
    """

    REQUIRED = ("type",)
    type: str = ""
    label: Optional[str] = None
    phrase: Optional[str] = None
    pattern: Optional[str] = None
    weak: bool = False
    bare: bool = False
    cell: bool = False
    boundary: bool = False
    description: Optional[str] = None

    def check(self) -> Optional[Tuple[str, str]]:
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        if self.label is not None and self.label not in LABELS:
            return "label", f"must be one of {', '.join(LABELS)}"
        if self.type in _NEEDS_LABEL and self.label is None:
            return "label", f"a {self.type} rule needs a label"
        if self.type in _NEEDS_PHRASE and not self.phrase:
            return "phrase", f"a {self.type} rule needs a phrase"
        if self.type in _NEEDS_PATTERN:
            if not self.pattern:
                return "pattern", f"a {self.type} rule needs a pattern"
            try:
                compiled = re.compile(self.pattern)
            except re.error as exc:
                return "pattern", f"not a valid regular expression ({exc})"
            if self.type == "title" and "name" not in compiled.groupindex:
                return "pattern", "a title pattern needs a group 'name'"
        return None


@dataclasses.dataclass
class _Compiled:
    word_starts: "re.Pattern"
    phrase_label: Dict[str, str]
    patterns: List[Tuple["_Scan", str]]
    titles: List[Tuple["re.Pattern", str]]
    authority: "re.Pattern"
    authority_prefix: "re.Pattern"
    rev_place: "re.Pattern"
    rev_level_words: Tuple[str, ...]
    bare_bodies: frozenset
    unplaced_body: "re.Pattern"
    unplaced_window: int
    unplaced_not_after: "re.Pattern"
    unit_suffix: "re.Pattern"
    cell_suffixes: Tuple[str, ...]
    boundary_suffixes: frozenset
    stems_reversed: "re.Pattern"
    stem_ends: frozenset
    weak_only: "re.Pattern"
    unit_cell: "re.Pattern"
    first_cell: "re.Pattern"
    boundary_before: "re.Pattern"
    generic: Dict[str, "re.Pattern"]
    not_before: Dict[str, "re.Pattern"]
    not_after: Dict[str, "re.Pattern"]
    # per label: the characters a not_after match starts with, None when unknown
    after_chars: Dict[str, Optional[frozenset]]
    # per label: generic, not_before and not_after (None for a label without
    # rules), each with the characters it needs to find anything (see `_longest_first`)
    guards: Dict[str, tuple]


def _alternation(words, reverse: bool = False, grouped: bool = False) -> str:
    """A regex of literal words that tries the longest word first (so the longest
    wins), as a trie: `大学|大连|学院` → `(?:大(?:学|连)|学院)`. Python's regex
    engine tries the alternatives of a group one by one; in a trie it compares
    each character once instead of once per word. A pattern that starts with it
    also tells the engine which characters may start a match: it skips the others
    in C.

    grouped (bool): Split the first characters of a long list (place names) into
        groups, each behind a lookahead on its characters, so that the engine
        tries the alternatives of one group only. Not for the start of a pattern
        that is searched: the engine then no longer sees the first characters.
    """
    root: Dict[str, dict] = {}
    for word in {w[::-1] if reverse else w for w in words if w}:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not root:
        return NEVER.pattern
    chars = sorted(root)
    if not grouped or len(chars) <= 2 * TRIE_GROUP:
        return _trie(root)
    groups = [chars[i:i + TRIE_GROUP] for i in range(0, len(chars), TRIE_GROUP)]
    return "(?:" + "|".join(
        f"(?=[{re.escape(''.join(group))}])(?:"
        + "|".join(re.escape(ch) + _trie(root[ch]) for ch in group) + ")"
        for group in groups) + ")"


def _trie(node: Dict[str, dict]) -> str:
    # a longer word first: `(?:…)?` tries its continuations before it ends
    parts = [re.escape(ch) + _trie(node[ch]) for ch in sorted(node) if ch]
    if "" in node:
        return f"(?:{'|'.join(parts)})?" if parts else ""
    return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"


def _starts_of(parts) -> str:
    """A pattern that matches the first character of every place where one of
    several patterns matches (read by lookaheads, so matches may overlap), and
    sets the groups of each one that matches there. Each is tried only where one
    of its words may start, by the sets of their first (up to three) characters:
    the regex engine skips every other character in C, and turns away most of
    the rest before it tries the alternatives of a word list one by one.

    parts: (words, pattern with groups, the same pattern without groups) of each.
    """
    screens = []
    for words, body, plain in parts:
        words = [w for w in words if w]
        seconds = None if not words or min(map(len, words)) < 2 else {w[1] for w in words}
        screens.append(({w[0] for w in words}, seconds, body, plain))
    def chars(found) -> str:
        return f"[{re.escape(''.join(sorted(found)))}]" if found else "(?!)"
    # each one that matches, for its groups (a part without words keeps its
    # groups, which never match)
    groups = "".join(f"(?:(?={chars(first)}{chars(seconds) if seconds else ''})(?={body}))?"
                     for first, seconds, body, _ in screens)
    screens = [screen for screen in screens if screen[0]]
    if not screens:
        return NEVER.pattern + groups
    # whether one matches: a choice per pattern and length of its words (one,
    # two, three or more characters) starts with the sets of their first
    # characters, up to three; the engine skips at once a choice whose set does
    # not hold the character, and tries a pattern only where its words may start
    found = "|".join(
        "".join(chars({w[i] for w in group}) for i in range(size))
        + f"(?<=(?={plain})[\\s\\S]{{{size}}})"
        for words, _, plain in parts
        for size in (1, 2, 3)
        for group in [[w for w in words if w and min(len(w), 3) == size]] if group)
    first = chars(set().union(*(first for first, _, _, _ in screens)))
    seconds = "" if any(seconds is None for _, seconds, _, _ in screens) else \
        f"(?={chars(set().union(*(seconds for _, seconds, _, _ in screens)))})"
    return f"{first}{seconds}(?<=(?={found}){groups}[\\s\\S])"


# Rule patterns that start with a lookbehind (`(?<![一-鿿])…`, `(?<!…)校办`) give
# Python's regex engine no first character to look for: it runs the whole
# pattern at every position of the text. `_Scan` finds the characters that may
# start a match (or stand right before one) from the parsed pattern and lets a
# cheap scanner find the positions where the pattern matches; the pattern itself
# then runs only there, with the same matches as its own `finditer`.
_ANY: Tuple[Tuple[int, int], ...] = ((0, sys.maxunicode),)
_FEW_CHARS = 64
_FEW_LITERALS = 4
_FEW_WORDS = 3
# A stretch of text to scan costs about as much as scanning this many more characters.
STRETCH_COST = 100


def _charset(ranges) -> Tuple[Tuple[int, int], ...]:
    out: List[List[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


def _complement(chars) -> Tuple[Tuple[int, int], ...]:
    out, pos = [], 0
    for lo, hi in chars:
        if lo > pos:
            out.append((pos, lo - 1))
        pos = hi + 1
    if pos <= sys.maxunicode:
        out.append((pos, sys.maxunicode))
    return tuple(out)


def _intersect(a, b):
    """Intersection of two charsets; None stands for any character."""
    if a is None or b is None:
        return b if a is None else a
    return _complement(_charset(_complement(a) + _complement(b)))


def _class(chars) -> str:
    return "[" + "".join(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}"
                         for lo, hi in chars) + "]"


def _item_chars(op, av):
    """The characters one consuming item matches, or None when not worked out."""
    if op is _sre.LITERAL:
        return ((av, av),)
    if op is _sre.NOT_LITERAL:
        return _complement(((av, av),))
    if op is _sre.ANY:
        return _ANY
    if op is _sre.IN:
        ranges, negate = [], False
        for kind, value in av:
            if kind is _sre.NEGATE:
                negate = True
            elif kind is _sre.LITERAL:
                ranges.append((value, value))
            elif kind is _sre.RANGE:
                ranges.append(value)
            else:  # a category such as \s
                return None
        chars = _charset(ranges)
        return _complement(chars) if negate else chars
    return None


def _width(op, av) -> Tuple[int, int]:
    if op is _sre.BRANCH:
        widths = [alt.getwidth() for alt in av[1]]
        return min(lo for lo, _ in widths), max(hi for _, hi in widths)
    if op is _sre.SUBPATTERN:
        return av[3].getwidth()
    return (0, 0) if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT) else (-1, -1)


def _edge(items, first: bool):
    """The characters the first (or last) consumed character of a sequence may be,
    or None when not worked out."""
    for op, av in (items if first else reversed(items)):
        if first and _width(op, av) == (0, 0):
            continue
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
            return _item_chars(op, av)
        if op is _sre.BRANCH and _width(op, av)[0] > 0:
            sets = [_edge(alt, first) for alt in av[1]]
            if any(chars is None for chars in sets):
                return None
            return _charset(r for chars in sets for r in chars)
        if op is _sre.SUBPATTERN and not av[1] and _width(op, av)[0] > 0:
            return _edge(av[3], first)
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            return _edge(av[2], first)
        return None
    return None


def _before(items):
    """The characters that may stand right before a match (after the start of the
    text), from the lookbehinds the pattern starts with; None: any character."""
    allowed = None
    for op, av in items:
        if op is _sre.ASSERT and av[0] < 0:
            allowed = _intersect(allowed, _edge(av[1], first=False))
        elif op is _sre.ASSERT_NOT and av[0] < 0:
            if len(av[1]) == 1 and av[1].getwidth() == (1, 1):
                chars = _item_chars(*av[1][0])
                allowed = _intersect(allowed, None if chars is None else _complement(chars))
        elif op is _sre.AT:
            if av in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING):
                allowed = ()
        elif op is _sre.BRANCH and _width(op, av) == (0, 0):
            sets = [_before(alt) for alt in av[1]]
            if all(chars is not None for chars in sets):
                allowed = _intersect(allowed, _charset(r for chars in sets for r in chars))
        elif op is _sre.SUBPATTERN and not av[1] and _width(op, av) == (0, 0):
            allowed = _intersect(allowed, _before(av[3]))
        elif _width(op, av) != (0, 0):
            break
    return allowed


def _scanner(pattern: "re.Pattern", parsed) -> Tuple[Tuple["re.Pattern", ...], bool]:
    """Patterns that find where `pattern` matches, and whether they match the
    character before that place; ((), False) when the engine finds the matches
    of `pattern` quickly itself."""
    items = parsed.data
    head = items[0] if items else (None, None)
    while head[0] is _sre.SUBPATTERN and head[1][3]:
        head = head[1][3][0]
    first = _edge(items, first=True)
    size = None if first is None else sum(hi - lo + 1 for lo, hi in first)
    if ((head[0] in (_sre.LITERAL, _sre.IN)
         or head[0] is _sre.BRANCH and all(alt and alt[0][0] is _sre.LITERAL
                                            for alt in head[1][1]))
            and not (size is not None and 1 < size <= _FEW_LITERALS)):
        return (), False  # a first character the engine looks for
    if size is not None and size <= _FEW_CHARS:
        # a match's first character, from which a lookbehind runs the pattern;
        # one scanner per character when there are few: the engine looks for
        # one character much faster than for one of a set
        sets = ([((ch, ch),) for lo, hi in first for ch in range(lo, hi + 1)]
                if size <= _FEW_LITERALS else [first])
        return tuple(re.compile(f"{_class(chars)}(?<=(?={pattern.pattern})[\\s\\S])",
                                pattern.flags) for chars in sets), False
    before = _before(items)
    if before:
        # the character before a match, then (cheaply) its first character
        starts = "" if first is None else f"(?={_class(first)})"
        return (re.compile(f"{_class(before)}{starts}(?={pattern.pattern})", pattern.flags),), True
    return (), False


def _literal_head(items) -> bool:
    """Whether a sequence starts with a literal character."""
    head = items[0] if items else (None, None)
    while head[0] is _sre.SUBPATTERN and head[1][3]:
        head = head[1][3][0]
    return head[0] is _sre.LITERAL


def _flat(items) -> list:
    """A sequence with its plain groups inlined."""
    out = []
    for op, av in items:
        if op is _sre.SUBPATTERN and not av[1]:
            out.extend(_flat(av[3]))
        else:
            out.append((op, av))
    return out


def _anchor(items, state, least: int = 2) -> Optional[Tuple[Tuple[str, ...], int, int]]:
    """Literal words one of which every match holds: a run of literal characters
    or a choice of at most `_FEW_WORDS` literal words (办公室|领导小组), each at
    least `least` characters, as (words, fewest and most characters before
    them); the one with the longest shortest word, or None."""
    best, before_lo, before_hi, run = None, 0, 0, ""
    for op, av in _flat(items):
        words: Tuple[str, ...] = ()
        if op is _sre.LITERAL:
            if not run:
                run_lo, run_hi = before_lo, before_hi
            run += chr(av)
            words, lo, hi = (run,), run_lo, run_hi
        else:
            run = ""
            if op is _sre.BRANCH and all(alt and all(o is _sre.LITERAL for o, _ in alt)
                                         for alt in av[1]):
                words = tuple("".join(chr(v) for _, v in alt) for alt in av[1])
                lo, hi = before_lo, before_hi
        shortest = min(map(len, words), default=0)
        if shortest >= least and len(words) <= _FEW_WORDS and hi < _sre.MAXREPEAT \
                and (best is None or shortest > best[0]):
            best = (shortest, words, lo, hi)
        width = _sre_parse.SubPattern(state, [(op, av)]).getwidth()
        before_lo, before_hi = before_lo + width[0], before_hi + width[1]
    return best[1:] if best else None


def _reach(items) -> Optional[int]:
    """The most characters after a match's start the engine may read, or None."""
    pos = reach = 0
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
            read, width = 1, 1
        elif op is _sre.AT:
            read, width = 2, 0  # `$` reads up to a final line break
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            sub = _reach(av[1])
            if sub is None:
                return None
            # a lookbehind starts its own width before the position
            read, width = (sub if av[0] > 0 else sub - av[1].getwidth()[0]), 0
        elif op is _sre.BRANCH:
            subs = [_reach(alt) for alt in av[1]]
            if any(sub is None for sub in subs):
                return None
            read, width = max(subs), max(alt.getwidth()[1] for alt in av[1])
        elif op is _sre.SUBPATTERN:
            read, width = _reach(av[3]), av[3].getwidth()[1]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[1] < _sre.MAXREPEAT:
            # the last repetition starts after the others
            sub, step = _reach(av[2]), av[2].getwidth()[1]
            read = None if sub is None else (av[1] - 1) * step + sub if av[1] else 0
            width = av[1] * step
        else:
            return None
        if read is None:
            return None
        reach, pos = max(reach, pos + read), pos + width
    return reach


class _Scan:
    """`pattern.finditer(text)`, with the same matches, for a pattern that gives the
    regex engine no first character to look for, or holds a literal word."""

    __slots__ = ("pattern", "scanners", "before", "anchor", "reach")

    def __init__(self, pattern: "re.Pattern") -> None:
        self.pattern = pattern
        self.scanners, self.before, self.anchor, self.reach = (), False, None, 0
        try:
            parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
            if parsed.state.flags & (re.IGNORECASE | re.MULTILINE) or parsed.getwidth()[0] == 0:
                return  # case rules, line starts or empty matches: run it as it is
            self.scanners, self.before = _scanner(pattern, parsed)
            if self.scanners and not self.before:
                return  # scanners on the first character: fast enough
            # matches lie around a few literal words: only the text there is
            # scanned; one character will do when the engine has no single
            # character to look for itself (教育部|财政部|… + 司)
            anchor = _anchor(parsed.data, parsed.state,
                             least=2 if _literal_head(parsed.data) else 1)
            reach = _reach(parsed.data)
            if anchor and reach is not None:
                self.anchor, self.reach = anchor, reach
        except Exception:  # a pattern or parser this code does not know: run it as it is
            self.scanners, self.before, self.anchor = (), False, None

    def finditer(self, text: str) -> Iterator["re.Match"]:
        """The matches of the pattern in text, as `pattern.finditer(text)`."""
        pattern, scanners = self.pattern, self.scanners
        if not scanners and self.anchor is None:
            yield from pattern.finditer(text)
            return
        end = 0
        if len(scanners) > 1:  # on first characters, over the whole text
            for start in sorted(hit.start() for scanner in scanners
                                for hit in scanner.finditer(text)):
                if start >= end:
                    m = pattern.match(text, start)
                    yield m
                    end = m.end()
            return
        if self.before:  # the scanner does not see a match at the start of the text
            m = pattern.match(text)
            if m:
                yield m
                end = m.end()
        for lo, hi, endpos in self._windows(text):
            lo = max(lo, end)
            if lo > hi:
                continue
            if not scanners:
                # the leftmost match from `end` on, as the whole text's finditer
                for m in pattern.finditer(text, lo, endpos):
                    if m.start() > hi:
                        break
                    yield m
                    end = m.end()
                continue
            for hit in scanners[0].finditer(text, lo - 1 if self.before and lo else lo, endpos):
                start = hit.end() if self.before else hit.start()
                if start > hi:
                    break
                if start >= end:
                    m = pattern.match(text, start)
                    yield m
                    end = m.end()

    def _windows(self, text: str) -> Iterator[Tuple[int, int, int]]:
        if self.anchor is None:
            return iter([(0, len(text), len(text))])
        return _stretches(text, *self.anchor, self.reach)


def _stretches(text: str, words: Tuple[str, ...], least: int, most: int, reach: int
               ) -> Iterator[Tuple[int, int, int]]:
    """Where a match may start when it holds one of the words, `least` to `most`
    characters after its start, and reads at most `reach` characters: (first and
    last start, end of the text to read) of each stretch, in text order; the
    whole text when the words are so frequent that stretches would cost more."""
    size = len(text)
    most_starts = size // (most - least + 1 + reach + STRETCH_COST)
    starts: List[int] = []
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            if len(starts) == most_starts:
                yield 0, size, size
                return
            starts.append(pos)
            pos = text.find(word, pos + 1)
    lo = hi = -1
    for pos in sorted(starts) if len(words) > 1 else starts:
        if pos - least >= 0:
            if pos - most > hi + 1:  # a new stretch
                if hi >= 0:
                    yield lo, hi, min(size, hi + reach + 1)
                lo = max(0, pos - most)
            hi = max(hi, pos - least)
    if hi >= 0:
        yield lo, hi, min(size, hi + reach + 1)


def _prefix_pattern(rev_places: str, rev_levels: str) -> "re.Pattern":
    """Place names and level words in front of a body, read right to left."""
    return re.compile(f"(?:(?:{rev_levels})?(?:{rev_places})|(?:{rev_levels})){{1,3}}")


def _local_prefix(window: str, c: "_Compiled", local: Tuple[str, ...]) -> Optional[int]:
    """The length of `c.authority_prefix.match(window)` with the local places (read
    right to left) tried before the place names, or None: the pattern's steps by
    hand, so that no pattern is compiled for each report. Each of up to three
    steps takes the first of: a level word (longest first, then none) followed by
    a local place (in title order) or a place name (longest); a level word alone."""
    pos = 0
    for _ in range(3):
        levels = [w for w in c.rev_level_words if window.startswith(w, pos)]
        step = None
        for level in levels + [""]:
            at = pos + len(level)
            place = next((p for p in local if window.startswith(p, at)), None)
            if place is None:
                m = c.rev_place.match(window, at)
                place = m.group() if m else None
            if place:
                step = len(level) + len(place)
                break
        if step is None:
            if not levels:
                break
            step = len(levels[0])
        pos += step
    return pos or None


def _chars_of(pattern: "re.Pattern", edge, most: int = 256) -> Optional[frozenset]:
    """The characters `edge` works out from a parsed pattern, when there are at
    most `most`; None when not worked out."""
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & (re.IGNORECASE | re.MULTILINE):
            return None
        chars = edge(parsed.data)
    except Exception:  # a pattern or parser this code does not know
        return None
    if chars is None or sum(hi - lo + 1 for lo, hi in chars) > most:
        return None
    return frozenset(chr(ch) for lo, hi in chars for ch in range(lo, hi + 1))


def _first_chars(pattern: "re.Pattern") -> Optional[frozenset]:
    """The characters every match of a pattern starts with (a match is never
    empty); None when not worked out."""
    return _chars_of(pattern, lambda items: _edge(items, first=True))


def _anchored_first_chars(pattern: "re.Pattern") -> Optional[frozenset]:
    """`_first_chars` of a pattern whose every match starts at the start of the
    text (`^`), so that its search looks at the first character only."""
    return _chars_of(pattern, lambda items: _edge(items, first=True) if _anchored(items) else None)


def _last_chars(pattern: "re.Pattern") -> Optional[frozenset]:
    """The characters every match of a pattern ends with (a match is never
    empty); None when not worked out."""
    def last(items):
        found = _last(items)
        return None if found is None or found[1] else found[0]
    return _chars_of(pattern, last)


def _anchored(items) -> bool:
    """Whether every match of a sequence starts with `^` (or `\\A`)."""
    if not items:
        return False
    op, av = items[0]
    if op is _sre.AT:
        return av in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
    if op is _sre.BRANCH:
        return all(_anchored(alt) for alt in av[1])
    if op is _sre.SUBPATTERN and not av[1] and not av[2]:
        return _anchored(av[3])
    return False


def _last(items):
    """The characters the last consumed character of a sequence may be, and
    whether it may consume none; None when not worked out."""
    chars: List[Tuple[int, int]] = []
    for op, av in reversed(items):
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # consumes nothing
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
            item = _item_chars(op, av)
            return None if item is None else (_charset(chars + list(item)), False)
        if op is _sre.BRANCH:
            subs = [_last(alt) for alt in av[1]]
        elif op is _sre.SUBPATTERN and not av[1] and not av[2]:
            subs = [_last(av[3])]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            sub = _last(av[2])
            subs = [sub, ((), True)] if sub is not None and av[0] == 0 else [sub]
        else:
            return None
        if any(sub is None for sub in subs):
            return None
        chars += [r for sub, _ in subs for r in sub]
        if not any(empty for _, empty in subs):
            return _charset(chars), False
    return _charset(chars), True


def _union(patterns) -> "re.Pattern":
    patterns = [p for p in patterns if p]
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else NEVER


@Language.factory(
    "xxgk_organizations",
    assigns=["doc.ents"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend",
                    "max_name_chars": 8},
)
def make_organizations(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                       rules_mode: str, max_name_chars: int) -> "OrganizationRecognizer":
    """Create the organisation recognizer (see `OrganizationRecognizer`).

    max_name_chars (int): Most characters between the place name and the
        suffix of an institution name (北京 + 理工 + 大学).
    """
    return OrganizationRecognizer(nlp, name, style=style, rules_dir=rules_dir,
                                  rules_mode=rules_mode, max_name_chars=max_name_chars)


class OrganizationRecognizer(RuleComponent):
    """Recognize INSTITUTION, AUTHORITY and DEPARTMENT entities.

    Sets on the Doc: `doc.ents` (adds INSTITUTION, AUTHORITY and DEPARTMENT
    spans that do not overlap earlier entities), each with `span._.attrs = {}`.
    Rules: `institutions.jsonl`, `authorities.jsonl`, `departments.jsonl`.
    """

    rule_class = OrganizationRule
    rule_files = ("institutions.jsonl", "authorities.jsonl", "departments.jsonl")

    def _compile(self) -> _Compiled:
        by_type: Dict[str, List[OrganizationRule]] = {t: [] for t in RULE_TYPES}
        for rule in self._rules:
            by_type[rule.type].append(rule)
        words = {t: [r.phrase for r in by_type[t]] for t in _NEEDS_PHRASE}

        phrase_label = {r.phrase: r.label for r in by_type["phrase"]}
        patterns = [(_Scan(re.compile(r.pattern)), r.label) for r in by_type["pattern"]]
        titles = [(re.compile(r.pattern), r.label or "INSTITUTION") for r in by_type["title"]]

        places, levels = _alternation(words["place"], grouped=True), _alternation(words["level"])
        inst_suffixes = [r.phrase for r in by_type["suffix"] if r.label == "INSTITUTION"]
        limit = int(self.cfg.get("max_name_chars", 8))
        def name(places: str, levels: str, suffixes: str, group: str = "?P<name>") -> str:
            return (f"({group}(?:{places})(?:{levels})?[{HAN}]{{0,{limit}}}?(?:{suffixes})"
                    f"(?:(?:{places})[{HAN}]{{0,4}}?(?:{BRANCH_SUFFIX})"
                    f"|[（(](?:{places})[）)])?)")

        authority = re.compile(f"(?P<body>{_alternation(words['body'])})"
                               f"(?:{AUTHORITY_TAIL})?")
        # one scan for the names that start with a word of a list: phrases,
        # INSTITUTION names from their place names, and AUTHORITY bodies, and
        # for the suffixes of names without a place name (see `_words`); a
        # lookahead, so that a rejected name (华北地区的北京理工大学) does not
        # hide the one that starts inside it
        bare_suffixes = [r.phrase for r in by_type["suffix"]
                         if r.label == "INSTITUTION" and r.bare]
        phrase_alt, body_alt = _alternation(phrase_label), _alternation(words["body"])
        inst_alt, bare_alt = _alternation(inst_suffixes), _alternation(bare_suffixes)
        word_starts = re.compile(_starts_of([
            (phrase_label, f"(?P<phrase>{phrase_alt})", f"(?:{phrase_alt})"),
            (words["place"], name(places, levels, inst_alt),
             name(places, levels, inst_alt, group="?:")),
            (words["body"], f"(?P<body>{body_alt})(?P<tail>(?:{AUTHORITY_TAIL})?)",
             f"(?:{body_alt})"),
            (bare_suffixes, f"(?P<bare>{bare_alt})", f"(?:{bare_alt})")]))
        rev_places = _alternation(words["place"], reverse=True, grouped=True)
        rev_levels = _alternation(words["level"], reverse=True)
        authority_prefix = _prefix_pattern(rev_places, rev_levels)
        bare_bodies = frozenset(r.phrase for r in by_type["body"] if r.bare)

        # read right to left: the shortest name that starts at a boundary
        unplaced_body = re.compile(
            f"[{HAN}]{{2,{UNPLACED_CHARS}}}?(?=(?:{_alternation(words['lead'], reverse=True)})"
            f"|[{UNPLACED_JOINERS}]|[^{HAN}])")
        unplaced_window = UNPLACED_CHARS + max((len(w) for w in words["lead"]), default=0) + 1
        unplaced_not_after = _union(r.pattern for r in by_type["not_after"]
                                    if r.bare and r.label in (None, "INSTITUTION"))

        unit_rules = [r for r in by_type["suffix"] if r.label == "DEPARTMENT"]
        unit_words = [r.phrase for r in unit_rules]
        unit_suffix = re.compile(
            f"(?P<suffix>{_alternation(unit_words)}){SUFFIX_ALIAS}")
        cell_suffixes = tuple(r.phrase for r in unit_rules if r.cell)
        boundary_suffixes = frozenset(r.phrase for r in unit_rules if r.boundary)
        stems = [r.phrase for r in by_type["stem"]]
        weak = [r.phrase for r in by_type["stem"] if r.weak]
        rev = _alternation(stems, reverse=True, grouped=True)
        # a joiner does not follow a whole unit name (教授委员会和学术委员会 are two)
        rev_heads = _alternation([w for w in unit_words if len(w) > 1], reverse=True)
        joiner = f"(?:{UNIT_JOINER}(?!{rev_heads}))?"
        stems_reversed = re.compile(f"(?:{rev})(?:{joiner}(?:{rev})){{0,7}}")
        weak_alt = _alternation(weak)
        weak_only = re.compile(f"(?:{weak_alt})(?:{UNIT_JOINER}?(?:{weak_alt}))*")
        # a whole table cell (between separators) that is a unit name; the first
        # cell of a row has no separator before it
        cell_name = (f"(?P<name>[{HAN}]{{1,14}}(?:{_alternation(cell_suffixes)}){SUFFIX_ALIAS})"
                     f"(?![^{re.escape(CELL_SEPARATORS)}])")
        unit_cell = re.compile(f"[{re.escape(CELL_SEPARATORS)}]{cell_name}")
        first_cell = re.compile(cell_name)
        boundary_before = re.compile(
            f"(?:[^{HAN}]|{_alternation(inst_suffixes)}|[{BOUNDARY_CHARS}])$")

        def per_label(kind: str, anchor: str) -> Dict[str, "re.Pattern"]:
            out = {}
            for label in LABELS:
                pats = [r.pattern for r in by_type[kind]
                        if r.label in (None, label) and not (kind == "not_after" and r.bare)]
                out[label] = re.compile(anchor.format(_union(pats).pattern)) if pats else NEVER
            return out

        generic = per_label("generic", "{}")
        not_before = per_label("not_before", "(?:{})$")
        not_after = per_label("not_after", "{}")
        after_chars = {label: _first_chars(not_after[label]) for label in LABELS}
        guards = {}
        for label in LABELS:
            # the line break: `$` also matches before one at the end of the window
            before_chars = _last_chars(not_before[label])
            guards[label] = (
                None if generic[label] is NEVER else generic[label],
                _anchored_first_chars(generic[label]),
                None if not_before[label] is NEVER else not_before[label],
                None if before_chars is None else before_chars | {"\n"},
                None if not_after[label] is NEVER else not_after[label], after_chars[label])
        return _Compiled(
            word_starts=word_starts, phrase_label=phrase_label, patterns=patterns, titles=titles,
            authority=authority, authority_prefix=authority_prefix,
            rev_place=re.compile(rev_places), rev_level_words=tuple(
                sorted({w[::-1] for w in words["level"] if w}, key=len, reverse=True)),
            bare_bodies=bare_bodies,
            unplaced_body=unplaced_body,
            unplaced_window=unplaced_window, unplaced_not_after=unplaced_not_after,
            unit_suffix=unit_suffix, cell_suffixes=cell_suffixes,
            boundary_suffixes=boundary_suffixes, stems_reversed=stems_reversed,
            stem_ends=frozenset(w[-1] for w in stems if w),
            weak_only=weak_only, unit_cell=unit_cell, first_cell=first_cell,
            boundary_before=boundary_before,
            generic=generic, not_before=not_before, not_after=not_after, guards=guards,
            after_chars=after_chars,
        )

    # recognition ----------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        view = TextView.from_doc(doc)
        chosen = self.find(view, title=(doc_value(doc, "report") or {}).get("title"))
        spans = []
        for start, end, label in chosen:
            rs, re_ = view.raw_span(start, end)
            span = char_span(doc, rs, re_, label=label)
            if span is not None:
                spans.append(span)
        set_span_values(doc, "attrs", ((s.start_char, s.end_char, {}) for s in add_entities(doc, spans)))
        return doc

    def find(self, view: TextView, title: Optional[str] = None) -> List[Tuple[int, int, str]]:
        """The organisation names of a text, before earlier entities are considered.

        view (TextView): The text view of a Doc.
        title (Optional[str]): The report title, whose reporting body is then
            found everywhere in the text.
        RETURNS (List[Tuple[int, int, str]]): (clean start, clean end, label),
            non-overlapping, in text order.
        """
        c = self.compiled
        text = view.match
        # names are read right to left from their heads on the reversed text;
        # the sentinel after it stands for the start of the text
        rtext = text[::-1] + "\n"
        phrases, places, bodies, bare = self._words(text, c)
        candidates: List[Tuple[int, int, str, int]] = phrases
        candidates.extend(self._patterns(text, c))
        candidates.extend(self._unplaced(text, rtext, c, bare))
        title_name = self.title_name(title) if title else None
        named = places
        named.extend(self._title_names(text, title_name))
        # a pattern that reads a name from its left boundary yields to a place
        # name inside it (通过吉林大学 → 吉林大学)
        ends = {end for _, end, _, _ in named}
        candidates = [cand for cand in candidates if not (
            cand[3] == PRIO_PATTERN and cand[2] == "INSTITUTION" and cand[1] in ends)]
        candidates.extend(named)
        candidates.extend(self._authorities(text, rtext, c, bodies, self._local_places(title_name)))
        suffixes: List[Tuple[int, int]] = []
        candidates.extend(self._units(text, rtext, c, suffixes))
        candidates.extend(self._cells(view, c, suffixes))
        return _longest_first(candidates, text, c)

    def _words(self, text: str, c: _Compiled) -> Tuple[list, ...]:
        """The phrases, the INSTITUTION names that start with a place name, the
        AUTHORITY bodies (start, end, body) and the bare INSTITUTION suffixes
        (start, end) of a text, by one scan."""
        phrases, places, bodies, bare = [], [], [], []
        phrase_label = c.phrase_label
        for m in c.word_starts.finditer(text):
            start = m.start()
            end = m.end("phrase")
            if end >= 0:
                phrases.append((start, end, phrase_label[m.group("phrase")], PRIO_PHRASE))
            end = m.end("name")
            if end >= 0:
                places.append((start, end, "INSTITUTION", PRIO_INSTITUTION))
            end = m.end("tail")
            if end >= 0:
                bodies.append((start, end, m.group("body")))
            end = m.end("bare")
            if end >= 0:
                bare.append((start, end))
        return phrases, places, bodies, bare

    def _patterns(self, text: str, c: _Compiled) -> Iterator[Tuple[int, int, str, int]]:
        for scan, label in c.patterns:
            group = "name" if "name" in scan.pattern.groupindex else 0
            for m in scan.finditer(text):
                if m.end(group) > m.start(group):
                    yield m.start(group), m.end(group), label, PRIO_PATTERN

    def _unplaced(self, text: str, rtext: str, c: _Compiled, bare: List[Tuple[int, int]]
                  ) -> Iterator[Tuple[int, int, str, int]]:
        n = len(text)
        end = 0
        # the suffixes one after the other (as a search for them finds them):
        # one that starts inside the suffix before is dropped
        for start, suffix_end in bare:
            if start < end:
                continue
            end = suffix_end
            lo = max(0, start - c.unplaced_window)
            # the window before the suffix, with the sentinel at the start of the text
            body = c.unplaced_body.match(rtext, n - start, n - lo if lo else n + 1)
            if body is None or c.unplaced_not_after.match(text, end):
                continue
            yield start - (body.end() - (n - start)), end, "INSTITUTION", PRIO_PATTERN

    def _title_names(self, text: str, title_name: Optional[Tuple[str, str]]
                     ) -> Iterator[Tuple[int, int, str, int]]:
        if title_name:
            name, label = title_name
            pos = text.find(name)
            while pos >= 0:
                end = pos + len(name)
                tail = AUTHORITY_TAIL_RE.match(text, end) if label == "AUTHORITY" else None
                yield pos, tail.end() if tail else end, label, PRIO_INSTITUTION
                pos = text.find(name, end)

    def _local_places(self, title_name: Optional[Tuple[str, str]]) -> Tuple[str, ...]:
        """The places of a government title that are place names in its report
        (澄州市云溪区人民政府 → 澄州, 云溪), read right to left."""
        if not title_name or title_name[1] != "AUTHORITY":
            return ()
        name, places, pos = title_name[0], [], 0
        m = TITLE_PLACE.match(name)
        while m:
            places.append(m.group(1))
            pos = m.end()
            m = TITLE_PLACE.match(name, pos)
        # the places must lead up to a known body or a street office:
        # 宁川市 + 住房和城乡建设局, 江南区 + 望湖街道 + 办事处
        town = TITLE_TOWN.match(name, pos)
        if town and self._ends_title_name(name, town.end()):
            places.append(town.group(1))
            pos = town.end()
        if not places or not self._ends_title_name(name, pos):
            return ()
        return tuple(place[::-1] for place in places)

    def _ends_title_name(self, name: str, pos: int) -> bool:
        return bool(self.compiled.authority.match(name, pos) or TITLE_OFFICE.match(name, pos))

    def title_name(self, title: str) -> Optional[Tuple[str, str]]:
        """The reporting body named in a report title, by the `title` rules.

        title (str): The report title.
        RETURNS (Optional[Tuple[str, str]]): (name, label) of the first rule
            that finds a name that is not generic, or None.
        """
        c = self.compiled
        compact = fold(re.sub(r"\s+", "", title))
        for rx, label in c.titles:
            m = rx.search(compact)
            if m and m.group("name") and not c.generic[label].search(m.group("name")):
                return m.group("name"), label
        return None

    def _authorities(self, text: str, rtext: str, c: _Compiled, bodies: List[Tuple[int, int, str]],
                     local: Tuple[str, ...] = ()) -> Iterator[Tuple[int, int, str, int]]:
        n = len(text)
        end = 0
        # the matches of `c.authority.finditer(text)`: the bodies found where
        # they start, the ones that start inside the name before dropped
        for start, body_end, body in bodies:
            if start < end:
                continue
            end = body_end
            lo, hi = n - start, min(n, n - start + STEM_WINDOW)  # the window before it
            if local and any(rtext.find(place, lo, hi) >= 0 for place in local):
                size = _local_prefix(rtext[lo:hi], c, local)
            else:
                prefix = c.authority_prefix.match(rtext, lo, hi)
                size = prefix.end() - lo if prefix else None
            if size is None and body not in c.bare_bodies:
                continue
            yield start - (size or 0), end, "AUTHORITY", PRIO_AUTHORITY

    def _units(self, text: str, rtext: str, c: _Compiled, suffixes: List[Tuple[int, int]]
               ) -> Iterator[Tuple[int, int, str, int]]:
        # `suffixes` gets the start and end of every unit suffix (for `_cells`)
        n = len(text)
        not_after, after_chars = c.not_after["DEPARTMENT"], c.after_chars["DEPARTMENT"]
        stem_ends, stems_reversed, weak_only = c.stem_ends, c.stems_reversed, c.weak_only
        for m in c.unit_suffix.finditer(text):
            start, end = span = m.span()
            suffixes.append(span)
            if text[start - 1:start] not in stem_ends:
                continue  # no stem right before the suffix
            if (after_chars is None or text[end:end + 1] in after_chars) \
                    and not_after.match(text, end):
                continue  # the name would be rejected anyway (处理, 部门)
            stems = stems_reversed.match(rtext, n - start, min(n, n - start + STEM_WINDOW))
            if stems is None:
                continue
            first = start - (stems.end() - (n - start))
            # 统一领导和党委宣传部: a part that is only weak stems is not joined
            for joint in JOINER_RE.finditer(text, first, start):
                if weak_only.fullmatch(text, first, joint.start()):
                    first = joint.end()
            if weak_only.fullmatch(text, first, start):
                continue
            if m.group("suffix") in c.boundary_suffixes and first > 0 \
                    and not c.boundary_before.search(text, max(0, first - GUARD_WINDOW), first):
                continue
            yield first, end, "DEPARTMENT", PRIO_UNIT

    def _cells(self, view: TextView, c: _Compiled, suffixes: List[Tuple[int, int]]
               ) -> Iterator[Tuple[int, int, str, int]]:
        if not c.cell_suffixes:
            return
        text = view.match
        for pstart, pend, _ in [p for p in view.paragraphs if p[2] == "table"]:
            # a cell name holds a unit suffix, and every place where one starts
            # lies inside a match of `c.unit_suffix`: a row without one has none
            # (the last suffix that starts before the row's end ends after its start)
            i = bisect.bisect_left(suffixes, (pend,)) - 1
            if i < 0 or suffixes[i][1] <= pstart:
                continue
            first = c.first_cell.match(text, pstart, pend)
            for m in ([first] if first else []) + list(c.unit_cell.finditer(text, pstart, pend)):
                start, end = m.span("name")
                if end - start >= 3:
                    yield start, end, "DEPARTMENT", PRIO_CELL


def _masks(text: str) -> Tuple[bytearray, bytearray]:
    """Where names are not taken, one byte per character: in book titles (all
    labels), and in book titles or quoted names (INSTITUTION and DEPARTMENT)."""
    titles = bytearray(len(text))
    for m in BOOK_TITLE.finditer(text):
        titles[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    named = bytearray(titles)
    # a pattern that starts with one character is searched for much faster
    # than one that starts with a choice: one kind of quotes is the rule
    kinds = [q for q in QUOTED_NAMES if q in text]
    if kinds:
        for m in (QUOTED_NAMES[kinds[0]] if len(kinds) == 1 else QUOTED_NAME).finditer(text):
            named[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return titles, named


def _rank(cand: Tuple[int, int, str, int]) -> Tuple[int, int, int]:
    return cand[0] - cand[1], cand[3], cand[0]


def _longest_first(candidates: List[Tuple[int, int, str, int]], text: str, c: _Compiled
                   ) -> List[Tuple[int, int, str]]:
    """Keep the longest candidates that do not overlap (ties: by priority, then
    start), of those that no mask hides and no guard rejects. A candidate that
    overlaps a kept one is dropped before its checks run: the same choice, with
    far fewer checks."""
    # the masks, and the kept names marked in both
    titles, named = _masks(text)
    out = []
    candidates.sort(key=_rank)  # (in place: the list is find's own)
    for start, end, label, prio in candidates:
        # (no candidate is empty: one with the range of a kept one overlaps it)
        if (titles if label == "AUTHORITY" else named).find(1, start, end) >= 0:
            continue
        # each pattern runs only where the characters it needs are there
        generic, generic_chars, before, before_chars, after, after_chars = c.guards[label]
        # on the name alone, so that ^ and $ anchor to it
        if generic is not None and (generic_chars is None or text[start] in generic_chars) \
                and generic.search(text[start:end]):
            continue
        if before is not None and (before_chars is None or text[start - 1:start] in before_chars) \
                and before.search(text, max(0, start - GUARD_WINDOW), start):
            continue
        # `_units` checked its names already
        if after is not None and prio != PRIO_UNIT and (
                after_chars is None or text[end:end + 1] in after_chars) and after.match(text, end):
            continue
        titles[start:end] = named[start:end] = b"\x01" * (end - start)
        out.append((start, end, label))
    out.sort()
    return out
