"""Template tables: placeholder until the government style lands (passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_tables",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_tables(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                rules_mode: str) -> "TableReader":
    """Create the xxgk_tables component."""
    return TableReader(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class TableReader(RuleComponent):
    """Placeholder for template-table indicators; sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
