"""DOC_NUMBER: document and order numbers, the issuer boundary, title linking."""
import time

import pytest
import srsly

import xxgk_nlp
from xxgk_nlp.doc_numbers import DocNumberRecognizer, DocNumberRule

from .conftest import gold_documents, norm


def _numbers(nlp, text):
    doc = nlp(text)
    return [(norm(e.text), e._.attrs) for e in doc.ents if e.label_ == "DOC_NUMBER"]


def _attrs(issuer, year, serial, kind):
    return {"issuer": issuer, "year": year, "serial": serial, "kind": kind}


# fmt: off
@pytest.mark.parametrize("text,span,issuer,year,serial,kind", [
    # 发文字号 with every bracket form
    ("学校严格执行《高等学校信息公开事项清单》（教办函〔2014〕23号）。", "教办函〔2014〕23号", "教办函", 2014, 23, "document"),
    ("依据湘教通[2019]105号文件开展工作。", "湘教通[2019]105号", "湘教通", 2019, 105, "document"),
    ("参照粤府办［2020］12号的要求。", "粤府办［2020］12号", "粤府办", 2020, 12, "document"),
    ("按照苏教办【2021】8号执行。", "苏教办【2021】8号", "苏教办", 2021, 8, "document"),
    ("见陕教（2018）33号。", "陕教（2018）33号", "陕教", 2018, 33, "document"),
    ("见鲁教发(2016)7号。", "鲁教发(2016)7号", "鲁教发", 2016, 7, "document"),
    ("转发国办发﹝2019﹞54号通知。", "国办发﹝2019﹞54号", "国办发", 2019, 54, "document"),
    # spaces and line breaks inside, full-width digits, 第 before the serial, 號
    ("印发了校发〔2018〕\n86 号文件。", "校发〔2018〕86号", "校发", 2018, 86, "document"),
    ("落实川府发〔２０２２〕１４号精神。", "川府发〔２０２２〕１４号", "川府发", 2022, 14, "document"),
    ("根据黔府发〔2018〕第7号要求。", "黔府发〔2018〕第7号", "黔府发", 2018, 7, "document"),
    ("按照国家税务总局公告〔2015〕第36号办理。", "国家税务总局公告〔2015〕第36号", "国家税务总局公告", 2015, 36, "document"),
    ("依照国家税务总局公告2018年第31号办理。", "国家税务总局公告2018年第31号", "国家税务总局公告", 2018, 31, "document"),
    ("见《会计档案管理办法》（（1998）财会字第32号）", "（1998）财会字第32号", "财会字", 1998, 32, "document"),
    ("依據港府發〔2020〕3號辦理。", "港府發〔2020〕3號", "港府發", 2020, 3, "document"),
    # the issuer's left boundary
    ("按照国办发〔2013〕73号要求", "国办发〔2013〕73号", "国办发", 2013, 73, "document"),
    ("自治区教育厅桂教办〔2021〕1161号明确", "桂教办〔2021〕1161号", "桂教办", 2021, 1161, "document"),
    ("省人民政府办公厅黔府办函〔2019〕88号规定", "黔府办函〔2019〕88号", "黔府办函", 2019, 88, "document"),
    ("贯彻落实好中办发〔2016〕8号文件", "中办发〔2016〕8号", "中办发", 2016, 8, "document"),
    ("我校校党发〔2011〕39号", "校党发〔2011〕39号", "校党发", 2011, 39, "document"),
    ("某某科技大学校发〔2020〕5号", "校发〔2020〕5号", "校发", 2020, 5, "document"),
    ("工信厅办〔2019〕49号", "工信厅办〔2019〕49号", "工信厅办", 2019, 49, "document"),
    ("教育部办公厅教办厅函〔2018〕80号", "教办厅函〔2018〕80号", "教办厅函", 2018, 80, "document"),
    ("桂工程院报〔2022〕63号", "桂工程院报〔2022〕63号", "桂工程院报", 2022, 63, "document"),
    # orders
    ("根据《高等学校信息公开办法》（教育部令第29号）", "教育部令第29号", "教育部", None, 29, "order"),
    ("中华人民共和国教育部令第29号公布", "中华人民共和国教育部令第29号", "中华人民共和国教育部", None, 29, "order"),
    ("依据国家发展改革委令第16号", "国家发展改革委令第16号", "国家发展改革委", None, 16, "order"),
    ("即教育部令29号", "教育部令29号", "教育部", None, 29, "order"),
    ("根据教育部第29号令制定", "教育部第29号令", "教育部", None, 29, "order"),
    ("见国务院令〔2004〕412号", "国务院令〔2004〕412号", "国务院", 2004, 412, "order"),
    ("2002年8月29日中华人民共和国主席令第七十三号公布", "中华人民共和国主席令第七十三号", "中华人民共和国主席", None, 73, "order"),
    ("2016年3月1日 人力资源和社会保障部令第27号发布", "人力资源和社会保障部令第27号", "人力资源和社会保障部", None, 27, "order"),
    ("1990年5月2日 农业部、财政部令第3号发布", "农业部、财政部令第3号", "农业部、财政部", None, 3, "order"),
    ("原国家质量监督检验检疫总局令第150号废止", "国家质量监督检验检疫总局令第150号", "国家质量监督检验检疫总局", None, 150, "order"),
])
# fmt: on
def test_doc_number(nlp, text, span, issuer, year, serial, kind):
    assert _numbers(nlp, text) == [(norm(span), _attrs(issuer, year, serial, kind))]


# fmt: off
@pytest.mark.parametrize("text", [
    "在第七届二次教代会上审议通过。",
    "咨询电话：0451-86413099，传真：010-62332317。",
    "地址：重庆市南岸区学府大道19号，邮编400067。",
    "乘地铁10号线到校。",
    "《高校信息公开研究》2020年第2号（总第55号）刊发。",
    "市政府主办2021年第3号（总第60号）",
    "市中级人民法院作出（2019）京01行初123号行政判决。",
    "该院作出（2018）苏0102民初字第4567号民事判决。",
    "法院作出（2010）海民初字第1234号判决。",
    "二审（2011）一中民终字第567号判决维持原判。",
    "〔2014〕",
    "（〔2015〕12号）",
    "学号2019123，宿舍3号楼。",
    "国务院第23次常务会议审议通过。",
    "《企业会计准则第14号——收入》",
    "学校发布指令第3号。",
    "项目编号：ABC2018-05号",
    "〔1850〕3号",
])
# fmt: on
def test_not_doc_number(nlp, text):
    assert _numbers(nlp, text) == []


# fmt: off
@pytest.mark.parametrize("text,title,number", [
    ("根据《高等学校信息公开办法》（教育部令第29号）要求", "《高等学校信息公开办法》", "教育部令第29号"),
    ("依据《高等学校信息公开办法》（教育部令第29号，以下简称《办法》）", "《高等学校信息公开办法》", "教育部令第29号"),
    ("落实《关于公布〈高等学校信息公开事项清单〉的通知》(教办函〔2014〕\n23 号)", "《关于公布〈高等学校信息公开事项清单〉的通知》", "教办函〔2014〕23号"),
    ("《中华人民共和国政府信息公开条例》（ 国务院令第492号 ）", "《中华人民共和国政府信息公开条例》", "国务院令第492号"),
])
# fmt: on
def test_title_gets_doc_number(nlp, text, title, number):
    doc = nlp(text)
    titles = [e for e in doc.ents if e.label_ == "DOC_TITLE"]
    assert norm(titles[0].text) == norm(title)
    assert titles[0]._.attrs["doc_number"] == number
    assert all(t._.attrs["doc_number"] is None for t in titles[1:])


# fmt: off
@pytest.mark.parametrize("text", [
    "《高等学校信息公开办法》和教育部令第29号",
    "《高等学校信息公开办法》，（教育部令第29号）",
    "《高等学校信息公开办法》（2010年，教育部令第29号）",
])
# fmt: on
def test_title_without_doc_number(nlp, text):
    doc = nlp(text)
    titles = [e for e in doc.ents if e.label_ == "DOC_TITLE"]
    assert titles and titles[0]._.attrs["doc_number"] is None
    assert any(e.label_ == "DOC_NUMBER" for e in doc.ents)


def test_numbers_inside_titles_are_not_annotated(nlp):
    doc = nlp("《关于转发教办函〔2014〕23号文件的通知》")
    assert [e.label_ for e in doc.ents] == ["DOC_TITLE"]


def test_seed_scores():
    tp = n_pred = n_gold = attr_ok = attr_n = 0
    nlp = xxgk_nlp.load()
    for _, raw, gold in gold_documents():
        doc = nlp(raw)
        pred = [(norm(e.text), e._.attrs) for e in doc.ents if e.label_ == "DOC_NUMBER"]
        want = [(norm(e["text"]), e["attrs"]) for e in gold["entities"] if e["label"] == "DOC_NUMBER"]
        n_pred += len(pred)
        n_gold += len(want)
        remaining = list(pred)
        for text, attrs in want:
            match = next((p for p in remaining if p[0] == text), None)
            if match is None:
                continue
            remaining.remove(match)
            tp += 1
            for key in ("issuer", "year", "serial", "kind"):
                attr_n += 1
                attr_ok += match[1][key] == attrs[key]
    precision, recall = tp / n_pred, tp / n_gold
    assert 2 * precision * recall / (precision + recall) >= 0.95
    assert attr_ok / attr_n >= 0.98


# fmt: off
@pytest.mark.parametrize("text", [
    "",
    "令第" + "1" * 10000 + "号",
    "教办函〔" + "2" * 10000 + "〕3号",
    "〔" * 200000,
    "令" * 100000 + "第29号",
    "第" * 100000 + "1号令",
    "教" * 100000 + "〔2014〕23号",
    "国办发〔2013〕73号\x00教办函〔2014〕\x0023号",
    "第" + "七" * 50000 + "号令",
])
# fmt: on
def test_odd_input_is_fast_and_safe(nlp, text):
    begin = time.perf_counter()
    doc = nlp(text)
    assert time.perf_counter() - begin < 10
    assert doc.text == text
    for ent in doc.ents:
        if ent.label_ == "DOC_NUMBER":
            assert srsly.json_loads(srsly.json_dumps(ent._.attrs)) == ent._.attrs


def test_lone_surrogates_in_find(nlp):
    component = nlp.get_pipe("xxgk_doc_numbers")
    found = component.find("\ud800教办函〔2014〕23号\udfff")
    assert [(s, e, a["serial"]) for s, e, a in found] == [(1, 13, 23)]


def test_issuer_boundary(nlp):
    component = nlp.get_pipe("xxgk_doc_numbers")
    # a Han run longer than the longest issuer, with no stop in it: no boundary
    assert component.issuer_start("甲" * 100 + "令", 100, "order") is None
    assert component.issuer_start("根据" + "甲" * 50 + "令", 52, "order") == 2
    # a code longer than max_code_chars is prose, unless it ends in a kind word
    assert component.issuer_start("甲" * 12 + "〔2014〕3号", 12, "document") is None
    assert component.issuer_start("甲" * 10 + "〔2014〕3号", 10, "document") == 0
    assert component.issuer_start("中国人民银行国家外汇管理局公告", 15, "document") == 0


def test_several_numbers_in_a_row(nlp):
    found = _numbers(nlp, "我校校党发〔2011〕39号和校办发〔2018〕16号、教育部令第29号及教育部第41号令")
    assert [text for text, _ in found] == [
        "校党发〔2011〕39号", "校办发〔2018〕16号", "教育部令第29号", "教育部第41号令"]


def test_rules_are_data(nlp):
    component = nlp.get_pipe("xxgk_doc_numbers")
    kinds = {rule["type"] for rule in component.rules}
    assert kinds == {"stop", "prefix", "authority_end", "kind_word", "court"}
    with pytest.raises(ValueError, match="unknown key 'label'"):
        DocNumberRule.from_dict({"type": "stop", "phrase": "依照", "label": "X"})
    with pytest.raises(ValueError, match="must be one of"):
        DocNumberRule.from_dict({"type": "start", "phrase": "依照"})
    with pytest.raises(ValueError, match="only 'stop', 'court' and 'form' rules take a pattern"):
        DocNumberRule.from_dict({"type": "prefix", "pattern": "原"})


def test_add_patterns_and_serialisation(tmp_path):
    nlp = xxgk_nlp.load()
    component = nlp.get_pipe("xxgk_doc_numbers")
    text = "学校督办桂教办〔2021〕1161号"
    assert _numbers(nlp, text)[0][0] == "督办桂教办〔2021〕1161号"
    component.add_patterns([{"type": "stop", "phrase": "督办", "id": "verb"}])
    assert _numbers(nlp, text)[0][0] == "桂教办〔2021〕1161号"
    component.to_disk(tmp_path / "dn")
    fresh = DocNumberRecognizer(nlp, "copy")
    fresh.from_disk(tmp_path / "dn")
    assert fresh.rules == component.rules
    assert fresh.cfg["max_code_chars"] == 10
    restored = DocNumberRecognizer(nlp, "copy2").from_bytes(component.to_bytes())
    assert restored.find("学校督办桂教办〔2021〕1161号")[0][0] == 4
    component.remove("verb")
    assert _numbers(nlp, text)[0][0] == "督办桂教办〔2021〕1161号"


def test_saved_pipeline_and_multiprocessing(nlp, tmp_path):
    import spacy

    text = "根据《高等学校信息公开办法》（教育部令第29号）和桂教办〔2021〕1161号"
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe("xxgk_doc_numbers").cfg["max_issuer_chars"] == 60
    for docs in ([loaded(text)], list(nlp.pipe([text, text], n_process=2))):
        for doc in docs:
            ents = [(e.label_, norm(e.text), e._.attrs) for e in doc.ents
                    if e.label_.startswith("DOC_")]
            assert ents == [
                ("DOC_TITLE", "《高等学校信息公开办法》",
                 {"title": "高等学校信息公开办法", "doc_number": "教育部令第29号"}),
                ("DOC_NUMBER", "教育部令第29号", _attrs("教育部", None, 29, "order")),
                ("DOC_NUMBER", "桂教办〔2021〕1161号", _attrs("桂教办", 2021, 1161, "document")),
            ]
