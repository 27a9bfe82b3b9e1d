"""URL, EMAIL and PHONE (xxgk_contacts): seed reports against gold, small sentences, odd input."""

import pytest

from xxgk_nlp.contacts import ContactRecognizer

from .conftest import norm

LABELS = ("URL", "EMAIL", "PHONE")


def _found(nlp, text):
    return [(e.label_, e.text) for e in nlp(text).ents if e.label_ in LABELS]


@pytest.mark.parametrize("label", ("URL", "PHONE"))
def test_seed_f1(seed_scores, label):
    assert seed_scores["labels"][label]["f1"] >= 0.95


def test_seed_has_no_email_and_attrs_are_empty(seed_results):
    for gold, doc in seed_results:
        assert not [e for e in doc.ents if e.label_ == "EMAIL"]
        assert all(e._.attrs == {} for e in doc.ents if e.label_ in LABELS)


def test_seed_excerpt_markdown_links(nlp):
    raw = ("通过学校本科招生网 (<http://zsb.cust.edu.cn>)\n\n<http://zsb.cust.edu.cn>)、"
           "“长春理工大学本科招生”微信公众号、长春理工大学手机招生网 "
           "(<https://apps.eol.cn/1586/index.html>) 等及时向社会公布。")
    assert _found(nlp, raw) == [("URL", "http://zsb.cust.edu.cn"),
                                ("URL", "http://zsb.cust.edu.cn"),
                                ("URL", "https://apps.eol.cn/1586/index.html")]


def test_seed_excerpt_table_rows(nlp):
    raw = ("序号\t网站名称\t网址\t发布信息数\n1\t主页\twww.hit.edu.cn\t158\n"
           "2\t新闻网\tnew.hit.edu.cn\t1000\n"
           "1\t新闻中心\thttps://www.hitsz.edu.cn/article/index.html\t1920")
    assert _found(nlp, raw) == [("URL", "www.hit.edu.cn"), ("URL", "new.hit.edu.cn"),
                                ("URL", "https://www.hitsz.edu.cn/article/index.html")]


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # URL
    ("本报告电子版可以在信息公开网站（http://xxgk.ustb.edu.cn/）阅读下载。",
     [("URL", "http://xxgk.ustb.edu.cn/")]),
    ("（校本部：xxgk.hit.edu.cn；威海校区：xxgk.hitwh.edu.cn）",
     [("URL", "xxgk.hit.edu.cn"), ("URL", "xxgk.hitwh.edu.cn")]),
    ("详见http://xxgk.ustb.edu.cn/xinxigongkaimulu/jibenxinxi/niandubaogao/。",
     [("URL", "http://xxgk.ustb.edu.cn/xinxigongkaimulu/jibenxinxi/niandubaogao/")]),
    ("信息公开专栏 (<https://xxgk.cust.edu.cn/>) 主要公开", [("URL", "https://xxgk.cust.edu.cn/")]),
    ("访问 www.moe.gov.cn.", [("URL", "www.moe.gov.cn")]),
    ("HTTPS://WWW.EXAMPLE.EDU.CN/a?b=1&c=2#top",
     [("URL", "HTTPS://WWW.EXAMPLE.EDU.CN/a?b=1&c=2#top")]),
    ("网址：http://10.1.2.3:8080/xxgk", [("URL", "http://10.1.2.3:8080/xxgk")]),
    # EMAIL
    ("电子邮箱：poinfo@ustc.edu.cn。", [("EMAIL", "poinfo@ustc.edu.cn")]),
    ("联系邮箱xxgk_office.2022@mail.hit.edu.cn，", [("EMAIL", "xxgk_office.2022@mail.hit.edu.cn")]),
    # PHONE
    ("请联系信息公开领导小组办公室（010-62332317）。", [("PHONE", "010-62332317")]),
    ("联系电话：0451-86413099", [("PHONE", "0451-86413099")]),
    ("电话：(010)62332317", [("PHONE", "(010)62332317")]),
    ("电话：（0771）3231234", [("PHONE", "（0771）3231234")]),
    ("手机13912345678", [("PHONE", "13912345678")]),
    ("咨询专线400-810-5678", [("PHONE", "400-810-5678")]),
    ("公开“68912345”接诉即办服务热线，", [("PHONE", "68912345")]),
    ("监督电话：68912345", [("PHONE", "68912345")]),
    ("拨打12345政务服务便民热线", [("PHONE", "12345")]),
    # an extension is part of the phone, never a count
    ("请联系学校信息公开办公室，电话：0851-86912345转8001，", [("PHONE", "0851-86912345转8001")]),
    ("招生咨询热线电话0351-7654321转602和电子邮件", [("PHONE", "0351-7654321转602")]),
    ("联系电话：（0771）3388000转分机6012。", [("PHONE", "（0771）3388000转分机6012")]),
    ("电话：010-62332317分机号21。", [("PHONE", "010-62332317分机号21")]),
    ("Tel: 0451-86413099 ext. 305", [("PHONE", "0451-86413099 ext. 305")]),
    ("服务热线400-810-5678转2", [("PHONE", "400-810-5678转2")]),
    ("值班电话：68912345转8001", [("PHONE", "68912345转8001")]),
    ("电话：0451-86413099转12345678", [("PHONE", "0451-86413099")]),
    ("手机13912345678转3位同事", [("PHONE", "13912345678")]),
    # negatives
    ("主动公开信息13218条", []),
    ("开通13部咨询电话", []),
    ("年度预算13000000000元", []),
    ("共受理68912345件", []),
    ("学府大道19号", []),
    ("2022年10月30日", []),
    ("教办函〔2014〕23号", []),
    ("ISBN 978-7-04-012345-6", []),
    ("index.html 与 report.pdf", []),
    ("办理热线诉求12345件", []),
])
# fmt: on
def test_contacts(nlp, text, expected):
    assert _found(nlp, text) == expected


def test_digits_inside_url_are_not_phones_or_dates(nlp):
    doc = nlp("见https://apps.eol.cn/1586/20221030/13912345678.html")
    assert [(e.label_, e.text) for e in doc.ents] == [
        ("URL", "https://apps.eol.cn/1586/20221030/13912345678.html")]


def test_phone_with_extension_wrapped_over_two_lines(nlp):
    raw = ("23年全省高校信息公开年度报告工作的通知》（黔教办函〔2\n023〕158号），学校编制了本报告。报告所列数据统计期\n"
           "间为2022年9月1日至2023年8月31日。如对本报告\n有疑问，请与学校信息公开办公室联系（电话：0851-86\n"
           "912345转8001，电子邮箱：xxgk@qzust.\nedu.cn）。")
    found = [(e.label_, norm(e.text)) for e in nlp(raw).ents if e.label_ in ("PHONE", "QUANTITY")]
    assert found == [("PHONE", "0851-86912345转8001")]


def test_url_wrapped_over_two_lines(nlp):
    raw = "全文见学校信息公开网http://xxgk.ustb.edu.cn/xinxigongkaimulu/\njibenxinxi/niandubaogao/ 。"
    urls = [norm(e.text) for e in nlp(raw).ents if e.label_ == "URL"]
    assert urls == ["http://xxgk.ustb.edu.cn/xinxigongkaimulu/jibenxinxi/niandubaogao/"]


# fmt: off
@pytest.mark.parametrize("text", [
    "", "《" * 200_000, "1" * 10_000, "a" * 100_000, "a." * 50_000, "a@" * 50_000,
    "http://a.cn/" + "x" * 100_000, "电话：" * 20_000, "“" * 100_000 + "热线", "\x00" * 100,
    "电话\x0068912345",
])
# fmt: on
def test_odd_input(nlp, text):
    doc = nlp.make_doc(text)
    doc = nlp.get_pipe("xxgk_layout")(doc)
    doc = nlp.get_pipe("xxgk_contacts")(doc)
    assert doc.text == text


def test_user_rules_and_serialisation(nlp):
    component = nlp.get_pipe("xxgk_contacts")
    assert isinstance(component, ContactRecognizer)
    text = "值班室68912345"
    assert _found(nlp, text) == []
    component.add_patterns([{"id": "duty", "type": "phone_cue", "phrase": "值班室"}])
    try:
        assert _found(nlp, text) == [("PHONE", "68912345")]
        restored = ContactRecognizer(nlp, "copy").from_bytes(component.to_bytes())
        assert "duty" in restored.ids and len(restored) == len(component)
    finally:
        component.remove("duty")
    assert _found(nlp, text) == []


# fmt: off
@pytest.mark.parametrize("rule,key", [
    ({"type": "domain", "phrase": "cn"}, "type"),
    ({"type": "tld"}, "phrase"),
    ({"type": "tld", "phrase": ".cn"}, "phrase"),
    ({"type": "service_number", "phrase": "12a45"}, "phrase"),
    ({"type": "phone_cue", "phrase": "电话", "label": "PHONE"}, "label"),
])
# fmt: on
def test_invalid_rules_are_rejected(nlp, rule, key):
    with pytest.raises(ValueError, match=key):
        nlp.get_pipe("xxgk_contacts").add_patterns([rule])
