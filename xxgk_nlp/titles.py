"""DOC_TITLE: titles in book-title marks (`《高等学校信息公开办法》`).

A title is a balanced `《…》` pair of the clean text (so a title wrapped over
two lines is one span). Inner marks (`〈…〉`, `<…>`, `＜…＞`, or a nested
`《…》`) stay inside the outermost title. A `《` that is never closed gives no
title. The scan is linear: `str.find` finds the marks, a stack pairs them.
"""
import re
from typing import Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .extensions import set_span_values
from .layout import TextView
from .rules import RuleComponent
from .spans import add_entities, char_span

LABEL = "DOC_TITLE"
OPEN_MARK = "《"
CLOSE_MARK = "》"
LINE_BREAKS = re.compile(r"[\r\n]+")


@Language.factory(
    "xxgk_titles",
    assigns=["doc.ents", "span._.attrs"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend",
                    "max_title_chars": 100},
)
def make_titles(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                rules_mode: str, max_title_chars: int) -> "TitleRecognizer":
    """Create the xxgk_titles component (see `TitleRecognizer`).

    max_title_chars (int): Longest inner text (clean characters) of a title; a
        longer `《…》` pair is taken for stray marks and gives no title.
    RETURNS (TitleRecognizer): The component.
    """
    return TitleRecognizer(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode,
                           max_title_chars=max_title_chars)


def find_titles(text: str, max_chars: int = 100) -> List[Tuple[int, int]]:
    """Find the outermost balanced `《…》` pairs of a text.

    text (str): The (clean) text.
    max_chars (int): Longest inner text of a title.
    RETURNS (List[Tuple[int, int]]): (start, end) offsets, `end` after the `》`,
        in text order, non-overlapping, with non-empty inner text.
    """
    opens = _positions(text, OPEN_MARK)
    if not opens:
        return []
    stack: List[int] = []
    pairs: List[Tuple[int, int]] = []
    next_open = 0
    for pos in _positions(text, CLOSE_MARK):
        while next_open < len(opens) and opens[next_open] < pos:
            stack.append(opens[next_open])
            next_open += 1
        if stack:
            start = stack.pop()
            if 0 < pos - start - 1 <= max_chars and text[start + 1:pos].strip():
                pairs.append((start, pos + 1))
    # Pairs from a stack nest or are disjoint: keep the outermost ones.
    pairs.sort(key=lambda p: (p[0], -p[1]))
    out: List[Tuple[int, int]] = []
    last_end = -1
    for start, end in pairs:
        if start >= last_end:
            out.append((start, end))
            last_end = end
    return out


def _positions(text: str, mark: str) -> List[int]:
    # str.find skips to the next mark much faster than a regex scan
    out = []
    pos = text.find(mark)
    while pos >= 0:
        out.append(pos)
        pos = text.find(mark, pos + 1)
    return out


class TitleRecognizer(RuleComponent):
    """Recognise DOC_TITLE entities (titles in book-title marks).

    Sets on the Doc: `doc.ents` (adds DOC_TITLE spans that overlap no existing
    entity), and on each of them `span._.attrs = {"title": inner clean text,
    "doc_number": None}` (`xxgk_doc_numbers` fills `doc_number` later).
    Rules: none (the marks are fixed by the guideline).
    """

    rule_files = ()

    def __init__(self, nlp: Language, name: str, *, max_title_chars: int = 100,
                 **kwargs) -> None:
        super().__init__(nlp, name, max_title_chars=max_title_chars, **kwargs)

    def __call__(self, doc: Doc) -> Doc:
        clean = doc._.clean_text
        if clean is not None and OPEN_MARK not in clean:
            return doc
        view = TextView.from_doc(doc)
        text = view.clean
        raw_start, raw_end = view.raw_start, view.raw_end
        titles: Dict[Tuple[int, int], str] = {}
        spans = []
        for start, end in find_titles(text, self.cfg["max_title_chars"]):
            span = char_span(doc, raw_start(start), raw_end(end), label=LABEL)
            if span is None:
                continue
            title = text[start + 1:end - 1]
            if "\n" in title or "\r" in title:
                title = LINE_BREAKS.sub("", title)
            titles[(span.start_char, span.end_char)] = title
            spans.append(span)
        set_span_values(doc, "attrs", ((s.start_char, s.end_char,
                                        {"title": titles[(s.start_char, s.end_char)], "doc_number": None})
                                       for s in add_entities(doc, spans)))
        return doc
