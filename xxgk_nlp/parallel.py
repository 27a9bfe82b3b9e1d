"""Run the pipeline over a Hugging Face `datasets.Dataset`, on several cores.

    import datasets, xxgk_nlp.parallel
    ds = datasets.Dataset.from_dict({"text": texts, "path": paths})
    out = xxgk_nlp.parallel.map_dataset(ds, num_proc=2, source_column="path")
    doc = json.loads(out[0]["xxgk"])      # the xxgk-nlp/1 document of row 0

`map_dataset` wraps `Dataset.map(batched=True, num_proc=…)`: each worker
process builds the pipeline once (`xxgk_nlp.load(style)`), then runs
`nlp.pipe` over its batches. The document goes in one JSON string column
(entity attributes differ by label, which an Arrow struct column cannot hold),
next to the input columns. Results are identical to `xxgk_nlp.extract` row by row
and do not depend on `num_proc`.
"""
import json
from functools import lru_cache
from typing import Any, Dict, List, Optional

from spacy.language import Language

from .document import doc_to_dict
from .errors import Errors

OUTPUT_COLUMN = "xxgk"


@lru_cache(maxsize=4)
def _pipeline(style: str) -> Language:
    import xxgk_nlp

    return xxgk_nlp.load(style=style)


def _process_batch(batch: Dict[str, List[Any]], indices: List[int], text_column: str,
                   style: str, output_column: str, source_column: Optional[str],
                   batch_size: int) -> Dict[str, List[str]]:
    texts = batch[text_column]
    for index, text in zip(indices, texts):
        if not isinstance(text, str):
            raise TypeError(Errors.E705.format(column=text_column, row=index,
                                               type=type(text).__name__))
    sources = batch[source_column] if source_column else [None] * len(texts)
    nlp = _pipeline(style)
    docs = nlp.pipe(texts, batch_size=batch_size)
    return {output_column: [
        json.dumps(doc_to_dict(doc, style=style, source=None if src is None else str(src)),
                   ensure_ascii=False)
        for doc, src in zip(docs, sources)]}


def _check_positive(name: str, value: Any, allow_none: bool) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(Errors.E702.format(name=name, value=value))


def map_dataset(dataset, text_column: str = "text", style: str = "university",
                num_proc: Optional[int] = None, batch_size: int = 16,
                output_column: str = OUTPUT_COLUMN, source_column: Optional[str] = None):
    """Add the `xxgk-nlp/1` JSON document of every row's text as a new column.

    dataset (Union[datasets.Dataset, datasets.DatasetDict]): The rows.
    text_column (str): The column holding the raw report text.
    style (str): The report style (see `xxgk_nlp.available_styles()`).
    num_proc (Optional[int]): Worker processes (None: this process).
    batch_size (int): Rows per `map` batch (and per `nlp.pipe` batch).
    output_column (str): Name of the new column of JSON strings.
    source_column (Optional[str]): A column recorded as the document's `source`.
    RETURNS (Union[datasets.Dataset, datasets.DatasetDict]): The dataset with the new column.
    """
    import datasets

    from .styles import style_path

    if not isinstance(dataset, (datasets.Dataset, datasets.DatasetDict)):
        raise TypeError(Errors.E703.format(type=type(dataset).__name__))
    for name, value in (("text_column", text_column), ("output_column", output_column),
                        ("style", style)):
        if not isinstance(value, str) or not value:
            raise TypeError(Errors.E009.format(what=name, expected="a non-empty str",
                                               got=value, type=type(value).__name__))
    style_path(style)
    _check_positive("num_proc", num_proc, allow_none=True)
    _check_positive("batch_size", batch_size, allow_none=False)
    column_sets = (dataset.column_names.values() if isinstance(dataset, datasets.DatasetDict)
                   else [dataset.column_names])
    for columns in column_sets:
        for column in (text_column, source_column):
            if column is not None and column not in columns:
                raise ValueError(Errors.E704.format(column=column, columns=columns))
    kwargs = {"text_column": text_column, "style": style, "output_column": output_column,
              "source_column": source_column, "batch_size": batch_size}
    return dataset.map(_process_batch, batched=True, batch_size=batch_size, with_indices=True,
                       num_proc=num_proc, fn_kwargs=kwargs, desc="xxgk-nlp")
