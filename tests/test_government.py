"""The government style pack: headings and kinds of the six-part template,
government bodies, channels, the report record, and no style branches in code."""
import re
from collections import Counter
from pathlib import Path

import pytest

import xxgk_nlp
from xxgk_nlp.styles import find_rule_files, style_meta

from .conftest import gold_documents, norm

GOV_SEEDS = gold_documents("government")
PACKAGE = Path(xxgk_nlp.__file__).parent
GOV_KINDS = ["overview", "proactive", "on_request", "complaints", "improvements", "other"]


def ents(doc, label=None):
    return [(e.label_, norm(e.text)) for e in doc.ents if label is None or e.label_ == label]


def headings(doc):
    return [(h._.level, h._.number, h._.title, h._.kind) for h in doc.spans["headings"]]


def test_government_is_a_style_pack():
    assert "government" in xxgk_nlp.available_styles()
    meta = style_meta("government")
    assert meta["extends"] == "university"
    assert meta["required_sections"] == GOV_KINDS
    # the pack's files add to the university ones, parent first
    files = find_rule_files("government", "channels.jsonl")
    assert [f.parent.name for f in files] == ["university", "government"]


# fmt: off
@pytest.mark.parametrize("line,expected", [
    ("一、总体情况", (1, "一", "总体情况", "overview")),
    ("二、主动公开政府信息情况", (1, "二", "主动公开政府信息情况", "proactive")),
    ("三、收到和处理政府信息公开申请情况", (1, "三", "收到和处理政府信息公开申请情况", "on_request")),
    ("四、政府信息公开行政复议、行政诉讼情况", (1, "四", "政府信息公开行政复议、行政诉讼情况", "complaints")),
    ("五、存在的主要问题及改进情况", (1, "五", "存在的主要问题及改进情况", "improvements")),
    ("六、其他需要报告的事项", (1, "六", "其他需要报告的事项", "other")),
    ("前言", (1, "", "前言", None)),
    ("引言", (1, "", "引言", None)),
    ("（三）政府信息资源管理", (2, "（三）", "政府信息资源管理", None)),
])
# fmt: on
def test_government_headings(gov, line, expected):
    doc = gov(f"某市财政局2023年政府信息公开工作年度报告\n{line}\n本部分内容如下，详见正文。\n")
    assert headings(doc) == [expected]


def test_government_pdf_table_rows_are_not_headings(gov):
    text = ("三、收到和处理政府信息公开申请情况 \n\n一、本年新收政府信息公开申请数量 \n\n48 11 3 2 64 \n\n"
            "三、本年度办理结果 \n\n（一）予以公开 \n\n17 5 1 23 \n\n（三）不予公开 1．属于国家秘密 \n\n"
            "2．其他法律行政法规禁止公开 \n\n（七）总计 \n\n49 11 2 62 \n\n四、结转下年度继续办理 \n\n2 1 2 5 \n\n"
            "四、政府信息公开行政复议、行政诉讼情况 \n\n")
    assert [h[2] for h in headings(gov(text))] == ["收到和处理政府信息公开申请情况",
                                                   "政府信息公开行政复议、行政诉讼情况"]


def test_government_heading_between_tables(gov):
    # a heading line between two tab tables is not a broken table cell
    text = ("行政事业性收费\t1562.37\n三、收到和处理政府信息公开申请情况\n"
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n")
    assert [h[2] for h in headings(gov(text))] == ["收到和处理政府信息公开申请情况"]


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("请与云溪区人民政府办公室联系。", [("AUTHORITY", "云溪区人民政府办公室")]),
    ("可在宁川市人民政府门户网站查阅。", [("AUTHORITY", "宁川市人民政府"), ("CHANNEL", "门户网站")]),
    ("国家内河航运局办公室\n2023年3月20日", [("AUTHORITY", "国家内河航运局办公室"), ("DATE", "2023年3月20日")]),
    ("请联系本局办公室。", [("DEPARTMENT", "办公室")]),
    ("全年通过政府网站发布信息。", [("CHANNEL", "政府网站")]),
    ("完善门户网站“区长信箱”联动机制。", [("CHANNEL", "门户网站"), ("CHANNEL", "区长信箱")]),
    ("设立局长信箱，配备电子屏。", [("CHANNEL", "局长信箱"), ("CHANNEL", "电子屏")]),
    ("编印政府公报4期。", [("CHANNEL", "政府公报"), ("QUANTITY", "4期")]),
    ("迁入全市政府网站集约化平台。", [("CHANNEL", "政府网站")]),
    ("发放至档案馆、图书馆等查阅场所。", []),
    ("服务国家发展大局。", []),
])
# fmt: on
def test_government_entities(gov, text, expected):
    assert ents(gov(text)) == expected


def orgs(doc):
    return [(e.label_, norm(e.text)) for e in doc.ents
            if e.label_ in ("INSTITUTION", "AUTHORITY", "DEPARTMENT")]


A, D = "AUTHORITY", "DEPARTMENT"


# Bodies and internal units of government reports (ANNOTATION.md §4 "Government-style
# reports"): every government or Party body is AUTHORITY, internal units are DEPARTMENT.
# fmt: off
@pytest.mark.parametrize("text,expected", [
    # a body before 门户网站 (门户 is no 部门)
    ("可在吉林省自然资源厅门户网站查阅或下载。", [(A, "吉林省自然资源厅")]),
    ("登录教育部门户网站和市财政局门户网站。", [(A, "教育部"), (A, "市财政局")]),
    ("督促各部门和财政部门按时公开。", []),
    # 我县/本市 + 政府信息公开: the level word belongs to 我/本, 政府信息 is one term
    ("2023年，我县政府信息公开工作取得了一定成效。", []),
    ("本市政府信息公开工作稳步推进，全省政府信息公开水平提升。", []),
    ("在县政府信息公开专栏发布，我县政府门户网站同步转载。", [(A, "县政府"), (A, "县政府")]),
    # internal units: sections (科, 股), teams (队, 大队) and stations (站) after their stems
    ("由政务公开科统一协调，县政府办公室政务公开科具体负责。",
     [(D, "政务公开科"), (A, "县政府办公室"), (D, "政务公开科")]),
    ("县司法局法制股负责合法性审核，秘书科负责文件印发。",
     [(A, "县司法局"), (D, "法制股"), (D, "秘书科")]),
    ("综合行政执法队全年办理行政处罚案件，综合执法大队和农技站开展检查。",
     [(D, "综合行政执法队"), (D, "综合执法大队"), (D, "农技站")]),
    # … not in words that merely contain the suffix
    ("加强执法队伍建设，开展综合执法队员培训，各科室按职责公开。", []),
    ("招聘教学科研人员，服务教学科研。", []),
    ("实施综合科学评估，强化财政股份制改革，设置服务站点。", []),
    # the reporting body's office written alone, also after a function word
    ("调整厅政务公开工作领导小组，由办公室牵头、信息中心提供技术保障。",
     [(D, "政务公开工作领导小组"), (D, "办公室"), (D, "信息中心")]),
    ("经办公室审核后发布，会同办公室和法制科研究，报送办公室备案。",
     [(D, "办公室"), (D, "办公室"), (D, "法制科"), (D, "办公室")]),
    ("由办公室主任担任组长，各镇办公室配合。", []),
    # county, city and provincial bodies named X和Y, and their short forms
    ("县发展和改革局、县财政局、县市场监督管理局等8个部门被评为优秀。",
     [(A, "县发展和改革局"), (A, "县财政局"), (A, "县市场监督管理局")]),
    ("市林业和草原局、区文化广电和旅游局、县教育和体育局联合检查。",
     [(A, "市林业和草原局"), (A, "区文化广电和旅游局"), (A, "县教育和体育局")]),
    ("省发展改革委、市发改局和县城管局会商。", [(A, "省发展改革委"), (A, "市发改局"), (A, "县城管局")]),
    # 办 bodies, also behind the government of their level (the longest name wins)
    ("厅主要负责同志参加省政府新闻办新闻发布会2次。", [(A, "省政府新闻办")]),
    ("国务院新闻办公室举行发布会，市政府新闻办、区政务服务办、县大数据办配合。",
     [(A, "国务院新闻办公室"), (A, "市政府新闻办"), (A, "区政务服务办"), (A, "县大数据办")]),
    ("县人民政府政务服务办和市外事办联合发文。", [(A, "县人民政府政务服务办"), (A, "市外事办")]),
    ("江苏省人民政府办公厅转发，省政府办公厅印发。", [(A, "江苏省人民政府办公厅"), (A, "省政府办公厅")]),
    ("各级政府财政部门加强政府教育督导。", []),
    # Party committees and their working bodies
    ("街道党工委把政务公开纳入年度重点工作。", [(A, "街道党工委")]),
    ("市直机关工委、县委宣传部、区委组织部和市委政法委联合检查，街道纪工委监督。",
     [(A, "市直机关工委"), (A, "县委宣传部"), (A, "区委组织部"), (A, "市委政法委"), (A, "街道纪工委")]),
    ("县委网信办、县委办公室和省委教育工委指导。", [(A, "县委网信办"), (A, "县委办公室"), (A, "省委教育工委")]),
    # … not in words that end in 区 or 市 before 委托, 委员会
    ("小区委托物业管理，社区委派专人，市委托第三方评估，社区委员会参与。", []),
    # a body named with unlisted places after a verb that takes it as object
    ("根据条例，现公布云溪区文昌街道办事处2023年度报告。", [(A, "云溪区文昌街道办事处")]),
    ("配合澄州市云溪区人民政府办公室工作，联系云溪区文昌街道办事处。",
     [(A, "澄州市云溪区人民政府办公室"), (A, "云溪区文昌街道办事处")]),
])
# fmt: on
def test_government_bodies_and_units(gov, text, expected):
    assert orgs(gov(text)) == expected


def test_street_office_of_the_title_is_found_everywhere(gov):
    doc = gov("柳溪市江南区望湖街道办事处2023年政府信息公开工作年度报告\n前言\n"
              "根据条例，现公布柳溪市江南区望湖街道办事处2023年度政府信息公开工作年度报告。")
    assert orgs(doc) == [(A, "柳溪市江南区望湖街道办事处")] * 2


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # the places and the sub-district or town of the title are places everywhere
    ("柳溪市云岭区望湖街道办事处2023年政府信息公开工作年度报告\n一、总体情况\n"
     "在云岭区委、柳溪市委的领导下，望湖街道党工委和云岭区财政局指导。",
     [(A, "柳溪市云岭区望湖街道办事处"), (A, "云岭区委"), (A, "柳溪市委"), (A, "望湖街道党工委"),
      (A, "云岭区财政局")]),
    ("云岭区青石镇人民政府2023年政府信息公开工作年度报告\n一、总体情况\n"
     "在云岭区委领导下，青石镇党委和云岭区财政局指导。",
     [(A, "云岭区青石镇人民政府"), (A, "云岭区委"), (A, "青石镇党委"), (A, "云岭区财政局")]),
    # … and before a known body (城乡 in it is no town)
    ("宁川市住房和城乡建设局2022年政府信息公开工作年度报告\n一、总体情况\n宁川市委、城乡建设科。",
     [(A, "宁川市住房和城乡建设局"), (A, "宁川市委")]),
])
# fmt: on
def test_title_places_are_local_prefixes(gov, text, expected):
    assert orgs(gov(text)) == expected


# Bodies and units at county, city, province and ministry level in one sentence each.
# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("县政府办公室政务公开股负责日常工作，县司法局法制股做好合法性审查。",
     [(A, "县政府办公室"), (D, "政务公开股"), (A, "县司法局"), (D, "法制股")]),
    ("市城市管理综合执法局执法大队全年公开行政处罚结果312件。",
     [(A, "市城市管理综合执法局"), (D, "执法大队")]),
    ("省生态环境厅门户网站和省政府新闻办官方微博同步发布。", [(A, "省生态环境厅"), (A, "省政府新闻办")]),
    ("由县人民政府办公室牵头，县政务服务中心配合。", [(A, "县人民政府办公室"), (D, "政务服务中心")]),
    ("市行政审批局审批科和市政务服务办联合开展政策解读。",
     [(A, "市行政审批局"), (D, "审批科"), (A, "市政务服务办")]),
    ("全年通过区政府门户网站发布信息，区政府信息公开专栏同步更新。", [(A, "区政府"), (A, "区政府")]),
    ("2023年，我市政府信息公开工作在市委、市政府的坚强领导下稳步推进。", [(A, "市委"), (A, "市政府")]),
    ("县自然资源和规划局、县林业和草原局在政府网站公开部门预算。",
     [(A, "县自然资源和规划局"), (A, "县林业和草原局")]),
    ("工业和信息化部、国家发展改革委和财政部联合印发通知，国务院新闻办举行发布会。",
     [(A, "工业和信息化部"), (A, "国家发展改革委"), (A, "财政部"), (A, "国务院新闻办")]),
    ("开发区党工委高度重视，由党政办公室统筹，综合执法队具体实施。",
     [(A, "开发区党工委"), (D, "党政办公室"), (D, "综合执法队")]),
    ("江南新区党工委和市经开区管委会联合部署。", [(A, "江南新区党工委"), (A, "市经开区管委会")]),
    ("全县18个乡镇和42个县直部门均设立政务公开专栏。", []),
    ("请与本局办公室联系，或通过县长信箱反映。", [(D, "办公室")]),
    ("省委网信办、省委宣传部和省新闻出版局联合开展政务新媒体检查。",
     [(A, "省委网信办"), (A, "省委宣传部"), (A, "省新闻出版局")]),
    ("办公室及时在厅门户网站公开会议信息，政策法规处负责解读。", [(D, "办公室"), (D, "政策法规处")]),
])
# fmt: on
def test_government_bodies_at_every_level(gov, text, expected):
    assert orgs(gov(text)) == expected


def test_government_channel_kinds(gov):
    doc = gov("通过政府网站、政务公开专栏、市长信箱和公报公开。")
    assert [(e.text, e._.attrs["kind"]) for e in doc.ents if e.label_ == "CHANNEL"] == [
        ("政府网站", "website"), ("政务公开专栏", "website"), ("市长信箱", "mailbox"), ("公报", "print")]


def test_government_owner_website_is_no_channel(gov):
    assert ents(gov("在市政府网站公开。")) == [("AUTHORITY", "市政府")]


@pytest.mark.parametrize("doc_id", [d for d, _, _ in GOV_SEEDS])
def test_government_seed_headings_and_record(gov_docs, doc_id):
    gold, doc = gov_docs[doc_id]
    assert [(h._.level, norm(h._.title), h._.kind) for h in doc.spans["headings"]] == \
        [(h["level"], norm(h["title"]), h["kind"]) for h in gold["headings"]]
    report = doc._.report
    for key in ("title", "institution", "date", "period", "sections_present", "sections_missing"):
        got, want = report[key], gold["report"][key]
        assert (norm(got) if isinstance(got, str) else got) == \
            (norm(want) if isinstance(want, str) else want), key
    assert {k: report["indicators"].get(k) for k in gold["report"]["indicators"]} == \
        gold["report"]["indicators"]


@pytest.mark.parametrize("doc_id", [d for d, _, _ in GOV_SEEDS])
def test_government_seed_entities(gov_docs, doc_id):
    gold, doc = gov_docs[doc_id]
    got = Counter(ents(doc))
    want = Counter((e["label"], norm(e["text"])) for e in gold["entities"])
    tp = sum((got & want).values())
    f1 = 2 * tp / (sum(got.values()) + sum(want.values()))
    assert f1 >= 0.95, (want - got, got - want)


def test_government_sections_missing(gov):
    doc = gov("某区人民政府2023年政府信息公开工作年度报告\n一、总体情况\n工作有序。\n"
              "二、主动公开政府信息情况\n第二十条第（一）项\n")
    assert doc._.report["sections_present"] == ["overview", "proactive"]
    assert doc._.report["sections_missing"] == GOV_KINDS[2:]


# A comparison with a literal style name (`style == "government"`,
# `"university" != cfg["style"]`, `style in ("government", …)`).
STYLE_BRANCH = re.compile(
    r"""[!=]=\s*["'](?:%(names)s)["']|["'](?:%(names)s)["']\s*[!=]="""
    r"""|\bin\s*[(\[{][^)\]}]*["'](?:%(names)s)["']""")


def test_no_style_branches_in_component_code():
    names = "|".join(re.escape(s) for s in xxgk_nlp.available_styles())
    pattern = re.compile(STYLE_BRANCH.pattern % {"names": names})
    offenders = [f"{path.name}:{i}: {line.strip()}"
                 for path in sorted(PACKAGE.glob("*.py"))
                 for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []


def test_style_branch_pattern_finds_branches():
    pattern = re.compile(STYLE_BRANCH.pattern % {"names": "government|university"})
    assert pattern.search('if self.cfg["style"] == "government":')
    assert pattern.search("if 'university' != style:")
    assert pattern.search('if style in ("government", "x"):')
    assert not pattern.search('def load(style: str = "university"):')


def test_head_of_body_mailboxes():
    import xxgk_nlp

    doc = xxgk_nlp.load(style="government")("群众可通过厅长信箱、镇长信箱和主任信箱反映问题。")
    assert [(e._.clean_text, e._.attrs["kind"]) for e in doc.ents if e.label_ == "CHANNEL"] == [
        ("厅长信箱", "mailbox"), ("镇长信箱", "mailbox"), ("主任信箱", "mailbox")]
