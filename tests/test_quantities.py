"""QUANTITY recognition (ANNOTATION.md §2 QUANTITY, §4 tables, §5 "Dates, periods, quantities")."""
from collections import Counter
from decimal import Decimal

import pytest
import spacy

from xxgk_nlp.quantities import QuantityRecognizer, QuantityRule, parse_numeral

from .conftest import gold_documents, norm


def _small_pipeline(**cfg):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xxgk.Tokenizer.v1"}}})
    nlp.add_pipe("xxgk_layout")
    nlp.add_pipe("xxgk_quantities", config=cfg)
    nlp.initialize()
    return nlp


def _quantities(nlp, text):
    doc = nlp(text)
    return [(norm(e.text), e._.attrs) for e in doc.ents if e.label_ == "QUANTITY"]


def _one(nlp, text, span):
    found = [attrs for text_, attrs in _quantities(nlp, text) if text_ == span]
    assert found, f"{span!r} not found in {_quantities(nlp, text)}"
    return found[0]


# fmt: off
ARABIC = [
    # text, span, value, unit, approx
    ("全校主动公开信息共计 4258 条。", "4258条", 4258, "条", "exact"),
    ("学校现有官方微博1个，拥有粉丝5.1万余名，本年度发布262条信息", "5.1万余名", 51000, "名", "at_least"),
    ("累计阅读量150万余次，点赞数3万余次。", "150万余次", 1500000, "次", "at_least"),
    ("共计65万余字。", "65万余字", 650000, "字", "at_least"),
    ("年度学校官方微博粉丝数 124 万，发布信息 851 条；", "124万", 1240000, None, "exact"),
    ("官方视频号粉丝数 1.8 万，发布信息 151 条", "1.8万", 18000, None, "exact"),
    ("年度发布官微推文 370 篇，其中 10 万+推送 14 个", "10万+", 100000, None, "at_least"),
    ("接诉即办共受理校内诉求 670 余件次，完结率超过 95%。", "670余件次", 670, "件次", "at_least"),
    ("完结率超过 95%。", "95%", 95, "%", "at_least"),
    ("代表满意率97.5%。", "97.5%", 97.5, "%", "exact"),
    ("办结率１００％。", "１００％", 100, "%", "exact"),
    ("首页年度共发布学校新闻近 1100 条", "1100条", 1100, "条", "about"),
    ("移动端应用当前用户超 8 万人", "8万人", 80000, "人", "at_least"),
    ("座谈访谈8场，累计超过2000人次参加。", "2000人次", 2000, "人次", "at_least"),
    ("按时公开、更新 10 大类办学信息", "10大类", 10, "大类", "exact"),
    ("在高考咨询高峰期开通13部咨询电话，每天12小时接听咨询", "12小时", 12, "小时", "exact"),
    ("开通13部咨询电话", "13部", 13, "部", "exact"),
    ("处理时间平均为７个工作日", "７个工作日", 7, "个工作日", "exact"),
    ("须在15个工作日内答复", "15个工作日", 15, "个工作日", "exact"),
    ("答复期限为 20 工作日", "20工作日", 20, "工作日", "exact"),
    ("办结率同比提高3.5个百分点", "3.5个百分点", 3.5, "个百分点", "exact"),
    ("受理申请1,024件", "1,024件", 1024, "件", "exact"),
    ("明确责任单位31个。", "31个", 31, "个", "exact"),
    ("发布信息13,218 条", "13,218条", 13218, "条", "exact"),
    ("全年经费13,218,000元", "13,218,000元", 13218000, "元", "exact"),
    ("经费45.6万元", "45.6万元", 456000, "元", "exact"),
    ("网站访问量达3.2亿人次", "3.2亿人次", 320000000, "人次", "exact"),
    ("总额达4.78万亿元", "4.78万亿元", 4780000000000, "元", "exact"),
    ("投入500余万元", "500余万元", 5000000, "元", "at_least"),
    ("收到来信8千余条", "8千余条", 8000, "条", "at_least"),
    ("浏览量逾3000条", "3000条", 3000, "条", "at_least"),
    ("不足50件", "50件", 50, "件", "at_most"),
    ("约 1500 人参加", "1500人", 1500, "人", "about"),
    ("参加人数 300 人左右", "300人", 300, "人", "about"),
    ("咨询量 200 次以上", "200次", 200, "次", "at_least"),
    ("访问量增长2倍", "2倍", 2, "倍", "exact"),
    ("印发宣传手册 3000 份", "3000份", 3000, "份", "exact"),
    ("阅读量 5000多", "5000多", 5000, None, "at_least"),
    ("粉丝 40k，", "40k", 40000, None, "exact"),
    ("同比下降 -3.8%", "-3.8%", -3.8, "%", "exact"),
    ("增长率为负3.8%", "负3.8%", -3.8, "%", "exact"),
    ("共计7万5千4百", "7万5千4百", 75400, None, "exact"),
]

CHINESE = [
    ("由工作概述、存在的问题和改进措施共五个部分组成", "五个", 5, "个", "exact"),
    ("分为主动公开、依申请公开和不予公开三类信息", "三类", 3, "类", "exact"),
    ("把落实教代会四项职权和信息公开结合起来", "四项", 4, "项", "exact"),
    ("梳理形成十大类清单", "十大类", 10, "大类", "exact"),
    ("发布两千余条信息", "两千余条", 2000, "条", "at_least"),
    ("收到申请四百余件", "四百余件", 400, "件", "at_least"),
    ("召开新闻发布会二十三场", "二十三场", 23, "场", "exact"),
    ("举办讲座四十余场", "四十余场", 40, "场", "at_least"),
    ("建立二十多个工作群", "二十多个", 20, "个", "at_least"),
    ("共一千二百三十四件", "一千二百三十四件", 1234, "件", "exact"),
    ("访问十二万三千四百五十六人次", "十二万三千四百五十六人次", 123456, "人次", "exact"),
    ("覆盖一万零五百条记录", "一万零五百条", 10500, "条", "exact"),
    ("培训千余人", "千余人", 1000, "人", "at_least"),
    ("整改百余件", "百余件", 100, "件", "at_least"),
    ("服务万余人次", "万余人次", 10000, "人次", "at_least"),
    ("累计“粉丝”数量超过百万，", "百万", 1000000, None, "at_least"),
    ("阅读量破千万", "千万", 10000000, None, "at_least"),
    ("共计六点四二万人", "六点四二万人", 64200, "人", "exact"),
    ("点击二十点一万次", "二十点一万次", 201000, "次", "exact"),
    ("约三百一十五万字", "三百一十五万字", 3150000, "字", "about"),
    ("一亿两千三百人", "一亿两千三百人", 100002300, "人", "exact"),
    ("满意度达到九成", "九成", 90, "%", "exact"),
    ("八成以上的学生", "八成", 80, "%", "at_least"),
    ("参会人数三百人", "三百人", 300, "人", "exact"),
    ("捐赠壹拾壹圆整", "壹拾壹圆", 11, "元", "exact"),
    # a bare magnitude with a listed unit counts (百名教师, 百家企业)
    ("实施“双百”工程(百名教师进企业、百家企业进校园)", "百名", 100, "名", "exact"),
    ("实施“双百”工程(百名教师进企业、百家企业进校园)", "百家", 100, "家", "exact"),
    ("花费三千三百八十元五角八分", "三千三百八十元五角八分", 3380.58, "元", "exact"),
]

PERCENT_AND_FRACTIONS = [
    ("回复率百分之九十五", "百分之九十五", 95, "%", "exact"),
    ("满意率达到百分之百", "百分之百", 100, "%", "exact"),
    ("增幅百分之零点四", "百分之零点四", 0.4, "%", "exact"),
    ("差错率千分之三", "千分之三", 3, "‰", "exact"),
    ("超过三分之一的单位", "三分之一", 1 / 3, None, "at_least"),
    ("占总量的1/5以上", "1/5", 0.2, None, "at_least"),
    ("是原来的一又二分之一", "一又二分之一", 1.5, None, "exact"),
    ("同比升高零点六个百分点", "零点六个百分点", 0.6, "个百分点", "exact"),
]

RANGES = [
    # text, span, value, range, unit
    ("每季度更新3-5个专题", "3-5个", 3, [3, 5], "个"),
    ("覆盖两到三万人", "两到三万人", 20000, [20000, 30000], "人"),
    ("办理时限为5～10个工作日", "5～10个工作日", 5, [5, 10], "个工作日"),
    ("规模为3至5万人", "3至5万人", 30000, [30000, 50000], "人"),
    # one digit times magnitudes at the high end: they apply to the low end too
    ("每场覆盖两到三千人", "两到三千人", 2000, [2000, 3000], "人"),
    ("招收2到3千人", "2到3千人", 2000, [2000, 3000], "人"),
    ("受众两到三百人", "两到三百人", 200, [200, 300], "人"),
    ("覆盖十到二十万人", "十到二十万人", 100000, [100000, 200000], "人"),
    ("招收8到1200人", "8到1200人", 8, [8, 1200], "人"),
    ("五十到一百人", "五十到一百人", 50, [50, 100], "人"),
    ("预计投入三到五万元", "三到五万元", 30000, [30000, 50000], "元"),
    ("吸引两至三百名学生参加", "两至三百名", 200, [200, 300], "名"),
    ("覆盖一到两万人次", "一到两万人次", 10000, [10000, 20000], "人次"),
    # two Chinese digits side by side, the smaller first, are a range too
    ("每年接待三四千人次", "三四千人次", 3000, [3000, 4000], "人次"),
    ("每场两三百名考生", "两三百名", 200, [200, 300], "名"),
    ("参会七八十人", "七八十人", 70, [70, 80], "人"),
    ("走访三五家企业", "三五家", 3, [3, 5], "家"),
    ("节约经费五六十万元", "五六十万元", 500000, [500000, 600000], "元"),
]

NEGATIVES = [
    # text, a substring that is not (in) a QUANTITY
    ("学校召开第八届教代会五次会议", "五次"),
    ("完成了第四轮、第五轮巡视整改", "四轮"),
    ("在学校各二级单位开展自查，一是加强领导，二是完善制度", "一是"),
    ("一年来，学校进一步完善了信息公开制度", "一年"),
    ("形成了一批生动活泼的工作案例", "一批"),
    ("出台一系列规章制度", "一系列"),
    ("深入学习贯彻党的二十大精神", "二十"),
    ("推进“十四五”规划实施", "十四五"),
    ("推进“双一流”建设", "一流"),
    ("不断加强一校三区信息公开工作", "一校三区"),
    ("形成了一事一表一图标准化流程", "一表"),
    ("信息公开涉及党务、人事等十大领域", "十大"),
    ("通过校园 123 流程办理学生事项", "123"),
    ("分别于 4 月和 9 月发布", "4"),
    ("统计时间为 2022 年 8 月 31 日", "2022"),
    ("欢迎拨打“68912345”接诉即办服务热线", "68912345"),
    ("联系电话：010-62332317", "62332317"),
    ("依据《高等学校信息公开办法》（教育部令第29号）", "29"),
    ("1．拓展重点领域信息公开", "1"),
    ("（1）办学规模、校级领导", "1"),
    ("访问 http://xxgk.hit.edu.cn/2022/list.htm 查询", "2022"),
    ("面向 5G 校园网用户", "5"),
    ("建设一站式服务大厅", "一站"),
    ("实现统一门户登录", "一门"),
    ("这一项工作由党办负责", "一项"),
    ("参加人数数十个单位", "十个"),
    ("入选国家千人计划", "千人"),
    ("十万火急的事项", "十万"),
    ("完成 2021-2022 学年报告", "2021"),
    ("形成了“三全育人”格局", "三全"),
    ("坚定“四个自信”", "四个"),
    ("学校七届二次教代会召开", "二次"),
    ("地址：昌路188号；邮编：413100；", "413100"),
    ("加入QQ群 123456789 咨询", "123456789"),
    ("提供7×24小时咨询服务", "7"),
    ("通过了ISO 9001认证", "9001"),
    ("5．属于三类内部事务信息\t1\t0", "三类"),
    ("服务时间为两个月", "两个"),
    ("运送物资25千克", "25"),
    ("本年收费金额（单位：万元）", "万元"),
    ("采购总金额（万元）", "万元"),
    ("信息公开走进千家万户", "千家"),
    ("联系电话:0851-86912345转8001", "8001"),
]

# A bare Arabic count before a measure word outside the unit list (§5: Arabic
# numerals need no unit): the number alone, unit null.
MEASURED = [
    # text, span, value, approx
    ("本学年整改安全隐患45处，均已销号。", "45", 45, "exact"),
    ("全年受理师生投诉举报7起，均已办结。", "7", 7, "exact"),
    ("学校新建学生公寓3栋、购置校车6辆。", "3", 3, "exact"),
    ("学校新建学生公寓3栋、购置校车6辆。", "6", 6, "exact"),
    ("排查消防隐患 120 处以上", "120", 120, "at_least"),
    ("公开采购合同1,024笔，涉及项目近80宗", "1,024", 1024, "exact"),
    ("公开采购合同1,024笔，涉及项目近80宗", "80", 80, "about"),
    ("新增实验用房12间、绿化面积3,500平方米", "3,500", 3500, "exact"),
    ("组织信息公开培训16学时", "16", 16, "exact"),
    ("整改问题逾30处。", "30", 30, "at_least"),
]

# Labels before a number (表 图 附表 附件 序号) and numbers inside formulas or quoted
# codes (“5+3”, 1+X) are names, not counts; Chinese numerals still need a listed unit.
NOT_COUNTS = [
    # text, a substring that is not (in) a QUANTITY
    ("主要渠道发布情况见表1。", "1"),
    ("表2　2022-2023学年依申请公开情况统计", "2"),
    ("各渠道发布数量如表3所示。", "3"),
    ("具体分布见表2-3。", "2-3"),
    ("流程如图2所示，详见附件1。", "2"),
    ("流程如图2所示，详见附件1。", "1"),
    ("清单见附表4：", "4"),
    ("对临床医学“5+3”一体化招生实行全过程公示", "5+3"),
    ("推进“1+X”证书制度试点和“3+1+N”培养模式", "3+1+N"),
    ("推进“1+X”证书制度试点", "1"),
    ("发现并整改隐患三处", "三处"),
    ("2023起全面推行信息公开清单管理", "2023"),
    ("通过校园 123 处理平台反映问题", "123"),
]

# A label word is not a label inside another word: 代表 45 人, 发表 12 篇.
LABEL_WORDS_IN_WORDS = [
    # text, span, value, unit
    ("教职工代表45人列席会议", "45人", 45, "人"),
    ("在核心期刊发表论文12篇", "12篇", 12, "篇"),
    ("学校共有3所示范性附属医院", "3所", 3, "所"),
]

# Whole report-style sentences: every QUANTITY span (text, value, unit), in order.
SENTENCES = [
    ("学年内共开展校园安全专项检查12次，排查并整改安全隐患86处，处置突发事件3起。",
     [("12次", 12, "次"), ("86", 86, None), ("3", 3, None)]),
    ("学校现有教学楼15栋、学生公寓28栋，校车9辆。",
     [("15", 15, None), ("28", 28, None), ("9", 9, None)]),
    ("全年接收捐赠图书2,300册、档案1,200卷，新增绿地面积4,800平方米。",
     [("2,300册", 2300, "册"), ("1,200", 1200, None), ("4,800", 4800, None)]),
    ("共组织信息员培训3期，累计培训120人次，培训时长16学时。",
     [("3期", 3, "期"), ("120人次", 120, "人次"), ("16", 16, None)]),
    ("完成无线网络改造，新建无线接入点1,800个，覆盖楼宇36栋。",
     [("1,800个", 1800, "个"), ("36", 36, None)]),
    ("各类信息发布数量统计见表2，具体清单详见附件1。", []),
    ("表3　2022-2023学年依申请公开情况统计表", []),
    ("如图1所示，信息公开网访问量逐月上升。", []),
    ("序号1至序号10为基本信息类事项。", []),
    ("学校深化“3+2”中高职贯通培养和“1+X”证书制度试点。", []),
    ("推进“4+4”临床医学人才培养模式改革，招收学生30名。", [("30名", 30, "名")]),
    ("学院教职工代表65人参加了第三届教代会第二次会议。", [("65人", 65, "人")]),
]
# fmt: on


@pytest.mark.parametrize("text,expected", SENTENCES)
def test_report_sentences(nlp, text, expected):
    assert [(t, a["value"], a["unit"]) for t, a in _quantities(nlp, text)] == expected


@pytest.mark.parametrize("text,span,value,approx", MEASURED)
def test_bare_count_before_a_measure_word(nlp, text, span, value, approx):
    attrs = _one(nlp, text, span)
    assert attrs == {"value": value, "unit": None, "approx": approx}


@pytest.mark.parametrize("text,part", NOT_COUNTS)
def test_labels_and_formulas_are_not_counts(nlp, text, part):
    doc = nlp(text)
    start = doc.text.index(part)
    end = start + len(part)
    assert [e.text for e in doc.ents
            if e.label_ == "QUANTITY" and e.start_char < end and e.end_char > start] == []


@pytest.mark.parametrize("text,span,value,unit", LABEL_WORDS_IN_WORDS)
def test_label_words_inside_other_words(nlp, text, span, value, unit):
    attrs = _one(nlp, text, span)
    assert (attrs["value"], attrs["unit"]) == (value, unit)


@pytest.mark.parametrize("text,span,value,unit,approx", ARABIC + CHINESE + PERCENT_AND_FRACTIONS)
def test_quantity(nlp, text, span, value, unit, approx):
    attrs = _one(nlp, text, norm(span))
    assert attrs["value"] == pytest.approx(value)
    assert attrs["unit"] == unit
    assert attrs["approx"] == approx
    assert "range" not in attrs


@pytest.mark.parametrize("text,span,value,rng,unit", RANGES)
def test_range(nlp, text, span, value, rng, unit):
    attrs = _one(nlp, text, span)
    assert attrs["value"] == value
    assert attrs["range"] == rng
    assert attrs["unit"] == unit


@pytest.mark.parametrize("text,part", NEGATIVES)
def test_not_a_quantity(nlp, text, part):
    doc = nlp(text)
    start = doc.text.index(part)
    end = start + len(part)
    hits = [e.text for e in doc.ents
            if e.label_ == "QUANTITY" and e.start_char < end and e.end_char > start]
    assert hits == []


def test_table_counts_and_serials(nlp):
    text = ("序号\t网站名称\t网址\t数量\n"
            "1\t主页\twww.hit.edu.cn\t158\n"
            "2\t新闻网\tnews.hit.edu.cn\t1000\n"
            "总计\t\t1158\n")
    found = _quantities(nlp, text)
    assert [(t, a["value"], a["unit"]) for t, a in found] == [
        ("158", 158, None), ("1000", 1000, None), ("1158", 1158, None)]


def test_table_row_of_counts_only(nlp):
    text = ("结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
            "2\t1\t0\t1\t4\n")
    found = _quantities(nlp, text)
    assert [a["value"] for _, a in found] == [2, 1, 0, 1, 4]


def test_space_separated_counts_stay_apart(nlp):
    found = _quantities(nlp, "申请数量\n48 11 3 120 64\n")
    assert [a["value"] for _, a in found] == [48, 11, 3, 120, 64]


def test_one_cell_per_line_table_serials(nlp):
    text = "序号\t类别\n\t1\n\t基本信息\n（6项）\n\t2\n\t招生考试\n信息\n（8项）\n"
    found = _quantities(nlp, text)
    assert [(t, a["value"]) for t, a in found] == [("6项", 6), ("8项", 8)]


def test_values_are_json_numbers(nlp):
    for _, attrs in _quantities(nlp, "发布信息 4258 条，满意率97.5%，粉丝5.1万余名"):
        assert type(attrs["value"]) in (int, float)
    assert _one(nlp, "粉丝5.1万余名", "5.1万余名")["value"] == 51000
    assert type(_one(nlp, "粉丝5.1万余名", "5.1万余名")["value"]) is int


def test_full_width_and_wrapped_numbers(nlp):
    assert _one(nlp, "发布信息１２３件", "１２３件")["value"] == 123
    assert _one(nlp, "官方微信粉丝数 28 万，发布信息 470 条", "28万")["value"] == 280000
    assert _one(nlp, "共计１，２３４条", "１，２３４条")["value"] == 1234


@pytest.mark.parametrize("numeral,value", [
    # fmt: off
    ("4258", 4258), ("1,024", 1024), ("１２．５", 12.5), ("5.1万余", 51000), ("500余万", 5000000),
    ("二十点一万", 201000), ("4.78万亿", 4780000000000), ("3.1千万", 31000000), ("千", 1000),
    ("百万", 1000000), ("一百二十三", 123), ("两千", 2000), ("100万三千", 1003000),
    ("一亿两千三百", 100002300), ("壹拾壹", 11), ("10万+", 100000), ("40k", 40000),
    # fmt: on
])
def test_parse_numeral(numeral, value):
    from xxgk_nlp.layout import fold

    assert parse_numeral(fold(numeral)) == Decimal(str(value))


@pytest.mark.parametrize("numeral", ["十四五", "点", "余", "", "万亿万亿万亿万亿万亿万亿万"])
def test_parse_numeral_rejects(numeral):
    value = parse_numeral(numeral)
    assert value is None or isinstance(value, Decimal)


def test_seed_span_across_a_page_wrap(nlp):
    _, raw, _ = gold_documents("university")[0]
    doc = nlp(raw)
    wrapped = [e for e in doc.ents if e.label_ == "QUANTITY" and "\n" in e.text]
    assert wrapped and all(e._.attrs["unit"] for e in wrapped)
    assert ("34场", 34) in [(norm(e.text), e._.attrs["value"]) for e in wrapped]


def test_seed_quantities(nlp):
    tp = n_pred = n_gold = 0
    value_ok = value_n = 0
    for _, raw, gold in gold_documents("university"):
        doc = nlp(raw)
        pred = Counter(norm(e.text) for e in doc.ents if e.label_ == "QUANTITY")
        want = Counter(norm(e["text"]) for e in gold["entities"] if e["label"] == "QUANTITY")
        tp += sum((pred & want).values())
        n_pred += sum(pred.values())
        n_gold += sum(want.values())
        got = {}
        for e in doc.ents:
            if e.label_ == "QUANTITY":
                got.setdefault(norm(e.text), []).append(e._.attrs)
        for e in gold["entities"]:
            if e["label"] == "QUANTITY" and got.get(norm(e["text"])):
                value_n += 1
                value = got[norm(e["text"])].pop(0)["value"]
                value_ok += value == pytest.approx(e["attrs"]["value"])
    precision, recall = tp / n_pred, tp / n_gold
    assert 2 * precision * recall / (precision + recall) >= 0.95
    assert value_ok / value_n >= 0.98


@pytest.mark.parametrize("text", [
    # fmt: off
    "", " ", "《" * 200_000, "1" * 10_000, "一" * 20_000, "\x00\x00 12 条\x00", "万" * 5000,
    "3-" * 5000, "百分之" * 5000, "1/" * 5000, "分之" * 5000, "１，" * 5000, "-" * 5000 + "5",
    "1处" * 5000, "表" * 5000 + "1", "5+" * 5000,
    "十块五毛" * 1000, "9" * 30 + "万亿", "0" * 500 + "条", "1" * 25 + "." + "2" * 25 + "%",
    # fmt: on
])
def test_odd_input_never_crashes(text):
    nlp = _small_pipeline()
    doc = nlp(text)
    assert doc.text == text
    for e in doc.ents:
        assert isinstance(e._.attrs["value"], (int, float))


def test_rule_validation():
    with pytest.raises(ValueError, match="unknown key 'colour'"):
        QuantityRule.from_dict({"type": "unit", "phrase": "条", "colour": "red"})
    with pytest.raises(ValueError, match="approx"):
        QuantityRule.from_dict({"type": "qualifier", "phrase": "约", "position": "prefix",
                                "approx": "roughly"})
    with pytest.raises(ValueError, match="pattern"):
        QuantityRule.from_dict({"type": "idiom", "pattern": "(一批"})
    with pytest.raises(ValueError, match="phrase"):
        QuantityRule.from_dict({"type": "unit"})
    with pytest.raises(ValueError, match="scope"):
        QuantityRule.from_dict({"type": "not_after", "phrase": "第"})


def test_add_patterns_and_serialization(tmp_path):
    nlp = _small_pipeline()
    # 栋 is a measure word (unit null) until it is added as a unit
    assert [(t, a["unit"]) for t, a in _quantities(nlp, "建成 3 栋宿舍")] == [("3", None)]
    pipe = nlp.get_pipe("xxgk_quantities")
    pipe.add_patterns([{"type": "unit", "phrase": "栋", "id": "building"}])
    assert [(t, a["unit"]) for t, a in _quantities(nlp, "建成 3 栋宿舍")] == [("3栋", "栋")]
    nlp.to_disk(tmp_path / "pipeline")
    reloaded = spacy.load(tmp_path / "pipeline")
    assert isinstance(reloaded.get_pipe("xxgk_quantities"), QuantityRecognizer)
    assert [(t, a["unit"]) for t, a in _quantities(reloaded, "建成 3 栋宿舍")] == [("3栋", "栋")]
    other = _small_pipeline()
    other.get_pipe("xxgk_quantities").from_bytes(pipe.to_bytes())
    assert len(other.get_pipe("xxgk_quantities")) == len(pipe)
    pipe.remove("building")
    assert [(t, a["unit"]) for t, a in _quantities(nlp, "建成 3 栋宿舍")] == [("3", None)]


def test_user_rules_dir(tmp_path):
    (tmp_path / "quantities.jsonl").write_text(
        '{"type": "idiom", "pattern": "三个一"}\n', encoding="utf-8")
    assert _quantities(_small_pipeline(), "开展三个一活动") != []
    assert _quantities(_small_pipeline(rules_dir=str(tmp_path)), "开展三个一活动") == []


def test_attrs_survive_docbin(nlp):
    from spacy.tokens import DocBin

    doc = nlp("粉丝5.1万余名，覆盖两到三万人")
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    restored = list(DocBin().from_bytes(data).get_docs(nlp.vocab))[0]
    assert [e.text for e in restored.ents] == [e.text for e in doc.ents]
    assert [e._.attrs["value"] for e in restored.ents] == [51000, 20000]
    assert list(restored.ents[1]._.attrs["range"]) == [20000, 30000]


def test_earlier_entities_win(nlp):
    doc = nlp("依据《关于做好 2022 年 10 项工作的通知》，发布信息 84 条")
    assert [norm(e.text) for e in doc.ents if e.label_ == "QUANTITY"] == ["84条"]


def test_number_scan_finds_what_number_re_finds(nlp):
    """The one-pass scan of `find` yields the NUMBER_RE matches that `find` keeps
    (lone Chinese digits with no unit after them left out), with the same groups."""
    import random

    from xxgk_nlp.quantities import CN_DIGITS, NUMBER_RE

    compiled = nlp.get_pipe("xxgk_quantities").compiled
    unit_starts = compiled["unit_starts"]
    alphabet = ("0123456789" * 3 + "一二三四五六七八九十百千万亿两零〇点余多+＋-－−—–~～至到负"
                ",，.．kKwWx年月个件条人次元 \t\n%％分之/（）()第约近超" + "".join(sorted(unit_starts)))

    def expected(text):
        out = []
        for m in NUMBER_RE.finditer(text):
            start, end = m.span()
            if end - start == 1 and m.group() in CN_DIGITS and text[end:end + 1] not in unit_starts:
                continue
            out.append((start, end, m.group("sign"), m.group("lo"), m.group("hi")))
        return out

    def scanned(text):
        out = []
        for m in compiled["number_scan"].finditer(text):
            start, end = m.span("num")
            if start < 0:
                continue
            numeral = m.group("num")
            if end - start == 1 and numeral in CN_DIGITS and text[end:end + 1] not in unit_starts:
                continue
            out.append((start, end, m.group("sign"), m.group("lo") or numeral, m.group("hi")))
        return out

    rnd = random.Random(6)
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        assert scanned(text) == expected(text), text
    for text, _, _, _, _ in ARABIC + CHINESE:
        assert scanned(text) == expected(text), text
