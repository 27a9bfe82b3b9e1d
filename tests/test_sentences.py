"""sentences: the batch offset maps and indexes of the roll-up components."""
from xxgk_nlp.layout import TextView
from xxgk_nlp.sentences import OffsetMap

from .conftest import gold_documents


def test_raw_spans_equal_raw_span_of_each_range(nlp):
    _, raw, _ = gold_documents("university")[0]
    wrapped = "\n".join(raw[i:i + 37] for i in range(0, len(raw), 37))  # hard-wrapped
    for text in (raw, wrapped):
        doc = nlp(text)
        view = TextView.from_doc(doc)
        n = len(view.match)
        for step in (1, 3, 50, 700):
            ranges = [(a, min(n, a + 1 + a % 5)) for a in range(0, n, step + 5)]
            ranges = [(a, b) for (a, b), nxt in zip(ranges, ranges[1:] + [(n, n)]) if b <= nxt[0]]
            starts, ends = OffsetMap(doc, view).raw_spans(ranges)
            assert list(zip(starts, ends)) == [view.raw_span(a, b) for a, b in ranges]
