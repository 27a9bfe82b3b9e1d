"""The corpus: JSONL format, gold converter, validator, Dataset / Example / DocBin."""
import copy
import json
from pathlib import Path

import datasets
import pytest
from spacy.scorer import Scorer
from spacy.tokens import DocBin
from spacy.training import Example

import xxgk_nlp
from xxgk_nlp import corpus
from xxgk_nlp.corpus import norm

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
UNIVERSITY = CORPUS / "university.jsonl"

SENTENCE = "根据《高等学校信息公开办法》（教育部令第 29\n号），学校信息公开网发布信息 84 条。"


def small_record(**changes):
    """A valid record on SENTENCE; `changes` replace top-level fields."""
    record = {
        "id": "small", "style": "university", "source": None, "guideline": "1.0",
        "text": SENTENCE,
        "headings": [],
        "entities": [
            {"label": "DOC_TITLE", "text": "《高等学校信息公开办法》", "start": 2, "end": 14,
             "attrs": {"title": "高等学校信息公开办法", "doc_number": "教育部令第29号"}},
            {"label": "DOC_NUMBER", "text": "教育部令第29号", "start": 15, "end": 25,
             "attrs": {"issuer": "教育部", "year": None, "serial": 29, "kind": "order"}},
            {"label": "CHANNEL", "text": "信息公开网", "start": 29, "end": 34,
             "attrs": {"kind": "website"}},
            {"label": "QUANTITY", "text": "84 条", "start": 39, "end": 43,
             "attrs": {"value": 84, "unit": "条", "approx": "exact"}},
        ],
        "report": {"title": None, "indicators": {"requests_received": None}},
    }
    record.update(changes)
    return record


@pytest.fixture(scope="module")
def pipeline():
    return xxgk_nlp.load()


@pytest.fixture(scope="module")
def dataset():
    return corpus.load(UNIVERSITY)


def test_small_record_is_valid():
    record = small_record()
    assert [record["text"][e["start"]:e["end"]] for e in record["entities"]] == [
        "《高等学校信息公开办法》", "教育部令第 29\n号", "信息公开网", "84 条"]
    assert corpus.validate_record(record) == []


@pytest.mark.parametrize("style", sorted(corpus.gold_dirs(CORPUS)))
def test_bundled_jsonl_is_the_converted_gold(style):
    gold_dir = CORPUS / style / "gold"
    converted = corpus.convert_gold_dir(gold_dir)
    jsonl = CORPUS / f"{style}.jsonl"
    bundled = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert bundled == [corpus.normalize_record(r) for r in converted], (
        f"{jsonl} is stale: run `xxgk-nlp corpus build`")
    assert [r["id"] for r in bundled] == sorted(json.loads(p.read_text(encoding="utf-8"))["id"]
                                                for p in gold_dir.glob("*.json"))


def test_converted_offsets_match_gold_texts():
    for record in corpus.read_records(UNIVERSITY):
        text = record["text"]
        for e in record["entities"]:
            assert norm(text[e["start"]:e["end"]]) == norm(e["text"])
        for h in record["headings"]:
            assert norm(text[h["start"]:h["end"]]) == norm(h["title"])


def test_load_gives_a_dataset(dataset):
    assert isinstance(dataset, datasets.Dataset)
    assert dataset.num_rows == 5
    assert set(dataset.column_names) == set(corpus.RECORD_FIELDS)
    first = dataset[0]
    assert first["id"] == "000_c6d877f868ca2807"
    assert first["entities"][0] == {"label": "INSTITUTION", "text": "北京理工大学", "start": 1,
                                    "end": 7, "attrs": {}}
    doc_number = first["entities"][3]
    assert doc_number["attrs"] == {"issuer": "教育部", "year": None, "serial": 29, "kind": "order"}
    assert first["headings"][0] == {"level": 1, "number": "一", "title": "信息公开工作概述",
                                    "kind": "overview", "start": 151, "end": 159}
    assert first["report"]["indicators"]["requests_received"] == 9


def test_load_folder_file_and_gold_agree(dataset):
    from_file = list(corpus.records(dataset))
    from_gold = corpus.read_records(CORPUS / "university")
    assert from_file == from_gold
    # the folder holds every file of the style (the seeds and the dev set)
    from_folder = corpus.read_records(CORPUS, style="university")
    by_id = {r["id"]: r for r in from_folder}
    assert [by_id[r["id"]] for r in from_file] == from_file
    assert len(from_folder) == len(from_file) + len(corpus.read_records(CORPUS / "university-dev"))


def test_quantity_values_keep_their_type(dataset):
    values = [e["attrs"]["value"] for r in corpus.records(dataset) for e in r["entities"]
              if e["label"] == "QUANTITY"]
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    assert 1000000 in values  # 超过百万


def test_examples_carry_gold(pipeline, dataset):
    examples = corpus.to_examples(dataset, pipeline)
    assert len(examples) == 5
    for example, record in zip(examples, corpus.records(dataset)):
        ref = example.reference
        assert example.predicted.text == ref.text == record["text"]
        assert len(ref.ents) == len(record["entities"])
        for span, e in zip(ref.ents, record["entities"]):
            assert (span.start_char, span.end_char, span.label_) == (e["start"], e["end"], e["label"])
            assert span._.attrs == e["attrs"]
        heads = ref.spans["headings"]
        assert [(h._.level, h._.title, h._.kind) for h in heads] == [
            (h["level"], h["title"], h["kind"]) for h in record["headings"]]
        assert ref._.report == record["report"]
    # gold against itself: the spaCy scorer agrees perfectly
    scores = Scorer.score_spans(
        [Example(ex.reference, ex.reference) for ex in examples], "ents")
    assert scores["ents_f"] == 1.0
    assert set(scores["ents_per_type"]) == {e["label"] for r in corpus.records(dataset)
                                            for e in r["entities"]}


def test_docbin_round_trip(pipeline, dataset):
    data = corpus.to_docbin(dataset, pipeline).to_bytes()
    docs = list(DocBin().from_bytes(data).get_docs(pipeline.vocab))
    assert len(docs) == 5
    doc = docs[0]
    assert doc.user_data["id"] == "000_c6d877f868ca2807"
    assert doc.ents[3].text.replace(" ", "") == "教育部令第29号"
    assert doc.ents[3]._.attrs["serial"] == 29
    assert doc.spans["headings"][0]._.kind == "overview"
    assert doc._.report["indicators"]["proactive_total"] == 84


def test_whitespace_around_offsets_is_trimmed(pipeline):
    record = small_record()
    record["entities"] = [{"label": "QUANTITY", "text": "84 条", "start": 38, "end": 45,
                           "attrs": {"value": 84, "unit": "条", "approx": "exact"}}]
    record["text"] = SENTENCE.replace("84 条。", " 84 条 。")
    assert corpus.validate_record(record) == []
    doc = corpus.record_doc(pipeline, record, base=pipeline.make_doc(record["text"]))
    assert [(e.text, e.start_char, e.end_char) for e in doc.ents] == [("84 条", 40, 44)]


def test_span_across_a_line_break_aligns(pipeline):
    doc = corpus.to_examples([small_record()], pipeline)[0].reference
    assert doc.ents[1].text == "教育部令第 29\n号"


# fmt: off
BROKEN = [
    # (path into the record, new value, error code, field named in the message)
    (("entities", 2, "label"), "MEDIUM", "E502", "entities[2].label"),
    (("entities", 3, "attrs"), {"unit": "条", "approx": "exact"}, "E503", "entities[3].attrs.value"),
    (("entities", 3, "attrs", "value"), "84", "E503", "entities[3].attrs.value"),
    (("entities", 3, "attrs", "approx"), "roughly", "E503", "entities[3].attrs.approx"),
    (("entities", 1, "attrs", "serial"), "29", "E503", "entities[1].attrs.serial"),
    (("entities", 1, "attrs", "serial"), True, "E503", "entities[1].attrs.serial"),
    (("entities", 2, "attrs", "kind"), "portal", "E503", "entities[2].attrs.kind"),
    (("entities", 2, "text"), "信息公开专栏", "E501", "entities[2]"),
    (("entities", 2, "start"), 28, "E501", "entities[2]"),
    (("entities", 2, "end"), 999, "E506", "entities[2]"),
    (("entities", 2, "start"), "30", "E506", "entities[2]"),
    (("entities", 1, "start"), 10, "E501", "entities[1]"),
    (("report", "indicators", "requests_received"), "九", "E507", "report.indicators.requests_received"),
    (("report",), [], "E507", "report"),
    (("text",), None, "E507", "text"),
    (("id",), "", "E507", "id"),
    (("text",), "根据\ud800《高等学校", "E507", "text"),
    (("annotator",), "x", "E507", "annotator"),
]
# fmt: on


@pytest.mark.parametrize("path,value,code,field", BROKEN)
def test_validator_names_record_and_field(path, value, code, field):
    record = small_record()
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    errors = corpus.validate_record(record)
    assert errors, "broken record accepted"
    assert any(code in msg and field in msg for msg in errors), errors
    if record["id"]:
        assert all("'small'" in msg for msg in errors)


def test_validator_rejects_overlapping_entities():
    record = small_record()
    record["entities"].insert(2, {"label": "DEPARTMENT", "text": "学校信息公开", "start": 27,
                                  "end": 33, "attrs": {}})
    errors = corpus.validate_record(record)
    assert len(errors) == 1 and "E504" in errors[0] and "entities[3]" in errors[0]


def test_validator_rejects_entities_out_of_order():
    record = small_record()
    record["entities"].reverse()
    assert any("E504" in msg for msg in corpus.validate_record(record))


# fmt: off
@pytest.mark.parametrize("change,code,field", [
    ({"level": 5}, "E505", "headings[0].level"),
    ({"level": "1"}, "E505", "headings[0].level"),
    ({"kind": "summary"}, "E505", "headings[0].kind"),
    ({"title": "信息公开工作"}, "E501", "headings[0]"),
    ({"title": None}, "E505", "headings[0].title"),
])
# fmt: on
def test_validator_rejects_bad_headings(change, code, field):
    text = "一、信息公开工作概述\n2022年学校发布信息。"
    heading = {"level": 1, "number": "一", "title": "信息公开工作概述", "kind": "overview",
               "start": 2, "end": 10}
    assert corpus.validate_record(small_record(text=text, entities=[], headings=[heading])) == []
    heading.update(change)
    errors = corpus.validate_record(small_record(text=text, entities=[], headings=[heading]))
    assert any(code in msg and field in msg for msg in errors), errors


# fmt: off
@pytest.mark.parametrize("record", [
    None, [], "text", {}, {"id": "x"}, {"id": "x", "text": ""},
    {"id": "x", "text": "\ud800《" * 10, "entities": [{"label": "URL", "start": 0, "end": 1}]},
    {"id": "x", "text": "\x00" * 5, "entities": "none", "headings": {"a": 1}},
    {"id": "x", "text": "1" * 10000, "entities": [None, 1], "headings": [None]},
])
# fmt: on
def test_validator_never_crashes(record):
    errors = corpus.validate_record(record)
    assert isinstance(errors, list)


def test_validate_file_reports_line_and_duplicates(tmp_path):
    good = corpus.dumps_record(small_record())
    bad = small_record(id="bad")
    bad["entities"][3]["attrs"]["approx"] = None
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join([good, corpus.dumps_record(bad), good]) + "\n", encoding="utf-8")
    errors = corpus.validate_file(path)
    assert any(":2:" in e and "E503" in e and "'bad'" in e for e in errors)
    assert any(":3:" in e and "E512" in e for e in errors)
    path.write_text(good + "\n{not json\n", encoding="utf-8")
    assert "E508" in corpus.validate_file(path)[0] and "line 2" in corpus.validate_file(path)[0]


def test_load_rejects_invalid_corpus(tmp_path):
    bad = small_record()
    bad["entities"][0]["label"] = "BOOK"
    path = tmp_path / "c.jsonl"
    path.write_text(corpus.dumps_record(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"E500(.|\n)*E502.*'small'.*entities\[0\]\.label"):
        corpus.load(path)
    with pytest.raises(ValueError, match="E509"):
        corpus.load(tmp_path / "missing.jsonl")


def test_converter_finds_missing_offsets(tmp_path):
    style = tmp_path / "government"
    (style / "seeds").mkdir(parents=True)
    (style / "gold").mkdir()
    (style / "seeds" / "g1.txt").write_text("前言\n一、总体情况\n区政府发布信息 1\n2 条。",
                                            encoding="utf-8")
    gold = {"id": "g1", "raw_file": "seeds/g1.txt", "style": "government",
            "report": {"indicators": {}},
            "headings": [{"level": 1, "number": "一", "title": "总体情况", "kind": "overview"}],
            "entities": [{"label": "AUTHORITY", "text": "区政府", "attrs": {}},
                         {"label": "QUANTITY", "text": "12条",
                          "attrs": {"value": 12, "unit": "条", "approx": "exact"}}]}
    (style / "gold" / "g1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    written = corpus.build_corpus(tmp_path)
    assert written == {"government": tmp_path / "government.jsonl"}
    (record,) = corpus.read_records(tmp_path)
    assert record["style"] == "government"
    assert record["headings"][0]["start"] == 5 and record["headings"][0]["end"] == 9
    assert [(e["start"], e["end"]) for e in record["entities"]] == [(10, 13), (18, 23)]
    gold["entities"][0]["text"] = "市政府"
    (style / "gold" / "g1.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="E510.*市政府"):
        corpus.build_corpus(tmp_path)


def test_stats_count_every_label(dataset):
    stats = corpus.corpus_stats(dataset)
    university = stats["styles"]["university"]
    assert university["reports"] == 5
    assert sum(university["labels"].values()) == sum(len(r["entities"]) for r in dataset)
    table = corpus.format_stats(stats)
    assert "| QUANTITY |" in table and "000_c6d877f868ca2807" in table


def test_draft_record_is_pipeline_output(pipeline, tmp_path):
    raw = (CORPUS / "university" / "seeds" / "000_c6d877f868ca2807.txt").read_text(encoding="utf-8")
    path = tmp_path / "draft.txt"
    path.write_text(raw[:700], encoding="utf-8")
    ((record, problems),) = list(corpus.draft_records([path], pipeline))
    assert record["id"] == "draft" and record["text"] == raw[:700]
    assert problems == corpus.validate_record(record)
    doc = pipeline(raw[:700])
    assert [(e["start"], e["end"], e["label"]) for e in record["entities"]] == [
        (e.start_char, e.end_char, e.label_) for e in doc.ents]
    copied = copy.deepcopy(record)
    assert corpus.normalize_record(copied) == record


def test_locate_fills_missing_and_stale_offsets():
    record = small_record()
    del record["entities"][0]["start"], record["entities"][0]["end"]
    record["entities"][2]["start"] = 0
    record["entities"].append({"label": "QUANTITY", "text": "84条", "attrs": {
        "value": 84, "unit": "条", "approx": "exact"}})
    record["entities"].append({"label": "URL", "text": "www.example.cn", "attrs": {}})
    fixed, problems = corpus.locate_spans(record)
    assert [(e["start"], e["end"]) for e in fixed["entities"][:5]] == [
        (2, 14), (15, 25), (29, 34), (39, 43), (39, 43)]
    assert len(problems) == 1 and "E510" in problems[0] and "entities[5]" in problems[0]
    assert record["entities"][2]["start"] == 0  # the input is not changed
