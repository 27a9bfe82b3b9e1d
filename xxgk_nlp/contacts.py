"""URL, PHONE and EMAIL: placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_contacts",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_contacts(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                  rules_mode: str) -> "ContactRecognizer":
    """Create the xxgk_contacts component."""
    return ContactRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class ContactRecognizer(RuleComponent):
    """Placeholder for URL, PHONE and EMAIL; sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
