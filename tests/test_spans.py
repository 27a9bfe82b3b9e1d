"""spans.add_entities and spans.char_span: the entity merge every recognizer uses."""
import random

import pytest
from spacy.tokens import Doc, Span

from xxgk_nlp.spans import add_entities, char_span


@pytest.fixture
def doc(blank_zh):
    return blank_zh.make_doc("教育部令第29号公开信息84条")


def _ents(doc):
    return [(e.start, e.end, e.label_) for e in doc.ents]


def test_existing_entities_win_then_longer_then_earlier(doc):
    doc.ents = [Span(doc, 0, 3, label="AUTHORITY")]
    added = add_entities(doc, [Span(doc, 2, 8, label="DOC_NUMBER"),   # overlaps the entity
                               Span(doc, 3, 8, label="DOC_NUMBER"),
                               Span(doc, 5, 8, label="TITLE"),       # shorter, overlaps
                               Span(doc, 12, 14, label="QUANTITY"),
                               Span(doc, 13, 15, label="QUANTITY")])  # same length, later
    assert [(s.start, s.end, s.label_) for s in added] == [(3, 8, "DOC_NUMBER"), (12, 14, "QUANTITY")]
    assert _ents(doc) == [(0, 3, "AUTHORITY"), (3, 8, "DOC_NUMBER"), (12, 14, "QUANTITY")]


def test_a_candidate_equal_to_an_entity_counts_as_added(doc):
    add_entities(doc, [Span(doc, 0, 3, label="AUTHORITY")])
    same, inside, other_label = (Span(doc, 0, 3, label="AUTHORITY"), Span(doc, 0, 2, label="AUTHORITY"),
                                 Span(doc, 0, 3, label="ORG"))
    assert add_entities(doc, [same, inside, other_label]) == [same]
    assert _ents(doc) == [(0, 3, "AUTHORITY")]


def test_unlabelled_candidates_block_without_becoming_entities(doc):
    added = add_entities(doc, [Span(doc, 0, 8), Span(doc, 0, 3, label="AUTHORITY"),
                               Span(doc, 9, 11, label="QUANTITY")])
    assert [(s.start, s.end) for s in added] == [(9, 11)]
    assert _ents(doc) == [(9, 11, "QUANTITY")]


def test_tokens_outside_entities_become_o(doc):
    add_entities(doc, [Span(doc, 3, 8, label="DOC_NUMBER")])
    assert {t.ent_iob_ for t in doc} == {"B", "I", "O"}
    assert add_entities(doc, []) == [] and add_entities(doc, [None]) == []


def _reference(doc, candidates):
    """spaCy's own merge, spelled out: entities first, then candidates by length
    (longest first) and start; a candidate equal to an entity counts as added."""
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    existing = set(_ents(doc))
    kept = []
    for span in sorted(candidates, key=lambda s: (s.start - s.end, s.start)):
        if not taken.intersection(range(span.start, span.end)):
            taken.update(range(span.start, span.end))
            if span.label_:
                kept.append(span)
    keys = {(s.start, s.end, s.label_) for s in kept} | existing
    doc.ents = list(doc.ents) + kept
    return [s for s in candidates if (s.start, s.end, s.label_) in keys]


@pytest.mark.parametrize("seed", range(40))
def test_add_entities_equals_spacys_merge_on_random_docs(blank_zh, seed):
    rng = random.Random(seed)
    words = [chr(0x4E00 + rng.randrange(40)) for _ in range(rng.randrange(1, 30))]
    ours, theirs = (Doc(blank_zh.vocab, words=words) for _ in range(2))
    for _ in range(4):
        n = len(words)
        bounds = [(a, rng.randrange(a + 1, min(n, a + 6) + 1))
                  for a in (rng.randrange(n) for _ in range(rng.randrange(6)))]
        labels = [rng.choice(["ORG", "DATE", "TITLE", ""]) for _ in bounds]
        if rng.random() < 0.3:  # re-propose some entities already there
            bounds += [(e.start, e.end) for e in ours.ents][:2]
            labels += [e.label_ for e in ours.ents][:2]
        got = add_entities(ours, [Span(ours, a, b, label=l) for (a, b), l in zip(bounds, labels)])
        want = _reference(theirs, [Span(theirs, a, b, label=l) for (a, b), l in zip(bounds, labels)])
        assert [(s.start, s.end, s.label_) for s in got] == [(s.start, s.end, s.label_) for s in want]
        assert _ents(ours) == _ents(theirs)


def test_char_span_needs_exact_or_contracts_to_whole_tokens(blank_zh):
    doc = blank_zh.make_doc("共计 84 条")
    assert char_span(doc, 3, 5, "QUANTITY").text == "84"
    assert char_span(doc, 2, 6).text == "84"   # spaces at the edges: contracted
    assert char_span(doc, 4, 4) is None
