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
from typing import Any, Dict, Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
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
# Without a scheme the host must end in a known top-level domain ({tld}).
URL_BARE = (rf"(?<![A-Za-z0-9.@/_\-])(?:{URL_LABEL}\.){{1,10}}{{tld}}(?![A-Za-z0-9\-])"
            rf"{URL_PORT}{URL_PATH}")
URL_TRAILING = ".,;:!?'\"*"
EMAIL = (r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
         r"[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}(?![A-Za-z0-9\-])")
# Phones never start or end inside a longer digit run.
PHONE_AREA = (r"(?<![0-9])(?:[(（]0[0-9]{2,3}[)）][\-－ ]?|0[0-9]{2,3}[\-－—– ])"
              r"[2-9][0-9]{6,7}(?![0-9])")
# A digit run followed by a decimal part, a grouping comma or a money/percent
# sign is an amount, not a phone number.
NUMBER_TAIL = r"(?![0-9]|[.,][0-9]|[万亿元%‰])"
PHONE_MOBILE = rf"(?<![0-9+])(?:\+?86[\- ]?)?1[3-9][0-9](?:-?[0-9]{{4}}){{2}}{NUMBER_TAIL}"
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
# Every match starts with one of these or with the first character of a cue
# word; a cheap lookahead on them lets the scan skip all other positions.
FIRST_CHARS = "0-9A-Za-z“\"「『(（+"


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

    def initialize(self, get_examples=None, *, nlp: Optional[Language] = None,
                   rules: Optional[Iterable[Dict[str, Any]]] = None) -> None:
        """Load the rules (see `RuleComponent.initialize`) and compile them once.

        get_examples (Callable): Unused; accepted for the spaCy interface.
        nlp (Language): The pipeline.
        rules (Optional[Iterable[dict]]): Rule records that replace the style's.
        """
        super().initialize(get_examples, nlp=nlp, rules=rules)
        self.compiled  # noqa: B018 - compile now, not on the first document

    def _compile(self) -> "re.Pattern":
        tld = _words(self._rules, "tld")
        cue = _words(self._rules, "phone_cue")
        service = _words(self._rules, "service_number")
        bare = URL_BARE.replace("{tld}", tld)
        ext = PHONE_EXT.replace("{ext}", _words(self._rules, "extension"))
        alternatives = [
            rf"(?P<email>{EMAIL})",
            rf"(?P<url>{URL_WITH_SCHEME}|{bare})",
            rf"(?P<phone>(?:{PHONE_AREA}|{PHONE_SERVICE}){ext}|{PHONE_MOBILE})",
            # 电话：68912345 — the cue is consumed, only the number is the entity
            rf"{cue}{CUE_JOIN}(?<![0-9])(?P<cued>{CUED_NUMBER}{ext}|{service}{NUMBER_TAIL})",
            # “68912345”接诉即办服务热线
            rf"{QUOTE_OPEN}(?P<quoted>{QUOTED_NUMBER}){QUOTE_CLOSE}(?={CUE_WINDOW}{cue})",
            # 68912345热线
            rf"(?<![0-9])(?P<before>{CUED_NUMBER})(?={cue})",
            # 12345政务服务便民热线
            rf"(?<![0-9])(?P<service>{service})(?![0-9])(?={CUE_WINDOW}{cue})",
        ]
        cue_firsts = "".join(sorted({re.escape(r.phrase[0]) for r in self._rules
                                     if r.type == "phone_cue"}))
        gate = f"(?=[{FIRST_CHARS}{cue_firsts}])"
        return re.compile(gate + "(?:" + "|".join(alternatives) + ")", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        spans = [char_span(doc, start, end, label=label) for label, start, end in self.find(doc)]
        for span in add_entities(doc, spans):
            span._.attrs = {}
        return doc

    def find(self, doc: Doc) -> List[Tuple[str, int, int]]:
        """Find URL, EMAIL and PHONE candidates.

        doc (Doc): The document (after layout analysis).
        RETURNS (List[Tuple[str, int, int]]): (label, raw start, raw end).
        """
        view = TextView.from_doc(doc)
        out: List[Tuple[str, int, int]] = []
        for m in self.compiled.finditer(view.match):
            group = m.lastgroup
            start, end = m.span(group)
            if group == "url":
                end = start + len(m.group(group).rstrip(URL_TRAILING))
                if "." not in view.match[start:end].split("//", 1)[-1]:
                    continue
            label = _LABELS[group]
            if end > start:
                rs, re_ = view.raw_span(start, end)
                out.append((label, rs, re_))
        return out


_LABELS: Dict[str, str] = {"email": "EMAIL", "url": "URL", "phone": "PHONE", "cued": "PHONE",
                           "quoted": "PHONE", "before": "PHONE",
                           "service": "PHONE"}
