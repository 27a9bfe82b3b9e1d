"""URL, EMAIL and PHONE entities.

URLs with a scheme (`http://xxgk.ustb.edu.cn/`) or without one (`www.hit.edu.cn`,
`xxgk.hit.edu.cn`, known top-level domain required), e-mail addresses, and phone
numbers: landlines with an area code (`010-62332317`, `(010)62332317`), mobiles,
400/800 service numbers, and local or short numbers only when presented as a
phone or hotline number (next to a cue word such as 电话 or 热线, or quoted with
one following: `“68912345”接诉即办服务热线`). An extension written after a
landline or service number is part of its PHONE (`0851-86912345转8001`), so its
digits are never a quantity. Top-level domains, cue words and extension words
are data in `contacts.jsonl`.
"""
import dataclasses
import re
from typing import Any, Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .extensions import set_span_values
from .layout import TextView
from .rules import Rule, RuleComponent, alternation
from .spans import add_entities, char_span

RULE_TYPES = ("tld", "phone_cue", "service_number", "extension")

# A URL stops at whitespace, brackets, quotes, CJK and full-width punctuation.
URL_CHARS = (r"[^\s<>()\[\]{}\"'`\u2018-\u201F\u2E80-\u9FFF\u3000-\u303F"
             r"\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]")
URL_PATH = rf"(?:[/?#]{URL_CHARS}{{0,500}})?"
URL_PORT = r"(?::[0-9]{1,5})?"
URL_LABEL = r"[A-Za-z0-9][A-Za-z0-9\-]{0,62}"
URL_WITH_SCHEME = rf"(?:https?|ftp)://{URL_LABEL}(?:\.{URL_LABEL}){{0,10}}{URL_PORT}{URL_PATH}"
# Without a scheme the host must end in a known top-level domain ({tld}). The
# lookahead for the first dot turns a plain word or number away at once.
URL_BARE = (rf"(?<![A-Za-z0-9.@/_\-])(?=[A-Za-z0-9][A-Za-z0-9\-]*+\.)(?:{URL_LABEL}\.){{1,10}}"
            rf"{{tld}}(?![A-Za-z0-9\-]){URL_PORT}{URL_PATH}")
URL_TRAILING = ".,;:!?'\"*"
EMAIL = (r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
         r"[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}(?![A-Za-z0-9\-])")
# Phones never start or end inside a longer digit run.
PHONE_NUMBER = r"[2-9][0-9]{6,7}(?![0-9])"
PHONE_AREA = rf"(?<![0-9])0[0-9]{{2,3}}[\-－—– ]{PHONE_NUMBER}"
PHONE_AREA_PAREN = rf"(?<![0-9])[(（]0[0-9]{{2,3}}[)）][\-－ ]?{PHONE_NUMBER}"
# A digit run followed by a decimal part, a grouping comma or a money/percent
# sign is an amount, not a phone number.
NUMBER_TAIL = r"(?![0-9]|[.,][0-9]|[万亿元%‰])"
MOBILE = rf"1[3-9][0-9](?:-?[0-9]{{4}}){{2}}{NUMBER_TAIL}"
PHONE_MOBILE = rf"(?<![0-9+])(?:86[\- ]?)?{MOBILE}"
PHONE_MOBILE_PLUS = rf"(?<![0-9+])\+86[\- ]?{MOBILE}"
PHONE_SERVICE = r"(?<![0-9])[48]00[\-－ ][0-9]{3}[\-－ ][0-9]{3,4}(?![0-9])"
# Numbers that are phones only next to a cue word.
CUED_NUMBER = rf"(?:[48]00[0-9]{{7}}|[2-9][0-9]{{6,7}}){NUMBER_TAIL}"
QUOTED_NUMBER = r"(?:[48]00[0-9]{7}|[2-9][0-9]{6,7}|[19][0-9]{4})"
CUE_JOIN = r"(?:号码|号)?[：:]?(?:为|是)?[“\"「(（]?"
QUOTE_OPEN = "[“\"「『]"
QUOTE_CLOSE = "[”\"」』]"
CUE_WINDOW = r"[^，。；;,\n\t0-9]{0,12}?"
# An extension after a landline or service number belongs to the phone
# ({ext} is the alternation of the `extension` words): 0851-86912345转8001.
PHONE_EXT = r"(?: ?(?:{ext}) ?[0-9]{1,6}(?![0-9]))?"
# Every match starts with one of these (or with the first character of a cue
# word): the scan skips all other positions. The four non-ASCII letters are
# those that IGNORECASE matches to Latin ones (İ ı ſ K).
FIRST_CHARS = "0-9A-Za-z\u0130\u0131\u017f\u212a“\"「『(（+"
# A match that starts at a digit starts a digit run of at least three (every
# phone form), or one that goes on into an e-mail address or host name
# (163.com), or the country code of 86 138…: one lookahead turns away the
# other digits, most of those in a report.
DIGIT_START = r"(?<![0-9])(?=[0-9](?:[0-9]{2}|[0-9]*+[A-Za-z._%+\-@ ]))"


@dataclasses.dataclass
class ContactRule(Rule):
    """A contact vocabulary rule.

    type (str): "tld" (a top-level domain that lets a host without `http://` be a
        URL: cn, com, edu, …), "phone_cue" (a word that presents a number as a
        phone or hotline number: 电话, 热线, 传真, …) or "service_number" (a
        nationwide short hotline number such as 12345, a PHONE when a cue word
        is near: `12345政务服务便民热线`, `拨打12345热线`) or "extension" (a
        word that joins an extension to a phone number, inside the PHONE:
        `0851-86912345转8001`).
    phrase (str): The domain (without the dot), the cue word, the number or
        the extension word.
    description (Optional[str]): A note for readers.
    """

    REQUIRED = ("type", "phrase")
    type: str = ""
    phrase: str = ""
    description: Optional[str] = None

    def check(self) -> Optional[Tuple[str, str]]:
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        if self.type == "tld" and not re.fullmatch(r"[A-Za-z]{2,24}", self.phrase):
            return "phrase", "a top-level domain is 2-24 Latin letters, without the dot"
        if self.type == "service_number" and not re.fullmatch(r"[0-9]{3,6}", self.phrase):
            return "phrase", "a service number is 3-6 digits"
        return None


def _words(rules: List[ContactRule], kind: str) -> str:
    return alternation(r.phrase for r in rules if r.type == kind)


@Language.factory(
    "xxgk_contacts",
    assigns=["doc.ents"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_contacts(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                  rules_mode: str) -> "ContactRecognizer":
    """Create the URL, EMAIL and PHONE recognizer (see `ContactRecognizer`).

    nlp (Language): The pipeline.
    name (str): The component name.
    style (str): The rule pack.
    rules_dir (Optional[str]): A user folder with a `contacts.jsonl`.
    rules_mode (str): "extend" or "replace".
    RETURNS (ContactRecognizer): The component.
    """
    return ContactRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class ContactRecognizer(RuleComponent):
    """Recognize URLs, e-mail addresses and phone numbers.

    Sets on the Doc: `URL`, `EMAIL` and `PHONE` entities, each with
    `span._.attrs = {}`. Spans that overlap entities already in `doc.ents` are
    not added. Rules: `contacts.jsonl`.
    """

    rule_class = ContactRule
    rule_files = ("contacts.jsonl",)

    def _compile(self) -> Dict[str, Any]:
        rules = self._rules
        cue = _words(rules, "phone_cue")
        service = _words(rules, "service_number")
        ext = PHONE_EXT.replace("{ext}", _words(rules, "extension"))
        url = rf"{URL_WITH_SCHEME}|{URL_BARE.replace('{tld}', _words(rules, 'tld'))}"
        # (label, regex, where it can start: "digit", "other" or "any"), in the
        # order of the alternation: the first form that matches at a position
        # wins, and the scan goes on after it. "{part}" names the group that
        # holds the entity; without it the entity is the whole match.
        forms = [
            ("EMAIL", EMAIL, "any"),
            ("URL", url, "any"),
            ("PHONE", PHONE_AREA_PAREN + ext, "other"),
            ("PHONE", PHONE_AREA + ext, "digit"),
            ("PHONE", PHONE_SERVICE + ext, "digit"),
            ("PHONE", PHONE_MOBILE_PLUS, "other"),
            ("PHONE", PHONE_MOBILE, "digit"),
            # 电话：68912345 — the cue is consumed, only the number is the entity
            ("PHONE", rf"{cue}{CUE_JOIN}(?<![0-9])"
                      rf"(?P<{{part}}>{CUED_NUMBER}{ext}|{service}{NUMBER_TAIL})", "other"),
            # “68912345”接诉即办服务热线
            ("PHONE", rf"{QUOTE_OPEN}(?P<{{part}}>{QUOTED_NUMBER}){QUOTE_CLOSE}"
                      rf"(?={CUE_WINDOW}{cue})", "other"),
            # 68912345热线
            ("PHONE", rf"(?<![0-9]){CUED_NUMBER}(?={cue})", "digit"),
            # 12345政务服务便民热线
            ("PHONE", rf"(?<![0-9])(?:{service})(?![0-9])(?={CUE_WINDOW}{cue})", "digit"),
        ]
        groups: Dict[str, Tuple[str, Optional[str]]] = {}

        def alternation(where: Tuple[str, ...]) -> str:
            # Each form (and copy) ends with an empty group: the last group of
            # a match tells its form and where it ends.
            branches = []
            for label, regex, start in forms:
                if start in where:
                    name = f"f{len(groups)}"
                    part = f"{name}_part" if "{part}" in regex else None
                    groups[name] = (label, part)
                    branches.append(f"(?:{regex.replace('{part}', str(part))})(?P<{name}>)")
            return "(?:" + "|".join(branches) + ")"

        cue_firsts = {r.phrase[0] for r in rules if r.type == "phone_cue"}
        if any(c in "0123456789" for c in cue_firsts):
            # a cue word may start anywhere in a digit run: one plain alternation
            body = alternation(("any", "digit", "other"))
        else:
            # At a digit only the digit forms can match, elsewhere only the
            # others: each group keeps the order above.
            body = (f"(?:{DIGIT_START}{alternation(('any', 'digit'))}"
                    f"|(?![0-9]){alternation(('any', 'other'))})")
        # The engine tries a pattern that starts with a lookahead at every
        # position, but skips ahead to the next character of a leading class
        # without case folding (several times faster on report text): the
        # pattern matches a first character and, inside a lookbehind, a form
        # from it, case-insensitively.
        first = f"[{FIRST_CHARS}{''.join(sorted(map(re.escape, cue_firsts)))}]"
        if any(not c.isascii() and (c.lower() != c or c.upper() != c) for c in cue_firsts):
            # other letters may fold to such a cue letter: the engine finds them
            # itself (and cannot skip ahead as fast)
            first = f"(?i:{first})"
        return {"pattern": re.compile(rf"{first}(?<=(?=(?i:{body})).)"), "groups": groups}

    def __call__(self, doc: Doc) -> Doc:
        spans = [char_span(doc, start, end, label=label) for label, start, end in self.find(doc)]
        set_span_values(doc, "attrs", ((s.start_char, s.end_char, {}) for s in add_entities(doc, spans)))
        return doc

    def find(self, doc: Doc) -> List[Tuple[str, int, int]]:
        """Find URL, EMAIL and PHONE candidates.

        doc (Doc): The document (after layout analysis).
        RETURNS (List[Tuple[str, int, int]]): (label, raw start, raw end).
        """
        view = TextView.from_doc(doc)
        text = view.match
        search = self.compiled["pattern"].search
        groups = self.compiled["groups"]
        out: List[Tuple[str, int, int]] = []
        pos = 0
        while True:  # search on after each match, as finditer would
            m = search(text, pos)
            if m is None:
                return out
            name = m.lastgroup
            label, part = groups[name]
            pos = m.end(name)
            start, end = m.span(part) if part else (m.start(), pos)
            if label == "URL":
                end = start + len(text[start:end].rstrip(URL_TRAILING))
                if "." not in text[start:end].split("//", 1)[-1]:
                    continue
            if end > start:
                rs, re_ = view.raw_span(start, end)
                out.append((label, rs, re_))
