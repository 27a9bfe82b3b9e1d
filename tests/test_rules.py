"""Rule records, rule files, user rule folders and the style registry."""
import gc
import json

import pytest

import xxgk_nlp
from xxgk_nlp.rules import RuleComponent, read_jsonl, read_rules
from xxgk_nlp.sections import SectionRule
from xxgk_nlp.styles import (
    available_styles, find_rule_file, find_rule_files, register_style, style_chain,
)

CHAPTER = {"id": "chapter", "type": "heading", "level": 1, "always": True,
           "pattern": "^(?P<number>第[一二三四五六七八九十]{1,3}章)\\s*(?P<title>.+)$"}


# fmt: off
@pytest.mark.parametrize("record,message", [
    ({"type": "heading", "level": 1, "patern": "x"}, "unknown key 'patern'"),
    ({"level": 1, "pattern": "x"}, "lacks the required key 'type'"),
    ({"type": "headline", "pattern": "x"}, "must be one of"),
    ({"type": "kind", "phrase": "概述"}, "needs a kind"),
    ({"type": "kind", "kind": "overview", "pattern": "(概述"}, "not a valid regular expression"),
    ("not a dict", "must be a JSON object"),
])
# fmt: on
def test_rule_validation_names_the_problem(record, message):
    with pytest.raises(ValueError, match=message):
        SectionRule.from_dict(record, "test.jsonl")


def test_rule_to_dict_round_trip():
    rule = SectionRule.from_dict(CHAPTER)
    assert SectionRule.from_dict(rule.to_dict()) == rule
    assert "phrase" not in rule.to_dict()


def test_read_jsonl_reports_bad_lines(tmp_path):
    path = tmp_path / "headings.jsonl"
    path.write_text('# comment\n\n{"type": "kind"}\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 4"):
        read_jsonl(path)


def _user_rules(tmp_path, records):
    folder = tmp_path / "my_rules"
    folder.mkdir()
    (folder / "headings.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return folder


def test_rules_dir_extends_the_style(tmp_path):
    folder = _user_rules(tmp_path, [CHAPTER])
    shipped = read_rules("university", ["headings.jsonl"])
    extended = read_rules("university", ["headings.jsonl"], str(folder), "extend")
    replaced = read_rules("university", ["headings.jsonl"], str(folder), "replace")
    assert len(extended) == len(shipped) + 1
    assert [r for r, _ in replaced] == [CHAPTER]
    nlp = xxgk_nlp.load(rules_dir=folder)
    doc = nlp("第二章 信息公开具体情况\n学校公开信息。")
    assert [(h._.number, h._.kind) for h in doc.spans["headings"]] == [("第二章", "proactive")]


def test_unknown_rules_mode():
    with pytest.raises(ValueError, match="E010"):
        read_rules("university", ["headings.jsonl"], None, "merge")


def test_register_style_extending_university(tmp_path, monkeypatch):
    from xxgk_nlp import styles

    monkeypatch.setattr(styles, "_USER_STYLES", {})  # registered for this test only
    folder = tmp_path / "hospital"
    folder.mkdir()
    (folder / "style.json").write_text('{"name": "hospital", "extends": "university"}', encoding="utf-8")
    (folder / "headings.jsonl").write_text(json.dumps(CHAPTER), encoding="utf-8")
    register_style("hospital", folder)
    assert "hospital" in available_styles()
    assert style_chain("hospital") == ["hospital", "university"]
    assert find_rule_file("hospital", "headings.jsonl") == folder / "headings.jsonl"
    assert find_rule_file("hospital", "layout.jsonl") == find_rule_file("university", "layout.jsonl")
    assert find_rule_files("hospital", "headings.jsonl") == [
        find_rule_file("university", "headings.jsonl"), folder / "headings.jsonl"]
    nlp = xxgk_nlp.load(style="hospital")
    doc = nlp("第一章 总则\n一、概述\n正文。")
    assert [h._.number for h in doc.spans["headings"]] == ["第一章", "一"]
    # replace_files cuts the chain for one file
    (folder / "style.json").write_text(
        '{"extends": "university", "replace_files": ["headings.jsonl"]}', encoding="utf-8")
    assert find_rule_files("hospital", "headings.jsonl") == [folder / "headings.jsonl"]


@pytest.mark.parametrize("name", ["", "a b", "../x", None])
def test_register_style_rejects_bad_names(tmp_path, name):
    with pytest.raises(ValueError, match="E007"):
        register_style(name, tmp_path)


def test_register_style_rejects_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="E002"):
        register_style("ghost", tmp_path / "missing")


def test_shipped_styles():
    assert "university" in available_styles()


class _Probe(RuleComponent):
    def __call__(self, doc):
        self.seen.append(gc.isenabled())
        if doc.text == "boom":
            raise RuntimeError("boom")
        return doc


def test_components_run_with_the_garbage_collector_paused(blank_zh):
    probe = _Probe(blank_zh, "probe")
    probe.seen = []
    assert gc.isenabled()
    probe(blank_zh.make_doc("正文"))
    assert probe.seen == [False] and gc.isenabled()
    with pytest.raises(RuntimeError):
        probe(blank_zh.make_doc("boom"))
    assert gc.isenabled()  # restored on an error
    gc.disable()
    try:
        probe(blank_zh.make_doc("正文"))
        assert not gc.isenabled()  # a disabled collector stays disabled
    finally:
        gc.enable()


def test_every_shipped_component_pauses_the_collector(nlp):
    for name, component in nlp.pipeline:
        assert hasattr(type(component).__call__, "__wrapped__"), name
