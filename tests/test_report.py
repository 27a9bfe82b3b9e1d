"""The report record: title, institution, date, period, indicators, sections."""
import pytest

from xxgk_nlp.document import INDICATORS

from .conftest import doc_with_gold_entities, norm

KEYS = ("title", "institution", "date", "period", "sections_present", "sections_missing")


def _same(a, b):
    return norm(a) == norm(b) if isinstance(a, str) and isinstance(b, str) else a == b


def test_record_from_gold_spans_matches_gold(nlp, seeds):
    for doc_id, raw, gold in seeds:
        report = doc_with_gold_entities(nlp, raw, gold)._.report
        for key in KEYS:
            assert _same(report[key], gold["report"][key]), (doc_id, key)
        assert report["indicators"] == gold["report"]["indicators"], doc_id


def test_record_accuracy_on_the_seeds(seed_docs):
    ok = total = 0
    for doc_id, (raw, gold, doc) in seed_docs.items():
        report = doc._.report
        for key in ("title", "institution"):
            assert _same(report[key], gold["report"][key]), (doc_id, key)
        for key in ("start", "end"):
            assert report["period"][key] == gold["report"]["period"][key], (doc_id, key)
        for key, value in gold["report"]["indicators"].items():
            ok += report["indicators"].get(key) == value
            total += 1
    assert ok / total >= 0.95


# fmt: off
@pytest.mark.parametrize("text,indicators", [
    ("三、依申请公开和不予公开情况\n2022年，学校共收到信息公开申请12件，均已按时答复。\n"
     "五、因学校信息公开工作受到举报、复议、诉讼的情况\n本年度学校未收到举报，未发生行政复议、行政诉讼。",
     {"requests_received": 12, "complaints": 0, "administrative_reviews": 0, "lawsuits": 0}),
    ("三、依申请公开情况\n本年度未收到依申请公开的申请。\n四、举报情况\n学校未收到信息公开方面的举报。",
     {"requests_received": 0, "complaints": 0, "administrative_reviews": None, "lawsuits": None}),
    ("二、主动公开情况\n学校主动公开信息共计 1520 条。", {"proactive_total": 1520}),
    ("二、主动公开情况\n学校信息公开专栏全年更新信息 96 条。", {"proactive_total": 96}),
    ("二、主动公开情况\n本部主动公开信息1200条，分校主动公开信息300条。", {"proactive_total": None}),
    ("一、概述\n学校重视信息公开工作。", {"requests_received": None, "complaints": None}),
])
# fmt: on
def test_indicators_on_small_texts(nlp, text, indicators):
    doc = nlp(text)
    for key, value in indicators.items():
        assert doc._.report["indicators"][key] == value, key
    assert set(doc._.report["indicators"]) >= set(INDICATORS)


def test_sections_missing_follow_the_style_template(nlp):
    doc = nlp("一、工作概述\n正文。\n二、主动公开情况\n正文。\n三、其他需要报告的事项\n无。")
    assert doc._.report["sections_present"] == ["overview", "proactive", "other"]
    assert doc._.report["sections_missing"] == ["on_request", "evaluation", "complaints",
                                                "improvements", "checklist"]


def test_signature_date_and_title_year_period(nlp):
    doc = nlp("某某大学 2023 年信息公开工作报告\n一、工作概述\n学校坚持公开。\n某某大学\n2023年10月28日")
    assert doc._.report["date"] == "2023-10-28"
    assert doc._.report["period"] == {"start": "2023", "end": "2023", "kind": "range"}


# fmt: off
@pytest.mark.parametrize("text,title", [
    # a cover letter signed before the report: the signature does not join the title
    ("某某大学文件\n某大发〔2023〕18号\n某某大学关于报送2023年度信息公开工作报告的报告\n省教育厅：\n"
     "现将报告报送贵厅。\n附件：某某大学2023年度信息公开工作报告\n某某大学\n2023年10月31日\n"
     "某某大学2023年度信息公开工作报告\n一、概述\n学校坚持公开。", "某某大学2023年度信息公开工作报告"),
    # a PDF title line re-flowed into the first paragraph
    ("某某师范大学2022-2023学年信息公开工作年度报告根据《高等学校信息公开办法》要求，现将我校信息公开工作情况报告如下。\n"
     "一、概述\n学校坚持公开。", "某某师范大学2022-2023学年信息公开工作年度报告"),
])
# fmt: on
def test_report_title_forms(nlp, text, title):
    assert nlp(text)._.report["title"] == title


def test_merged_part_states_no_complaints(nlp):
    doc = nlp("三、依申请公开、举报和复议情况\n本学年学校共收到信息公开申请3件。"
              "学校未收到信息公开工作方面的举报，未发生行政复议。")
    indicators = doc._.report["indicators"]
    assert (indicators["requests_received"], indicators["complaints"],
            indicators["administrative_reviews"], indicators["lawsuits"]) == (3, 0, 0, None)


def test_year_month_signature_date(nlp):
    doc = nlp("某某大学2023年信息公开工作报告\n一、概述\n学校坚持公开。\n某某大学\n二〇二三年十月")
    assert doc._.report["date"] == "2023-10"


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # the stated total comes before its breakdown (其中 …)
    ("二、主动公开情况\n学校主动公开各类信息共计两千余条，其中信息公开网发布1284条。", 2000),
    ("二、主动公开情况\n主动公开信息共计1286条，其中规章制度类412条。", 1286),
    ("二、主动公开情况\n学校通过各渠道累计发布信息近万条，信息公开专栏发布1347条。", 10000),
])
# fmt: on
def test_proactive_total_forms(nlp, text, expected):
    assert nlp(text)._.report["indicators"]["proactive_total"] == expected


def test_period_in_brackets_after_this_year(nlp):
    doc = nlp("某某专科学校2022-2023学年信息公开工作报告\n一、概述\n本年度(2022.9.1—2023.8.31),学校坚持公开。")
    assert doc._.report["period"] == {"start": "2022-09-01", "end": "2023-08-31", "kind": "range"}


def test_signature_before_an_attached_table(nlp):
    rows = "\n".join(f"{i}\t类别{i}\t公开事项{i}\t党政办公室" for i in range(1, 12))
    doc = nlp("某某大学2023年信息公开工作报告\n一、概述\n学校坚持公开。\n某某大学\n2023年10月25日\n"
              f"附件：清单事项公开情况表\n序号\t类别\t公开事项\t负责部门\n{rows}")
    assert doc._.report["date"] == "2023-10-25"
