"""CHANNEL (disclosure channels): placeholder until its issue lands (it passes the Doc through)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc

from .rules import RuleComponent


@Language.factory(
    "xxgk_channels",
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend"},
)
def make_channels(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                  rules_mode: str) -> "ChannelRecognizer":
    """Create the xxgk_channels component."""
    return ChannelRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode)


class ChannelRecognizer(RuleComponent):
    """Placeholder for CHANNEL (disclosure channels); sets nothing yet."""

    rule_files = ()

    def __call__(self, doc: Doc) -> Doc:
        return doc
