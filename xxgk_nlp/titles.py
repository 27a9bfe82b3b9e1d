"""DOC_TITLE (titles in book-title marks): placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_titles",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_titles(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                rules_mode: str) -> "TitleRecognizer":
    """Create the xxgk_titles component."""
    return TitleRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class TitleRecognizer(RuleComponent):
    """Placeholder for DOC_TITLE (titles in book-title marks); sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
