"""Shared fixtures: a blank Chinese pipeline, the xxgk pipeline, the seed corpus
and a tiny pkuseg model trained on the spot (no download)."""
import json
import re
from pathlib import Path

import pytest
import spacy

import xxgk_nlp

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def norm(text):
    """Remove all whitespace (the guideline's comparison)."""
    return re.sub(r"\s+", "", text or "")


def gold_documents(style="university"):
    """(id, raw text, gold record) for every gold file of a style in corpus/."""
    out = []
    for path in sorted((CORPUS / style / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        raw = (path.parent.parent / gold["raw_file"]).read_text(encoding="utf-8")
        out.append((gold["id"], raw, gold))
    return out


@pytest.fixture(scope="session")
def blank_zh():
    return spacy.blank("zh")


@pytest.fixture(scope="session")
def nlp():
    return xxgk_nlp.load()


@pytest.fixture(scope="session")
def seeds():
    return gold_documents("university")


@pytest.fixture(scope="session")
def gov():
    """The government-style pipeline."""
    return xxgk_nlp.load(style="government")


@pytest.fixture(scope="session")
def gov_docs(gov):
    """Gold and processed Doc of every government seed, by id."""
    return {doc_id: (gold, gov(raw)) for doc_id, raw, gold in gold_documents("government")}


@pytest.fixture(scope="session")
def seed_scores():
    """The seeds scored by `xxgk_nlp.evaluate` (the same comparison as score.py)."""
    from xxgk_nlp.evaluate import evaluate

    return evaluate(CORPUS / "university.jsonl")


@pytest.fixture(scope="session")
def seed_docs(nlp, seeds):
    return {doc_id: (raw, gold, nlp(raw)) for doc_id, raw, gold in seeds}


@pytest.fixture(scope="session")
def seed_results(seed_docs):
    """(gold, Doc) of every university seed, in id order."""
    return [(gold, doc) for _, gold, doc in seed_docs.values()]


TINY_PKUSEG_TRAIN = """学校 信息 公开 工作 领导 小组
信息公开 专栏 发布 信息 84 条
教育部 令 第 29 号
北京 理工 大学 信息 公开 工作 报告
主动 公开 信息 共计 4258 条
通过 门户 网站 公布 各类 信息
"""


@pytest.fixture(scope="session")
def pkuseg_model(tmp_path_factory):
    """A tiny pkuseg model trained with spacy_pkuseg in a temporary folder."""
    spacy_pkuseg = pytest.importorskip("spacy_pkuseg")
    folder = tmp_path_factory.mktemp("pkuseg")
    train = folder / "train.txt"
    train.write_text(TINY_PKUSEG_TRAIN * 20, encoding="utf-8")
    test = folder / "test.txt"
    test.write_text(TINY_PKUSEG_TRAIN, encoding="utf-8")
    model = folder / "model"
    spacy_pkuseg.train(str(train), str(test), str(model), train_iter=2)
    return model


def doc_with_gold_entities(nlp, raw, gold):
    """Run layout and sections, set the gold entities, then report and facts:
    tests the roll-up components independently of the recognizers."""
    from xxgk_nlp.spans import char_span

    doc = nlp.make_doc(raw)
    for name in ("xxgk_layout", "xxgk_sections"):
        doc = nlp.get_pipe(name)(doc)
    spans = [(char_span(doc, e["raw_start"], e["raw_end"], e["label"]), e.get("attrs", {}))
             for e in gold["entities"]]
    doc.ents = [s for s, _ in spans]
    for span, attrs in spans:
        span._.attrs = attrs
    for name in ("xxgk_report", "xxgk_facts"):
        doc = nlp.get_pipe(name)(doc)
    return doc
