"""QUANTITY (numbers normalised with cn2an): placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_quantities",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_quantities(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                    rules_mode: str) -> "QuantityRecognizer":
    """Create the xxgk_quantities component."""
    return QuantityRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class QuantityRecognizer(RuleComponent):
    """Placeholder for QUANTITY (numbers normalised with cn2an); sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
