"""Facts: quantities linked to channels and metrics, from text and from tables."""
from .conftest import doc_with_gold_entities


def _facts(doc, start_marker, end_marker):
    start = doc.text.index(start_marker)
    end = doc.text.index(end_marker, start)
    return [(f["channel"], f["metric"], f["value"], f["unit"]) for f in doc._.facts
            if start <= f["sentence"][0] < end]


# fmt: off
SEED_003_MAIN_CAMPUS_TABLE = [
    ("主页", "数量", 158, None), ("新闻网", "数量", 1000, None), ("OA系统", "数量", 3067, None),
    ("今日哈工大", "数量", 7825, None), ("本科教学信息", "数量", 22, None),
    ("本科招生信息", "数量", 127, None), ("研究生教学信息", "数量", 237, None),
    ("研究生招生信息", "数量", 39, None), ("科研信息", "数量", 20, None), ("人事信息", "数量", 145, None),
    ("财务信息", "数量", 48, None), ("国资信息", "数量", 39, None), ("后勤信息", "数量", 491, None),
    (None, "数量（总计）", 13218, None),
]
SEED_001_NEW_MEDIA = [
    ("官方微博", None, 1, "个"), ("官方微博", "粉丝", 51000, "名"), ("官方微博", "发布信息", 262, "条"),
    ("官方微信公众号", "粉丝", 56140, "人"), ("官方微信公众号", "发布信息", 421, "条"),
    ("官方微信公众号", "阅读量", 1500000, "次"), ("官方微信公众号", "点赞数", 30000, "次"),
    ("微博", "粉丝", 14270, "人"), ("微博", "发布信息", 465, "条"),
    ("微信公众号", "粉丝", 101933, "人"), ("微信公众号", "发布信息", 585, "条"),
    ("微信公众号", "阅读量", 1200000, "次"), ("微信公众号", "点赞数", 20000, "次"),
    ("微信公众号", "粉丝", 16000, "人"), ("微信公众号", "发布信息", 169, "条"),
    ("微信公众号", "阅读量", 300000, "次"),
    ("微信公众号", "粉丝", 10986, "人"), ("微信公众号", "发布信息", 239, "条"),
    ("微信公众号", "阅读量", 170000, "次"),
]
# fmt: on


def _all_three_tables(facts):
    rows = [f for f in facts if f[1] and f[1].startswith("数量")]
    return len(rows), rows[:len(SEED_003_MAIN_CAMPUS_TABLE)]


def test_table_rows_from_gold_spans(nlp, seeds):
    _, raw, gold = next(s for s in seeds if s[0].startswith("003"))
    doc = doc_with_gold_entities(nlp, raw, gold)
    n, first = _all_three_tables(_facts(doc, "详见下表", "2.主动公开信息内容"))
    assert n == 14 + 13 + 11
    assert first == SEED_003_MAIN_CAMPUS_TABLE


def test_table_rows_with_the_pipeline(seed_docs):
    _, _, doc = seed_docs["003_bc654ca73ee52c90"]
    n, first = _all_three_tables(_facts(doc, "详见下表", "2.主动公开信息内容"))
    assert n == 14 + 13 + 11
    assert first == SEED_003_MAIN_CAMPUS_TABLE


def test_new_media_paragraph_from_gold_spans(nlp, seeds):
    _, raw, gold = next(s for s in seeds if s[0].startswith("001"))
    doc = doc_with_gold_entities(nlp, raw, gold)
    assert _facts(doc, "学校现有官方微博", "（三）通过教代会") == SEED_001_NEW_MEDIA


def test_new_media_paragraph_with_the_pipeline(seed_docs):
    _, _, doc = seed_docs["001_074c46209a94675a"]
    assert _facts(doc, "学校现有官方微博", "（三）通过教代会") == SEED_001_NEW_MEDIA


def test_clause_links_on_small_texts(nlp):
    doc = nlp("二、主动公开情况\n全校主动公开信息共计 4258 条。其中，通过门户网站、各部门网站公布各类信息 3390 条，"
              "在校外新闻媒体发布新闻稿件 300 篇。学校官方微博粉丝数 124 万，发布信息 851 条。")
    facts = [(f["channel"], f["metric"], f["value"], f["unit"], f["section"]) for f in doc._.facts]
    assert facts == [
        (None, "主动公开信息", 4258, "条", "proactive"),
        ("门户网站、部门网站", "公布各类信息", 3390, "条", "proactive"),
        (None, "校外新闻媒体发布新闻稿件", 300, "篇", "proactive"),
        ("官方微博", "粉丝数", 1240000, None, "proactive"),
        ("官方微博", "发布信息", 851, "条", "proactive"),
    ]
    assert doc._.facts[1]["channels"] == ["门户网站", "部门网站"]
