"""Section segmentation against the gold files and on small texts."""

import pytest

from .conftest import norm


def test_heading_f1_and_kind_accuracy(seed_scores):
    assert seed_scores["headings"]["f1"] >= 0.97
    assert seed_scores["heading_kind_acc"] >= 0.95


def test_report_title(seed_docs):
    for raw, gold, doc in seed_docs.values():
        assert norm(doc._.report["title"]) == norm(gold["report"]["title"])


def test_sections_cover_heading_and_body(seed_docs):
    raw, gold, doc = seed_docs["002_f5b593b1beff7260"]
    sections = doc.spans["sections"]
    assert len(sections) == len(doc.spans["headings"])
    first = sections[0]
    assert first.text.startswith("一、工作概述")
    assert first._.kind == "overview"
    # a level-1 section runs to the next level-1 heading
    assert first.text.rstrip().endswith("逐项公开。")
    # a level-2 section ends before the next level-2 heading
    assert sections[1].text.startswith("（一）完善信息公开工作机制")
    assert "（二）" not in sections[1].text
    # spans are JSON-safe through their extension values
    assert all(isinstance(s._.level, int) for s in sections)


def _headings(nlp, text):
    doc = nlp(text)
    return [(h._.level, h._.number, h._.title, h._.kind) for h in doc.spans["headings"]]


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("一、概述\n学校坚持公开。\n（一）完善工作机制\n学校完善机制。",
     [(1, "一", "概述", "overview"), (2, "（一）", "完善工作机制", None)]),
    ("(一) 持续加大宣传培训力度\n通过开展多种形式的宣传。",
     [(2, "(一)", "持续加大宣传培训力度", None)]),
    ("（一）进一步提高政治站位。要深入学习贯彻党的二十大精神，坚持以习近平新时代中国特色社会主义思想为指导。",
     [(2, "（一）", "进一步提高政治站位", None)]),
    ("二、主动公开情况\n1. 招生信息的公开情况\n学校通过网站公开。\n2. 财务资产信息公开情况\n学校公开预算。",
     [(1, "二", "主动公开情况", "proactive"), (3, "1", "招生信息的公开情况", None),
      (3, "2", "财务资产信息公开情况", None)]),
    # a list whose second item is a whole sentence gives no heading at all
    ("二、主动公开情况\n1. 学校基本情况的信息。包括学校名称、办学地点等。\n2. 学校领导相片、姓名、简历及工作分工的信息。",
     [(1, "二", "主动公开情况", "proactive")]),
    ("三、依申请公开和不予公开情况\n学校未收到申请。", [(1, "三", "依申请公开和不予公开情况", "on_request")]),
    ("五、因学校信息公开工作受到举报、复议、诉讼的情况\n无。", [(1, "五", "因学校信息公开工作受到举报、复议、诉讼的情况", "complaints")]),
    ("附件：清单事项公开情况表", [(1, "", "附件：清单事项公开情况表", "checklist")]),
    ("附件：", [(1, "", "附件", None)]),
    ("二、信息公开情况\n学校公开。", [(1, "二", "信息公开情况", "proactive")]),
    ("（二）信息公开情况\n学校公开。", [(2, "（二）", "信息公开情况", None)]),
    ("（四）重点领域信息主动公开情况\n学校公开。", [(2, "（四）", "重点领域信息主动公开情况", "proactive")]),
    ("（三）招生信息公开情况\n学校公开。", [(2, "（三）", "招生信息公开情况", None)]),
    # table rows are never headings
    ("详见下表：\n序号\t网站名称\t数量\n1\t主页\t158\n2\t新闻网\t1000", []),
    ("2021-2022 学年，学校未收到申请。", []),
])
# fmt: on
def test_headings_on_small_texts(nlp, text, expected):
    assert _headings(nlp, text) == expected


def test_user_adds_numbering_scheme_and_kind(nlp):
    import xxgk_nlp

    custom = xxgk_nlp.load()
    sections = custom.get_pipe("xxgk_sections")
    text = "第一章 信息公开总体情况\n本章说明。"
    assert _headings(custom, text) == []
    sections.add_patterns([
        {"id": "chapter", "type": "heading", "level": 1, "always": True,
         "pattern": "^(?P<number>第[一二三四五六七八九十]{1,3}章)\\s*(?P<title>.+)$"},
    ])
    assert _headings(custom, text) == [(1, "第一章", "信息公开总体情况", "overview")]
    sections.add_patterns([{"id": "kind_platform", "type": "kind", "kind": "other", "phrase": "平台建设"}])
    assert custom.get_pipe("xxgk_sections").kind_of("政务公开平台建设", 1) == "other"


def test_bad_section_rule_is_rejected_with_the_key_named(nlp):
    sections = nlp.get_pipe("xxgk_sections")
    with pytest.raises(ValueError, match="unknown key 'levle'"):
        sections.add_patterns([{"type": "heading", "levle": 1, "pattern": "^(?P<number>x)(?P<title>.*)$"}])
    with pytest.raises(ValueError, match="groups"):
        sections.add_patterns([{"type": "heading", "level": 1, "pattern": "^一、(.*)$"}])


def test_ascii_half_parenthesis_items(nlp):
    text = "（二）重点领域信息公开\n1)招生考试信息\n学校公开招生章程。\n2)财务资产信息\n学校公开预算。"
    assert _headings(nlp, text) == [(2, "（二）", "重点领域信息公开", None), (4, "1)", "招生考试信息", None),
                                     (4, "2)", "财务资产信息", None)]
