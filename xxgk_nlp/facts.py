"""facts (doc._.facts): placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_facts",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_facts(nlp: Language, name: str, style: str, rules_dir: Optional[str],
               rules_mode: str) -> "FactBuilder":
    """Create the xxgk_facts component."""
    return FactBuilder(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class FactBuilder(RuleComponent):
    """Placeholder for facts (doc._.facts); sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
