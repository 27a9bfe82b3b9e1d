"""The shipped JSON Schema of the xxgk-nlp/1 document (CONTRACT.md)."""
import copy
import json
from importlib import resources

import pytest

import xxgk_nlp
from xxgk_nlp.document import SCHEMA as SCHEMA_ID

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json.loads(resources.files("xxgk_nlp").joinpath("schema/document.schema.json")
                    .read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
SAMPLE = ("北京某大学2022-2023学年信息公开工作报告\n一、信息公开工作概述\n学校依据《高等学校信息公开办法》"
          "（教育部令第29号），通过官方微博发布信息851条，门户网站http://xxgk.example.edu.cn。\n"
          "联系电话：010-62332317。2022年10月30日\n")


@pytest.fixture(scope="module")
def sample():
    return json.loads(json.dumps(xxgk_nlp.extract(SAMPLE), ensure_ascii=False))


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema"]["const"] == SCHEMA_ID


def test_sample_document_validates(sample):
    VALIDATOR.validate(sample)
    labels = {e["label"] for e in sample["entities"]}
    assert {"DOC_TITLE", "DOC_NUMBER", "CHANNEL", "QUANTITY", "URL", "PHONE"} <= labels


@pytest.mark.parametrize("style", ["university", "government"])
def test_seed_documents_of_every_style_validate(style):
    from pathlib import Path

    seeds = sorted((Path(__file__).parent.parent / "corpus" / style / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip(f"no {style} seeds")
    for path in seeds:
        document = xxgk_nlp.extract(path.read_text(encoding="utf-8"), style=style,
                                    source=str(path))
        VALIDATOR.validate(json.loads(json.dumps(document, ensure_ascii=False)))


def _break(document, path, value):
    broken = copy.deepcopy(document)
    target = broken
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return broken


def _first(document, label):
    return next(i for i, e in enumerate(document["entities"]) if e["label"] == label)


# fmt: off
BROKEN = [
    ("wrong schema id", lambda d: _break(d, ["schema"], "xxgk-nlp/2")),
    ("text missing", lambda d: _break(d, ["text"], KeyError)),
    ("source not a string", lambda d: _break(d, ["source"], 3)),
    ("unknown label", lambda d: _break(d, ["entities", 0, "label"], "PERSON")),
    ("negative offset", lambda d: _break(d, ["entities", 0, "start"], -1)),
    ("attrs missing", lambda d: _break(d, ["entities", 0, "attrs"], KeyError)),
    ("quantity value text", lambda d: _break(d, ["entities", _first(d, "QUANTITY"), "attrs", "value"], "851")),
    ("quantity approx unknown", lambda d: _break(d, ["entities", _first(d, "QUANTITY"), "attrs", "approx"], "maybe")),
    ("channel kind unknown", lambda d: _break(d, ["entities", _first(d, "CHANNEL"), "attrs", "kind"], "pigeon")),
    ("doc number kind unknown", lambda d: _break(d, ["entities", _first(d, "DOC_NUMBER"), "attrs", "kind"], "memo")),
    ("doc title without title", lambda d: _break(d, ["entities", _first(d, "DOC_TITLE"), "attrs", "title"], KeyError)),
    ("indicator missing", lambda d: _break(d, ["report", "indicators", "lawsuits"], KeyError)),
    ("indicator text", lambda d: _break(d, ["report", "indicators", "complaints"], "none")),
    ("heading level zero", lambda d: _break(d, ["headings", 0, "level"], 0)),
    ("fact sentence short", lambda d: _break(d, ["facts", 0, "sentence"], [1])),
]
# fmt: on


@pytest.mark.parametrize("name,breaker", BROKEN, ids=[name for name, _ in BROKEN])
def test_schema_rejects_broken_documents(sample, name, breaker):
    assert not VALIDATOR.is_valid(breaker(sample))


def test_styles_may_add_indicators(sample):
    extended = _break(sample, ["report", "indicators", "fees_amount"], 1562.37)
    assert VALIDATOR.is_valid(extended)
