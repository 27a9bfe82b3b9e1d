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
import re
from typing import Any, Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .layout import TextView
from .rules import Rule, RuleComponent
from .spans import add_entities, char_span

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
_NEVER = re.compile(r"(?!x)x")
_REGEX_GROUP = "xxgk_channel_regex_"


def literal_regex(phrase: str) -> str:
    """The regular expression for a literal channel phrase.

    ASCII letters match in either case, full-width and ASCII brackets and colons
    match each other, and a phrase that starts or ends with an ASCII letter does
    not match inside a longer Latin word (`App` not in `Apps`).

    phrase (str): The literal phrase, as written in a rule.
    RETURNS (str): The regular expression source.
    """
    parts = []
    for ch in phrase:
        if ch in _EQUIVALENT:
            parts.append(_EQUIVALENT[ch])
        elif _ASCII_LETTER.match(ch):
            parts.append(f"[{ch.upper()}{ch.lower()}]")
        else:
            parts.append(re.escape(ch))
    source = "".join(parts)
    if phrase and _ASCII_LETTER.match(phrase[0]):
        source = "(?<![A-Za-z])" + source
    if phrase and _ASCII_LETTER.match(phrase[-1]):
        source += "(?![A-Za-z])"
    return source


def _first_chars(phrase: str) -> str:
    """The characters a literal phrase can start with (for a fast prefilter)."""
    ch = phrase[0]
    if ch in _EQUIVALENT:
        return "（("
    if _ASCII_LETTER.match(ch):
        return ch.upper() + ch.lower()
    return ch


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


@dataclasses.dataclass
class _Joiner:
    """A compiled prefix, suffix or page rule."""

    rx: "re.Pattern"
    kinds: Optional[frozenset]
    kind: Optional[str] = None
    after: Optional[str] = None

    def fits(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


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
        prefixes: List[_Joiner] = []
        suffixes: List[_Joiner] = []
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
                prefixes.append(_Joiner(rx, kinds, rule.kind))
            elif rule.type == "suffix":
                suffixes.append(_Joiner(re.compile(literal_regex(rule.pattern)), kinds,
                                        after=rule.after))
            else:
                pages[_normal(rule.pattern)] = kinds
        # Longest first, so the alternation takes the longest word at a position.
        words = sorted(literals, key=lambda w: (-len(w), w))
        branches = [literal_regex(w) for w in words]
        if words and not regexes:
            # A lookahead on the possible first characters lets the engine skip
            # most positions quickly (about 4x faster on real reports).
            first = sorted({ch for w in words for ch in _first_chars(w)})
            branches = ["(?=[" + "".join(re.escape(ch) for ch in first) + "])(?:"
                        + "|".join(branches) + ")"]
        branches += [f"(?P<{_REGEX_GROUP}{i}>{source})" for i, (source, _) in enumerate(regexes)]
        page_words = sorted(pages, key=lambda w: (-len(w), w))
        return {
            "words": re.compile("|".join(branches)) if branches else _NEVER,
            "kinds": literals,
            "regex_kinds": [kind for _, kind in regexes],
            "exclude": [re.compile(source) for source in excludes],
            "prefixes": prefixes,
            "prefix_reach": max((len(r.pattern or "") + r.gap for r in self._rules
                                 if r.type == "prefix"), default=0),
            "suffixes": suffixes,
            "pages": re.compile("|".join(literal_regex(w) for w in page_words))
            if page_words else None,
            "page_kinds": pages,
        }

    def find(self, text: str) -> List[Tuple[int, int, str]]:
        """Find channel phrases in a text (the §5 span procedure).

        text (str): Clean text, e.g. `TextView.match`.
        RETURNS (List[Tuple[int, int, str]]): (start, end, kind) in text order,
            non-overlapping.
        """
        c = self.compiled
        found: List[Tuple[int, int, str]] = []
        pos = 0
        words = c["words"]
        while True:
            m = words.search(text, pos)
            if m is None:
                break
            start, end = m.span()
            kind = self._kind_of(m, c) if end > start else None
            if kind is None or self._vetoed(text, start, end, c["exclude"]):
                # a shorter word may start inside a vetoed one (学校报纸 → 报纸)
                pos = start + 1
                continue
            end = self._extend(text, end, kind, c)
            start, kind = self._prefix(text, start, kind, c, found[-1][1] if found else 0)
            found.append((start, end, kind))
            pos = end
        return found

    def __call__(self, doc: Doc) -> Doc:
        view = TextView.from_doc(doc)
        kinds: Dict[Tuple[int, int], str] = {}
        spans = []
        for start, end, kind in self.find(view.match):
            raw_start, raw_end = view.raw_span(start, end)
            span = char_span(doc, raw_start, raw_end, label=LABEL)
            if span is not None:
                kinds[(span.start_char, span.end_char)] = kind
                spans.append(span)
        for span in add_entities(doc, spans):
            span._.attrs = {"kind": kinds[(span.start_char, span.end_char)]}
        return doc

    # steps ---------------------------------------------------------------
    @staticmethod
    def _vetoed(text: str, start: int, end: int, excludes: List["re.Pattern"]) -> bool:
        """Whether the word's last character falls inside a match of an `exclude` rule."""
        lo, hi = max(0, start - EXCLUDE_REACH), min(len(text), end + EXCLUDE_REACH)
        for rx in excludes:
            for m in rx.finditer(text, lo, hi):
                if m.start() >= end:
                    break
                if end <= m.end():
                    return True
        return False

    @staticmethod
    def _kind_of(m: "re.Match", c: Dict[str, Any]) -> Optional[str]:
        if c["regex_kinds"]:
            for i, kind in enumerate(c["regex_kinds"]):
                if m.group(f"{_REGEX_GROUP}{i}") is not None:
                    return kind
        return c["kinds"].get(_normal(m.group()))

    @staticmethod
    def _extend(text: str, end: int, kind: str, c: Dict[str, Any]) -> int:
        """Steps 2 and 4: a suffix after a matching ending, then page words."""
        for joiner in c["suffixes"]:
            if joiner.fits(kind) and text.endswith(joiner.after, 0, end):
                m = joiner.rx.match(text, end)
                if m:
                    end = m.end()
                    break
        pages = c["pages"]
        if pages is None:
            return end
        while True:
            m = pages.match(text, end)
            if m is None:
                return end
            kinds = c["page_kinds"].get(_normal(m.group()))
            if kinds is not None and kind not in kinds:
                return end
            end = m.end()

    @staticmethod
    def _prefix(text: str, start: int, kind: str, c: Dict[str, Any], floor: int
                ) -> Tuple[int, str]:
        """Step 3: a join-prefix right before the word (never into the previous span)."""
        lo = max(floor, start - c["prefix_reach"])
        for joiner in c["prefixes"]:
            if not joiner.fits(kind):
                continue
            m = joiner.rx.search(text, lo, start)
            if m:
                return m.start(), joiner.kind or kind
        return start, kind

