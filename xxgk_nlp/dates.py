"""DATE and PERIOD entities: calendar dates (`2018年8月31日`, `2022年4月`,
`2022年度`, `8月31日`, `二〇二二年十月三十日`, `2022.10.30`) and spans of time
(`2022-2023学年`, `2017~2018学年度`, `2017年9月1日至2018年8月31日`).

The vocabulary around the numbers (suffixes such as 学年度 / 年度, connectors
such as 至 / 起，至 / -) is data in `dates.jsonl`; the shape of a year, month and
day is code below. PERIOD alternatives are tried before DATE ones at every
position, so the dates inside a period are never separate DATEs.
"""
import bisect
import dataclasses
import re
from typing import Any, Dict, Iterator, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .extensions import set_span_values
from .layout import TextView
from .rules import Rule, RuleComponent
from .spans import add_entities, char_span

RULE_TYPES = ("year_suffix", "period_suffix", "range_connector", "year_connector",
              "number_unit")

# Years 1800-2099 in Arabic digits, or in Chinese digits (一九九八, 二〇二二).
_CN_DIGITS = "〇零○Ｏ一二三四五六七八九"
YEAR_ARABIC = r"(?:1[89]|20)[0-9]{2}(?![0-9])"
YEAR_CHINESE = rf"(?:一九|二[〇零○Ｏ])[{_CN_DIGITS}]{{2}}"
YEAR = rf"(?:{YEAR_ARABIC}|{YEAR_CHINESE})"
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY = (r"(?:3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?"
       r"|十[一二三四五六七八九]?|[一二三四五六七八九])")
DAY_MARK = "[日号]"
# A period or date never starts right after a digit, a decimal point, a dash or a
# Latin letter, nor after a code and a space (GB/T 1988-1998, ISO 2022); but it
# may follow the number of a list item that opens a paragraph (2.2023年，全县…).
# NOT_AFTER holds in every case (a list number ends in a dot), so it is checked
# first: a digit inside a number fails on it at once.
NOT_AFTER = r"(?<![0-9A-Za-z\-－—–~～/])"
START_GUARD = r"(?:(?<![.])(?<![A-Za-z/] )|(?<=\n[0-9]\.)|(?<=\n[0-9]{2}\.))"
# Every date starts with one of these: the scan skips all other positions.
FIRST_CHARS = f"0-9十{_CN_DIGITS}"
# ... and with a year (its first two characters here) or a month and 月: one
# lookahead turns away the other numbers before the alternatives are tried.
DATE_START = r"(?=1[89]|20|[0-9]月|[01][0-9]月|一九|二[〇零○Ｏ]|十[一二]?月|[一二三四五六七八九]月)"
# 2022.10.30, 2022-10-30, 2022/10/30: one separator used twice.
NUMERIC_DATE = ("(?:1[89]|20)[0-9]{2}(?:"
                + "|".join(rf"\{sep}(?:1[0-2]|0?[1-9])\{sep}" for sep in "./-")
                + r")(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])")
BREAK = r"\n?"
# The parts of a date that was already matched (the year suffix comes from the rules).
PARTS = r"(?:(?P<y>{year})(?:{suffix})?)?(?:(?P<m>{month})月(?:(?P<d>{day}){mark})?)?"
_NUMERIC_PART_RE = re.compile(r"(?P<y>[0-9]{4})[./\-](?P<m>[0-9]{1,2})[./\-](?P<d>[0-9]{1,2})")
_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_VALUE.update({"零": 0, "○": 0, "Ｏ": 0})


@dataclasses.dataclass
class DateRule(Rule):
    """A date vocabulary rule.

    type (str): "year_suffix" (after a single year: 年度, 年 → DATE),
        "period_suffix" (after a year range: 学年度, 学年, 年度, 年 → PERIOD),
        "range_connector" (between two dates: 至, 起，至, -),
        "year_connector" (between two years of a range: -, ~, 至) or
        "number_unit" (a word that makes a bare `1900-2000` a number range, not
        a PERIOD: `1900-2000元`, `2000-2500人`).
    phrase (Optional[str]): A literal word.
    pattern (Optional[str]): A regular expression (without capturing groups).
    description (Optional[str]): A note for readers.
    """

    REQUIRED = ("type",)
    type: str = ""
    phrase: Optional[str] = None
    pattern: Optional[str] = None
    description: Optional[str] = None

    def check(self) -> Optional[Tuple[str, str]]:
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        if not self.phrase and not self.pattern:
            return "pattern", "give a 'pattern' or a 'phrase'"
        if self.pattern:
            try:
                compiled = re.compile(self.pattern)
            except re.error as exc:
                return "pattern", f"not a valid regular expression ({exc})"
            if compiled.groups:
                return "pattern", "use non-capturing groups (?:…) only"
        return None

    @property
    def regex(self) -> str:
        """The rule as a regular-expression source."""
        return self.pattern if self.pattern else re.escape(self.phrase or "")


def _alternation(rules: List[DateRule], kind: str) -> str:
    parts = [r.regex for r in rules if r.type == kind]
    # Longest literal first, so 学年度 wins over 学年 and 年度 over 年.
    parts.sort(key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!x)x"


@Language.factory(
    "xxgk_dates",
    assigns=["doc.ents"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_dates(nlp: Language, name: str, style: str, rules_dir: Optional[str],
               rules_mode: str) -> "DateRecognizer":
    """Create the DATE and PERIOD recognizer (see `DateRecognizer`).

    nlp (Language): The pipeline.
    name (str): The component name.
    style (str): The rule pack.
    rules_dir (Optional[str]): A user folder with a `dates.jsonl`.
    rules_mode (str): "extend" or "replace".
    RETURNS (DateRecognizer): The component.
    """
    return DateRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class DateRecognizer(RuleComponent):
    """Recognize calendar dates and periods.

    Sets on the Doc: `DATE` entities with `span._.attrs = {"iso": …}` ("2018-08-31",
    "2022-04", "2022", "--08-31") and `PERIOD` entities with
    `span._.attrs = {"start": …, "end": …, "kind": "academic_year"|"range"}`.
    Spans that overlap entities already in `doc.ents` are not added. Rules: `dates.jsonl`.
    """

    rule_class = DateRule
    rule_files = ("dates.jsonl",)

    def _compile(self) -> Dict[str, Any]:
        rules = self._rules
        year_suffix = _alternation(rules, "year_suffix")
        period_suffix = _alternation(rules, "period_suffix")
        connector = _alternation(rules, "range_connector")
        year_connector = _alternation(rules, "year_connector")
        number_unit = _alternation(rules, "number_unit")
        full = rf"{YEAR}(?:年{MONTH}月(?:{DAY}{DAY_MARK})?|{year_suffix})"
        month_day = rf"{MONTH}月{DAY}{DAY_MARK}"
        first = rf"(?:{full}|{month_day}|{NUMERIC_DATE})"
        # Inside a range a paragraph break left by the layout may remain
        # (`2022年1月1日至2022年\n12月31日`); single dates never cross one.
        wrapped = rf"{YEAR}(?:年{BREAK}{MONTH}月(?:{DAY}{DAY_MARK})?|{year_suffix})"
        second = (rf"(?:{wrapped}|{MONTH}月(?:{DAY}{DAY_MARK})?"
                  rf"|{NUMERIC_DATE})")
        date_range = rf"(?P<r1>{first}){BREAK}(?P<rc>{connector}){BREAK}(?P<r2>{second})"
        month_range = rf"(?P<my>{YEAR})年(?P<m1>{MONTH})(?:{connector})(?P<m2>{MONTH})月"
        year_range = (rf"(?P<y1>{YEAR_ARABIC})(?:{year_connector})"
                      rf"(?P<y2>{YEAR_ARABIC}|[0-9]{{2}}(?![0-9]))"
                      rf"(?:(?P<ys>{period_suffix})|(?!{number_unit}))"
                      r"(?![0-9]|[.\-/][0-9])")
        single = rf"(?P<d>{full}|{month_day}|{NUMERIC_DATE})"
        start = NOT_AFTER + DATE_START + START_GUARD
        parts = re.compile(PARTS.format(year=YEAR, suffix=year_suffix, month=MONTH, day=DAY,
                                        mark=DAY_MARK))
        return {"all": _scan(rf"{start}(?:{date_range}|{month_range}|{year_range}|{single})"),
                "dates": _scan(start + single), "parts": parts}

    def __call__(self, doc: Doc) -> Doc:
        found = self.find(doc)
        if not found:
            return doc
        spans, attrs = [], {}
        for label, start, end, values in found:
            span = char_span(doc, start, end, label=label)
            if span is None:
                continue
            spans.append(span)
            attrs[(span.start_char, span.end_char, label)] = values
        set_span_values(doc, "attrs", ((s.start_char, s.end_char, attrs[(s.start_char, s.end_char, s.label_)])
                                       for s in add_entities(doc, spans)))
        return doc

    def find(self, doc: Doc) -> List[Tuple[str, int, int, Dict[str, Any]]]:
        """Find DATE and PERIOD candidates that do not overlap existing entities.

        doc (Doc): The document (after layout analysis).
        RETURNS (List[Tuple[str, int, int, dict]]): (label, raw start, raw end, attrs).
        """
        view = TextView.from_doc(doc)
        taken: List[Tuple[int, int]] = []
        starts: Optional[List[int]] = None
        out: List[Tuple[str, int, int, Dict[str, Any]]] = []
        compiled = self.compiled
        parts = compiled["parts"]
        for m, rs, re_ in _dates(view, compiled["all"]):
            if starts is None:  # `doc.ents` builds every entity span: read it once, if needed
                taken = sorted((e.start_char, e.end_char) for e in doc.ents)
                starts = [s for s, _ in taken]
            label, values = _read(m, parts)
            if label is not None and not _overlaps(taken, starts, rs, re_):
                out.append((label, rs, re_, values))
                continue
            # An invalid or blocked period: its single dates may still count.
            for sub, srs, sre in _dates(view, compiled["dates"], *m.span("date")):
                values = _date_attrs(sub.group("d"), parts)
                if values is not None and not _overlaps(taken, starts, srs, sre):
                    out.append(("DATE", srs, sre, values))
        return out


def _scan(forms: str) -> "re.Pattern":
    """A pattern for dates that match `forms` (group "date"), to run with `_dates`.

    The engine tries a pattern that starts with a lookahead at every position,
    but skips ahead to the next character of a leading character class (several
    times faster on report text): the pattern matches a first character and,
    inside a lookbehind, the forms from it.
    """
    return re.compile(rf"[{FIRST_CHARS}](?<=(?=(?P<date>{forms})).)")


def _dates(view: TextView, pattern: "re.Pattern", pos: int = 0, endpos: Optional[int] = None
           ) -> Iterator[Tuple["re.Match", int, int]]:
    """(match, raw start, raw end) per date of a `_scan` pattern in the view's
    match text (or in [pos, endpos)): the dates `finditer` of the forms alone
    would find, as the search goes on after each date."""
    text = view.match
    endpos = len(text) if endpos is None else endpos
    search = pattern.search
    while True:
        m = search(text, pos, endpos)
        if m is None:
            return
        start, pos = m.span("date")
        yield m, view.raw_start(start), view.raw_end(pos)


def _read(m: "re.Match", parts: "re.Pattern") -> Tuple[Optional[str], Dict[str, Any]]:
    """Label and attrs of a match of the combined pattern; (None, {}) when invalid."""
    r1, my, y1_text = m.group("r1", "my", "y1")
    if r1 is not None:
        period = _range_attrs(r1, m.group("r2").replace("\n", ""), parts)
        return ("PERIOD", period) if period else (None, {})
    if my is not None:
        year = _year(my)
        a, b = _small(m.group("m1")), _small(m.group("m2"))
        if not a < b:
            return None, {}
        return "PERIOD", {"start": f"{year}-{a:02d}", "end": f"{year}-{b:02d}",
                          "kind": "range"}
    if y1_text is not None:
        y1 = int(y1_text)
        y2_text = m.group("y2")
        if len(y2_text) == 2:
            if not m.group("ys"):
                return None, {}
            y2 = y1 // 100 * 100 + int(y2_text)
        else:
            y2 = int(y2_text)
        if y2 <= y1:
            return None, {}
        kind = "academic_year" if y2 == y1 + 1 else "range"
        return "PERIOD", {"start": str(y1), "end": str(y2), "kind": kind}
    values = _date_attrs(m.group("d"), parts)
    return ("DATE", values) if values else (None, {})


def _overlaps(taken: List[Tuple[int, int]], starts: List[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(starts, end)
    return i > 0 and taken[i - 1][1] > start


def _small(text: str) -> int:
    """Value of a month or day written in Arabic or Chinese digits (1-31)."""
    if text.isascii():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_VALUE[text[1]] if len(text) > 1 else 0)
    if len(text) > 1:  # 二十, 二十一, 三十一
        return _CN_VALUE[text[0]] * 10 + (_CN_VALUE[text[2]] if len(text) > 2 else 0)
    return _CN_VALUE[text]


def _year(text: str) -> int:
    if text.isascii():
        return int(text)
    return int("".join(str(_CN_VALUE[c]) for c in text))


def _parts(text: str, parts: "re.Pattern"
           ) -> Optional[Tuple[Optional[int], Optional[int], Optional[int]]]:
    """(year, month, day) of a matched date text; None when a part is invalid."""
    m = _NUMERIC_PART_RE.fullmatch(text) or parts.fullmatch(text)
    if m is None:
        return None
    y, mo, d = m.group("y", "m", "d")
    year = _year(y) if y else None
    month = _small(mo) if mo else None
    day = _small(d) if d else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is None and month is None:
        return None
    return year, month, day


def _iso(year: Optional[int], month: Optional[int], day: Optional[int]) -> str:
    if year is None:
        return f"--{month:02d}" + (f"-{day:02d}" if day is not None else "")
    out = str(year)
    if month is not None:
        out += f"-{month:02d}"
        if day is not None:
            out += f"-{day:02d}"
    return out


def _date_attrs(text: str, parts: "re.Pattern") -> Optional[Dict[str, Any]]:
    ymd = _parts(text, parts)
    if ymd is None or (ymd[0] is None and ymd[2] is None):
        return None  # a bare month is not a date
    return {"iso": _iso(*ymd)}


def _range_attrs(first: str, second: str, parts: "re.Pattern") -> Optional[Dict[str, Any]]:
    a, b = _parts(first, parts), _parts(second, parts)
    if a is None or b is None:
        return None
    (y1, m1, d1), (y2, m2, d2) = a, b
    # Both ends name the same parts (a missing year is taken from the other end).
    if (m1 is None) != (m2 is None) or (d1 is None) != (d2 is None):
        return None
    if y1 is None and y2 is None:
        pass
    elif y2 is None:
        y2 = y1 if (m2, d2 or 0) >= (m1, d1 or 0) else y1 + 1
    elif y1 is None:
        y1 = y2 if (m1, d1 or 0) <= (m2, d2 or 0) else y2 - 1
    start, end = (y1 or 0, m1 or 0, d1 or 0), (y2 or 0, m2 or 0, d2 or 0)
    if end <= start:
        return None
    return {"start": _iso(y1, m1, d1), "end": _iso(y2, m2, d2), "kind": "range"}
