"""Robustness: random text never breaks the pipeline, adversarial inputs finish
quickly (no catastrophic backtracking), and public functions reject bad
arguments with one clear message."""
import json
import multiprocessing
import time
from importlib import resources

import pytest

import xxgk_nlp

jsonschema = pytest.importorskip("jsonschema")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SCHEMA = json.loads(resources.files("xxgk_nlp").joinpath("schema/document.schema.json")
                    .read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

# Characters these reports are made of, and the ones that break naive rules.
REPORT_CHARS = (
    "学校信息公开工作年度报告教育部令第号办函条件项万亿余约近共计年月日学度至网站微博微信公众号"
    "一二三四五六七八九十百千零两〇"
    "0123456789０１２３４５６７８９.,%-~—：:；;，。、"
    "《》〔〕【】（）()[]［］〈〉“”\"'"
    " \u3000\t\n\r\f\v\x00\x01\x1b\x7f\u200b\ufeff\u00ad\u2028"
    "ＡＢａｂABCabc@/_"
)
TEXTS = st.text(
    alphabet=st.one_of(st.sampled_from(REPORT_CHARS),
                       st.characters(exclude_categories=("Cs",))),
    max_size=300,
)


def _check_doc(doc, text):
    assert doc.text == text
    n = len(text)
    spans = list(doc.ents) + [s for group in doc.spans.values() for s in group]
    for span in spans:
        assert 0 <= span.start_char < span.end_char <= n
        assert span.text == text[span.start_char:span.end_char]
    ents = sorted((e.start_char, e.end_char) for e in doc.ents)
    for (_, end), (start, _) in zip(ents, ents[1:]):
        assert end <= start
    for ent in doc.ents:
        json.dumps(ent._.attrs)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_random_text_never_breaks_the_pipeline(nlp, text):
    doc = nlp(text)
    _check_doc(doc, text)
    document = json.loads(json.dumps(xxgk_nlp.doc_to_dict(doc)))
    VALIDATOR.validate(document)
    assert document["text"] == text


@settings(max_examples=20, deadline=None)
@given(pieces=st.lists(st.sampled_from([
    "二、主动公开情况\n", "（一）", "《高等学校信息公开办法》", "（教育部令第29号）", "教办函〔2014〕23号",
    "共计4258条", "两千余条", "2021-2022学年", "2022年10月30日", "http://xxgk.example.edu.cn",
    "010-62332317", "官方微博", "学校办公室", "〔2014", "《", "》", "\n\n", "\t", "万万",
]), max_size=30))
def test_random_report_fragments_extract_to_a_valid_document(pieces):
    text = "".join(pieces)
    document = xxgk_nlp.extract(text)
    VALIDATOR.validate(json.loads(json.dumps(document)))
    for ent in document["entities"]:
        assert 0 <= ent["start"] < ent["end"] <= len(text)


# --- adversarial inputs -----------------------------------------------------

def _five_mb_line():
    line = "学校通过门户网站主动公开信息共计4258条，依据《高等学校信息公开办法》（教育部令第29号）。"
    return line * (5_000_000 // len(line.encode("utf-8")) + 1)


# fmt: off
ADVERSARIAL = [
    ("book_title_marks", lambda: "《" * 200_000),
    ("closing_marks", lambda: "》" * 200_000),
    ("unbalanced_year_brackets", lambda: "〔2014" * 20_000),
    ("unbalanced_doc_numbers", lambda: "教办函〔2014" * 20_000),
    ("digits_10000", lambda: "1" * 10_000),
    ("digits_with_unit", lambda: "共计" + "9" * 10_000 + "条"),
    ("fullwidth_digits", lambda: "１" * 10_000 + "件"),
    ("wan_runs", lambda: "万" * 50_000),
    ("chinese_numeral_runs", lambda: "一二三四五六七八九十百千万亿" * 5_000),
    ("only_tabs", lambda: "\t" * 100_000),
    ("only_newlines", lambda: "\n" * 100_000),
    ("nul_bytes", lambda: "\x00" * 50_000 + "学校\x00信息\x00公开4258条"),
    ("heading_runs", lambda: "一、概述\n" * 20_000),
    ("paren_numbers", lambda: "（一）" * 30_000),
    ("url_dots", lambda: "http://" + "a." * 50_000),
    ("email_parts", lambda: "a" * 50_000 + "@" + "b." * 25_000),
    ("date_runs", lambda: "2022年" * 30_000),
    ("period_runs", lambda: "2021-2022学年" * 10_000),
    ("traditional", lambda: ("北京理工大學2022-2023學年資訊公開工作報告\n一、資訊公開工作概述\n"
                             "學校依據《高等學校資訊公開辦法》（教育部令第29號）公開資訊4258條。\n") * 300),
    ("five_mb_single_line", _five_mb_line),
]
# fmt: on


def _extract_in_child(make_text, queue):
    try:
        text = make_text()
        start = time.perf_counter()
        document = xxgk_nlp.extract(text)
        ok = document["text"] == text
        queue.put(("ok" if ok else "text changed", time.perf_counter() - start))
    except BaseException as exc:  # report any failure to the parent
        queue.put((repr(exc)[:500], 0.0))


@pytest.mark.parametrize("name,make_text", ADVERSARIAL,
                         ids=[getattr(case, "values", case)[0] for case in ADVERSARIAL])
def test_adversarial_input_finishes_in_time(name, make_text):
    """Each input is processed in a forked child that is killed at the bound."""
    xxgk_nlp.extract("热身。")  # the child inherits the built pipeline
    text_len = len(make_text())
    bound = max(10.0, 20e-6 * text_len)  # 10 s, or 20 us/char for the 5 MB line
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_extract_in_child, args=(make_text, queue))
    child.start()
    child.join(bound)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"{name}: not done after {bound:.0f} s ({text_len} characters)")
    status, seconds = queue.get(timeout=5)
    assert status == "ok", f"{name}: {status}"


@pytest.mark.parametrize("text", ["\ud800", "学校\udcff信息", "a\udfff" * 10])
def test_lone_surrogates_give_a_clear_error(nlp, text):
    with pytest.raises(ValueError, match="E107.*errors='replace'"):
        nlp(text)
    with pytest.raises(ValueError, match="E107"):
        xxgk_nlp.extract(text)


def test_empty_and_whitespace_documents(nlp):
    for text in ("", " ", "\n", "\t\t", "\u3000"):
        doc = nlp(text)
        _check_doc(doc, text)
        VALIDATOR.validate(xxgk_nlp.extract(text))


# --- argument checks ----------------------------------------------------------

# fmt: off
BAD_LOAD_ARGUMENTS = [
    ({"style": "hospital"}, ValueError, r"E001.*register_style"),
    ({"style": 3}, TypeError, r"E009"),
    ({"segmenter": "spacy"}, ValueError, r"E100.*'char'"),
    ({"segmenter": "pkuseg"}, ValueError, r"E101.*pkuseg_model=PATH"),
    ({"segmenter": "pkuseg", "pkuseg_model": "/no/such/model"}, ValueError, r"E101"),
    ({"rules_dir": "/no/such/rules"}, ValueError, r"E011"),
]
# fmt: on


@pytest.mark.parametrize("kwargs,error,message", BAD_LOAD_ARGUMENTS)
def test_load_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        xxgk_nlp.load(**kwargs)


def test_pkuseg_model_folder_without_files_names_the_fix(tmp_path):
    with pytest.raises(ValueError, match=r"E102.*weights.npz"):
        xxgk_nlp.load(segmenter="pkuseg", pkuseg_model=tmp_path)


# fmt: off
@pytest.mark.parametrize("value", [b"bytes", None, 42, ["text"]])
# fmt: on
def test_non_text_input_names_the_fix(nlp, value):
    with pytest.raises(TypeError, match=r"E104.*read_text"):
        xxgk_nlp.extract(value)
    with pytest.raises(TypeError, match=r"E104"):
        nlp.tokenizer(value)
    if not isinstance(value, bytes):  # nlp(bytes) is spaCy's Doc deserialisation
        with pytest.raises(ValueError, match=r"E1041"):  # spaCy's own check comes first
            nlp(value)


def test_extract_with_unknown_style():
    with pytest.raises(ValueError, match=r"E001"):
        xxgk_nlp.extract("学校", style="hospital")


# fmt: off
BAD_DOC_TO_DICT = [
    ({"doc": "学校"}, r"E009.*doc.*spaCy Doc"),
    ({"style": 3}, r"E009.*style"),
    ({"source": 3}, r"E009.*source.*str path or None"),
]
# fmt: on


@pytest.mark.parametrize("kwargs,message", BAD_DOC_TO_DICT)
def test_doc_to_dict_rejects_bad_arguments(nlp, kwargs, message):
    kwargs = dict(kwargs)
    doc = kwargs.pop("doc", None) or nlp("学校")
    with pytest.raises(TypeError, match=message):
        xxgk_nlp.doc_to_dict(doc, **kwargs)


def test_extract_records_a_path_source_as_text():
    from pathlib import Path

    document = xxgk_nlp.extract("学校", source=Path("reports") / "a.txt")
    assert document["source"] == str(Path("reports") / "a.txt")
    VALIDATOR.validate(document)


def test_benchmark_arguments(tmp_path):
    from xxgk_nlp import bench

    with pytest.raises(ValueError, match=r"E700.*--corpus"):
        bench.read_corpus(tmp_path)
    with pytest.raises(TypeError, match=r"E009"):
        bench.read_corpus(3)
    (tmp_path / "a.txt").write_text("学校信息公开工作报告", encoding="utf-8")
    with pytest.raises(ValueError, match=r"E702.*n_docs"):
        bench.run(tmp_path, n_docs=0)
    with pytest.raises(ValueError, match=r"E001"):
        bench.run(tmp_path, style="hospital")
    assert bench.workload(["a", "b"], 5) == ["a", "b", "b", "a", "a"]


@pytest.mark.slow
def test_benchmark_smoke_run(tmp_path, seeds):
    """`bench.run` (as `benchmarks/bench.py --quick`) prints the table and a JSON line."""
    import io

    from xxgk_nlp import bench

    for doc_id, raw, _ in seeds[:2]:
        (tmp_path / f"{doc_id}.txt").write_text(raw[:3000], encoding="utf-8")
    out = io.StringIO()
    result = bench.run(tmp_path, quick=True, n_docs=4, memory_docs=10, out=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("ratio (b)/(a)") for line in lines)
    assert any(line.startswith("per-character growth") for line in lines)
    assert json.loads(lines[-1]) == json.loads(json.dumps(result))
    assert result["throughput"]["documents"] == 4
    assert set(result["criteria"]) == {"ratio", "scaling", "memory"}
    assert result["memory"]["documents"] == 10 and result["memory"]["peak_rss_mb"] > 0
