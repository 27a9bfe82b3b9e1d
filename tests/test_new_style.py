"""docs/new-style.md, followed step by step: a third style in a temporary folder
(register_style, a heading rule, a kind, a channel, a table schema)."""
import json

import pytest

import xxgk_nlp

STYLE = "village_guide_test"
REPORT = (
    "某村2023年村务公开工作报告\n"
    "第一章 工作概述\n"
    "全年村务公开有序推进，通过村务公开栏公开信息46条。\n"
    "第二章 预算执行情况\n"
    "预算执行情况表\n"
    "项目\t预算数\t执行数\n"
    "办公经费\t12\t10\n"
    "公益事业\t30\t28\n"
    "合计\t42\t39\n"
    "第三章 其他事项\n"
    "无。\n"
)


def jsonl(*records):
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"


@pytest.fixture(scope="module")
def village(tmp_path_factory):
    folder = tmp_path_factory.mktemp("styles") / "village"
    folder.mkdir()
    (folder / "style.json").write_text(json.dumps(
        {"name": "village", "description": "村务公开工作报告", "extends": "university",
         "required_sections": ["overview", "budget", "on_request"]}), encoding="utf-8")
    (folder / "headings.jsonl").write_text(jsonl(
        {"id": "chapter", "type": "heading", "level": 1, "always": True,
         "pattern": "^(?P<number>第[一二三四五六七八九十]{1,3}章)\\s*(?P<title>.+)$"},
        {"id": "kind_budget", "type": "kind", "kind": "budget", "phrase": "预算执行"},
        {"id": "title_village", "type": "title", "pattern": "村务公开.{0,12}报告$"},
    ), encoding="utf-8")
    (folder / "channels.jsonl").write_text(jsonl(
        {"id": "board_村务公开栏", "label": "CHANNEL", "pattern": "村务公开栏", "kind": "board"},
    ), encoding="utf-8")
    (folder / "tables.jsonl").write_text(jsonl(
        {"type": "table", "table": "budget", "title": "预算执行情况表", "start": "预算执行情况表",
         "end": "第[一二三四五六七八九十]{1,3}章"},
        {"type": "row", "table": "budget", "label": "办公经费", "columns": 2,
         "cells": {"office_budget": 0, "office_spent": 1}},
        {"type": "row", "table": "budget", "label": "公益事业", "columns": 2,
         "cells": {"welfare_budget": 0, "welfare_spent": 1}},
        {"type": "row", "table": "budget", "label": "合计", "columns": 2,
         "cells": {"total_budget": 0, "total_spent": 1}},
        {"type": "check", "table": "budget", "row": "合计 执行数", "total": ["total_spent"],
         "parts": ["office_spent", "welfare_spent"]},
    ), encoding="utf-8")
    xxgk_nlp.register_style(STYLE, folder)
    return xxgk_nlp.load(style=STYLE)


@pytest.fixture(scope="module")
def doc(village):
    return village(REPORT)


def test_new_style_is_registered(village):
    assert STYLE in xxgk_nlp.available_styles()


def test_new_style_headings_and_kinds(doc):
    assert [(h._.level, h._.number, h._.title, h._.kind) for h in doc.spans["headings"]] == [
        (1, "第一章", "工作概述", "overview"),
        (1, "第二章", "预算执行情况", "budget"),
        (1, "第三章", "其他事项", None),
    ]
    assert doc._.report["title"] == "某村2023年村务公开工作报告"
    assert doc._.report["sections_present"] == ["overview", "budget"]
    assert doc._.report["sections_missing"] == ["on_request"]


def test_new_style_channel(doc):
    assert [(e.text, e._.attrs["kind"]) for e in doc.ents if e.label_ == "CHANNEL"] == [
        ("村务公开栏", "board")]


def test_new_style_table(doc):
    indicators = doc._.report["indicators"]
    assert {k: indicators[k] for k in ("office_budget", "office_spent", "welfare_budget",
                                       "welfare_spent", "total_budget", "total_spent")} == {
        "office_budget": 12, "office_spent": 10, "welfare_budget": 30, "welfare_spent": 28,
        "total_budget": 42, "total_spent": 39}
    assert doc._.report["table_checks"] == [
        {"table": "预算执行情况表", "row": "合计 执行数", "expected": 38, "found": 39}]


def test_new_style_parent_untouched(nlp):
    parent = nlp(REPORT)
    assert [h._.number for h in parent.spans["headings"]] == []
    assert "table_checks" not in parent._.report
    assert not [e for e in parent.ents if e.text == "村务公开栏"]
