"""Layout analysis: raw text is never changed, soft breaks and stray spaces go."""
import random

import pytest

from xxgk_nlp.layout import TextView, fold

from .conftest import norm


def test_doc_text_is_raw(seed_docs):
    for raw, _, doc in seed_docs.values():
        assert doc.text == raw


def test_gold_entities_not_broken_in_clean_text(seed_docs):
    for doc_id, (raw, gold, doc) in seed_docs.items():
        view = TextView.from_doc(doc)
        for ent in gold["entities"]:
            start, end = view.clean_span(ent["raw_start"], ent["raw_end"])
            piece = view.clean[start:end]
            assert "\n" not in piece, (doc_id, ent["text"], piece)
            assert norm(piece) == norm(ent["text"]), (doc_id, ent["text"], piece)


def test_headings_start_paragraphs(seed_docs):
    for doc_id, (raw, gold, doc) in seed_docs.items():
        view = TextView.from_doc(doc)
        starts = {start for start, _, _ in view.iter_paragraphs()}
        for heading in gold["headings"]:
            clean_start, _ = view.clean_span(heading["raw_start"], heading["raw_end"])
            assert clean_start in starts, (doc_id, heading["title"])


def test_heading_span_clean_text_is_gold_title(seed_docs):
    for doc_id, (raw, gold, doc) in seed_docs.items():
        got = [(h._.level, h._.clean_text) for h in doc.spans["headings"]]
        want = [(h["level"], norm(h["title"])) for h in gold["headings"]]
        assert [(lvl, norm(t)) for lvl, t in got] == want, doc_id


# fmt: off
@pytest.mark.parametrize("raw,clean", [
    ("进一步加强学校信息公开工作，不断强化信息公开领\n\n导小组的统筹领导能力，强化对信息公开工作的监\n\n督指导力度。", "进一步加强学校信息公开工作，不断强化信息公开领导小组的统筹领导能力，强化对信息公开工作的监督指导力度。"),
    ("学校深入贯彻落实党中央、国务院关于政务公开工作的决策部署和教育部推进教育公开的总体安\n\n排，把信息公开作为依法治校的重要抓手。", "学校深入贯彻落实党中央、国务院关于政务公开工作的决策部署和教育部推进教育公开的总体安排，把信息公开作为依法治校的重要抓手。"),
    ("根据《高等学校信息公开办法》（教育部令第 29 号）", "根据《高等学校信息公开办法》（教育部令第29号）"),
    ("年度发布官微推文 370 篇，其中 10 万+推送 14 个。", "年度发布官微推文370篇，其中10万+推送14个。"),
    ("Fund Raising 2022 2023 OA 办公系统", "Fund Raising 2022 2023 OA办公系统"),
    ("[bookmark: _GoBack]2017~2018学年度，学校公开。", "2017~2018学年度，学校公开。"),
    ("第一段到此结束。\n二、主动公开情况\n学校主动公开。", "第一段到此结束。\n二、主动公开情况\n学校主动公开。"),
    ("学校信息公开工作持续推进，进一步完善制度，\n- 3 -\n强化监督检查。", "学校信息公开工作持续推进，进一步完善制度，强化监督检查。"),
    ("序号\t网站名称\t数量\n1\t主页\t158\n\t总计\t\t158", "序号\t网站名称\t数量\n1\t主页\t158\n总计\t\t158"),
    ("长春理工大学\n2022年10月30日", "长春理工大学\n2022年10月30日"),
    ("发布时间:2023-10-30  来源:党政办公室  浏览次数:1208\n\n根据《高等学校信息公开办法》要求编制本报告。",
     "发布时间:2023-10-30\t来源:党政办公室\t浏览次数:1208\n根据《高等学校信息公开办法》要求编制本报告。"),
    ("学校\u3000信息公开\u200b工作", "学校信息公开工作"),
    ("", ""),
    ("   \n\n\t  ", ""),
])
# fmt: on
def test_clean_text(nlp, raw, clean):
    doc = nlp(raw)
    assert doc.text == raw
    assert doc._.clean_text == clean


def test_wrapped_heading_lines_stay_apart(nlp):
    raw = "（一）完善信息公开工作机制\n学校充分认识到信息公开工作的重要性。\n1. 招生信息的公开情况\n学校通过门户网站公开。"
    doc = nlp(raw)
    assert doc._.clean_text.split("\n") == [
        "（一）完善信息公开工作机制", "学校充分认识到信息公开工作的重要性。",
        "1.招生信息的公开情况", "学校通过门户网站公开。"]


def test_table_paragraphs(nlp):
    doc = nlp("详见下表：\n序号\t网站名称\t数量\n1\t主页\t158\n2.主动公开信息内容")
    kinds = [kind for _, _, kind in TextView.from_doc(doc).iter_paragraphs()]
    assert kinds == ["text", "table", "table", "text"]


def test_fullwidth_digits_folded_for_matching_only(nlp):
    doc = nlp("共计１２３条")
    view = TextView.from_doc(doc)
    assert view.clean == "共计１２３条"
    assert view.match == "共计123条"
    assert fold("ＡＢ１２") == "AB12"


def test_offset_maps_round_trip(nlp, seed_docs):
    rng = random.Random(7)
    for raw, _, doc in seed_docs.values():
        view = TextView.from_doc(doc)
        for _ in range(200):
            a = rng.randrange(0, len(view.clean))
            b = rng.randrange(a, min(len(view.clean), a + 40) + 1)
            rs, re_ = view.raw_span(a, b)
            # the raw range holds exactly the clean characters, plus dropped whitespace
            assert norm(raw[rs:re_]) == norm(view.clean[a:b]) or "[bookmark" in raw[rs:re_]
            assert view.clean_span(rs, re_) == (a, b) or not view.clean[a:b].strip()
