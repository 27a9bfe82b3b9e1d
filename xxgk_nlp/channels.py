"""CHANNEL: the media and venues through which a report's body publishes or
receives information (ANNOTATION.md §2 CHANNEL, §4, §5 "CHANNEL span").

The span procedure of §5 is data (`channels.jsonl`) plus the small amount of
code below:

1. the longest listed channel word at the leftmost position (`channel` rules,
   each with its `kind`);
2. a `suffix` joins a word that ends with its `after` (网 + 站: `招生网站`);
3. a `prefix` right before the word is inside (`官方主页`, `OA办公系统`), with up to
   `gap` Han characters between when given (`网上通知公告栏`);
4. `page` words after a website or app word join it (`校园网新闻主页`);
5. everything else stays out (owners, places, qualifiers, heads): they are simply
   not in the vocabulary. `exclude` rules veto a word whose last character
   falls inside one of their matches (`信息网络`, contact-field labels such as
   `邮箱:`, named outside media); a shorter word may still start inside a
   vetoed one (`学校报纸` → `报纸`).
"""
import dataclasses
import functools
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .extensions import set_span_values
from .layout import TextView
from .rules import Rule, RuleComponent
from .sentences import OffsetMap
from .spans import add_entities, char_span

try:  # Python 3.11+
    from re import _constants as sre, _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.9, 3.10
    import sre_constants as sre
    import sre_parse

LABEL = "CHANNEL"
RULE_TYPES = ("channel", "prefix", "suffix", "page", "exclude")
KINDS = ("website", "weibo", "wechat", "video", "news_app", "app", "print", "broadcast",
         "board", "mailbox", "hotline", "meeting", "oa", "im", "email", "other")
MAX_GAP = 4
# How far around a channel word an `exclude` rule is looked for: exclusions are
# short phrases, and checking windows is cheaper than scanning the whole text.
EXCLUDE_REACH = 16
# Characters that may stand in a prefix gap (`网上通知公告栏`): Han only, so a
# gap never runs over punctuation.
GAP_CHARS = "\u3400-\u4dbf\u4e00-\u9fff"
# Interchangeable forms inside literal patterns: full-width and ASCII brackets and
# colons (web text carries both), and both cases of ASCII letters (App, APP, app).
_EQUIVALENT = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]",
               "：": "[：:]", ":": "[：:]"}
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_REGEX_GROUP = "xxgk_channel_regex_"


def _char_regex(ch: str) -> str:
    """The regular expression for one character of a literal phrase."""
    if ch in _EQUIVALENT:
        return _EQUIVALENT[ch]
    if _ASCII_LETTER.match(ch):
        return f"[{ch.upper()}{ch.lower()}]"
    return re.escape(ch)


def literal_regex(phrase: str) -> str:
    """The regular expression for a literal channel phrase.

    ASCII letters match in either case, full-width and ASCII brackets and colons
    match each other, and a phrase that starts or ends with an ASCII letter does
    not match inside a longer Latin word (`App` not in `Apps`).

    phrase (str): The literal phrase, as written in a rule.
    RETURNS (str): The regular expression source.
    """
    source = "".join(_char_regex(ch) for ch in phrase)
    if phrase and _ASCII_LETTER.match(phrase[0]):
        source = "(?<![A-Za-z])" + source
    if phrase and _ASCII_LETTER.match(phrase[-1]):
        source += "(?![A-Za-z])"
    return source


def _forms(ch: str) -> str:
    """The text characters one character of a literal phrase matches."""
    if ch in _EQUIVALENT:
        return _EQUIVALENT[ch][1:-1]
    if _ASCII_LETTER.match(ch):
        return ch.upper() + ch.lower()
    return ch


def _trie_regex(words: List[str], fold: bool = True) -> str:
    """One regular expression for literal phrases that takes the longest at a position.

    With `fold` it matches what the alternation of `literal_regex(w)` over the
    words, longest first, matches (the words normalized by `_normal`); without,
    the words exactly. The words are laid out as a character trie: the engine
    rejects most positions after a character or two, and as every branch starts
    with a plain character it skips to the next possible start at C speed.

    words (List[str]): The phrases.
    fold (bool): Match ASCII case, bracket forms and Latin word boundaries as
        `literal_regex` does.
    RETURNS (str): The regular expression source.
    """
    trie: Dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    char = _char_regex if fold else re.escape

    def latin(ch: str) -> bool:
        return fold and bool(_ASCII_LETTER.match(ch))

    def rest(node: Dict[str, Any], last: str) -> str:
        # children before the word end: the longer word wins
        branches = [char(ch) + rest(child, ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append("(?![A-Za-z])" if latin(last) else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    branches = []
    for ch, child in sorted(trie.items()):
        for form in _forms(ch) if fold else ch:
            # `(?<![A-Za-z]A)` after the `A`: the lookbehind of `literal_regex`,
            # moved behind the plain character the branch must start with
            behind = f"(?<![A-Za-z]{form})" if latin(ch) else ""
            branches.append(re.escape(form) + behind + rest(child, ch))
    return "|".join(branches)


def _normal(text: str) -> str:
    """Key under which a literal match is looked up (case and bracket folded)."""
    return text.lower().replace("（", "(").replace("）", ")").replace("：", ":")


@dataclasses.dataclass
class ChannelRule(Rule):
    """A channel rule (one line of `channels.jsonl`).

    label (str): Always "CHANNEL" (SpanRuler's shape).
    type (str): "channel" (a channel word and its `kind`), "prefix" (a word that
        joins a following channel word), "suffix" (a word that joins a preceding
        channel word ending with `after`), "page" (a page word that joins a
        preceding channel word of `kinds`) or "exclude" (a channel word that
        ends inside a match is dropped).
    pattern (Optional[str]): A literal phrase.
    regex (Optional[str]): A regular expression, instead of `pattern` (types
        "channel" and "exclude").
    kind (Optional[str]): The channel kind (required for "channel"; for "prefix"
        the kind the joined span takes, else the word's kind is kept).
    kinds (Optional[List[str]]): The kinds of channel word a prefix, suffix or
        page word joins (default: all).
    gap (int): For "prefix": Han characters allowed between prefix and word (0-4).
    after (Optional[str]): For "suffix": the ending the channel word must have.
    description (Optional[str]): A note for readers.
    """

    label: str = LABEL
    type: str = "channel"
    pattern: Optional[str] = None
    regex: Optional[str] = None
    kind: Optional[str] = None
    kinds: Optional[List[str]] = None
    gap: int = 0
    after: Optional[str] = None
    description: Optional[str] = None

    def check(self) -> Optional[Tuple[str, str]]:
        if self.label != LABEL:
            return "label", f"must be '{LABEL}'"
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        if (self.pattern is None) == (self.regex is None):
            return "pattern", "give exactly one of 'pattern' (a literal) or 'regex'"
        if self.pattern is not None and (not isinstance(self.pattern, str) or not self.pattern):
            return "pattern", "must be a non-empty string"
        if self.regex is not None:
            if self.type not in ("channel", "exclude"):
                return "regex", "only 'channel' and 'exclude' rules take a regex"
            try:
                compiled = re.compile(self.regex)
            except (re.error, TypeError) as exc:
                return "regex", f"not a valid regular expression ({exc})"
            if compiled.match(""):
                return "regex", "must not match the empty string"
        if self.type == "channel" and self.kind is None:
            return "kind", "a channel rule needs a kind"
        if self.kind is not None and self.kind not in KINDS:
            return "kind", f"must be one of {', '.join(KINDS)}"
        if self.kinds is not None:
            if not isinstance(self.kinds, list) or any(k not in KINDS for k in self.kinds):
                return "kinds", f"must be a list of kinds from {', '.join(KINDS)}"
        if not isinstance(self.gap, int) or isinstance(self.gap, bool) \
                or not 0 <= self.gap <= MAX_GAP:
            return "gap", f"must be an integer from 0 to {MAX_GAP}"
        if self.gap and self.type != "prefix":
            return "gap", "only 'prefix' rules take a gap"
        if self.type == "suffix" and not self.after:
            return "after", "a suffix rule needs 'after' (the ending it attaches to)"
        if self.after is not None and self.type != "suffix":
            return "after", "only 'suffix' rules take 'after'"
        return None


# Screens. A regex rule is tried only where a cheap literal search says it can
# match: the strings that every match of it starts with or contains are read off
# the parsed regex (re's own parser). A regex this cannot read (case-insensitive,
# unbounded repeats at the decisive place, ...) gets no screen and is always tried.
_SCREEN_SIZE = 64  # most strings in a screen
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None))
_ATOMIC = getattr(sre, "ATOMIC_GROUP", None)
_Strings = Optional[Set[str]]


def _concat(heads: _Strings, tails: _Strings) -> _Strings:
    if heads is None or tails is None:
        return None
    out = {head + tail for head in heads for tail in tails}
    return out if len(out) <= _SCREEN_SIZE else None


def _exact(items: Iterable) -> _Strings:
    """All strings (or more) parsed regex items can consume, if they are few."""
    out: _Strings = {""}
    for op, av in items:
        if op not in _ZERO_WIDTH:
            out = _concat(out, _exact_one(op, av))
    return out


def _exact_one(op: Any, av: Any) -> _Strings:
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN:
        if len(av) > _SCREEN_SIZE or any(kind is not sre.LITERAL for kind, _ in av):
            return None
        return {chr(code) for _, code in av}
    if op in _REPEATS and av[1] <= 2:
        once, power, out = _exact(av[2]), {""}, set()
        for times in range(av[1] + 1):
            if times:
                power = _concat(power, once)
            if power is None:
                return None
            if times >= av[0]:
                out |= power
        return out if len(out) <= _SCREEN_SIZE else None
    return _inner(op, av, _exact, repeat=False)


def _inner(op: Any, av: Any, read: Callable[[Iterable], _Strings], repeat: bool = True
           ) -> _Strings:
    """`read` of what a branch, a group or (with `repeat`) a repeat at least once
    must match."""
    if op is sre.BRANCH:
        alternatives = [read(items) for items in av[1]]
        return None if None in alternatives else _union(alternatives)
    if op is sre.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else read(av[3])
    if op is _ATOMIC:
        return read(av)
    if repeat and op in _REPEATS and av[0] >= 1:
        return read(av[2])
    return None


def _union(sets: List[Set[str]]) -> _Strings:
    out = set().union(*sets)
    return out if len(out) <= _SCREEN_SIZE else None


def _best(candidates: List[_Strings]) -> _Strings:
    """The most selective set: longest shortest string, then fewest strings."""
    usable = [c for c in candidates if c and "" not in c]
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _required(items: Iterable) -> _Strings:
    """_Strings one of which every match of parsed regex items contains, in the
    text it consumes or looks ahead at."""
    found: List[_Strings] = []
    run: _Strings = {""}  # what the items since the last unreadable one consume
    for op, av in items:
        if op is sre.ASSERT and av[0] == 1:  # a lookahead reads on from here
            found += [_concat(run, _exact(av[1])), _required(av[1])]
        elif op not in _ZERO_WIDTH:
            step = _exact_one(op, av)
            longer = _concat(run, step)
            if longer is None:
                found += [run, _inner(op, av, _required) if step is None else None]
                longer = step or {""}
            run = longer
    return _best(found + [run])


def _leading(items: Iterable) -> _Strings:
    """_Strings one of which every match of parsed regex items starts with."""
    run: _Strings = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        step = _exact_one(op, av)
        longer = _concat(run, step if step is not None else _inner(op, av, _leading))
        if longer is None:
            break
        run = longer
        if step is None:
            break
    return None if "" in run else run


def _screen(sources: List[str], read=_required) -> Optional["re.Pattern"]:
    """A pattern for the strings `read` finds in every one of the regex sources
    (`_required`: one of them is inside every match of a source; `_leading`:
    every match starts with one), or None when a source has none."""
    strings: Set[str] = set()
    for source in sources:
        parsed = sre_parse.parse(source)
        found = None if parsed.state.flags & re.IGNORECASE else read(parsed)
        if found is None:
            return None
        strings |= found
    return _words_regex(sorted(strings), fold=False) if strings else None


def _search(rx: "re.Pattern", screen: Optional["re.Pattern"], text: str, pos: int
            ) -> Optional["re.Match"]:
    """`rx.search(text, pos)`, tried only where the `_leading` screen finds a start."""
    if screen is None:
        return rx.search(text, pos)
    while True:
        start = screen.search(text, pos)
        if start is None:
            return None
        m = rx.match(text, start.start())
        if m is not None:
            return m
        pos = start.start() + 1


def _next_match(finders: List[Tuple["re.Pattern", Optional["re.Pattern"]]], text: str
                ) -> Callable[[int], Optional["re.Match"]]:
    """A function from a position to the leftmost match at or after it of any
    finder (the earlier finder on a tie), in one text."""
    if len(finders) == 1:
        rx, screen = finders[0]
        return functools.partial(rx.search, text) if screen is None \
            else functools.partial(_search, rx, screen, text)
    # the next match of each finder (False: none left); a match found earlier
    # stays valid until the position passes its start
    ahead: List[Any] = [None] * len(finders)

    def next_match(pos: int) -> Optional["re.Match"]:
        m = None
        for i, (rx, screen) in enumerate(finders):
            hit = ahead[i]
            if hit is None or (hit and hit.start() < pos):
                hit = rx.search(text, pos) if screen is None else _search(rx, screen, text, pos)
                ahead[i] = hit = hit or False
            if hit and (m is None or hit.start() < m.start()):
                m = hit
        return m

    return next_match


def _words_regex(words: List[str], fold: bool = True) -> "re.Pattern":
    """One pattern for literal words (`_trie_regex`), the word found as group 1
    (it starts where the match does).

    The engine skips at C speed to a character that can start a word, where the
    trie tries one alternative per start character; when every word has two or
    more characters, the characters after it are tested first (a class lookup or
    two: the second character of a two-character word, or the second and third of
    a longer one), which rules out most of those positions. (The match itself is
    then that first character; the look-behind steps back over it to capture the
    word.)
    """
    trie = _trie_regex(words, fold=fold)
    if any(len(word) < 2 for word in words):
        return re.compile(f"({trie})")

    def chars(words: Iterable[str], i: int) -> str:
        forms = _first_forms((word[i:] for word in words), fold)
        return "[" + "".join(sorted(re.escape(form) for form in forms)) + "]"

    first = chars(words, 0)
    pairs = [w for w in words if len(w) == 2]
    longer = [w for w in words if len(w) > 2]
    after = "|".join(([chars(pairs, 1)] if pairs else []) +
                     ([chars(longer, 1) + chars(longer, 2)] if longer else []))
    return re.compile(f"{first}(?={after})(?<=(?=({trie})){first})")


def _first_forms(words: Iterable[str], fold: bool = True) -> Set[str]:
    """The text characters a match of one of the literal words can start with."""
    if not fold:
        return {word[0] for word in words}
    return {form for word in words for form in _forms(word[0])}


@Language.factory(
    "xxgk_channels",
    assigns=["doc.ents", "span._.attrs"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_channels(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                  rules_mode: str) -> "ChannelRecognizer":
    """Create the channel recognizer (see `ChannelRecognizer`).

    nlp (Language): The pipeline.
    name (str): The component name.
    style (str): The style whose `channels.jsonl` is read.
    rules_dir (Optional[str]): A user folder with a `channels.jsonl` of its own.
    rules_mode (str): "extend" or "replace" the style's rules with the user's.
    RETURNS (ChannelRecognizer): The component.
    """
    return ChannelRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class ChannelRecognizer(RuleComponent):
    """Recognize CHANNEL entities (websites, accounts, boards, meetings, …).

    Sets on the Doc: `doc.ents` (adds CHANNEL spans that do not overlap
    entities already present) and, on each added span, `span._.attrs`
    = {"kind": one of KINDS}. Rules: `channels.jsonl`.
    """

    rule_class = ChannelRule
    rule_files = ("channels.jsonl",)

    def _compile(self) -> Dict[str, Any]:
        literals: Dict[str, str] = {}
        regexes: List[Tuple[str, str]] = []
        excludes: List[str] = []
        prefixes: List[Tuple[Any, Optional[frozenset], Optional[str]]] = []
        suffixes: List[Tuple[str, Any, Optional[frozenset]]] = []
        pages: Dict[str, Optional[frozenset]] = {}
        for rule in self._rules:
            kinds = None if rule.kinds is None else frozenset(rule.kinds)
            if rule.type == "channel":
                if rule.regex is not None:
                    regexes.append((rule.regex, rule.kind))
                else:
                    literals[_normal(rule.pattern)] = rule.kind
            elif rule.type == "exclude":
                excludes.append(rule.regex if rule.regex is not None
                                else literal_regex(rule.pattern))
            elif rule.type == "prefix":
                gap = f"[{GAP_CHARS}]{{0,{rule.gap}}}" if rule.gap else ""
                rx = re.compile(f"(?:{literal_regex(rule.pattern)}){gap}\\Z")
                prefixes.append((rx, kinds, rule.kind))
            elif rule.type == "suffix":
                suffixes.append((rule.after, re.compile(literal_regex(rule.pattern)), kinds))
            else:
                pages[_normal(rule.pattern)] = kinds
        regex_branches = [f"(?P<{_REGEX_GROUP}{i}>{source})"
                          for i, (source, _) in enumerate(regexes)]
        page_words = sorted(pages, key=lambda w: (-len(w), w))
        finders = []  # (pattern, screen); words first: they beat a regex rule
        if literals:
            finders.append((_words_regex(sorted(literals)), None))
        regex = None
        if regexes:
            joint = "|".join(regex_branches)
            regex = re.compile(joint)
            finders.append((regex, _screen([joint], _leading)))
        exclude = [(re.compile(source), _screen([source])) for source in excludes]
        screened = [source for source, (_, screen) in zip(excludes, exclude) if screen]
        return {
            "finders": finders,
            "kinds": literals,
            "regex": regex,
            "regex_kinds": [kind for _, kind in regexes],
            "exclude": exclude,
            "exclude_screen": _screen(screened) if screened else None,
            "exclude_unscreened": [(rx, None) for rx, screen in exclude if screen is None],
            # the joiners that fit each kind, in rule order, as bound methods
            "prefixes": {kind: [(rx.search, joined) for rx, kinds, joined in prefixes
                                if kinds is None or kind in kinds] for kind in KINDS},
            "prefix_screen": _screen([rx.pattern for rx, _, _ in prefixes]),
            "prefix_reach": max((len(r.pattern or "") + r.gap for r in self._rules
                                 if r.type == "prefix"), default=0),
            "suffixes": {kind: [(after, rx.match) for after, rx, kinds in suffixes
                                if kinds is None or kind in kinds] for kind in KINDS},
            "pages": re.compile("|".join(literal_regex(w) for w in page_words))
            if page_words else None,
            "page_starts": _first_forms(page_words),
            "page_kinds": pages,
        }

    def find(self, text: str) -> List[Tuple[int, int, str]]:
        """Find channel phrases in a text (the §5 span procedure).

        text (str): Clean text, e.g. `TextView.match`.
        RETURNS (List[Tuple[int, int, str]]): (start, end, kind) in text order,
            non-overlapping.
        """
        # One pass of the finders; the steps are inlined (this loop runs once per
        # channel word) and most are screened by a cheap test first.
        c = self.compiled
        next_match = _next_match(c["finders"], text)
        kinds, regex = c["kinds"], c["regex"]
        exclude, exclude_screen = c["exclude"], c["exclude_screen"]
        unscreened = c["exclude_unscreened"]
        prefixes, prefix_screen, reach = c["prefixes"], c["prefix_screen"], c["prefix_reach"]
        suffixes, pages, page_starts = c["suffixes"], c["pages"], c["page_starts"]
        found: List[Tuple[int, int, str]] = []
        pos = floor = 0
        while True:
            m = next_match(pos)
            if m is None:
                break
            kind = None
            if m.re is regex:
                start, end = m.span()
                if end > start:
                    kind = self._regex_kind(m, c)
            else:  # a literal word (group 1, see `_words_regex`)
                start, end = m.span(1)
                # most matches are written as in the rule: no need to normalize
                word = m.group(1)
                kind = kinds.get(word) or kinds.get(_normal(word))
            if kind is not None:
                # step 5: exclude rules near the word
                lo = start - EXCLUDE_REACH if start > EXCLUDE_REACH else 0
                rules = exclude if exclude_screen is None \
                    or exclude_screen.search(text, lo, end + EXCLUDE_REACH) else unscreened
                if rules and self._vetoed(text, end, lo, end + EXCLUDE_REACH, rules):
                    kind = None
            if kind is None:
                # a shorter word may start inside a vetoed one (学校报纸 → 报纸)
                pos = start + 1
                if pos > len(text):  # an empty match of a user regex at the end
                    break
                continue
            # steps 2 and 4: a suffix after a matching ending, then page words
            for after, match in suffixes[kind]:
                if text.endswith(after, 0, end):
                    joined = match(text, end)
                    if joined:
                        end = joined.end()
                        break
            if text[end:end + 1] in page_starts:
                end = self._pages(text, end, kind, pages, c["page_kinds"])
            # step 3: a join-prefix right before the word (never into the previous span)
            joiners = prefixes[kind]
            if joiners:
                lo = start - reach if start - reach > floor else floor
                if prefix_screen is None or prefix_screen.search(text, lo, start):
                    for search, joined_kind in joiners:
                        joined = search(text, lo, start)
                        if joined:
                            start, kind = joined.start(), joined_kind or kind
                            break
            found.append((start, end, kind))
            pos = floor = end
        return found

    def __call__(self, doc: Doc) -> Doc:
        view = TextView.from_doc(doc)
        found = self.find(view.match)
        if not found:
            return doc
        starts, ends = OffsetMap(doc, view).raw_spans([(start, end) for start, end, _ in found])
        channel = doc.vocab.strings.add(LABEL)
        kinds: Dict[Tuple[int, int], str] = {}
        spans = []
        for start, end, (_, _, kind) in zip(starts, ends, found):
            # doc.char_span first: most words are whole tokens (char_span splits a
            # token when a boundary falls inside one)
            span = doc.char_span(start, end, label=channel) if end > start else None
            if span is None:
                span = char_span(doc, start, end, label=LABEL)
            # A span starting in an entity of another label is rejected by
            # add_entities and equals no entity there: left out, so that
            # add_entities never needs to build doc.ents.
            if span is not None and doc[span.start].ent_type in (0, channel):
                kinds[(span.start_char, span.end_char)] = kind
                spans.append(span)
        set_span_values(doc, "attrs", ((s.start_char, s.end_char, {"kind": kinds[(s.start_char, s.end_char)]})
                                       for s in add_entities(doc, spans)))
        return doc

    # steps ---------------------------------------------------------------
    @staticmethod
    def _vetoed(text: str, end: int, lo: int, hi: int, rules: List[Tuple[Any, Any]]) -> bool:
        """Whether the word's last character falls inside a match of an `exclude`
        rule in the window [lo, hi)."""
        for rx, screen in rules:
            if screen is not None and screen.search(text, lo, hi) is None:
                continue
            for m in rx.finditer(text, lo, hi):
                if m.start() >= end:
                    break
                if end <= m.end():
                    return True
        return False

    @staticmethod
    def _regex_kind(m: "re.Match", c: Dict[str, Any]) -> Optional[str]:
        for i, kind in enumerate(c["regex_kinds"]):
            if m.group(f"{_REGEX_GROUP}{i}") is not None:
                return kind
        return None

    @staticmethod
    def _pages(text: str, end: int, kind: str, pages: "re.Pattern",
               page_kinds: Dict[str, Optional[frozenset]]) -> int:
        """Step 4: page words after the word that take its kind."""
        while True:
            m = pages.match(text, end)
            if m is None:
                return end
            kinds = page_kinds.get(_normal(m.group()))
            if kinds is not None and kind not in kinds:
                return end
            end = m.end()
