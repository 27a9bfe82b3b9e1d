"""the report record (doc._.report): placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_report",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_report(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                rules_mode: str) -> "ReportBuilder":
    """Create the xxgk_report component."""
    return ReportBuilder(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class ReportBuilder(RuleComponent):
    """Placeholder for the report record (doc._.report); sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
