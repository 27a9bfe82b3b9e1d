"""INSTITUTION, AUTHORITY and DEPARTMENT: placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_organizations",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_organizations(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                       rules_mode: str) -> "OrganizationRecognizer":
    """Create the xxgk_organizations component."""
    return OrganizationRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class OrganizationRecognizer(RuleComponent):
    """Placeholder for INSTITUTION, AUTHORITY and DEPARTMENT; sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
