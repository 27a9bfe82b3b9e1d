"""DATE and PERIOD: placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_dates",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_dates(nlp: Language, name: str, style: str, rules_dir: Optional[str],
               rules_mode: str) -> "DateRecognizer":
    """Create the xxgk_dates component."""
    return DateRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class DateRecognizer(RuleComponent):
    """Placeholder for DATE and PERIOD; sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
