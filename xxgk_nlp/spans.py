"""Helpers that turn character offsets into spans, whatever the segmenter.

A rule matches on characters; with jieba or pkuseg a boundary may fall inside a
token. `char_span` then splits that token (spaCy's retokenizer) and re-creates
the spans of `doc.spans` from their character offsets, so results never depend
on the segmenter.
"""
import weakref
from typing import Iterable, List, Optional

import numpy

from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.tokens import Doc, Span


def _split_tokens_at(doc: Doc, offsets: Iterable[int]) -> bool:
    cuts = {}
    n = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0  # len(doc.text), cheaply
    for off in offsets:
        if off <= 0 or off >= n:
            continue
        tok_i = _token_at(doc, off)
        if tok_i is None:
            continue
        tok = doc[tok_i]
        rel = off - tok.idx
        if 0 < rel < len(tok.text):
            cuts.setdefault(tok.i, set()).add(rel)
    if not cuts:
        return False
    groups = {key: [(s.start_char, s.end_char, s.label_) for s in group]
              for key, group in doc.spans.items()}
    # the retokenizer keeps neither span groups nor the entity IOB of split
    # tokens reliably: both are re-created from their character offsets
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    with doc.retokenize() as retokenizer:
        for tok_i, rels in cuts.items():
            tok = doc[tok_i]
            points = [0] + sorted(rels) + [len(tok.text)]
            orths = [tok.text[a:b] for a, b in zip(points, points[1:])]
            heads = [(tok, 0)] * len(orths)
            retokenizer.split(tok, orths, heads=heads)
    for key, items in groups.items():
        doc.spans[key] = [doc.char_span(s, e, label=lab, alignment_mode="expand")
                          for s, e, lab in items]
    doc.ents = [doc.char_span(s, e, label=lab, alignment_mode="expand") for s, e, lab in ents]
    return True


def _token_at(doc: Doc, offset: int) -> Optional[int]:
    lo, hi = 0, len(doc) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        tok = doc[mid]
        if tok.idx + len(tok.text) <= offset:
            lo = mid + 1
        elif tok.idx > offset:
            hi = mid - 1
        else:
            return mid
    return None


def char_span(doc: Doc, start: int, end: int, label: str = "") -> Optional[Span]:
    """A span for exact character offsets, splitting tokens when needed.

    doc (Doc): The document.
    start (int): Start character offset in `doc.text`.
    end (int): End character offset.
    label (str): The span label.
    RETURNS (Optional[Span]): The span, or None for an empty or whitespace-only range.
    """
    if end <= start:
        return None
    span = doc.char_span(start, end, label=label)
    if span is None and _split_tokens_at(doc, (start, end)):
        span = doc.char_span(start, end, label=label)
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="contract")
    return span


# Docs whose every token this module gave an entity tag, with their length then
# (weak keys: the entry goes with the Doc).
_TAGGED: "weakref.WeakKeyDictionary[Doc, int]" = weakref.WeakKeyDictionary()


def add_entities(doc: Doc, spans: Iterable[Span]) -> List[Span]:
    """Add spans to `doc.ents`; existing entities win, then longer new spans.

    doc (Doc): The document.
    spans (Iterable[Span]): Candidate entity spans (may overlap each other).
    RETURNS (List[Span]): The candidates that were added.
    """
    spans = [s for s in spans if s is not None and len(s)]
    if not spans:
        return []
    # spaCy's prioritize_existing_ents_filter, on a byte mask of the tokens
    # inside entities instead of Token objects and a set (same order, same result)
    tagged = _TAGGED.get(doc) == len(doc)
    fresh = not tagged and not doc.has_annotation("ENT_IOB")
    if fresh:
        seen = bytearray(len(doc))
    else:
        # inside an entity exactly when a token has an entity type (set_ents
        # clears the type of O, missing and blocked tokens): one array read,
        # where doc.ents would build a Span per entity
        seen = bytearray((doc.to_array(ENT_TYPE) != 0).astype("uint8").tobytes())
    before = bytes(seen)
    new, rejected = [], []
    for span in sorted(spans, key=lambda s: (s.end - s.start, -s.start), reverse=True):
        if 1 in seen[span.start:span.end]:
            rejected.append(span)
            continue
        seen[span.start:span.end] = b"\x01" * (span.end - span.start)
        if span.label:
            new.append(span)
    added = {(s.start_char, s.end_char, s.label_) for s in new}
    if any(0 not in before[s.start:s.end] for s in rejected):
        # a candidate equal to an entity already there counts as added
        existing = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        added.update(key for key in ((s.start_char, s.end_char, s.label_) for s in rejected)
                     if key in existing)
    # Same result as `doc.ents = merged`, without set_ents' per-token Python
    # loop: the first write marks every token O in one array call, after
    # which only the new spans need writing.
    if fresh:
        doc.from_array([ENT_IOB], numpy.full((len(doc), 1), 2, dtype="uint64"))
        _TAGGED[doc] = len(doc)
        doc.set_ents(new, default="unmodified")
    else:
        # every token tagged: known when this function tagged them (a full
        # check reads every token, more than the rest of this function)
        complete = tagged or doc.has_annotation("ENT_IOB", require_complete=True)
        doc.set_ents(new, default="unmodified" if complete else "outside")
    return [s for s in spans if (s.start_char, s.end_char, s.label_) in added]
