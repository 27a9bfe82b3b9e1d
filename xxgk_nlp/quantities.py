"""QUANTITY entities: numbers that state how many or how much, normalised with cn2an.

A numeral (Arabic, Chinese or mixed, with decimals, `,` grouping, a 万/亿/千/百
multiplier and a 余/多/+ suffix) takes the unit that follows it when the unit is
listed in the style's `quantities.jsonl`; qualifiers around it (约, 超过, 以上 …)
set `approx` but stay outside the span. cn2an converts the numeral; this module
adds what cn2an lacks (isolating the numeral, grouping, percent family, ranges,
compound multipliers, bare 千余/百万 magnitudes, 余 inside the numeral).
"""
import bisect
import dataclasses
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

import cn2an
import numpy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import extensions  # noqa: F401
from .extensions import set_span_values
from .layout import TextView
from .rules import Rule, RuleComponent
from .sentences import OffsetMap
from .spans import add_entities, char_span

try:  # the parser behind `re`, read to learn which characters a rule's match can start with
    from re import _parser as _sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore

RULE_TYPES = ("unit", "qualifier", "idiom", "follower", "not_after", "measure")
APPROX = ("exact", "about", "at_least", "at_most")
NOT_AFTER_SCOPES = ("all", "chinese", "bare")
LABEL = "QUANTITY"

# Numeral building blocks (code, not user-extensible). All quantifiers are bounded.
CN_CHARS = "零〇一二三四五六七八九十两壹贰叁肆伍陆柒捌玖拾佰仟百千万萬亿億"
CN_DIGITS = "零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖"
_AR = r"[0-9]{1,20}(?:[,，][0-9]{3}){0,8}(?:[.．][0-9]{1,12})?"
_KW = r"(?:[kKwW](?![A-Za-z0-9]))"
_CN = rf"[{CN_CHARS}]{{1,16}}(?:点[{CN_DIGITS}0-9]{{1,12}}[十百千万亿萬億]{{0,4}})?"
# Arabic and Chinese blocks alternate (or are split by 余/多), so a numeral splits
# into blocks one way only: no backtracking blow-up before a required 分.
_BLOCK_NEXT = (rf"(?:(?<=[0-9kKwW]){_CN}|(?<![0-9]){_AR}{_KW}?"
               rf"|[余多](?:{_CN}|{_AR}{_KW}?))")
NUMERAL = rf"(?:{_AR}{_KW}?|{_CN}){_BLOCK_NEXT}{{0,6}}[余多]?[+＋]?"
DASHES = "-－—–~～至到"
# What a number starts with: a sign, a digit or a numeral character.
NUMBER_FIRST = f"-－−负0-9{CN_CHARS}"
# sign, numeral, optional range
NUMBER_RE = re.compile(
    rf"(?=[{NUMBER_FIRST}])(?P<sign>(?<![0-9A-Za-z])[-－−]|负)?"
    rf"(?P<lo>{NUMERAL})(?:(?P<dash>[{DASHES}])(?P<hi>{NUMERAL}))?")
# What can follow the first character of a numeral inside a NUMBER_RE match
# (a numeral character, a digit, 点, 余/多, +, a range dash), and what can follow
# a run of digits (also a grouping comma, a decimal point, k/w).
NUMERAL_NEXT = CN_CHARS + "0123456789点余多+＋" + DASHES
DIGITS_NEXT = NUMERAL_NEXT + ",，.．kKwW"
# 百分之九十五, 百分百, 千分之三, 三分之一, 五百分之2333
FRACTION_RE = re.compile(
    rf"(?=[-－负0-9{CN_CHARS}])(?<![0-9{CN_CHARS}点.．,，])(?P<sign>[-－负])?"
    rf"(?:(?P<whole>{NUMERAL})又)?(?P<den>{NUMERAL})分(?P<zhi>之)?(?P<num>{NUMERAL})")
# (分 first, so the scan jumps from one 分 to the next; the look-behind then checks the numeral)
FRACTION_MARK_RE = re.compile(rf"分(?<=[0-9{CN_CHARS}]分)之?(?=[0-9{CN_CHARS}])")
# A fraction's denominator is looked for this far before its 分.
FRACTION_REACH = 48
# 1/2, 1又1/5 (not inside URLs, dates or paths)
SLASH_RE = re.compile(
    r"(?=[0-9])(?<![0-9A-Za-z/.:_\-])(?:(?P<whole>[0-9]{1,6})又)?"
    r"(?P<a>[0-9]{1,9})[/／](?P<b>[0-9]{1,9})"
    r"(?![0-9A-Za-z/／.])")
# A slash between digits (the slash first, so the scan jumps from one slash to the
# next; the look-behind then checks the digit before it). The ASCII one alone is
# a literal, which re finds several times faster than a character class.
SLASH_MARK_RE = re.compile(r"/(?<=[0-9]/)(?=[0-9])")
ANY_SLASH_MARK_RE = re.compile(r"[/／](?<=[0-9][/／])(?=[0-9])")
# A slash match starts at most this far before its slash and looks at most this
# far after it (7 for `1又`, 9 digits on each side, one character looked ahead).
SLASH_REACH = 17
# 元 followed by 角/毛 and 分: 三千三百八十元五角八分, 十二块五毛
YUAN_TAIL_RE = re.compile(rf"(?:(?P<jiao>[{CN_DIGITS}0-9])[角毛])?(?:(?P<fen>[{CN_DIGITS}0-9])分)?钱?")
PLAIN_ARABIC_RE = re.compile(r"[0-9]{1,20}(?:[,，][0-9]{3}){0,8}(?:[.．][0-9]{1,12})?")
MAGNITUDE_ONLY_RE = re.compile(r"[百千万亿萬億]{1,4}[余多]?[+＋]?")
TRAILING_MAGNITUDE_RE = re.compile(r"^(?P<base>.*?)(?P<mags>[十百千万亿]{1,6})$")
ENDS_WITH_MAGNITUDE_RE = re.compile(r"[百千万亿萬億][余多]?[+＋]?$")
TRAILING_MULTIPLIER_RE = re.compile(r"[万亿萬億]{1,3}[余多]?[+＋]?$")
# The high end of a range that is one digit times magnitudes (三千, 5百, 三千万): the
# magnitudes apply to the low end too (两到三千 → 2000-3000; 二十万 is not of this form).
DIGIT_TIMES_MAGNITUDE_RE = re.compile(r"[0-9一二三四五六七八九两](?P<mags>[百千万亿萬億]{1,3})"
                                      r"[余多]?[+＋]?")
# Two Chinese digits side by side, the first the smaller, are a range (三四千 →
# 3000-4000, 两三百 → 200-300, 七八十 → 70-80, 三五个 → 3-5): the magnitudes apply to both.
ADJACENT_RANGE_RE = re.compile(r"(?P<a>[一二三四五六七八九两])(?P<b>[二三四五六七八九两])"
                               r"(?P<mags>[十百千万亿萬億]{0,3})[余多]?[+＋]?")
SUFFIXED_RE = re.compile(r"[余多+＋]")
ARABIC_DIGIT_RE = re.compile(r"[0-9]")
NUMERIC_CELL_RE = re.compile(r"[-－0-9.,，%％ ]{1,40}")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ASCII_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
# The single-character tests above, as sets (one character is tested per match).
_ARABIC_DIGITS = frozenset("0123456789")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ASCII_ALNUM = _ARABIC_DIGITS | _ASCII_LETTERS
_SUFFIX_CHARS = frozenset("余多+＋")
MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
DIGIT_VALUES = {ch: i for i, ch in enumerate("一二三四五六七八九", 1)}
DIGIT_VALUES["两"] = 2
_NORMALISE = str.maketrans({"．": ".", "，": None, ",": None, "萬": "万", "億": "亿",
                            "k": "千", "K": "千", "w": "万", "W": "万", "＋": None, "+": None,
                            "余": None, "多": None})
# Measure words that start with 千 or 百 (千克, 千米, 千瓦, 百米): after them the
# character is a prefix of the measure word, not a multiplier.
METRIC_AFTER_PREFIX = "克米瓦"
OPEN_BRACKETS = "（(〔[［【"
CLOSE_BRACKETS = "）)〕]］】"
_CLOSE_BRACKETS = frozenset(CLOSE_BRACKETS)
QUOTES = "“”\"'‘’「」『』"
LIST_AFTER = "、.．"
BREAKS = "\n\t "
# Characters that join a number to a letter or number into a code, time or formula
# (C-3, 8:30, “5+3”, 1+X): such a number is a name, not a count.
JOINERS = ".:：-－—+＋"
JOINERS_AFTER = ":：-－—/+＋"
# Reading the token offsets of a Doc costs about what doc.char_span costs for
# one span in this many tokens (see `_aligned_spans`).
SPANS_AT_ONCE_TOKENS = 50
# Most numeral strings whose values a component keeps (see `_plain_values`).
VALUES_CACHE_SIZE = 4096
_MISSING = object()
# Idioms and ordinals are short: they are looked for this far around a candidate.
IDIOM_REACH = 24
# `not_after` words are looked for this far before a numeral.
NOT_AFTER_REACH = 8
# The neighbours of a plain number that `_number` and `_bare_ok` test besides the
# rule words: letters and digits, code joiners, currency signs, brackets, quotes,
# list marks (and a space after a letter). Keep in step with those tests.
_CONTEXT_BEFORE = _ASCII_ALNUM | frozenset("/_@#\\" + JOINERS + "￥¥×＊*")
_CONTEXT_AFTER = _ASCII_ALNUM | frozenset(JOINERS_AFTER + "×＊*" + CLOSE_BRACKETS + QUOTES +
                                          LIST_AFTER)


@dataclasses.dataclass
class QuantityRule(Rule):
    """A quantity rule.

    type (str): "unit", "qualifier", "idiom", "follower", "not_after" or "measure".
    phrase (Optional[str]): The literal text (all types but "idiom").
    pattern (Optional[str]): A regular expression ("idiom"; "not_after" instead of a phrase).
    unit (Optional[str]): Canonical unit of a "unit" rule (default: the phrase).
    scale (Optional[float]): Value multiplier of a "unit" rule (成 = 10 per cent).
    not_before (Optional[str]): Regex the text after a unit or measure word must not
        start with.
    before (Optional[str]): Regex the text after a unit must start with.
    approx (Optional[str]): For "qualifier": exact, about, at_least or at_most.
    position (Optional[str]): For "qualifier": "prefix" or "suffix".
    scope (Optional[str]): For "not_after": "all", "chinese" (Chinese numerals only) or
        "bare" (a plain Arabic number or range with no unit).
    description (Optional[str]): A note for readers.
    """

    REQUIRED = ("type",)
    type: str = ""
    phrase: Optional[str] = None
    pattern: Optional[str] = None
    unit: Optional[str] = None
    scale: Optional[float] = None
    not_before: Optional[str] = None
    before: Optional[str] = None
    approx: Optional[str] = None
    position: Optional[str] = None
    scope: Optional[str] = None
    description: Optional[str] = None

    def check(self) -> Optional[Tuple[str, str]]:
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        if self.type == "idiom":
            if not self.pattern:
                return "pattern", "an idiom rule needs a 'pattern'"
        elif self.type == "not_after":
            if not self.phrase and not self.pattern:
                return "phrase", "a not_after rule needs a 'phrase' or a 'pattern'"
        elif not self.phrase:
            return "phrase", f"a {self.type} rule needs a 'phrase'"
        problem = self.invalid_regex(*("pattern", "not_before", "before"))
        if problem:
            return problem
        if self.type == "qualifier":
            if self.approx not in APPROX:
                return "approx", f"must be one of {', '.join(APPROX)}"
            if self.position not in ("prefix", "suffix"):
                return "position", "must be 'prefix' or 'suffix'"
        if self.type == "follower" and len(self.phrase) != 1:
            return "phrase", "a follower is one character"
        if self.type == "not_after" and self.scope not in NOT_AFTER_SCOPES:
            return "scope", f"must be one of {', '.join(NOT_AFTER_SCOPES)}"
        if self.scale is not None and not isinstance(self.scale, (int, float)):
            return "scale", "must be a number"
        return None


@lru_cache(maxsize=4096)
def parse_numeral(text: str) -> Optional[Decimal]:
    """The value of a numeral, multiplier applied.

    text (str): A numeral as matched (`5.1万余`, `二十点一万`, `1,024`, `4.78万亿`, `千`).
    RETURNS (Optional[Decimal]): The value, or None when it is not a number.
    """
    s = text.translate(_NORMALISE)
    if not s:
        return None
    if PLAIN_ARABIC_RE.fullmatch(s):
        try:
            return Decimal(s)
        except InvalidOperation:
            return None
    try:
        value = cn2an.cn2an(s, "smart")
        return Decimal(str(value))
    except Exception:  # cn2an raises ValueError and, on odd input, others: never crash
        pass
    m = TRAILING_MAGNITUDE_RE.match(s)
    if m is not None:
        # 二十点一万, 4.78万亿, 3.1千万, 百万: a number times a run of multipliers
        base_text, mags = m.group("base"), m.group("mags")
        if all(MAGNITUDES.get(ch, 0) < MAGNITUDES[mags[0]] for ch in base_text):
            base = Decimal(1) if not base_text else parse_numeral(base_text)
            if base is None:
                return None
            for ch in mags:
                base *= MAGNITUDES[ch]
            return base
    for mag in ("亿", "万"):
        # 一亿两千三百 (零 left out): head × 亿 + tail
        head, sep, tail = s.rpartition(mag)
        if sep and head and tail:
            head_v, tail_v = parse_numeral(head), parse_numeral(tail)
            if head_v is not None and tail_v is not None and tail_v < MAGNITUDES[mag]:
                return head_v * MAGNITUDES[mag] + tail_v
            return None
    return None


def to_json_number(value: Decimal) -> Any:
    """A Decimal as an int when integral, else a float.

    value (Decimal): The value.
    RETURNS (Union[int, float]): The JSON-safe number.
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _trailing_multiplier(text: str, whole_run: bool = False) -> int:
    """The product of the 万/亿 run that ends a numeral (1 when none); with
    `whole_run`, of the whole magnitude run of a one-digit numeral (三千 → 1000)."""
    m = DIGIT_TIMES_MAGNITUDE_RE.fullmatch(text) if whole_run else None
    if m is not None:
        run = m.group("mags")
    else:
        m = TRAILING_MULTIPLIER_RE.search(text)
        if not m:
            return 1
        run = m.group(0)
    mult = 1
    for ch in run.translate(_NORMALISE):
        mult *= MAGNITUDES.get(ch, 1)
    return mult


# A quantity found in the view: clean (start, end) offsets and its attrs.
_Candidate = Tuple[int, int, Dict[str, Any]]


@Language.factory(
    "xxgk_quantities",
    assigns=["doc.ents"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_quantities(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                    rules_mode: str) -> "QuantityRecognizer":
    """Create the QUANTITY recognizer (see `QuantityRecognizer`).

    nlp (Language): The pipeline.
    name (str): The component name.
    style (str): The report style whose `quantities.jsonl` is used.
    rules_dir (Optional[str]): A folder of user rule files.
    rules_mode (str): "extend" or "replace".
    RETURNS (QuantityRecognizer): The component.
    """
    return QuantityRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class QuantityRecognizer(RuleComponent):
    """Recognise QUANTITY entities.

    Sets on the Doc: `doc.ents` gains QUANTITY spans that do not overlap existing
    entities, each with `span._.attrs` = {"value": int|float, "unit": str|None,
    "approx": "exact"|"about"|"at_least"|"at_most"} plus "range": [lo, hi] for
    ranges. Rules: `quantities.jsonl` (units, qualifiers, idioms, followers,
    ordinal and label markers, measure words).
    """

    rule_class = QuantityRule
    rule_files = ("quantities.jsonl",)

    def _compile(self) -> Dict[str, Any]:
        units = [r for r in self._rules if r.type == "unit"]
        units.sort(key=lambda r: -len(r.phrase))

        def alternation(phrases: List[str], anchor_end: bool, patterns: Iterable[str] = ()
                        ) -> Optional["re.Pattern"]:
            alts = [re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)]
            alts += [f"(?:{p})" for p in patterns]
            if not alts:
                return None
            body = "|".join(alts)
            return re.compile(f"(?:{body})$" if anchor_end else f"(?:{body})")

        def not_after(scopes: Tuple[str, ...], suffixes: Tuple[str, ...] = ("",)):
            rules = [r for r in self._rules if r.type == "not_after" and r.scope in scopes]
            return alternation([r.phrase + s for r in rules if r.phrase for s in suffixes], True,
                               [r.pattern + s for r in rules if r.pattern for s in suffixes])

        quals = [r for r in self._rules if r.type == "qualifier"]
        idioms = [r.pattern for r in self._rules if r.type == "idiom"]
        prefix_re = alternation([r.phrase for r in quals if r.position == "prefix"], True)
        suffix_re = alternation([r.phrase for r in quals if r.position == "suffix"], False)
        idiom_re = re.compile("|".join(f"(?:{p})" for p in idioms)) if idioms else None
        measure_re = _measure_re([r for r in self._rules if r.type == "measure"])
        not_after_all = not_after(("all",))
        not_after_cn = not_after(("all", "chinese"))
        not_after_bare = not_after(("bare",), ("", ":", "："))
        # Every character a match of a pattern can start (`*_first`) or end (`*_last`)
        # with (None: not known): a set lookup on the character next to a number
        # leaves out most searches.
        unit_starts = frozenset(r.phrase[0] for r in units)
        suffix_first, measure_first = _edge_chars(suffix_re), _edge_chars(measure_re)
        lasts = [_edge_chars(rx, last=True)
                 for rx in (prefix_re, not_after_all, not_after_cn, not_after_bare)]
        # No prefix qualifier or `not_after` word ends with a character outside
        # `word_end`; no unit, suffix qualifier or measure word starts with one outside
        # `plain_after`, nor does a context check of `_number` look at one.
        word_end = _union(lasts)
        plain_after = _union([unit_starts, suffix_first, measure_first, _CONTEXT_AFTER])
        return {
            "units": units,
            "unit_starts": unit_starts,
            "unit_re": _unit_re(units),
            # the canonical unit and the scale of the rule that each group ends
            "unit_groups": {f"u{i}": (rule.unit or rule.phrase, rule.scale)
                            for i, rule in enumerate(units)},
            "prefix_re": prefix_re,
            "prefix_last": lasts[0],
            "prefix_approx": {r.phrase: r.approx for r in quals if r.position == "prefix"},
            "suffix_re": suffix_re,
            "suffix_first": suffix_first,
            "suffix_approx": {r.phrase: r.approx for r in quals if r.position == "suffix"},
            "idiom_re": idiom_re,
            "idiom_starts_re": _starts_re(idiom_re, IDIOM_REACH),
            "followers": frozenset(r.phrase for r in self._rules if r.type == "follower"),
            "not_after_all": not_after_all,
            "not_after_all_last": lasts[1],
            "not_after_cn": not_after_cn,
            "not_after_cn_last": lasts[2],
            "not_after_bare": not_after_bare,
            "not_after_bare_last": lasts[3],
            "measure_re": measure_re,
            "measure_first": measure_first,
            "word_end": word_end,
            "plain_after": plain_after,
            # what no character before a plain count may be (see `find`)
            "plain_before": None if word_end is None or plain_after is None
            else word_end | _CONTEXT_BEFORE,
            "number_scan": _number_scan(unit_starts),
            "values": {},  # (lo, hi) → values, see `_plain_values`
        }

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        view = TextView.from_doc(doc)
        found = self.find(view)
        if not found:
            return doc
        starts, ends = OffsetMap(doc, view).raw_spans([(a, b) for a, b, _ in found])
        spans = _aligned_spans(doc, starts, ends, LABEL)
        if spans is None:
            # doc.char_span first: most quantities are whole tokens (char_span splits
            # a token when a boundary falls inside one)
            label = doc.vocab.strings.add(LABEL)
            spans = []
            for start, end in zip(starts, ends):
                span = doc.char_span(start, end, label=label) if end > start else None
                spans.append(span if span is not None else char_span(doc, start, end, label=LABEL))
            attrs_by_offsets = {(span.start_char, span.end_char): cand[2]
                                for span, cand in zip(spans, found) if span is not None}
            items = [(key[0], key[1], attrs_by_offsets[key]) for key in (
                (s.start_char, s.end_char) for s in add_entities(doc, spans))]
        else:
            # each span is at its offsets: the values go by position
            items = _added_items(spans, add_entities(doc, spans), [
                (start, end, cand[2]) for start, end, cand in zip(starts, ends, found)])
        set_span_values(doc, "attrs", items)
        return doc

    # matching --------------------------------------------------------------
    def find(self, view: TextView) -> List[_Candidate]:
        """Find the quantities of a text view (clean offsets, no overlaps).

        view (TextView): The view of a Doc.
        RETURNS (List[Tuple[int, int, Dict[str, Any]]]): The quantities in text
            order: clean start and end offsets and the attrs of each.
        """
        c = self.compiled
        text = view.match
        serials = self._table_serials(view)
        cands: List[_Candidate] = []
        unit_starts = c["unit_starts"]
        # A count between plain words or table cells (most numbers) is told here,
        # with no call: no rule and no check of `_number` looks at such neighbours
        # but the three below. (The value of up to 20 digits is their int, see
        # `_number_values`.)
        plain_before, plain_after = c["plain_before"], c["plain_after"]
        word_end, followers = c["word_end"], c["followers"]
        size = len(text)
        for m in c["number_scan"].finditer(text):
            start, end = m.span(1)
            if start < 0:
                continue  # (no number in the match, see `_number_scan`)
            numeral = m.group(1)
            if end - start == 1 and numeral in CN_DIGITS and \
                    text[end:end + 1] not in unit_starts:
                continue  # 一是, 进一步: a lone Chinese digit with no unit (the common case)
            if numeral.isdigit() and numeral.isascii() and end - start <= 20:
                prev = text[start - 1] if start > 0 else "\n"
                nxt = text[end] if end < size else "\n"
                if plain_before is not None and prev not in plain_before and \
                        nxt not in plain_after and (prev not in "\n " or start < 2 or (
                            text[start - 2] not in (word_end if prev == "\n" else _ASCII_LETTERS))):
                    if start in serials or (numeral[0] == "0" and end - start > 1) or (
                            ("\u3400" <= nxt <= "\u9fff" or "\uf900" <= nxt <= "\ufaff")
                            and nxt not in followers):
                        continue  # (see _is_cjk)
                    cands.append((start, end, {"value": int(numeral), "unit": None,
                                               "approx": "exact"}))
                    continue
                if nxt not in unit_starts and (
                        prev in OPEN_BRACKETS and nxt in CLOSE_BRACKETS or nxt in LIST_AFTER
                        and not "0" <= text[end + 1:end + 2] <= "9"):
                    continue  # （1）, 〔2014〕, 1、, 1.: whatever comes before (see `_bare_ok`)
            sign, lo, hi = m.group("sign", "lo", "hi")
            cand = self._number(start, end, sign, lo or numeral, hi, text, c, serials)
            if cand is not None:
                cands.append(cand)
        # number candidates come in text order; fractions and slashes are merged in
        n_numbers = len(cands)
        for lo, hi in _windows(FRACTION_MARK_RE, text, FRACTION_REACH):
            # only around a 分 that has a numeral on both sides
            for m in FRACTION_RE.finditer(text, lo, hi):
                cand = self._fraction(m, text, c)
                if cand is not None:
                    cands.append(cand)
        slashes = ANY_SLASH_MARK_RE if "／" in text else SLASH_MARK_RE
        for lo, hi in _windows(slashes, text, SLASH_REACH):
            # only around a slash between digits
            for m in SLASH_RE.finditer(text, lo, hi):
                cand = self._slash(m, text, c)
                if cand is not None:
                    cands.append(cand)
        if len(cands) > n_numbers:
            cands.sort(key=lambda x: (x[0], x[0] - x[1]))
        idioms = self._idiom_matches(text, cands, c)
        starts = idioms[0] if idioms is not None else []
        i = 0  # the first idiom start not before the window of the candidate
        n_starts = len(starts)
        out: List[_Candidate] = []
        last_end = -1
        for cand in cands:
            start, end = cand[0], cand[1]
            if start < last_end:
                continue
            while i < n_starts and starts[i] < start - IDIOM_REACH:
                i += 1
            if (idioms is None or i < n_starts and starts[i] < end) and \
                    self._in_idiom(text, start, end, c, idioms):
                continue
            out.append(cand)
            last_end = end
        return out

    @staticmethod
    def _idiom_matches(text: str, cands: List[_Candidate], c: Dict[str, Any]
                       ) -> Optional[Tuple[List[int], List[int]]]:
        """(starts, ends) of the idiom match at every position where one starts, in
        the windows of the candidates (sorted by start) that `_in_idiom` looks at; None
        when the idioms are too long or complex for that (then each candidate
        searches its own window)."""
        rx = c["idiom_starts_re"]
        if rx is None:
            return None
        starts: List[int] = []
        ends: List[int] = []
        size = len(text)

        def scan(lo: int, hi: int) -> None:
            # a match that starts in the window may end after it: let it look further
            for m in rx.finditer(text, max(0, lo), min(size, hi + IDIOM_REACH)):
                if m.start() >= hi:
                    break
                starts.append(m.start())
                ends.append(m.end(1))

        if len(cands) * 2 * IDIOM_REACH >= size:
            # the windows would cover most of the text: one scan of all of it (a
            # match does not depend on the window it is found in, see `scan`)
            scan(0, size)
            return starts, ends
        lo = hi = None  # the window being merged
        for start, end, _ in cands:
            if hi is not None and start - IDIOM_REACH <= hi + IDIOM_REACH:
                if end > hi:
                    hi = end
                continue
            if hi is not None:
                scan(lo, hi)
            lo, hi = start - IDIOM_REACH, end
        if hi is not None:
            scan(lo, hi)
        return starts, ends

    @staticmethod
    def _in_idiom(text: str, start: int, end: int, c: Dict[str, Any],
                  idioms: Optional[Tuple[List[int], List[int]]] = None) -> bool:
        """Whether an idiom match overlaps the candidate at [start, end) (idioms
        are short, so only a window around the candidate is searched). `idioms`:
        the matches of `_idiom_matches`, or None to search the window."""
        rx = c["idiom_re"]
        if rx is None:
            return False
        lo = max(0, start - IDIOM_REACH)
        if idioms is not None:
            # The window scan replayed on the matches at every start: from lo, the
            # next match starts at the first start at or after the previous end.
            # (An idiom reaches at most IDIOM_REACH characters, so the window's end
            # never cuts one that starts before the candidate's end.)
            starts, ends = idioms
            i = bisect.bisect_left(starts, lo)
            while i < len(starts) and starts[i] < end:
                if ends[i] > start:
                    return True
                i = bisect.bisect_left(starts, ends[i], i + 1)
            return False
        hi = min(len(text), end + IDIOM_REACH)
        for m in rx.finditer(text, lo, hi):
            if m.start() >= end:
                break
            if m.end() > start and m.end() > m.start():
                return True
        return False

    @staticmethod
    def _table_serials(view: TextView) -> frozenset:
        """Clean offsets of table 序号 cells: the first cell of a row that also has
        text cells (`1\t主页\t…\t158`; in `2\t1\t0` every cell is a count), or a
        lone integer cell that continues the 1, 2, 3 … sequence of a
        one-cell-per-line table and is followed by a text cell."""
        serials = set()
        last = 0
        text = view.match
        rows = [p for p in view.paragraphs if p[2] == "table"]
        for i, (start, end, _) in enumerate(rows):
            if start >= end or not ("0" <= text[start] <= "9" or text[start].isspace()):
                continue  # (most rows: the first cell starts with a character of no serial)
            # (what is stripped off a cell is whitespace: no digit of it comes first)
            tab = text.find("\t", start, end)
            if tab >= 0:
                first = text[start:tab].strip()
                if _is_serial(first) and _has_text_cell(text[tab + 1:end]):
                    serials.add(text.index(first, start))
                continue
            cell = text[start:end].strip()
            if not _is_serial(cell) or int(cell) not in (1, last + 1) or i + 1 >= len(rows):
                continue
            following = text[rows[i + 1][0]:rows[i + 1][1]].strip()
            if following and not NUMERIC_CELL_RE.fullmatch(following):
                serials.add(text.index(cell, start))
                last = int(cell)
        return frozenset(serials)

    def _qualifiers(self, text: str, start: int, end: int, c: Dict[str, Any]
                    ) -> Tuple[Optional[str], Optional[str], int]:
        """(prefix approx, suffix approx, end of the suffix qualifier)."""
        pre = suf = None
        if c["prefix_re"] is not None and start > 0 and _may_end_at(text, start, c["prefix_last"]):
            m = c["prefix_re"].search(text, max(0, start - 8), start)
            if m:
                pre = c["prefix_approx"][m.group(0)]
        suffix_end = end
        first = c["suffix_first"]
        if c["suffix_re"] is not None and (first is None or text[end:end + 1] in first):
            m = c["suffix_re"].match(text, end)
            if m:
                suf = c["suffix_approx"][m.group(0)]
                suffix_end = m.end()
        return pre, suf, suffix_end

    @staticmethod
    def _approx(numeral: str, pre: Optional[str], suf: Optional[str]) -> str:
        if not _SUFFIX_CHARS.isdisjoint(numeral):
            return "at_least"
        if suf is not None and suf != "exact":
            return suf
        if pre is not None:
            return pre
        return "exact"

    def _blocked_before(self, text: str, start: int, chinese: bool, c: Dict[str, Any]) -> bool:
        if chinese:
            rx, last = c["not_after_cn"], c["not_after_cn_last"]
        else:
            rx, last = c["not_after_all"], c["not_after_all_last"]
        if rx is None or start == 0 or not _may_end_at(text, start, last):
            return False
        return rx.search(text, max(0, start - NOT_AFTER_REACH), start) is not None

    def _number(self, start: int, end: int, sign: Optional[str], lo: str, hi: Optional[str],
                text: str, c: Dict[str, Any], serials: frozenset) -> Optional[_Candidate]:
        """The candidate of a NUMBER_RE match at [start, end) with its groups `sign`,
        `lo` and `hi`, or None (a plain count between plain neighbours is told by
        `find`).

        Every rule regex is first tested by a set lookup on the one character its
        match would have to start or end with (`*_first`, `*_last`): most numbers
        stand between tabs or plain words, where no rule can match."""
        size = len(text)
        prev = text[start - 1] if start > 0 else "\n"
        prev2 = text[start - 2] if start > 1 else "\n"
        nxt = text[end] if end < size else "\n"
        # No prefix qualifier or `not_after` word ends right before the number (`$`
        # also matches before a final line break: then the character before it counts).
        word_end = c["word_end"]
        quiet_before = word_end is not None and prev not in word_end and (
            prev != "\n" or prev2 not in word_end)
        numeral = lo if hi is None else lo + hi
        # (an ASCII numeral starts with a digit; of 余多+＋ it can hold + only)
        ascii_numeral = numeral.isascii()
        chinese = False if ascii_numeral else _ARABIC_DIGITS.isdisjoint(numeral)
        unit = scale = None  # the canonical unit and the scale of the unit word after it
        unit_end = end
        if nxt in c["unit_starts"]:
            unit_match = c["unit_re"].match(text, end)
            if unit_match is not None:
                unit, scale = c["unit_groups"][unit_match.lastgroup]
                unit_end = unit_match.end()
        if unit is None and chinese and not ENDS_WITH_MAGNITUDE_RE.search(numeral):
            return None  # 一是, 十大领域, 进一步: a Chinese numeral needs a unit or a magnitude
        if numeral[-1] in "千百" and nxt in METRIC_AFTER_PREFIX:
            return None  # 25千克, 百米: 千/百 belong to a measure word, not to the numeral
        if not quiet_before and self._blocked_before(text, start, chinese, c):
            return None  # 第四轮, 数十个, 每一项
        nxt2 = text[end + 1] if end + 1 < size else "\n"
        if prev in _ASCII_ALNUM or prev in "/_@#\\" or (
                prev in JOINERS and prev2 in _ASCII_ALNUM) or (
                prev == " " and prev2 in _ASCII_LETTERS):
            return None  # part of a code, URL, time, phone number or formula (5+3)
        if nxt in _ASCII_ALNUM or (nxt in JOINERS_AFTER and nxt2 in _ASCII_ALNUM):
            return None
        extra = None  # 三成半, 五元三角
        if unit is not None:
            if scale is not None and text.startswith("半", unit_end):
                extra, unit_end = Decimal("0.5"), unit_end + 1
            elif unit == "元":
                tail = YUAN_TAIL_RE.match(text, unit_end)
                if tail and (tail.group("jiao") or tail.group("fen")):
                    extra = Decimal(0)
                    for group, factor in (("jiao", "0.1"), ("fen", "0.01")):
                        if tail.group(group):
                            extra += (parse_numeral(tail.group(group)) or 0) * Decimal(factor)
                    unit_end = tail.end()
        plain = unit is None and not chinese and _plain_arabic(lo) and (
            hi is None or _plain_arabic(hi))
        # 隐患45处: a measure word outside the unit list makes a bare number a count
        # (unit null); the word stays out of the span, qualifiers after it still count.
        measure_first = c["measure_first"]
        measure_end = self._measure(text, end, lo, c) if plain and hi is None and (
            measure_first is None or nxt in measure_first) else None
        qual_end = measure_end or unit_end
        first = c["suffix_first"]
        if quiet_before and first is not None and text[qual_end:qual_end + 1] not in first:
            pre = suf = None
        else:
            pre, suf, _ = self._qualifiers(text, start, qual_end, c)
        suffixed = "+" in numeral if ascii_numeral else not _SUFFIX_CHARS.isdisjoint(numeral)
        if unit is None and chinese:
            if not (pre or suf or suffixed):
                return None  # 十万火急, 百万: a bare magnitude needs 超过/近/余 …
        elif prev in OPEN_BRACKETS and lo[0] in "百千万亿萬億" and \
                MAGNITUDE_ONLY_RE.fullmatch(lo) and text[unit_end:unit_end + 1] in _CLOSE_BRACKETS:
            return None  # 金额（万元）: a column's unit, not an amount
        elif plain:
            if not quiet_before and self._labelled(text, start, c):
                return None  # 见表1, 附件2, 表2-3, 邮编：413100: labels, not counts
            if hi is None and not self._bare_ok(start, prev, nxt, nxt2, lo, suf, c, serials,
                                                measured=measure_end is not None):
                return None
        if sign or extra is not None or scale is not None:
            values = _number_values(lo, hi, sign, extra, scale)
        else:  # the common case: the value depends on the numeral only
            values = _plain_values(lo, hi, c["values"])
        if values is None:
            return None
        if unit is None and prev in "￥¥":
            unit = "元"
        if suffixed:
            approx = "at_least"
        elif suf is not None and suf != "exact":
            approx = suf
        else:
            approx = pre or "exact"
        attrs: Dict[str, Any] = {"value": values[0], "unit": unit, "approx": approx}
        if len(values) > 1:
            attrs["range"] = list(values)
        return start, unit_end, attrs

    @staticmethod
    def _labelled(text: str, start: int, c: Dict[str, Any]) -> bool:
        """Whether a label word (`not_after` rules of scope "bare") stands right
        before a number: 邮编：413100, QQ群 123456, 见表1, 附件2."""
        rx = c["not_after_bare"]
        if rx is None:
            return False
        last = c["not_after_bare_last"]
        if last is not None and (start == 0 or not _may_end_at(text, start, last)):
            return False  # (the words are not empty: nothing before the number, no match)
        return rx.search(text, max(0, start - NOT_AFTER_REACH), start) is not None

    @staticmethod
    def _measure(text: str, end: int, lo: str, c: Dict[str, Any]) -> Optional[int]:
        """The end of a `measure` word right after a bare Arabic number, or None
        (also for a year before it: 2023起 is a date, not a count)."""
        rx = c["measure_re"]
        if rx is None or _year_like(lo):
            return None
        first = c["measure_first"]
        if first is not None and text[end:end + 1] not in first:
            return None
        m = rx.match(text, end)
        return m.end() if m else None

    @staticmethod
    def _bare_ok(start: int, prev: str, nxt: str, nxt2: str, lo: str, suf: Optional[str],
                 c: Dict[str, Any], serials: frozenset, measured: bool = False) -> bool:
        """Whether a plain Arabic number with no unit is a quantity (a count in a
        sentence or a table count cell), not a name, date part, list or serial number.
        `measured`: a measure word follows it (45处). (The characters tested here are
        in _CONTEXT_BEFORE / _CONTEXT_AFTER.)"""
        if start in serials:
            return False
        if nxt in "×＊*" or prev in "×＊*":
            return False  # 7×24小时: a service-hours formula
        if _leading_zero(lo):
            return False  # 010, 0451: phone area codes
        if prev in OPEN_BRACKETS and nxt in CLOSE_BRACKETS:
            return False  # （1）, 〔2014〕, （2017）
        if prev in QUOTES and nxt in QUOTES:
            return False  # “68912345”: a name
        if nxt in LIST_AFTER and not ("0" <= nxt2 <= "9"):
            return False  # 1、 1. 1．: list and heading numbers
        if nxt in CLOSE_BRACKETS and prev in BREAKS:
            return False  # 1) at a line start
        if suf is None and not measured and _is_cjk(nxt) and nxt not in c["followers"]:
            return False  # 校园123流程, 4月, 2022年, 29号
        return True

    def _fraction(self, m, text: str, c: Dict[str, Any]) -> Optional[_Candidate]:
        start, end = m.span()
        den, num = m.group("den"), m.group("num")
        den_key = den.translate(_NORMALISE)
        if not m.group("zhi") and den_key != "百":
            return None
        num_v = parse_numeral(num)
        if num_v is None:
            return None
        if den_key == "百":
            value, unit = num_v, "%"
        elif den_key == "千":
            value, unit = num_v, "‰"
        else:
            den_v = parse_numeral(den)
            if not den_v:
                return None
            value, unit = num_v / den_v, None
            if m.group("whole"):
                whole = parse_numeral(m.group("whole"))
                if whole is None:
                    return None
                value += whole
        if m.group("sign"):
            value = -value
        prev = text[start - 1] if start > 0 else "\n"
        if ASCII_ALNUM_RE.match(prev) or self._blocked_before(text, start, False, c):
            return None
        pre, suf, _ = self._qualifiers(text, start, end, c)
        attrs = {"value": to_json_number(value), "unit": unit,
                 "approx": self._approx(num, pre, suf)}
        return start, end, attrs

    def _slash(self, m, text: str, c: Dict[str, Any]) -> Optional[_Candidate]:
        a, b = int(m.group("a")), int(m.group("b"))
        if b == 0:
            return None
        value = Decimal(a) / Decimal(b)
        if m.group("whole"):
            value += int(m.group("whole"))
        start, end = m.span()
        pre, suf, _ = self._qualifiers(text, start, end, c)
        attrs = {"value": to_json_number(value), "unit": None, "approx": self._approx("", pre, suf)}
        return start, end, attrs


def _aligned_spans(doc: Doc, starts: List[int], ends: List[int], label: str
                   ) -> Optional[List[Span]]:
    """The spans at raw offsets (sorted, non-empty) when each one starts and ends
    on token boundaries (what doc.char_span returns then), else None. One read of
    the token offsets finds every start token, where doc.char_span makes three
    Token objects per span; it pays off only with many spans (one per
    SPANS_AT_ONCE_TOKENS tokens or more)."""
    n = len(doc)
    if len(starts) * SPANS_AT_ONCE_TOKENS < n:
        return None
    tok_starts = doc.to_array(IDX)
    wanted = numpy.array(starts, dtype=tok_starts.dtype)
    first = numpy.searchsorted(tok_starts, wanted)
    if first[-1] >= n or not numpy.array_equal(tok_starts[first], wanted):
        return None
    # the last token of a span: the last one that starts before its end
    last = numpy.searchsorted(tok_starts, numpy.array(ends, dtype=tok_starts.dtype)) - 1
    label_id = doc.vocab.strings.add(label)
    spans = [Span(doc, a, b + 1, label=label_id) for a, b in zip(first.tolist(), last.tolist())]
    for span, end in zip(spans, ends):
        if span.end_char != end:
            return None  # the end falls inside a token
    return spans


def _added_items(spans: List[Span], added: List[Span], items: List[Tuple[int, int, Any]]
                 ) -> List[Tuple[int, int, Any]]:
    """The items of the spans that `add_entities` added: it returns them in the
    given order, the same objects (matched here by identity); else by offsets."""
    out = []
    pairs = iter(zip(spans, items))
    for span in added:
        for candidate, item in pairs:
            if candidate is span:
                out.append(item)
                break
        else:  # not the objects given: look each one up by its offsets
            by_offsets = {item[:2]: item for item in items}
            return [by_offsets[(span.start_char, span.end_char)] for span in added]
    return out


def _plain_values(lo: str, hi: Optional[str], cache: Dict[Tuple[str, Optional[str]], Any]
                  ) -> Optional[Tuple[Any, ...]]:
    """`_number_values` of a numeral or range with no sign, extra or scale, kept in
    `cache` (the numeral strings of one component, at most VALUES_CACHE_SIZE):
    cn2an is slow, and the same numerals recur."""
    key = (lo, hi)
    values = cache.get(key, _MISSING)
    if values is _MISSING:
        if len(cache) >= VALUES_CACHE_SIZE:
            cache.clear()
        values = cache[key] = _number_values(lo, hi, None, None, None)
    return values


def _measure_re(rules: List[QuantityRule]) -> Optional["re.Pattern"]:
    """One pattern for the measure words (longest first, each with its guard)."""
    alts = []
    for rule in sorted(rules, key=lambda r: -len(r.phrase)):
        alt = re.escape(rule.phrase)
        if rule.not_before:
            alt += f"(?!{rule.not_before})"
        alts.append(alt)
    return re.compile("|".join(alts)) if alts else None


def _unit_re(units: List[QuantityRule]) -> Optional["re.Pattern"]:
    """One pattern for the unit words (longest first, each with its guards). The
    words are grouped under their first character, so a position is tried against
    the words that start with its character only; the empty group `u<i>` that ends
    a word names its rule (`m.lastgroup`)."""
    by_first: Dict[str, List[str]] = {}
    for i, rule in enumerate(units):
        alt = re.escape(rule.phrase[1:])
        if rule.not_before:
            alt += f"(?!{rule.not_before})"
        if rule.before:
            alt += f"(?={rule.before})"
        by_first.setdefault(rule.phrase[0], []).append(f"{alt}(?P<u{i}>)")
    if not by_first:
        return None
    return re.compile("|".join(f"{re.escape(first)}(?:{'|'.join(alts)})"
                               for first, alts in by_first.items()))


def _number_scan(unit_starts: FrozenSet[str]) -> "re.Pattern":
    """NUMBER_RE for one `finditer` over a text, its match in group `num` (the
    groups of NUMBER_RE follow; a plain run of digits that nothing continues is
    told first, as group `digits`, with `lo` unset). What `find` skips is passed
    over inside a match (then `num` is unset): a run of characters that start no
    number, a sign that starts none, and a lone Chinese digit that nothing can
    continue and no unit follows (一是, 进一步). A pattern that starts with a
    look-ahead is tried at every position; a run of a character class is skipped
    at C speed."""
    after = _class(set(NUMERAL_NEXT) | unit_starts)
    # a sign starts no number before a character that starts no numeral, nor a
    # minus after a letter or digit (then NUMBER_RE leaves it out)
    no_sign = rf"[-－−负](?![0-9{CN_CHARS}])|(?<=[0-9A-Za-z])[-－−]"
    return re.compile(rf"(?:[^{NUMBER_FIRST}]++|[{CN_DIGITS}](?![{after}])|{no_sign})*+"
                      rf"(?:(?P<num>(?P<digits>[0-9]{{1,20}}+)(?![{_class(DIGITS_NEXT)}])"
                      rf"|{NUMBER_RE.pattern})|[{NUMBER_FIRST}]|\Z)")


def _class(chars: Iterable[str]) -> str:
    """The characters, escaped for a character class."""
    return "".join(re.escape(ch) for ch in sorted(set(chars)))


def _number_values(lo: str, hi: Optional[str], sign: Optional[str], extra: Optional[Decimal],
                   scale: Optional[float]) -> Optional[Tuple[Any, ...]]:
    """The JSON value, or (low, high) values of a range, of a numeral with its sign,
    the 半/角/分 added to it and the scale of its unit; None when it is no number."""
    if hi is None and not sign and extra is None and scale is None and lo.isascii() \
            and lo.isdigit() and len(lo) <= 20:
        return (int(lo),)  # up to 20 digits are exact in a Decimal: the value is the int
    values = _range_values(lo, hi)
    if values is None:
        return None
    if sign:
        values = [-v for v in values]
    values[0] += Decimal(0) if extra is None else extra
    if scale is not None:
        if values[-1] > 10:
            return None  # 成 counts tenths: 九成, not 十五成
        values = [v * Decimal(str(scale)) for v in values]
    return tuple(to_json_number(v) for v in values)


def _range_values(lo: str, hi: Optional[str]) -> Optional[List[Decimal]]:
    """[value] of a numeral, or [low, high] of a range (两到三万 → 20000, 30000)."""
    if hi is None:
        adjacent = ADJACENT_RANGE_RE.fullmatch(lo)
        if adjacent is not None:
            return _adjacent_range(adjacent)
    lo_v = parse_numeral(lo)
    if lo_v is None:
        return None
    if hi is None:
        return [lo_v]
    hi_v = parse_numeral(hi)
    if hi_v is None:
        return None
    if _year_like(lo) and _year_like(hi):
        return None  # 2021-2022: a period, not a range of counts
    if _leading_zero(lo) or _leading_zero(hi):
        return None  # 010-62332317: a phone number
    mult = _trailing_multiplier(hi, whole_run=True)
    if mult > 1 and _trailing_multiplier(lo) == 1 and lo_v * mult <= hi_v:
        lo_v *= mult  # the multiplier of the high end applies to both
    if not lo_v < hi_v:
        return None
    return [lo_v, hi_v]


def _adjacent_range(m: "re.Match") -> Optional[List[Decimal]]:
    """[low, high] of two Chinese digits side by side (三四千), or None when the
    first is not the smaller."""
    a, b = (Decimal(DIGIT_VALUES[m.group(g)]) for g in ("a", "b"))
    if not a < b:
        return None
    for ch in m.group("mags").translate(_NORMALISE):
        a, b = a * MAGNITUDES[ch], b * MAGNITUDES[ch]
    return [a, b]


def _windows(pattern: "re.Pattern", text: str, reach: int) -> List[Tuple[int, int]]:
    """Merged ranges of `reach` characters around each match of a pattern."""
    out: List[Tuple[int, int]] = []
    for m in pattern.finditer(text):
        lo, hi = max(0, m.start() - reach), min(len(text), m.end() + reach)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _plain_arabic(numeral: str) -> bool:
    """PLAIN_ARABIC_RE.fullmatch, told at once for a run of digits (up to 20)."""
    if numeral.isascii() and numeral.isdigit():
        return len(numeral) <= 20
    return PLAIN_ARABIC_RE.fullmatch(numeral) is not None


def _has_text_cell(cells: str) -> bool:
    """Whether one of the tab-separated cells is not empty and not a number.
    (A loop: `any` over a generator that it leaves early raises in it to close it.)"""
    for cell in cells.split("\t"):
        cell = cell.strip()
        if cell and not NUMERIC_CELL_RE.fullmatch(cell):
            return True
    return False


def _is_serial(cell: str) -> bool:
    return 0 < len(cell) <= 3 and cell.isdigit() and cell.isascii()


def _year_like(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and text[:2] in ("19", "20")


def _leading_zero(text: str) -> bool:
    return len(text) > 1 and text[0] == "0" and text[1] in "0123456789"


def _union(sets: List[Optional[FrozenSet[str]]]) -> Optional[FrozenSet[str]]:
    """The union of character sets, or None when one is not known."""
    if any(chars is None for chars in sets):
        return None
    return frozenset().union(*sets)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _may_end_at(text: str, pos: int, chars: Optional[FrozenSet[str]]) -> bool:
    """Whether a `$`-anchored pattern whose matches end with one of `chars` (None:
    any) can match in text[:pos] (pos > 0): `$` matches at the end, or before a
    line break that ends the text."""
    if chars is None:
        return True
    ch = text[pos - 1]
    return ch in chars or (ch == "\n" and pos > 1 and text[pos - 2] in chars)


class _Unknown(Exception):
    """A regular-expression construct that the analysis below does not follow."""


_REPEATS = tuple(getattr(_sre_parse, name) for name in ("MAX_REPEAT", "MIN_REPEAT",
                                                         "POSSESSIVE_REPEAT")
                 if hasattr(_sre_parse, name))
_ATOMIC = getattr(_sre_parse, "ATOMIC_GROUP", None)


def _edge_chars(rx: Optional["re.Pattern"], last: bool = False) -> Optional[FrozenSet[str]]:
    """Every character that a match of `rx` can start with (with `last`: end with),
    or None when that is not known: `rx` matches the empty string, has flags or uses
    a construct not followed here (back-references, `.`, negated classes …). No
    pattern (None) matches nothing: the empty set."""
    if rx is None:
        return frozenset()  # no pattern, no match
    if rx.flags & ~re.UNICODE:
        return None
    try:
        chars, nullable = _edges(_sre_parse.parse(rx.pattern), last)
    except _Unknown:
        return None
    return None if nullable else frozenset(chars)


def _edges(items, last: bool) -> Tuple[set, bool]:
    """(first or last characters, whether it can match the empty string) of a
    parsed pattern."""
    chars: set = set()
    items = list(items)
    for op, av in reversed(items) if last else items:
        if op is _sre_parse.LITERAL:
            item, nullable = {chr(av)}, False
        elif op is _sre_parse.IN:
            item, nullable = _class_chars(av), False
        elif op is _sre_parse.BRANCH:
            item, nullable = set(), False
            for alt in av[1]:
                alt_chars, alt_nullable = _edges(alt, last)
                item |= alt_chars
                nullable = nullable or alt_nullable
        elif op is _sre_parse.SUBPATTERN:
            if av[1] or av[2]:
                raise _Unknown  # scoped flags such as (?i:…)
            item, nullable = _edges(av[3], last)
        elif op in _REPEATS:
            item, nullable = _edges(av[2], last)
            nullable = nullable or av[0] == 0
        elif op is _ATOMIC:
            item, nullable = _edges(av, last)
        elif op in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT, _sre_parse.AT):
            continue  # zero width
        else:
            raise _Unknown
        chars |= item
        if not nullable:
            return chars, False
    return chars, True


def _class_chars(items) -> set:
    chars = set()
    for op, av in items:
        if op is _sre_parse.LITERAL:
            chars.add(chr(av))
        elif op is _sre_parse.RANGE and av[1] - av[0] < 1024:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            raise _Unknown  # negated class, category, huge range
    return chars


def _reach(items) -> Tuple[int, int]:
    """(longest match, furthest character looked at, look-aheads included) of a
    parsed pattern, counted from where the match starts."""
    width = reach = 0
    for op, av in items:
        if op in (_sre_parse.LITERAL, _sre_parse.NOT_LITERAL, _sre_parse.IN, _sre_parse.ANY):
            w, r = 1, 1
        elif op is _sre_parse.BRANCH:
            alts = [_reach(alt) for alt in av[1]]
            w, r = max(a[0] for a in alts), max(a[1] for a in alts)
        elif op is _sre_parse.SUBPATTERN:
            w, r = _reach(av[3])
        elif op is _ATOMIC:
            w, r = _reach(av)
        elif op in _REPEATS:
            if av[1] == _sre_parse.MAXREPEAT:
                raise _Unknown
            sub_w, sub_r = _reach(av[2])
            w = sub_w * av[1]
            r = w - sub_w + sub_r if av[1] else 0
        elif op in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
            sub_w, sub_r = _reach(av[1])
            w, r = 0, (sub_r if av[0] == 1 else sub_r - sub_w)  # look-ahead / look-behind
        elif op is _sre_parse.AT:
            w, r = 0, 1  # `$`, `\b` look at the next character
        else:
            raise _Unknown
        reach = max(reach, width + r)
        width += w
    return width, reach


def _starts_re(rx: Optional["re.Pattern"], reach: int) -> Optional["re.Pattern"]:
    """A pattern that matches (one character) at every position where `rx`
    matches, with that match as group 1; None unless `rx` cannot match the
    empty string and looks at most `reach` characters ahead."""
    first = _edge_chars(rx)
    if rx is None or first is None:
        return None
    try:
        if _reach(_sre_parse.parse(rx.pattern))[1] > reach:
            return None
    except _Unknown:
        return None
    chars = "".join(re.escape(ch) for ch in sorted(first))
    # The class consumed first lets re skip the positions it rejects (most) at C
    # speed, which it does not for a pattern that starts with a look-ahead; the
    # look-behind then steps back over that character to capture the match.
    return re.compile(f"[{chars}](?<=(?=({rx.pattern}))[{chars}])")
