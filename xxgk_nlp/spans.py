"""Helpers that turn character offsets into spans, whatever the segmenter.

A rule matches on characters; with jieba or pkuseg a boundary may fall inside a
token. `char_span` then splits that token (spaCy's retokenizer) and re-creates
the spans of `doc.spans` from their character offsets, so results never depend
on the segmenter.
"""
import weakref
from typing import Iterable, List, Optional, Tuple

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
    n = len(doc)
    # spaCy's prioritize_existing_ents_filter, on a byte mask of the tokens
    # inside entities instead of Token objects and a set (same order, same result)
    tagged = _TAGGED.get(doc) == n
    fresh = not tagged and not doc.has_annotation("ENT_IOB")
    if fresh:
        types = None
        seen = bytearray(n)
    else:
        # inside an entity exactly when a token has an entity type (set_ents
        # clears the type of O, missing and blocked tokens): one array read,
        # where doc.ents would build a Span per entity
        types = doc.to_array(ENT_TYPE)
        seen = bytearray(types.astype(bool).tobytes())
    before = bytes(seen)
    # token offsets and label ids: the same identity as character offsets and
    # label names (tokens are never empty), read once per span
    keys = [(s.start, s.end, s.label) for s in spans]
    new, added, rejected = [], set(), []
    # longest first, then earliest, then in the given order
    for _, start, i in sorted([(a - b, a, i) for i, (a, b, _) in enumerate(keys)]):
        end, label = keys[i][1], keys[i][2]
        if 1 in seen[start:end]:
            rejected.append(keys[i])
            continue
        seen[start:end] = b"\x01" * (end - start)
        if label:
            new.append(spans[i])
            added.add(keys[i])
    inside = [key for key in rejected if 0 not in before[key[0]:key[1]]]
    if inside:
        # a candidate equal to an entity already there counts as added
        added.update(_existing(doc, types, inside))
    # Same result as `doc.ents = merged`, without set_ents' per-token Python
    # loop: the first write marks every token O in one array call, after
    # which only the new spans need writing.
    if fresh:
        doc.from_array([ENT_IOB], numpy.full((n, 1), 2, dtype="uint64"))
        _TAGGED[doc] = n
        doc.set_ents(new, default="unmodified")
    else:
        # every token tagged: known when this function tagged them (a full
        # check reads every token, more than the rest of this function)
        complete = tagged or doc.has_annotation("ENT_IOB", require_complete=True)
        doc.set_ents(new, default="unmodified" if complete else "outside")
    return [span for span, key in zip(spans, keys) if key in added]


def _existing(doc: Doc, types, keys: List[Tuple[int, int, int]]) -> List[Tuple[int, int, int]]:
    """The (start, end, label) keys that are entities of `doc`, read from the
    token IOB codes as `doc.ents` reads them: a B token with a type starts an
    entity of that label, and the I tokens after it continue it."""
    iob = doc.to_array(ENT_IOB)
    n = len(iob)
    found = []
    for key in keys:
        start, end, label = key
        if (iob[start] == 3 and types[start] == label and label
                and (iob[start + 1:end] == 1).all() and (end == n or iob[end] != 1)):
            found.append(key)
    return found
