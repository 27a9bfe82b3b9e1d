"""Evaluation: scoring semantics, the regression floors, the CLI commands."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import xxgk_nlp
from xxgk_nlp import corpus
from xxgk_nlp import evaluate as ev
from xxgk_nlp.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
UNIVERSITY = CORPUS / "university.jsonl"

TEXT = "学校通过门户网站、官方微博和门户 网站发布信息 84 条，收到申请 9 项。"


def ent(label, start, end, **attrs):
    return {"label": label, "text": TEXT[start:end], "start": start, "end": end, "attrs": attrs}


def record(entities, headings=(), report=None, text=TEXT):
    return {"id": "t", "style": "university", "source": None, "guideline": "1.0", "text": text,
            "headings": list(headings), "entities": list(entities), "report": report or {}}


GOLD = record([
    ent("CHANNEL", 4, 8, kind="website"),
    ent("CHANNEL", 9, 13, kind="weibo"),
    ent("CHANNEL", 14, 19, kind="website"),
    ent("QUANTITY", 24, 28, value=84, unit="条", approx="exact"),
    ent("QUANTITY", 34, 37, value=9, unit="项", approx="exact"),
], report={"title": None, "indicators": {"requests_received": 9, "complaints": None}})


@pytest.fixture(scope="module")
def pipeline():
    return xxgk_nlp.load()


@pytest.fixture(scope="module")
def seed_result(pipeline):
    return ev.evaluate(UNIVERSITY, nlp=pipeline)


def test_sentence_offsets():
    assert [e["text"] for e in GOLD["entities"]] == ["门户网站", "官方微博", "门户 网站", "84 条", "9 项"]
    assert corpus.validate_record(GOLD) == []


def test_gold_against_itself_is_perfect():
    gold = corpus.read_records(UNIVERSITY)
    result = ev.score_records(gold, gold)
    assert result["overall_f1"] == result["overall"]["exact_f1"] == 1.0
    assert all(v["f1"] == v["exact_f1"] == 1.0 for v in result["labels"].values())
    assert result["headings"]["f1"] == result["headings"]["exact_f1"] == 1.0
    assert result["heading_kind_acc"] == 1.0
    assert all(v["acc"] == 1.0 for v in result["attributes"].values())
    assert all(v["acc"] == 1.0 for v in result["report"].values())
    assert result["errors"] == []
    assert result["labels"]["CHANNEL"]["support"] == 255


# fmt: off
@pytest.mark.parametrize("pred,counts,exact_f1", [
    # every occurrence counts; texts compare without whitespace, offsets need not agree
    ([ent("CHANNEL", 4, 8, kind="website"), ent("CHANNEL", 9, 13, kind="weibo"),
      ent("CHANNEL", 14, 19, kind="website")], (3, 3, 3), 1.0),
    ([ent("CHANNEL", 4, 8, kind="website")], (1, 1, 3), 0.5),
    # a wrong boundary: "门户" instead of "门户 网站"
    ([ent("CHANNEL", 4, 8, kind="website"), ent("CHANNEL", 9, 13, kind="weibo"),
      ent("CHANNEL", 14, 17, kind="website")], (2, 3, 3), 2 / 3),
    ([ent("CHANNEL", 4, 8, kind="website"), ent("CHANNEL", 9, 13, kind="weibo"),
      ent("CHANNEL", 14, 19, kind="website"), ent("CHANNEL", 20, 22, kind="website")],
     (3, 4, 3), 6 / 7),
    ([], (0, 0, 3), 0.0),
])
# fmt: on
def test_text_multiset_and_exact_spans(pred, counts, exact_f1):
    gold = record([e for e in GOLD["entities"] if e["label"] == "CHANNEL"])
    result = ev.score_records([gold], [record(pred)])
    tp, n_pred, n_gold = counts
    channel = result["labels"]["CHANNEL"]
    assert (channel["predicted"], channel["support"]) == (n_pred, n_gold)
    assert channel["f1"] == pytest.approx(ev.prf(tp, n_pred, n_gold)[2])
    assert channel["exact_f1"] == pytest.approx(exact_f1)


def test_same_text_elsewhere_counts_as_text_match_only():
    gold = record([ent("CHANNEL", 4, 8, kind="website")])
    pred = record([ent("CHANNEL", 14, 19, kind="website")])
    channel = ev.score_records([gold], [pred])["labels"]["CHANNEL"]
    assert (channel["f1"], channel["exact_f1"]) == (1.0, 0.0)


def test_errors_have_context():
    pred = record([ent("CHANNEL", 4, 8, kind="weibo"), ent("QUANTITY", 24, 26, value=84,
                                                            unit=None, approx="exact")])
    errors = ev.score_records([GOLD], [pred])["errors"]
    by_type = {(e["type"], e["label"], e["text"]) for e in errors if "label" in e}
    assert ("FN", "CHANNEL", "官方微博") in by_type
    assert ("FN", "CHANNEL", "门户网站") in by_type
    assert ("FP", "QUANTITY", "84") in by_type
    fn = next(e for e in errors if e["type"] == "FN" and e["text"] == "官方微博")
    assert fn["context"] == "学校通过门户网站、[官方微博]和门户 网站发布信息 84 条"
    attr = next(e for e in errors if e["type"] == "ATTR")
    assert (attr["label"], attr["attr"], attr["gold"], attr["pred"]) == ("CHANNEL", "kind", "website", "weibo")
    report = {e["text"]: (e["gold"], e["pred"]) for e in errors if e["type"] == "INDICATOR"}
    assert report == {"indicators.requests_received": (9, None)}
    assert "INDICATOR indicators.requests_received: gold=9 pred=None" in ev.format_errors(
        {"errors": errors})


# fmt: off
@pytest.mark.parametrize("gold_attrs,pred_attrs,acc", [
    ({"value": 84, "unit": "条", "approx": "exact"}, {"value": 84.0, "unit": "条", "approx": "exact"}, 1.0),
    ({"value": 84, "unit": "条", "approx": "exact"}, {"value": 85, "unit": "条", "approx": "exact"}, 0.0),
    ({"value": 84, "unit": "条", "approx": "exact"}, {}, 0.0),
])
# fmt: on
def test_attribute_accuracy(gold_attrs, pred_attrs, acc):
    gold = record([{**ent("QUANTITY", 24, 28), "attrs": gold_attrs}])
    pred = record([{**ent("QUANTITY", 24, 28), "attrs": pred_attrs}])
    result = ev.score_records([gold], [pred])
    assert result["attributes"]["QUANTITY.value"] == {"acc": acc, "n": 1}
    assert result["labels"]["QUANTITY"]["f1"] == 1.0


def test_headings_and_kinds():
    text = "一、工作概述\n内容。\n二、主动公开情况\n（一）公开网站\n"
    heads = [{"level": 1, "number": "一", "title": "工作概述", "kind": "overview", "start": 2, "end": 6},
             {"level": 1, "number": "二", "title": "主动公开情况", "kind": "proactive", "start": 13, "end": 19},
             {"level": 2, "number": "（一）", "title": "公开网站", "kind": None, "start": 23, "end": 27}]
    gold = record([], heads, text=text)
    pred = record([], [heads[0], {**heads[1], "kind": None},
                       {**heads[2], "level": 3}], text=text)
    result = ev.score_records([gold], [pred])
    assert result["headings"]["f1"] == pytest.approx(2 / 3)
    assert result["heading_kind_acc"] == 0.5
    types = sorted(e["type"] for e in result["errors"])
    assert types == ["FN heading", "FP heading", "KIND"]


# fmt: off
@pytest.mark.parametrize("gold,pred,ok", [
    (0, 0, True), (0, None, False), (None, None, True), (None, 0, False), (4258, 4258.0, True),
])
# fmt: on
def test_indicator_zero_is_not_null(gold, pred, ok):
    result = ev.score_records(
        [record([], report={"indicators": {"complaints": gold}})],
        [record([], report={"indicators": {"complaints": pred}})])
    assert result["report"]["indicators.complaints"] == {"acc": float(ok), "n": 1}


def test_seed_evaluation_shape(seed_result):
    assert seed_result["docs"] == 5
    assert seed_result["headings"]["support"] == 100
    assert sum(v["support"] for v in seed_result["labels"].values()) == 839
    table = ev.format_table(seed_result)
    assert table.splitlines()[-1] == f"overall entity F1 {seed_result['overall_f1']:.3f}"
    assert "HEADINGS" in table and "attr " in table and "report title" in table
    assert json.loads(ev.to_json(seed_result))["docs"] == 5


def test_scores_stay_above_floors(seed_result):
    floors = ev.load_thresholds(CORPUS / "thresholds.json", style="university")
    assert any(name.startswith("labels.") for name in floors)
    assert {"headings.f1", "heading_kind_acc"} <= set(floors)
    assert ev.check_thresholds(seed_result, floors) == []


@pytest.mark.parametrize("style", ["university", "government"])
def test_whole_corpus_of_each_style_stays_above_floors(style):
    """Seeds and independent dev reports together, per style."""
    floors = ev.load_thresholds(CORPUS / "thresholds.json", style=f"{style}+dev")
    result = ev.evaluate(CORPUS, style=style)
    assert ev.check_thresholds(result, floors) == []


def test_floor_check_reports_drops(seed_result):
    floors = {"headings.f1": 1.01, "labels.NOPE.f1": 0.5, "overall_f1": 0.0}
    failures = ev.check_thresholds(seed_result, floors)
    assert len(failures) == 2
    assert failures[0].startswith("headings.f1:") and "floor 1.010" in failures[0]
    assert failures[1] == "labels.NOPE.f1: not measured (floor 0.500)"
    floors = ev.current_floors(seed_result, margin=0.02)
    assert ev.check_thresholds(seed_result, floors) == []
    assert floors["headings.f1"] <= seed_result["headings"]["f1"] - 0.02 + 1e-9


def test_bad_thresholds_file(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="E514"):
        ev.load_thresholds(path)
    path.write_text('{"government": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="E514.*university"):
        ev.load_thresholds(path)


def test_invalid_records_are_rejected(pipeline):
    broken = record([ent("CHANNEL", 4, 8, kind="website"), ent("CHANNEL", 6, 13, kind="weibo")])
    with pytest.raises(ValueError, match="E500(.|\n)*E504"):
        ev.evaluate([broken], nlp=pipeline)


def test_empty_selection_is_an_error(pipeline):
    with pytest.raises(ValueError, match="E513"):
        ev.evaluate(UNIVERSITY, nlp=pipeline, style="nonexistent")


@pytest.fixture()
def runner(monkeypatch, pipeline):
    monkeypatch.setattr(ev, "default_pipeline", lambda style: pipeline)
    monkeypatch.setattr(xxgk_nlp, "load", lambda style="university", **kw: pipeline)
    return CliRunner()


@pytest.fixture()
def one_report(tmp_path):
    path = tmp_path / "one.jsonl"
    first = UNIVERSITY.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(first + "\n", encoding="utf-8")
    return path


def test_cli_evaluate_table_and_errors(runner, one_report, pipeline):
    expected = ev.evaluate(one_report, nlp=pipeline)
    res = runner.invoke(app, ["evaluate", str(one_report), "--errors"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("1 report(s)")
    assert f"overall entity F1 {expected['overall_f1']:.3f}" in res.output
    assert "errors:" in res.output


def test_cli_evaluate_json_and_check(runner, seed_result):
    res = runner.invoke(app, ["evaluate", str(UNIVERSITY), "--format", "json", "--style",
                              "university", "--check"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["labels"].keys() == seed_result["labels"].keys()
    assert data["overall_f1"] == seed_result["overall_f1"]
    assert "errors" not in data


def test_cli_evaluate_check_fails_below_floor(runner, one_report, tmp_path, monkeypatch):
    floors = tmp_path / "thresholds.json"
    floors.write_text('{"university": {"headings.f1": 1.5}}', encoding="utf-8")
    monkeypatch.setattr(ev, "thresholds_path", lambda corpus_dir=None: floors)
    res = runner.invoke(app, ["evaluate", str(one_report), "--style", "university", "--check"])
    assert res.exit_code == 1
    assert "below floor: university: headings.f1" in res.output


def test_cli_evaluate_missing_corpus(runner, tmp_path):
    res = runner.invoke(app, ["evaluate", str(tmp_path / "none.jsonl")])
    assert res.exit_code == 1 and "E509" in res.output


def test_annotate_draft_then_evaluate_is_perfect(runner, pipeline, tmp_path):
    raw = (CORPUS / "university" / "seeds" / "002_f5b593b1beff7260.txt").read_text(encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(raw[:1500], encoding="utf-8")
    out = tmp_path / "draft.jsonl"
    res = runner.invoke(app, ["annotate-draft", str(report), "--out", str(out)])
    assert res.exit_code == 0, res.output
    (draft,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert draft["id"] == "report" and draft["text"] == raw[:1500]
    result = ev.evaluate([draft], nlp=pipeline)
    assert result["overall_f1"] == 1.0 and result["errors"] == []


def test_cli_corpus_commands(runner, tmp_path, one_report):
    res = runner.invoke(app, ["corpus", "validate", str(UNIVERSITY)])
    assert res.exit_code == 0 and res.output.strip().endswith("ok")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b", "text": "abc", "entities": [{"label": "X", "text": "a", '
                   '"start": 0, "end": 1}]}\n', encoding="utf-8")
    res = runner.invoke(app, ["corpus", "validate", str(bad)])
    assert res.exit_code == 1 and "E502" in res.output and "'b'" in res.output
    draft = tmp_path / "draft.jsonl"
    record = json.loads(one_report.read_text(encoding="utf-8"))
    for e in record["entities"]:
        e.pop("start"), e.pop("end")
    draft.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["corpus", "locate", str(draft), "--out", str(tmp_path / "fixed.jsonl")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "fixed.jsonl").read_text(encoding="utf-8") == one_report.read_text(encoding="utf-8")
    res = runner.invoke(app, ["corpus", "stats", str(UNIVERSITY)])
    assert res.exit_code == 0 and "| CHANNEL | 255 |" in res.output
    res = runner.invoke(app, ["corpus", "floors", str(one_report)])
    assert res.exit_code == 0 and "headings.f1" in json.loads(res.output)["university"]
