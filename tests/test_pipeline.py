"""The pipeline as a whole: loading, saving, config, multiprocessing, DocBin, JSON."""
import json
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import DocBin

import xxgk_nlp
from xxgk_nlp.document import SCHEMA

TEXT = ("北京某大学2022-2023学年信息公开工作报告\n一、信息公开工作概述\n学校信息公开领导小组按照"
        "《高等学校信息公开办法》（教育部令第29号）开展工作。\n第一章 新做法\n学校开设专栏。\n")


def _result(doc):
    # msgpack (DocBin, n_process) gives tuples where JSON has lists: compare as JSON
    return json.loads(json.dumps(_raw_result(doc), ensure_ascii=False))


def _raw_result(doc):
    return (doc.text, doc._.clean_text, doc._.report,
            [(h.start_char, h.end_char, h._.level, h._.number, h._.title, h._.kind)
             for h in doc.spans["headings"]],
            [(s.start_char, s.end_char, s.label_) for s in doc.spans["sections"]],
            [(e.start_char, e.end_char, e.label_, e._.attrs) for e in doc.ents])


def test_load_returns_a_language(nlp):
    assert isinstance(nlp, spacy.language.Language)
    assert nlp.pipe_names[:2] == ["xxgk_layout", "xxgk_sections"]
    assert nlp.max_length >= 10_000_000


def test_unknown_style_names_the_fix():
    with pytest.raises(ValueError, match="E001.*university.*register_style"):
        xxgk_nlp.load(style="hospital")


def test_wrong_argument_types():
    with pytest.raises(TypeError, match="E009"):
        xxgk_nlp.load(style=3)
    with pytest.raises(ValueError, match="E011"):
        xxgk_nlp.load(rules_dir="/no/such/folder")


def _custom_nlp():
    custom = xxgk_nlp.load()
    custom.get_pipe("xxgk_sections").add_patterns([
        {"id": "chapter", "type": "heading", "level": 1, "always": True,
         "pattern": "^(?P<number>第[一二三四五六七八九十]{1,3}章)\\s*(?P<title>.+)$"}])
    return custom


def test_to_disk_and_spacy_load_round_trip_with_user_rules(tmp_path):
    custom = _custom_nlp()
    before = custom(TEXT)
    assert [h._.number for h in before.spans["headings"]] == ["一", "第一章"]
    custom.to_disk(tmp_path / "pipe")
    reloaded = spacy.load(tmp_path / "pipe")
    assert reloaded.pipe_names == custom.pipe_names
    assert _result(reloaded(TEXT)) == _result(before)


def test_from_disk_replaces_rules(tmp_path):
    custom = _custom_nlp()
    sections = custom.get_pipe("xxgk_sections")
    n = len(sections)
    sections.to_disk(tmp_path / "sections")
    sections.from_disk(tmp_path / "sections")
    sections.from_disk(tmp_path / "sections")
    assert len(sections) == n
    data = sections.to_bytes()
    sections.clear()
    assert len(sections) == 0
    sections.from_bytes(data)
    assert len(sections) == n and "chapter" in sections.ids


@pytest.mark.slow
def test_saved_pipeline_loads_without_importing_the_package(tmp_path):
    custom = _custom_nlp()
    custom.to_disk(tmp_path / "pipe")
    expected = custom(TEXT)
    code = (
        "import sys, json, spacy\n"
        "assert 'xxgk_nlp' not in sys.modules\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"doc = nlp({TEXT!r})\n"
        "print(json.dumps([h._.title for h in doc.spans['headings']], ensure_ascii=False))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [h._.title for h in expected.spans["headings"]]


@pytest.mark.parametrize("n_process", [1, 2])
def test_pipe_n_process_gives_identical_results(nlp, seeds, n_process):
    texts = [raw for _, raw, _ in seeds] + [TEXT]
    single = [_result(nlp(t)) for t in texts]
    piped = [_result(d) for d in nlp.pipe(texts, n_process=n_process, batch_size=2)]
    assert piped == single


def test_docbin_keeps_extension_values(nlp, seeds):
    docs = [nlp(raw) for _, raw, _ in seeds[:2]]
    data = DocBin(store_user_data=True, docs=docs).to_bytes()
    restored = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    assert [_result(d) for d in restored] == [_result(d) for d in docs]


def test_extract_returns_the_contract_document(seeds):
    _, raw, _ = seeds[2]
    out = xxgk_nlp.extract(raw, source="x.txt")
    assert out["schema"] == SCHEMA and out["style"] == "university" and out["source"] == "x.txt"
    assert out["text"] == raw
    assert set(out) == {"schema", "style", "source", "text", "clean_text", "report", "headings",
                        "entities", "facts"}
    assert set(out["report"]) >= {"title", "institution", "date", "period", "indicators",
                                  "sections_present", "sections_missing"}
    assert set(out["report"]["indicators"]) >= {"proactive_total", "requests_received", "complaints",
                                                "administrative_reviews", "lawsuits"}
    for h in out["headings"]:
        assert set(h) == {"level", "number", "title", "kind", "start", "end"}
        assert raw[h["start"]:h["end"]].replace("\n", "").replace(" ", "") == h["title"].replace(" ", "")
    for e in out["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(raw) and isinstance(e["attrs"], dict)
    json.dumps(out)  # JSON-safe


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\x00\x01\x02", "《" * 2000,
                                  "一、" * 500, "\t" * 1000])
def test_odd_input_gives_a_valid_result(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    out = xxgk_nlp.doc_to_dict(doc)
    assert out["text"] == text


def test_lone_surrogates_get_a_clear_error(nlp):
    with pytest.raises(ValueError, match="E107.*surrogate.*offset 2"):
        nlp("学校\ud800公开")


def test_nlp_evaluate_on_corpus_examples(nlp):
    from xxgk_nlp import corpus

    root = __import__("pathlib").Path(__file__).resolve().parent.parent
    examples = corpus.to_examples(corpus.load(root / "corpus" / "university.jsonl"), nlp)
    scores = nlp.evaluate(examples)
    assert scores["ents_f"] >= 0.95
    assert scores["spans_headings_f"] >= 0.97
    assert set(scores["ents_per_type"]) >= {"QUANTITY", "CHANNEL", "DOC_NUMBER", "DEPARTMENT"}


def test_extract_checks_the_style():
    with pytest.raises(TypeError, match="E009"):
        xxgk_nlp.extract("学校", style=[])
    with pytest.raises(ValueError, match="E001"):
        xxgk_nlp.extract("学校", style="no_such_style")
