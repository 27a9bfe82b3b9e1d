"""DATE and PERIOD (xxgk_dates): seed reports against gold, small sentences, odd input."""

import pytest

from xxgk_nlp.dates import DateRecognizer

from .conftest import norm

LABELS = ("DATE", "PERIOD")


def _found(nlp, text):
    return [(e.label_, norm(e.text), e._.attrs) for e in nlp(text).ents if e.label_ in LABELS]


@pytest.mark.parametrize("label", LABELS)
def test_seed_f1(seed_scores, label):
    assert seed_scores["labels"][label]["f1"] >= 0.95


def test_seed_attributes(seed_results):
    checked = ok = 0
    for gold, doc in seed_results:
        predicted = {}
        for e in doc.ents:
            if e.label_ in LABELS:
                predicted.setdefault((e.label_, norm(e.text)), e._.attrs)
        for e in gold["entities"]:
            key = (e["label"], norm(e["text"]))
            if key in predicted:
                checked += 1
                ok += predicted[key] == e["attrs"]
    assert checked >= 50
    assert ok / checked >= 0.98


def test_seed_excerpt_signature_and_statistics_period(nlp):
    raw = ("本报告中所列数据的统计期限自2017年9月1日至2018年8月31日止。本报告电子版可以在"
           "信息公开网站阅读下载。\n\n北京科技大学\n2018年10月30日")
    assert _found(nlp, raw) == [
        ("PERIOD", "2017年9月1日至2018年8月31日",
         {"start": "2017-09-01", "end": "2018-08-31", "kind": "range"}),
        ("DATE", "2018年10月30日", {"iso": "2018-10-30"}),
    ]


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # DATE
    ("截至2018年8月31日，", [("DATE", "2018年8月31日", {"iso": "2018-08-31"})]),
    ("于 2022 年 4 月 19 日召开", [("DATE", "2022年4月19日", {"iso": "2022-04-19"})]),
    ("2022年4月，学校修订制度", [("DATE", "2022年4月", {"iso": "2022-04"})]),
    ("2022年，学校持续推进", [("DATE", "2022年", {"iso": "2022"})]),
    ("每年8月31日前发布", [("DATE", "8月31日", {"iso": "--08-31"})]),
    ("编制 2022 年度报告", [("DATE", "2022年度", {"iso": "2022"})]),
    ("参加教育部“2022 年高考网上咨询周”活动", [("DATE", "2022年", {"iso": "2022"})]),
    ("二〇二二年十月三十日", [("DATE", "二〇二二年十月三十日", {"iso": "2022-10-30"})]),
    ("发布时间：2022.10.30", [("DATE", "2022.10.30", {"iso": "2022-10-30"})]),
    ("更新于2023-03-05。", [("DATE", "2023-03-05", {"iso": "2023-03-05"})]),
    ("2022年13月", [("DATE", "2022年", {"iso": "2022"})]),
    # PERIOD
    ("北京理工大学 2022-2023 学年 信息公开工作报告",
     [("PERIOD", "2022-2023学年", {"start": "2022", "end": "2023", "kind": "academic_year"})]),
    ("2017~2018学年度", [("PERIOD", "2017~2018学年度",
                         {"start": "2017", "end": "2018", "kind": "academic_year"})]),
    ("2017～2018学年度", [("PERIOD", "2017～2018学年度",
                          {"start": "2017", "end": "2018", "kind": "academic_year"})]),
    ("哈尔滨工业大学2021-2022年度信息公开", [("PERIOD", "2021-2022年度",
                                     {"start": "2021", "end": "2022", "kind": "academic_year"})]),
    ("2019—2020学年", [("PERIOD", "2019—2020学年",
                      {"start": "2019", "end": "2020", "kind": "academic_year"})]),
    ("2021-2022 中明确要求", [("PERIOD", "2021-2022",
                          {"start": "2021", "end": "2022", "kind": "academic_year"})]),
    ("落实2020-2035规划目标", [("PERIOD", "2020-2035",
                          {"start": "2020", "end": "2035", "kind": "range"})]),
    ("2021-22学年", [("PERIOD", "2021-22学年",
                    {"start": "2021", "end": "2022", "kind": "academic_year"})]),
    ("统计时段为2017年9月1日至2018年8月31日。",
     [("PERIOD", "2017年9月1日至2018年8月31日",
       {"start": "2017-09-01", "end": "2018-08-31", "kind": "range"})]),
    ("2021 年 9 月 1 日-2022 年 8 月 31 日",
     [("PERIOD", "2021年9月1日-2022年8月31日",
       {"start": "2021-09-01", "end": "2022-08-31", "kind": "range"})]),
    ("时间为2020年9月1日起，至2021年8月31日",
     [("PERIOD", "2020年9月1日起，至2021年8月31日",
       {"start": "2020-09-01", "end": "2021-08-31", "kind": "range"})]),
    ("起止时间为2021年9月1日起至2022年8月31日",
     [("PERIOD", "2021年9月1日起至2022年8月31日",
       {"start": "2021-09-01", "end": "2022-08-31", "kind": "range"})]),
    ("2022年1月1日至12月31日", [("PERIOD", "2022年1月1日至12月31日",
                              {"start": "2022-01-01", "end": "2022-12-31", "kind": "range"})]),
    ("2022年1-6月", [("PERIOD", "2022年1-6月",
                    {"start": "2022-01", "end": "2022-06", "kind": "range"})]),
    ("2022.9.1-2023.8.31", [("PERIOD", "2022.9.1-2023.8.31",
                            {"start": "2022-09-01", "end": "2023-08-31", "kind": "range"})]),
    # a date range with an impossible order falls back to its dates
    ("2022年至2021年", [("DATE", "2022年", {"iso": "2022"}), ("DATE", "2021年", {"iso": "2021"})]),
    # negatives
    ("4 月", []),
    ("截至今年12月底", []),
    ("共2022人参加", []),
    ("编号 GB/T 1988-1998", []),
    ("《教育部2022年工作要点》", []),
    ("教办函〔2014〕23号", []),
    ("第2022-10号", []),
    ("请联系（010-62332317）", []),
    ("2022年32月40日", [("DATE", "2022年", {"iso": "2022"})]),
    ("单价1900-2000元", []),
    ("招收2000-2500人", []),
])
# fmt: on
def test_dates(nlp, text, expected):
    assert _found(nlp, text) == expected


def test_dates_inside_period_are_not_dates(nlp):
    doc = nlp("统计数据的起止时间为2021年9月1日起至2022年8月31日。")
    assert [e.label_ for e in doc.ents if e.label_ in LABELS] == ["PERIOD"]


def test_period_across_a_paragraph_break_left_by_layout(nlp):
    # a government seed: the PDF's blank line splits the range after "2022 年"
    raw = "本年度报告中使用数\n\n据统计期限为 2022 年 1 月 1 日至 2022 年 \n\n12 月 31 日。本报告电子版"
    assert _found(nlp, raw) == [("PERIOD", "2022年1月1日至2022年12月31日",
                                 {"start": "2022-01-01", "end": "2022-12-31", "kind": "range"})]


def test_attrs_are_json_safe(nlp):
    import json

    doc = nlp("2021-2022学年，2022年10月30日")
    for ent in doc.ents:
        json.dumps(ent._.attrs)


# fmt: off
@pytest.mark.parametrize("text", [
    "", "《" * 200_000, "1" * 10_000, "2021-" * 5_000, "2022年" * 5_000, "\x00" * 100,
    "2022年\x00 8月\x00", "月日年度学年至" * 1000, "一二三四五六七八九十" * 1000,
])
# fmt: on
def test_odd_input(nlp, text):
    doc = nlp.make_doc(text)
    doc = nlp.get_pipe("xxgk_layout")(doc)
    doc = nlp.get_pipe("xxgk_dates")(doc)
    assert doc.text == text


def test_user_rules_and_serialisation(nlp):
    component = nlp.get_pipe("xxgk_dates")
    assert isinstance(component, DateRecognizer)
    text = "2021年9月1日迄2022年8月31日"
    assert [e.label_ for e in nlp(text).ents] == ["DATE", "DATE"]
    component.add_patterns([{"id": "to_qi", "type": "range_connector", "phrase": "迄"}])
    try:
        assert [e.label_ for e in nlp(text).ents] == ["PERIOD"]
        restored = DateRecognizer(nlp, "copy").from_bytes(component.to_bytes())
        assert "to_qi" in restored.ids and len(restored) == len(component)
    finally:
        component.remove("to_qi")
    assert [e.label_ for e in nlp(text).ents] == ["DATE", "DATE"]


# fmt: off
@pytest.mark.parametrize("rule,key", [
    ({"type": "suffix", "phrase": "年"}, "type"),
    ({"type": "range_connector"}, "pattern"),
    ({"type": "range_connector", "pattern": "(至)"}, "pattern"),
    ({"type": "range_connector", "pattern": "[至"}, "pattern"),
    ({"type": "year_suffix", "phrase": "年", "label": "DATE"}, "label"),
])
# fmt: on
def test_invalid_rules_are_rejected(nlp, rule, key):
    with pytest.raises(ValueError, match=key):
        nlp.get_pipe("xxgk_dates").add_patterns([rule])


# fmt: off
@pytest.mark.parametrize("text,dates", [
    ("一、总体情况\n2.2023年，全县主动公开信息。\n3.2023年度政务公开工作要点。", ["2023年", "2023年度"]),
    ("版本号1988.2022年", []),
])
# fmt: on
def test_year_after_a_list_number(text, dates):
    import xxgk_nlp

    doc = xxgk_nlp.load()(text)
    assert [e._.clean_text for e in doc.ents if e.label_ == "DATE"] == dates
