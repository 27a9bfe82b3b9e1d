"""xxgk_nlp.parallel.map_dataset: the pipeline over a datasets.Dataset."""
import json

import pytest

import xxgk_nlp
from xxgk_nlp.parallel import OUTPUT_COLUMN, map_dataset

datasets = pytest.importorskip("datasets")


@pytest.fixture(scope="module")
def dataset(seeds):
    rows = [(doc_id, raw) for doc_id, raw, _ in seeds]
    rows.append(("short", "学校通过官方微博发布信息851条。"))
    return datasets.Dataset.from_dict({"id": [r[0] for r in rows], "text": [r[1] for r in rows]})


@pytest.fixture(scope="module")
def expected(dataset):
    return [xxgk_nlp.extract(text, source=doc_id)
            for doc_id, text in zip(dataset["id"], dataset["text"])]


@pytest.mark.parametrize("num_proc", [None, 2])
def test_map_dataset_equals_extract_row_by_row(dataset, expected, num_proc):
    out = map_dataset(dataset, num_proc=num_proc, batch_size=2, source_column="id")
    assert out.column_names == ["id", "text", OUTPUT_COLUMN]
    documents = [json.loads(s) for s in out[OUTPUT_COLUMN]]
    assert documents == json.loads(json.dumps(expected, ensure_ascii=False))
    assert documents[-1]["facts"][0]["value"] == 851


def test_map_dataset_dict_and_custom_columns(dataset):
    renamed = dataset.rename_column("text", "raw")
    splits = datasets.DatasetDict({"train": renamed.select(range(2)), "test": renamed.select([5])})
    out = map_dataset(splits, text_column="raw", output_column="doc")
    assert json.loads(out["test"]["doc"][0])["text"] == renamed["raw"][5]
    assert len(out["train"]) == 2


# fmt: off
BAD_ARGUMENTS = [
    ({"dataset": ["text"]}, TypeError, r"E703.*Dataset.from_dict"),
    ({"text_column": "body"}, ValueError, r"E704.*'body'.*text_column"),
    ({"source_column": "path"}, ValueError, r"E704.*'path'"),
    ({"text_column": 3}, TypeError, r"E009"),
    ({"style": "hospital"}, ValueError, r"E001"),
    ({"num_proc": 0}, ValueError, r"E702.*num_proc"),
    ({"batch_size": -1}, ValueError, r"E702.*batch_size"),
]
# fmt: on


@pytest.mark.parametrize("kwargs,error,message", BAD_ARGUMENTS)
def test_map_dataset_rejects_bad_arguments(dataset, kwargs, error, message):
    kwargs = dict(kwargs)
    data = kwargs.pop("dataset", dataset)
    with pytest.raises(error, match=message):
        map_dataset(data, **kwargs)


def test_map_dataset_names_a_row_that_is_not_text():
    data = datasets.Dataset.from_dict({"text": ["学校", None]})
    with pytest.raises(TypeError, match=r"E705.*row 1"):
        map_dataset(data)
