"""The xxgk tokenizer: fast char path, clear errors, pkuseg from a local model."""
import random

import pytest
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces

import xxgk_nlp
from xxgk_nlp.tokenizer import char_words

SAMPLE = ("一、信息公开工作概述\n学校信息公开领导小组 2022-2023 学年发布《高等学校信息公开办法》"
          "（教育部令第 29 号），公开信息 84 条，官方微博粉丝数 124 万。\n")


# fmt: off
@pytest.mark.parametrize("text", [
    "学校 信息公开\n\n领导小组  abc 2022年", " a", "  ", "a ", "a \n b", "", "\t\tx  ",
    "x \u3000y", "共计１２３条", "a\u00a0b", SAMPLE,
])
# fmt: on
def test_char_words_match_spacy(text):
    assert char_words(text) == get_words_and_spaces(list(text), text)


def test_char_tokenizer_matches_blank_zh(blank_zh, nlp):
    assert [t.text for t in nlp.make_doc(SAMPLE)] == [t.text for t in blank_zh(SAMPLE)]


LEX_ATTRS = ("text_with_ws", "idx", "orth", "is_alpha", "is_digit", "like_num", "is_punct",
             "is_space", "shape_", "lower_")


@pytest.mark.parametrize("text", [SAMPLE, "Ａ１２ｂ\u3000\t\n𠀀龘 x", "\x00\x85\u2028end"])
def test_char_tokens_made_from_string_ids_equal_tokens_made_from_strings(blank_zh, nlp, text):
    words, spaces = char_words(text)
    expected = Doc(blank_zh.vocab, words=words, spaces=spaces)
    for _ in range(2):  # the second time from remembered ids
        doc = nlp.make_doc(text)
        assert doc.text == text
        assert [[getattr(t, a) for a in LEX_ATTRS] for t in doc] == \
            [[getattr(t, a) for a in LEX_ATTRS] for t in expected]


WHITESPACE_MIX = " \u3000\t\n\r\x0b\x0c\x1c\x85\xa0\u2028学年2０aＡ。𠀀"


@pytest.mark.parametrize("seed", range(200))
def test_char_tokens_equal_spacys_alignment_on_whitespace_mixes(blank_zh, nlp, seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(WHITESPACE_MIX) for _ in range(rng.randrange(0, 40)))
    words, spaces = get_words_and_spaces(list(text), text)
    doc = nlp.make_doc(text)
    assert [(t.text, bool(t.whitespace_)) for t in doc] == list(zip(words, spaces))


def test_char_tokenizer_inside_a_memory_zone(nlp):
    with nlp.memory_zone():
        inside = [t.text for t in nlp.make_doc("新见字𪚥𪚥 乙")]
    # characters first seen inside the zone were not remembered: still valid after it
    assert [t.text for t in nlp.make_doc("新见字𪚥𪚥 乙")] == inside == ["新", "见", "字", "𪚥", "𪚥", "乙"]


def test_unknown_segmenter():
    with pytest.raises(ValueError, match="E100"):
        xxgk_nlp.load(segmenter="thulac")


@pytest.mark.parametrize("model", [None, "mixed", "spacy_ontonotes"])
def test_pkuseg_needs_a_local_model_and_never_downloads(model):
    with pytest.raises(ValueError, match="E101.*local model directory"):
        xxgk_nlp.load(segmenter="pkuseg", pkuseg_model=model)


def test_pkuseg_model_folder_must_be_complete(tmp_path):
    (tmp_path / "features.msgpack").write_bytes(b"")
    with pytest.raises(ValueError, match="E102.*weights.npz"):
        xxgk_nlp.load(segmenter="pkuseg", pkuseg_model=tmp_path)


def test_bytes_input_is_a_type_error(nlp):
    with pytest.raises(TypeError, match="E104"):
        nlp.make_doc(b"\xe5\xad\xa6")
    with pytest.raises(TypeError, match="E104"):
        xxgk_nlp.extract(b"\xe5\xad\xa6")


def _result(nlp, text):
    doc = nlp(text)
    return ([(h.start_char, h.end_char, h._.level, h._.title, h._.kind) for h in doc.spans["headings"]],
            [(e.start_char, e.end_char, e.label_, e._.attrs) for e in doc.ents],
            doc._.clean_text)


@pytest.mark.slow
def test_pkuseg_segmenter_gives_identical_results(pkuseg_model, nlp, seeds):
    pku = xxgk_nlp.load(segmenter="pkuseg", pkuseg_model=pkuseg_model)
    assert any(len(t.text) > 1 for t in pku(SAMPLE))  # it really segments words
    for _, raw, _ in seeds[:3]:
        assert _result(pku, raw) == _result(nlp, raw)


def test_jieba_segmenter_gives_identical_results(nlp, seeds):
    pytest.importorskip("jieba")
    jb = xxgk_nlp.load(segmenter="jieba")
    for _, raw, _ in seeds[:2]:
        assert _result(jb, raw) == _result(nlp, raw)


@pytest.mark.slow
def test_pkuseg_pipeline_saves_its_model(pkuseg_model, tmp_path):
    import spacy

    pku = xxgk_nlp.load(segmenter="pkuseg", pkuseg_model=pkuseg_model)
    pku.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "tokenizer").exists()
    reloaded = spacy.load(tmp_path / "pipe")
    assert [t.text for t in reloaded(SAMPLE)] == [t.text for t in pku(SAMPLE)]
