"""DOC_TITLE: balanced book-title marks, nesting, line breaks, unbalanced input."""
import time
from collections import Counter

import pytest

import xxgk_nlp
from xxgk_nlp.titles import find_titles

from .conftest import gold_documents, norm


def _titles(nlp, text):
    doc = nlp(text)
    return [(norm(e.text), e._.attrs["title"]) for e in doc.ents if e.label_ == "DOC_TITLE"]


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("学校严格执行《高等学校信息公开办法》。",
     [("《高等学校信息公开办法》", "高等学校信息公开办法")]),
    ("《教育部关于公布〈高等学校信息公开事项清单〉的通知》要求",
     [("《教育部关于公布〈高等学校信息公开事项清单〉的通知》", "教育部关于公布〈高等学校信息公开事项清单〉的通知")]),
    ("《教育部关于公布<高等学校公开事项清单>的通知》",
     [("《教育部关于公布<高等学校公开事项清单>的通知》", "教育部关于公布<高等学校公开事项清单>的通知")]),
    ("《关于印发＜信息公开实施细则＞的通知》",
     [("《关于印发＜信息公开实施细则＞的通知》", "关于印发＜信息公开实施细则＞的通知")]),
    # a nested 《…》 stays inside the outermost title; the title attr is clean text (stray spaces out)
    ("《关于印发《学校信息公开指南》的通知》",
     [("《关于印发《学校信息公开指南》的通知》", "关于印发《学校信息公开指南》的通知")]),
    ("编印《北京科技大学年鉴（2017）》和《长春理工大学报》",
     [("《北京科技大学年鉴（2017）》", "北京科技大学年鉴（2017）"), ("《长春理工大学报》", "长春理工大学报")]),
    ("《哈尔滨工业大学校园发展总体规划 2020-2035》",
     [("《哈尔滨工业大学校园发展总体规划2020-2035》", "哈尔滨工业大学校园发展总体规划2020-2035")]),
    # unbalanced: an unclosed 《 gives nothing, complete titles after it still count
    ("《高等学校信息公开办法", []),
    ("依据《信息公开办法和《办法》执行", [("《办法》", "办法")]),
    ("高等学校信息公开办法》", []),
    ("《》", []),
    ("《 》", []),
    # a 》 far beyond the longest title does not close the 《
    ("《" + "很长的文字" * 30 + "》", []),
])
# fmt: on
def test_titles(nlp, text, expected):
    assert _titles(nlp, text) == expected


def test_title_across_line_breaks(nlp):
    text = ("根据《中共中央办公厅 国务院办公厅关于全面推进政务公开工作的意见》和《工\n"
            "业和信息化部政府信息公开工作办法》（工信厅办〔2019〕49 号）等文件，" * 3)
    doc = nlp(text)
    titles = [e for e in doc.ents if e.label_ == "DOC_TITLE"]
    assert len(titles) == 6
    assert titles[1]._.attrs["title"] == "工业和信息化部政府信息公开工作办法"
    assert "\n" in titles[1].text
    assert titles[1]._.attrs["doc_number"] == "工信厅办〔2019〕49号"
    assert titles[0]._.attrs["doc_number"] is None
    assert doc.text == text


def test_nothing_inside_a_title(nlp):
    doc = nlp("《2017年教代会提案工作报告》")
    assert [e.label_ for e in doc.ents] == ["DOC_TITLE"]
    assert doc.ents[0]._.attrs == {"title": "2017年教代会提案工作报告", "doc_number": None}


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("《a》《b》", [(0, 3), (3, 6)]),
    ("《a《b》c》", [(0, 7)]),
    ("《a《b》", [(2, 5)]),
    ("《a》b》", [(0, 3)]),
    ("》《", []),
    ("", []),
])
# fmt: on
def test_find_titles(text, expected):
    assert find_titles(text) == expected


def test_max_title_chars():
    assert find_titles("《" + "字" * 10 + "》", max_chars=10) == [(0, 12)]
    assert find_titles("《" + "字" * 11 + "》", max_chars=10) == []


# fmt: off
@pytest.mark.parametrize("text", [
    "《" * 200000,
    "》" * 200000,
    "《》" * 100000,
    "《a" * 100000 + "》" * 100000,
    "《\x00》《\ud800》",
])
# fmt: on
def test_linear_on_odd_input(text):
    begin = time.perf_counter()
    find_titles(text)
    assert time.perf_counter() - begin < 1.0


def test_pipeline_on_many_open_marks(nlp):
    text = "《" * 200000
    begin = time.perf_counter()
    doc = nlp(text)
    assert time.perf_counter() - begin < 10
    assert not [e for e in doc.ents if e.label_ == "DOC_TITLE"]


def test_seed_titles():
    nlp = xxgk_nlp.load()
    tp = n_pred = n_gold = 0
    for _, raw, gold in gold_documents():
        doc = nlp(raw)
        pred = Counter(norm(e.text) for e in doc.ents if e.label_ == "DOC_TITLE")
        want = Counter(norm(e["text"]) for e in gold["entities"] if e["label"] == "DOC_TITLE")
        tp += sum((pred & want).values())
        n_pred += sum(pred.values())
        n_gold += sum(want.values())
    precision, recall = tp / n_pred, tp / n_gold
    assert 2 * precision * recall / (precision + recall) >= 0.95


def test_config_and_serialisation(tmp_path):
    nlp = xxgk_nlp.load()
    component = nlp.get_pipe("xxgk_titles")
    assert component.cfg["max_title_chars"] == 100
    component.to_disk(tmp_path / "titles")
    component.cfg["max_title_chars"] = 5
    component.from_disk(tmp_path / "titles")
    assert component.cfg["max_title_chars"] == 100
