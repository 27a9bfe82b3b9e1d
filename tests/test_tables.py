"""xxgk_tables: the template tables of the government style, read from tab-,
space-separated and PDF-broken rows, with the totals check."""
import pytest

from xxgk_nlp.tables import NUMBER, TableReader, TableRule

from .conftest import gold_documents

GOV_SEEDS = gold_documents("government")
TABLE_KEYS = [
    "rules_made", "rules_repealed", "rules_in_force", "normative_docs_made",
    "normative_docs_repealed", "normative_docs_in_force", "licensing_decisions",
    "penalty_decisions", "coercion_decisions", "fees_amount", "procurement_items",
    "procurement_amount", "requests_received", "requests_carried_over", "results_disclosed",
    "results_partially_disclosed", "results_not_disclosed", "results_unable",
    "results_not_processed", "results_other", "results_total", "carried_forward",
    "reviews_upheld", "reviews_corrected", "reviews_other", "reviews_pending",
    "administrative_reviews", "lawsuits_direct", "lawsuits_after_review", "lawsuits",
]

# A small report whose three tables are printed in one of three layouts.
HEAD = "某县交通运输局2023年政府信息公开工作年度报告\n一、总体情况\n全年工作有序推进。\n"
TAIL = "五、存在的主要问题及改进情况\n问题不少，继续改进。\n"
T1_TAB = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
          "规章\t0\t0\t0\n行政规范性文件\t3\t1\t17\n第二十条第（五）项\n信息内容\t本年处理决定数量\n"
          "行政许可\t845\n第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t21\n行政强制\t0\n"
          "第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t12.5\n")
T1_SPACES = T1_TAB.replace("\t", "  ")
T1_PDF = ("二、主动公开政府信息情况 \n\n第二十条第（一）项 \n\n信息内容 本年制发件数 本年废止件数 现行有效件数 \n\n"
          "规章 \n\n0 0 0 \n\n行政规范性文件 \n\n3 1 17 \n\n第二十条第（五）项 \n\n信息内容 本年处理决定数量 \n\n"
          "行政许可 \n\n845 \n\n第二十条第（六）项 \n\n信息内容 本年处理决定数量 \n\n行政处罚 \n\n21 \n\n"
          "行政强制 \n\n第二十条第（八）项 \n\n信息内容 本年收费金额（单位：万元） \n\n行政事业性收费 \n\n12.5 \n\n")
T3_TAB = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\n"
          "\t\t\t\t\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
          "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t"
          "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
          "3\t1\t0\t0\t4\t2\t0\t0\t1\t3\t0\t0\t0\t1\t1\n")
T3_SPACES = T3_TAB.replace("\t", "  ")
T3_PDF = ("四、政府信息公开行政复议、行政诉讼情况 \n\n行政复议 行政诉讼 \n\n结果 \n\n维持 \n\n结果 \n\n纠正 \n\n"
          "其他 \n\n结果 \n\n尚未 \n\n审结 \n\n总计 \n\n未经复议直接起诉 复议后起诉 \n\n"
          "3 1 0 0 4 2 0 0 1 3 0 0 0 1 1 \n\n")
EXPECTED = {"rules_made": 0, "rules_repealed": 0, "rules_in_force": 0, "normative_docs_made": 3,
            "normative_docs_repealed": 1, "normative_docs_in_force": 17,
            "licensing_decisions": 845, "penalty_decisions": 21, "fees_amount": 12.5,
            "procurement_items": None, "procurement_amount": None,
            "reviews_upheld": 3, "reviews_corrected": 1, "reviews_other": 0, "reviews_pending": 0,
            "administrative_reviews": 4, "lawsuits_direct": 3, "lawsuits_after_review": 1,
            "lawsuits": 4}


# fmt: off
@pytest.mark.parametrize("layout,text,coercion", [
    ("tab", HEAD + T1_TAB + T3_TAB + TAIL, 0),
    ("spaces", HEAD + T1_SPACES + T3_SPACES + TAIL, 0),
    ("pdf", HEAD + T1_PDF + T3_PDF + TAIL, None),  # 行政强制 has no figure: an empty cell
])
# fmt: on
def test_tables_three_layouts(gov, layout, text, coercion):
    indicators = gov(text)._.report["indicators"]
    for key, value in EXPECTED.items():
        assert indicators[key] == value, (layout, key)
    assert indicators["coercion_decisions"] == coercion


@pytest.mark.parametrize("doc_id", [d for d, _, _ in GOV_SEEDS])
def test_tables_seed_indicators(gov_docs, doc_id):
    gold, doc = gov_docs[doc_id]
    indicators = doc._.report["indicators"]
    for key in TABLE_KEYS:
        assert indicators[key] == gold["report"]["indicators"][key], key


def test_tables_pdf_broken_rows(gov_docs):
    # gov_002: lost empty cells ("3 3" is 自然人 and 总计), a label over two
    # lines (本机关不掌握 / 相关政府信息), reason rows without figures.
    ind = gov_docs["gov_002_inland_waterway_admin_2022"][1]._.report["indicators"]
    assert ind["requests_carried_over"] == 3
    assert ind["results_unable"] == 12 + 3 + 2
    assert ind["results_not_disclosed"] == 5 + 3
    assert ind["coercion_decisions"] is None
    assert (ind["procurement_items"], ind["procurement_amount"]) == (14, 2318.6)


def test_tables_check_reports_misprinted_total(gov_docs):
    report = gov_docs["gov_001_ningchuan_housing_2022"][1]._.report
    assert report["table_checks"] == [
        {"table": "收到和处理政府信息公开申请情况", "row": "（七）总计", "expected": 83, "found": 84}]
    # the printed figure is kept, the rows as printed too
    ind = report["indicators"]
    assert ind["results_total"] == 84
    assert sum(ind[k] for k in ("results_disclosed", "results_partially_disclosed",
                                "results_not_disclosed", "results_unable",
                                "results_not_processed", "results_other")) == 83


@pytest.mark.parametrize("doc_id", ["gov_000_yunxi_district_2023", "gov_002_inland_waterway_admin_2022"])
def test_tables_consistent_reports_have_no_check(gov_docs, doc_id):
    assert gov_docs[doc_id][1]._.report["table_checks"] == []


def test_tables_check_small_text(gov):
    text = HEAD + T3_TAB.replace("3\t1\t0\t0\t4", "3\t1\t0\t0\t5") + TAIL
    checks = gov(text)._.report["table_checks"]
    assert checks == [{"table": "政府信息公开行政复议、行政诉讼情况", "row": "行政复议 总计",
                       "expected": 4, "found": 5}]


def test_tables_table_figure_wins_over_text(gov):
    text = HEAD.replace("全年工作有序推进。", "全年共收到政府信息公开申请12件。") + \
        "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t10\t1\t0\t0\t0\t0\t11\n" + TAIL
    assert gov(text)._.report["indicators"]["requests_received"] == 11


def test_tables_university_style_untouched(nlp):
    doc = nlp(HEAD + T1_TAB + T3_TAB + TAIL)
    assert "table_checks" not in doc._.report
    assert "rules_made" not in doc._.report["indicators"]
    assert len(nlp.get_pipe("xxgk_tables")) == 0


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("规章\t1\t2\t3", ["1", "2", "3"]),
    ("14 2,318.6", ["14", "2,318.6"]),
    ("（七）总计49 11 2 62", ["49", "11", "2", "62"]),
    ("1．属于国家秘密", []),
    ("第二十条第（5）项", []),
    ("占比 50%", []),
])
# fmt: on
def test_tables_number_pattern(text, expected):
    assert [m.group() for m in NUMBER.finditer(text)] == expected


# fmt: off
@pytest.mark.parametrize("rule,key", [
    ({"type": "row", "table": "t", "label": "规章", "columns": 3, "cells": {"a": 0}, "colour": 1}, "colour"),
    ({"type": "row", "table": "t", "label": "规章", "columns": 3, "cells": {"a": 3}}, "cells"),
    ({"type": "row", "table": "t", "label": "规章", "cells": {"a": 0}}, "columns"),
    ({"type": "row", "label": "规章", "columns": 1, "cells": {"a": 0}}, "table"),
    ({"type": "table", "table": "t", "start": "("}, "start"),
    ({"type": "sum", "key": "a"}, "key"),
    ({"type": "check", "table": "t", "total": ["a"]}, "total"),
    ({"type": "grid", "table": "t"}, "type"),
])
# fmt: on
def test_tables_rule_validation(rule, key):
    with pytest.raises(ValueError, match=f"'{key}'"):
        TableRule.from_dict(rule)


def test_tables_custom_schema_and_serialisation(gov):
    reader = TableReader(gov, "custom_tables")
    reader.initialize(rules=[
        {"type": "table", "table": "fees", "start": "收费情况", "end": "其他"},
        {"type": "row", "table": "fees", "label": "复印费", "columns": 2, "cells": {"copy_fees": 1}},
        {"type": "row", "table": "fees", "label": "邮寄费", "columns": 2, "cells": {"post_fees": -1}},
        {"type": "sum", "key": "all_fees", "of": ["copy_fees", "post_fees"]},
    ])
    doc = gov.make_doc("收费情况\n复印费\t3\t120\n邮寄费\t45\n其他\n")
    doc = gov.get_pipe("xxgk_layout")(doc)
    doc = reader(doc)
    assert doc._.report["indicators"] == {"copy_fees": 120, "post_fees": 45, "all_fees": 165}
    copy = TableReader(gov, "copy").from_bytes(reader.to_bytes())
    assert copy.rules == reader.rules


# fmt: off
@pytest.mark.parametrize("text", [
    "",
    "《" * 200_000,
    "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t" + "9" * 10_000 + "\n",
    "二、主动公开政府信息情况\n" + "规章\t1\t2\t3\n" * 2_000,
    "a\x00b\x00c",
])
# fmt: on
def test_tables_odd_input(gov, text):
    report = gov(text)._.report
    assert isinstance(report["table_checks"], list)
    assert report["indicators"]["requests_received"] is None or \
        isinstance(report["indicators"]["requests_received"], int)
