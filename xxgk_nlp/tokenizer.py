"""The `xxgk.Tokenizer.v1` tokenizer: spaCy's Chinese tokenizer with a fast
character path, argument checks, and a pkuseg path that never downloads.

Entity, section and number results never depend on the segmenter: components
work on character offsets and split a token when a span boundary falls inside it
(see `spans.char_span`).
"""
import re
from pathlib import Path
from typing import Callable, Dict, List, Optional, Union

import numpy

from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.strings import StringStore
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .errors import Errors
from .extensions import remember_text

SEGMENTERS = ("char", "jieba", "pkuseg")
_WHITESPACE = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BMP = 0x10000
_MAX_ORTHS = 200_000  # remembered character ids (more than Unicode's CJK blocks)


@registry.tokenizers("xxgk.Tokenizer.v1")
def create_tokenizer(segmenter: str = "char") -> Callable[[Language], "XxgkTokenizer"]:
    """Registered tokenizer factory.

    segmenter (str): "char" (default), "jieba" or "pkuseg" (model given at initialize).
    RETURNS (Callable[[Language], XxgkTokenizer]): The tokenizer factory.
    """

    def tokenizer_factory(nlp: Language) -> "XxgkTokenizer":
        return XxgkTokenizer(nlp.vocab, segmenter=segmenter)

    return tokenizer_factory


def char_words(text: str):
    """Split text into one token per non-space character, spaCy-style.

    A single space after a token becomes its trailing whitespace; any other
    whitespace run becomes a whitespace token.
    RETURNS (Tuple[List[str], List[bool]]): words and spaces.
    """
    words: List[str] = []
    spaces: List[bool] = []
    pos = 0
    for m in _WHITESPACE.finditer(text):
        start, end = m.span()
        if start > pos:
            words.extend(text[pos:start])
            spaces.extend([False] * (start - pos))
        ws = text[start:end]
        if ws[0] == " " and words and not words[-1].isspace() and not spaces[-1]:
            spaces[-1] = True
            ws = ws[1:]
        if ws:
            words.append(ws)
            spaces.append(False)
        pos = end
    if pos < len(text):
        words.extend(text[pos:])
        spaces.extend([False] * (len(text) - pos))
    return words, spaces


def check_pkuseg_model(pkuseg_model: Optional[str]) -> Path:
    """Check that a pkuseg model argument is a local model folder.

    pkuseg_model (Optional[str]): The folder path.
    RETURNS (Path): The folder.
    """
    if pkuseg_model is None or not Path(str(pkuseg_model)).is_dir():
        raise ValueError(Errors.E101.format(name=pkuseg_model))
    path = Path(str(pkuseg_model))
    has_features = (path / "features.msgpack").is_file() or (path / "features.pkl").is_file()
    missing = [n for n, ok in (("features.msgpack", has_features),
                               ("weights.npz", (path / "weights.npz").is_file())) if not ok]
    if missing:
        raise ValueError(Errors.E102.format(path=path, missing=" and ".join(missing)))
    return path


class XxgkTokenizer(ChineseTokenizer):
    """Chinese tokenizer: `char` (default, offline), `jieba`, or `pkuseg` with a
    local model folder. `doc.text` always equals the input.
    """

    def __init__(self, vocab: Vocab, segmenter: str = "char") -> None:
        segmenter = segmenter.value if isinstance(segmenter, Segmenter) else segmenter
        if segmenter not in SEGMENTERS:
            raise ValueError(Errors.E100.format(segmenter=segmenter))
        if segmenter == "jieba":
            try:
                import jieba  # noqa: F401
            except ImportError:
                raise ImportError(Errors.E103) from None
        super().__init__(vocab, segmenter=segmenter)
        self._orth_strings: Optional[StringStore] = None
        self._orth_ids: Dict[str, Union[int, str]] = {}
        self._orth_table = numpy.zeros(_BMP, dtype=numpy.uint64)

    def _char_ids(self) -> Dict[str, int]:
        """The remembered string id of each character seen outside a memory
        zone, for this vocab's string store (reset when the store changes);
        `_orth_table` holds the same ids by code point for the BMP."""
        strings = self.vocab.strings
        if self._orth_strings is not strings or len(self._orth_ids) > _MAX_ORTHS:
            self._orth_strings, self._orth_ids = strings, {}
            self._orth_table = numpy.zeros(_BMP, dtype=numpy.uint64)
        return self._orth_ids

    def _char_orths(self, text: str) -> List[Union[int, str]]:
        """The string id of each character of `text` (a string for a character
        first seen inside a memory zone)."""
        ids = self._char_ids()
        # one array lookup by code point: a dict lookup per character would
        # first make a str object for it
        points = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
        if points.size and points.max() < _BMP:
            orths = self._orth_table[points]
            if orths.all():  # no string has the id 0 but ""
                return orths.tolist()
        try:
            return list(map(ids.__getitem__, text))
        except KeyError:
            return self._learn(text, ids)

    def _char_doc(self, text: str) -> Doc:
        """`char_words(text)` as a Doc, made from string ids: `Doc` looks a given
        id up directly, where it hashes a given string again for every token
        (most of the time of making a Doc). Ids are remembered for strings
        added outside a memory zone (permanent there, as spaCy's own lexemes);
        inside one, unknown characters stay strings."""
        chars = self._char_orths(text)
        words: List[Union[int, str]] = []
        spaced: List[int] = []
        strings = self.vocab.strings
        pos = 0
        # whitespace runs are maximal, so a run always follows a character
        # token (or the start): a leading " " becomes that token's trailing space
        for m in _WHITESPACE.finditer(text):
            start, end = m.span()
            words += chars[pos:start]
            if start and text[start] == " ":
                spaced.append(len(words) - 1)
                start += 1
            if start < end:
                words.append(chars[start] if end - start == 1 else strings.add(text[start:end]))
            pos = end
        words += chars[pos:]
        spaces = [False] * len(words)
        for i in spaced:
            spaces[i] = True
        try:
            return Doc(self.vocab, words=words, spaces=spaces)
        except KeyError:  # the string store was reset under the remembered ids
            self._orth_strings = None
            return Doc(self.vocab, words=char_words(text)[0], spaces=spaces)

    def _learn(self, text: str, ids: Dict[str, int]) -> List[Union[int, str]]:
        """The id of each character of `text`, adding the new ones; inside a
        memory zone new characters are not remembered and stay strings."""
        if self.vocab.in_memory_zone:
            return [ids.get(c, c) for c in text]
        add, table = self.vocab.strings.add, self._orth_table
        for c in set(text).difference(ids):
            ids[c] = add(c)
            if ord(c) < _BMP:
                table[ord(c)] = ids[c]
        return list(map(ids.__getitem__, text))

    def initialize(self, get_examples=None, *, nlp=None, pkuseg_model=None,
                   pkuseg_user_dict="default"):
        """Load the pkuseg model from a local folder (only for segmenter "pkuseg")."""
        if self.segmenter == Segmenter.pkuseg:
            path = check_pkuseg_model(pkuseg_model)
            super().initialize(get_examples, nlp=nlp, pkuseg_model=str(path),
                               pkuseg_user_dict=pkuseg_user_dict)

    def __call__(self, text: str) -> Doc:
        if not isinstance(text, str):
            raise TypeError(Errors.E104.format(type=type(text).__name__))
        bad = _SURROGATE.search(text)
        if bad:
            raise ValueError(Errors.E107.format(n=len(_SURROGATE.findall(text)), offset=bad.start()))
        if self.segmenter == Segmenter.pkuseg and self.pkuseg_seg is None:
            raise ValueError(Errors.E106)
        if self.segmenter == Segmenter.char:
            doc = self._char_doc(text)
        else:
            doc = super().__call__(text)
        remember_text(doc, text)
        return doc
