"""Plain-offset indexes of a Doc for the roll-up components (`xxgk_report`,
`xxgk_facts`): its entities, its sections, sentence ranges, and batch maps
between clean and raw offsets.

`doc.ents` builds a Span per entity on every access and each `span._.x` read
builds an Underscore object; these indexes read each value once into lists.
"""
import bisect
import itertools
import operator
import re
from typing import Any, Dict, List, Sequence, Tuple

from spacy.tokens import Doc

from .extensions import _plain, span_value
from .layout import TextView

Range = Tuple[int, int]
_SPACES = re.compile(r"\s+")


def without_spaces(text: str) -> str:
    """The text without whitespace characters (what `_SPACES.sub("", text)` gives)."""
    # every whitespace character but " " is unprintable: two C scans tell
    # that most texts have none
    if text.isprintable() and " " not in text:
        return text
    return _SPACES.sub("", text)


class Entities:
    """The entities of a Doc as parallel lists, in document order.

    starts, ends (List[int]): Raw character offsets.
    labels (List[str]): Entity labels.
    """

    __slots__ = ("doc", "starts", "ends", "labels", "_get")

    def __init__(self, doc: Doc) -> None:
        ents = doc.ents  # builds every Span: read once
        self.doc = doc
        self.starts = [e.start_char for e in ents]
        self.ends = [e.end_char for e in ents]
        self.labels = [e.label_ for e in ents]
        # plain `attrs` values are read from user_data directly
        self._get = doc.user_data.get if _plain("attrs") else None

    def __len__(self) -> int:
        return len(self.starts)

    def with_label(self, label: str) -> List[int]:
        """Indices of the entities with a label, in order."""
        same = map(operator.eq, self.labels, itertools.repeat(label))
        return list(itertools.compress(range(len(self.labels)), same))

    def attrs(self, i: int) -> Dict[str, Any]:
        """`span._.attrs` of entity i, {} when unset."""
        if self._get is not None:
            return self._get(("._.", "attrs", self.starts[i], self.ends[i])) or {}
        return span_value(self.doc, "attrs", self.starts[i], self.ends[i]) or {}

    def attrs_of(self, indices: Sequence[int]) -> List[Dict[str, Any]]:
        """`attrs(i)` of each entity index, in order (one check of how the
        extension is stored for all of them)."""
        get, starts, ends = self._get, self.starts, self.ends
        if get is None:
            return [self.attrs(i) for i in indices]
        return [get(("._.", "attrs", starts[i], ends[i])) or {} for i in indices]

    def clean_spans(self, offsets: "OffsetMap") -> Tuple[List[int], List[int]]:
        """Clean (starts, ends) of every entity: `view.clean_span` of each, in one pass."""
        return offsets.clean_spans(self.starts, self.ends)


def sections(doc: Doc) -> List[Tuple[int, int, int, str]]:
    """(raw start, raw end, level, kind) of the sections that have a kind, in span order.

    doc (Doc): The document (`doc.spans["sections"]`).
    RETURNS (List[Tuple[int, int, int, str]]): The sections; `level` 0 when unset.
    """
    out = []
    for span in doc.spans.get("sections", []):
        start, end = span.start_char, span.end_char
        kind = span_value(doc, "kind", start, end)
        if kind:
            out.append((start, end, span_value(doc, "level", start, end) or 0, kind))
    return out


def split(text: str, breaker, offset: int = 0) -> List[Range]:
    """The non-empty ranges of `text` between the matches of `breaker`.

    text (str): The text (the breaker sees it alone, as in `breaker.finditer(text)`).
    breaker (Optional[re.Pattern]): The break pattern; None gives the whole text.
    offset (int): Added to every offset (the position of `text` in a longer string).
    RETURNS (List[Tuple[int, int]]): (start, end) of every range.
    """
    if breaker is None:
        return [(offset, offset + len(text))]
    out, pos = [], 0
    for m in breaker.finditer(text):
        start = m.start()
        if start > pos:
            out.append((offset + pos, offset + start))
        pos = m.end()
    if pos < len(text):
        out.append((offset + pos, offset + len(text)))
    return out


class OffsetMap:
    """Batch maps between clean and raw offsets of a Doc.

    They compute what `TextView.raw_start`, `raw_end` and `clean_span` compute
    for one offset, for a whole ascending list: one walk over the segment map
    of the layout record (`doc._.xxgk_layout`) instead of a bisection per offset.
    """

    __slots__ = ("cs", "rs", "cl", "rl")

    def __init__(self, doc: Doc, view: TextView) -> None:
        layout = doc._.xxgk_layout
        if layout is None:  # the identity view of `TextView.from_doc`
            n = len(view.clean)
            self.cs, self.rs, self.cl, self.rl = [0], [0], [n], [n]
        else:
            self.cs, self.rs = layout["cs"], layout["rs"]
            self.cl, self.rl = layout["cl"], layout["rl"]

    def raw_spans(self, ranges: Sequence[Range]) -> Tuple[List[int], List[int]]:
        """`view.raw_span(a, b)` of ascending, non-empty, non-overlapping clean ranges.

        RETURNS (Tuple[List[int], List[int]]): The raw starts and the raw ends.
        """
        cs, rs, cl, rl = self.cs, self.rs, self.cl, self.rl
        last = len(cs) - 1
        starts, ends = [], []
        j = -1  # the last segment that starts at or before the offset
        # the segment of an offset is most often the one of the offset before
        # or the next: step, and bisect only for longer moves
        for a, b in ranges:
            if j < last and cs[j + 1] <= a:
                j += 1
                if j < last and cs[j + 1] <= a:
                    j = bisect.bisect_right(cs, a, j + 1) - 1
            if j < 0:
                starts.append(0)
            elif cl[j] == rl[j]:
                starts.append(rs[j] + (a - cs[j]))
            else:
                starts.append(rs[j])
            b -= 1  # the last character
            if j < last and cs[j + 1] <= b:
                j += 1
                if j < last and cs[j + 1] <= b:
                    j = bisect.bisect_right(cs, b, j + 1) - 1
            if cl[j] == rl[j]:
                ends.append(rs[j] + (b - cs[j]) + 1)
            else:
                ends.append(rs[j] + rl[j])
        return starts, ends

    def clean_spans(self, starts: Sequence[int], ends: Sequence[int]
                    ) -> Tuple[List[int], List[int]]:
        """`view.clean_span(start, end)` of ascending, non-overlapping raw ranges.

        RETURNS (Tuple[List[int], List[int]]): The clean starts and the clean ends.
        """
        cs, rs, cl, rl = self.cs, self.rs, self.cl, self.rl
        rs_end = rs + [float("inf")]  # a sentinel ends the walk
        out_starts, out_ends = [], []
        k = 0  # the number of segments starting before the offset
        for r, r_end in zip(starts, ends):
            while rs_end[k] < r:
                k += 1
            j = k - 1
            if j < 0:
                a = 0
            elif cl[j] == rl[j]:
                d = r - rs[j]
                a = cs[j] + (d if d < cl[j] else cl[j])
            else:
                a = cs[j] + cl[j]
            while rs_end[k] < r_end:
                k += 1
            j = k - 1
            if j < 0:
                b = 0
            elif cl[j] == rl[j]:
                d = r_end - rs[j]
                b = cs[j] + (d if d < cl[j] else cl[j])
            else:
                b = cs[j] + cl[j]
            out_starts.append(a)
            out_ends.append(b if b > a else a)
        return out_starts, out_ends
