"""xxgk-nlp: a spaCy pipeline for Chinese 信息公开工作年度报告.

    import xxgk_nlp
    nlp = xxgk_nlp.load()                 # style="university", offline
    doc = nlp(raw_text)
    xxgk_nlp.extract(raw_text)            # the JSON document of CONTRACT.md
"""
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Optional, Union

import spacy
from spacy.language import Language

from . import extensions  # noqa: F401
from . import (  # noqa: F401  (register the factories)
    channels, contacts, dates, doc_numbers, facts, layout, organizations, quantities, report,
    sections, tables, titles, tokenizer,
)
from .about import __version__
from .document import doc_to_dict
from .errors import Errors
from .styles import available_styles, register_style, style_path

__all__ = ["load", "extract", "available_styles", "register_style", "doc_to_dict",
           "__version__", "CONFIG_PATH"]

CONFIG_PATH = Path(str(resources.files("xxgk_nlp") / "config.cfg"))
MAX_LENGTH = 50_000_000


def load(
    style: str = "university",
    segmenter: str = "char",
    pkuseg_model: Optional[Union[str, Path]] = None,
    rules_dir: Optional[Union[str, Path]] = None,
) -> Language:
    """Build the xxgk-nlp pipeline for a report style.

    style (str): A style from `available_styles()` ("university", "government", …).
    segmenter (str): "char" (default, no download), "jieba" or "pkuseg".
    pkuseg_model (Optional[Union[str, Path]]): Local pkuseg model folder (segmenter "pkuseg").
    rules_dir (Optional[Union[str, Path]]): A folder of rule files added to the style's.
    RETURNS (Language): An initialized spaCy pipeline.
    """
    style_path(style)  # a clear error for an unknown style
    if segmenter not in tokenizer.SEGMENTERS:
        raise ValueError(Errors.E100.format(segmenter=segmenter))
    if segmenter == "pkuseg":
        tokenizer.check_pkuseg_model(None if pkuseg_model is None else str(pkuseg_model))
    if rules_dir is not None and not Path(rules_dir).is_dir():
        raise ValueError(Errors.E011.format(path=rules_dir))
    config = spacy.util.load_config(CONFIG_PATH)
    config["nlp"]["tokenizer"]["segmenter"] = segmenter
    for name in config["nlp"]["pipeline"]:
        component = config["components"][name]
        if "style" in component:
            component["style"] = style
            component["rules_dir"] = None if rules_dir is None else str(rules_dir)
    config["initialize"]["tokenizer"]["pkuseg_model"] = (
        None if pkuseg_model is None else str(pkuseg_model))
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    nlp.max_length = MAX_LENGTH
    return nlp


@lru_cache(maxsize=8)
def _cached(style: str) -> Language:
    return load(style=style)


def extract(raw_text: str, style: str = "university", source: Optional[str] = None) -> Dict[str, Any]:
    """Process raw report text and return the JSON document of CONTRACT.md.

    raw_text (str): Text as extracted from PDF/DOCX/HTML.
    style (str): The report style.
    source (Optional[str]): The input path, recorded in the document.
    RETURNS (Dict[str, Any]): The `xxgk-nlp/1` document.
    """
    if not isinstance(raw_text, str):
        raise TypeError(Errors.E104.format(type=type(raw_text).__name__))
    style_path(style)  # a clear error for a wrong type or an unknown style
    nlp = _cached(style)
    return doc_to_dict(nlp(raw_text), style=style, source=source)
