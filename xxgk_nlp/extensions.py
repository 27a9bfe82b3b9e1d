"""All custom attributes (`._.`) of xxgk-nlp, registered in one place.

Values are JSON-safe (str, int, float, None, lists, dicts) so that DocBin and
`nlp.pipe(n_process=...)` carry them.
"""
import weakref
from typing import Any, Dict, Iterable, Tuple

from spacy.tokens import Doc, Span

_REGISTERED = False
# Doc.text is rebuilt from the tokens on every access (one Python object per
# token: slower than tokenizing). The text never changes, so it is kept here
# once per Doc, weakly: the entry goes with the Doc.
_DOC_TEXT: "weakref.WeakKeyDictionary[Doc, str]" = weakref.WeakKeyDictionary()


def remember_text(doc: Doc, text: str) -> None:
    """Record the text a Doc was made from (the tokenizer calls this).

    doc (Doc): The new Doc.
    text (str): Its text, equal to `doc.text`.
    """
    _DOC_TEXT[doc] = text


def doc_text(doc: Doc) -> str:
    """`doc.text`, built at most once per Doc.

    doc (Doc): The document.
    RETURNS (str): The raw text.
    """
    text = _DOC_TEXT.get(doc)
    if text is None:
        text = _DOC_TEXT[doc] = doc.text
    return text


def _plain(name: str) -> bool:
    """Whether a span extension keeps its values in `doc.user_data` (no getter,
    setter or method): then spaCy stores them under ("._.", name, start_char,
    end_char), the key `DocBin` and `Doc.from_docs` also rely on."""
    _, method, getter, setter = Span.get_extension(name)
    return not (method or getter or setter)


def span_value(doc: Doc, name: str, start: int, end: int) -> Any:
    """`span._.<name>` of the span at character offsets [start, end), without
    building the Span and its Underscore object (for plain extensions).

    doc (Doc): The document.
    name (str): A span extension registered here.
    start (int): Start character offset.
    end (int): End character offset.
    RETURNS (Any): The value, None when unset.
    """
    if _plain(name):
        return doc.user_data.get(("._.", name, start, end))
    span = doc.char_span(start, end)
    return getattr(span._, name) if span is not None else None


def set_span_values(doc: Doc, name: str, items: Iterable[Tuple[int, int, Any]]) -> None:
    """Set `span._.<name>` for many spans at once, from (start_char, end_char,
    value) triples (one dict write each for plain extensions).

    doc (Doc): The document.
    name (str): A span extension registered here.
    items (Iterable[Tuple[int, int, Any]]): The offsets and values.
    """
    if _plain(name):
        user_data = doc.user_data
        for start, end, value in items:
            user_data[("._.", name, start, end)] = value
        return
    for start, end, value in items:
        setattr(doc.char_span(start, end, alignment_mode="expand")._, name, value)


def set_span_fields(doc: Doc, start: int, end: int, values: Dict[str, Any]) -> None:
    """Set several extensions of one span at once: `span._.<name> = value` for
    each item of `values`, for the span at character offsets [start, end).

    doc (Doc): The document.
    start (int): Start character offset.
    end (int): End character offset.
    values (Dict[str, Any]): Extension names and their values.
    """
    for name, value in values.items():
        set_span_values(doc, name, ((start, end, value),))


def doc_value(doc: Doc, name: str) -> Any:
    """`doc._.<name>` of a plain Doc extension, read where spaCy keeps it
    (each `doc._` builds an Underscore object).

    doc (Doc): The document.
    name (str): A Doc extension registered here.
    RETURNS (Any): The value, None when unset.
    """
    _, method, getter, setter = Doc.get_extension(name)
    if method or getter or setter:
        return getattr(doc._, name)
    return doc.user_data.get(("._.", name, None, None))


def _span_clean_text(span: Span) -> str:
    from .layout import TextView

    return TextView.from_doc(span.doc).clean_text(span.start_char, span.end_char)


def _span_heading(span: Span):
    """The nearest heading before the span (a getter, derived from span order)."""
    best = None
    for heading in span.doc.spans.get("headings", []):
        if heading.start_char <= span.start_char:
            best = heading
        else:
            break
    return best


def register_extensions() -> None:
    """Register every extension attribute (idempotent)."""
    global _REGISTERED
    if _REGISTERED:
        return
    # Doc
    Doc.set_extension("clean_text", default=None, force=True)
    Doc.set_extension("xxgk_layout", default=None, force=True)
    Doc.set_extension("report", default=None, force=True)
    Doc.set_extension("facts", default=None, force=True)
    # Span
    Span.set_extension("attrs", default=None, force=True)
    Span.set_extension("clean_text", getter=_span_clean_text, force=True)
    Span.set_extension("level", default=None, force=True)
    Span.set_extension("number", default=None, force=True)
    Span.set_extension("title", default=None, force=True)
    Span.set_extension("kind", default=None, force=True)
    Span.set_extension("heading", getter=_span_heading, force=True)
    _REGISTERED = True


register_extensions()
