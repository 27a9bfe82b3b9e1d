"""DOC_NUMBER (document and order numbers): placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_doc_numbers",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_doc_numbers(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                     rules_mode: str) -> "DocNumberRecognizer":
    """Create the xxgk_doc_numbers component."""
    return DocNumberRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class DocNumberRecognizer(RuleComponent):
    """Placeholder for DOC_NUMBER (document and order numbers); sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
