"""INSTITUTION, AUTHORITY and DEPARTMENT: the seeds, small sentences, guards,
rule data and odd input."""

import pytest

import xxgk_nlp
from xxgk_nlp.organizations import OrganizationRecognizer, OrganizationRule

from .conftest import norm

ORG_LABELS = ("INSTITUTION", "AUTHORITY", "DEPARTMENT")


def orgs(nlp, text):
    """(label, text) of the organisation entities of a text, in order."""
    return [(e.label_, norm(e.text)) for e in nlp(text).ents if e.label_ in ORG_LABELS]


@pytest.mark.parametrize("label", ORG_LABELS)
def test_seed_f1_per_label(seed_scores, label):
    assert seed_scores["labels"][label]["f1"] >= 0.95


I, A, D = ORG_LABELS


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # INSTITUTION: place name + characters + suffix, in running text and before a channel
    ("浙江大学、上海交通大学、华中科技大学来校交流。",
     [(I, "浙江大学"), (I, "上海交通大学"), (I, "华中科技大学")]),
    ("在长春理工大学微信公众号发布推文 322 条。", [(I, "长春理工大学")]),
    ("请联系北京科技大学信息公开领导小组办公室。",
     [(I, "北京科技大学"), (D, "信息公开领导小组办公室")]),
    ("广西工程职业学院、深圳职业技术学院开展交流。", [(I, "广西工程职业学院"), (I, "深圳职业技术学院")]),
    ("我校与吉林大学签订合作协议。", [(I, "吉林大学")]),
    # without a place name: after punctuation, and the name of the title everywhere
    ("，电子科技大学、国防科技大学来校调研。", [(I, "电子科技大学"), (I, "国防科技大学")]),
    ("（二）通过吉林大学网站群公开信息。", [(I, "吉林大学")]),
    ("中国石油大学（北京）和哈尔滨工业大学（威海）开展合作。",
     [(I, "中国石油大学（北京）"), (I, "哈尔滨工业大学（威海）")]),
    ("北京理工大学珠海学院发布信息。", [(I, "北京理工大学珠海学院")]),
    ("华北地区的北京理工大学发布信息。", [(I, "北京理工大学")]),
    ("哈尔滨工业大学学校办公室负责编制。", [(I, "哈尔滨工业大学"), (D, "学校办公室")]),
    # AUTHORITY: named bodies, place/level + body, bare body
    ("深入落实党中央、国务院关于政务公开工作的决策部署。", [(A, "党中央"), (A, "国务院")]),
    ("根据吉林省教育厅要求，省教育厅、市教育局和区教育局联合检查。",
     [(A, "吉林省教育厅"), (A, "省教育厅"), (A, "市教育局"), (A, "区教育局")]),
    ("现将报告呈教育厅备案。", [(A, "教育厅")]),
    ("借助省考试院官方平台答疑。", [(A, "省考试院")]),
    ("依据教育部和自治区教育厅相关文件要求。", [(A, "教育部"), (A, "自治区教育厅")]),
    ("国家发展改革委和国家保密局联合发文，教育部高等教育司转发。",
     [(A, "国家发展改革委"), (A, "国家保密局"), (A, "教育部高等教育司")]),
    ("遵守教育部、工业和信息化部的有关要求。", [(A, "教育部"), (A, "工业和信息化部")]),
    ("北京市教委和北京市人民政府办公厅发布通知。", [(A, "北京市教委"), (A, "北京市人民政府办公厅")]),
    ("广西壮族自治区教育厅、自治区人民政府。", [(A, "广西壮族自治区教育厅"), (A, "自治区人民政府")]),
    ("省委教育工委和教育部办公厅联合检查。", [(A, "省委教育工委"), (A, "教育部办公厅")]),
    ("根据吉林省教育厅办公室通知。", [(A, "吉林省教育厅办公室")]),
    # DEPARTMENT: stems + suffix, the longest name, the 学校 prefix and adjectives out
    ("学校信息公开领导小组办公室负责。", [(D, "信息公开领导小组办公室")]),
    ("在学校信息公开工作领导小组的领导下开展工作。", [(D, "信息公开工作领导小组")]),
    ("由校长办公室、纪检监察室和工会等部门组成常态化监督小组。",
     [(D, "校长办公室"), (D, "纪检监察室"), (D, "工会"), (D, "监督小组")]),
    ("不断强化党政办公室/信息化办公室的监督指导。", [(D, "党政办公室"), (D, "信息化办公室")]),
    ("国际合作与交流处和港澳台事务办公室。", [(D, "国际合作与交流处"), (D, "港澳台事务办公室")]),
    ("学生工作处（部）和研究生工作部负责奖助学金。", [(D, "学生工作处（部）"), (D, "研究生工作部")]),
    ("学校成立学术委员会、学位评定委员会和招生委员会。",
     [(D, "学术委员会"), (D, "学位评定委员会"), (D, "招生委员会")]),
    ("网络信息中心、现代教育技术中心和国际学生中心。",
     [(D, "网络信息中心"), (D, "现代教育技术中心"), (D, "国际学生中心")]),
    ("教育发展基金会和资产经营公司。", [(D, "教育发展基金会"), (D, "资产经营公司")]),
    ("机械工程学院、计算机学院、马克思主义学院分别发布信息。",
     [(D, "机械工程学院"), (D, "计算机学院"), (D, "马克思主义学院")]),
    ("学校党委统一领导，纪委监督，工会和团委协同，学生会参与。",
     [(D, "党委"), (D, "纪委"), (D, "工会"), (D, "团委"), (D, "学生会")]),
    ("党办、校办负责，招生办、招就办配合。", [(D, "党办"), (D, "校办"), (D, "招生办"), (D, "招就办")]),
    ("研究生院单位网站和计财处网站。", [(D, "研究生院"), (D, "计财处")]),
    ("国资处、人力资源处、房地产管理处和后勤集团。",
     [(D, "国资处"), (D, "人力资源处"), (D, "房地产管理处"), (D, "后勤集团")]),
    # a unit before a channel is split off
    ("北京科技大学财务处微信公众号。", [(I, "北京科技大学"), (D, "财务处")]),
    # a bare 办公室 / 领导小组 only when it is one specific unit
    ("学校成立信息公开领导小组，领导小组下设办公室。",
     [(D, "信息公开领导小组"), (D, "领导小组"), (D, "办公室")]),
    ("如有疑问请联系本办公室。", [(D, "办公室")]),
    # … the office of the group just named, as the subject of its set-up or duties
    ("领导小组下设办公室，办公室设在校长办公室，负责日常工作。",
     [(D, "领导小组"), (D, "办公室"), (D, "办公室"), (D, "校长办公室")]),
    ("学院成立了信息公开工作领导小组,领导小组办公室设在院长办公室。",
     [(D, "信息公开工作领导小组"), (D, "领导小组办公室"), (D, "院长办公室")]),
    ("日常工作由领导小组办公室承担，办公室具体负责组织实施。",
     [(D, "领导小组办公室"), (D, "办公室")]),
    ("学校调整了信息公开领导小组及其办公室的组成人员。",
     [(D, "信息公开领导小组"), (D, "办公室")]),
    ("学校信息公开委员会下设办公室，办公室挂靠党委办公室。",
     [(D, "信息公开委员会"), (D, "办公室"), (D, "办公室"), (D, "党委办公室")]),
    # a governing board; unit names with vocational and marketing stems
    ("学校理事会审议通过实施办法，实行理事会领导下的校长负责制。", [(D, "理事会"), (D, "理事会")]),
    ("学校职业技能鉴定中心公开职业技能等级认定计划。", [(D, "职业技能鉴定中心")]),
    ("由招生与市场推广处（部）负责招生信息公开。", [(D, "招生与市场推广处（部）")]),
    # 处在 is a verb only before a stage or state
    ("财务处在信息公开网公开部门预算。", [(D, "财务处")]),
    # the longest name wins over the bare forms
    ("信息公开工作领导小组办公室设在党委办公室。",
     [(D, "信息公开工作领导小组办公室"), (D, "党委办公室")]),
    # table cells: a whole cell that is a unit name is one span
    ("序号\t类别\t负责部门\n1\t中外合作办学\t东凌经济管理学院\n2\t基本信息\t党办、校办",
     [(D, "东凌经济管理学院"), (D, "党办"), (D, "校办")]),
    # NUL bytes between words
    ("学校\x00财务处\x00", [(D, "财务处")]),
    # a body or unit before 门户网站 (门户 is no 部门)
    ("登录吉林省教育厅门户网站和宣传部门户网站。", [(A, "吉林省教育厅"), (D, "宣传部")]),
    # a Party committee's own units are the university's; a level's Party bodies are authorities
    ("学校党委宣传部、组织部和统战部联合省委宣传部开展工作。",
     [(D, "党委宣传部"), (D, "组织部"), (D, "统战部"), (A, "省委宣传部")]),
])
# fmt: on
def test_names_in_sentences(nlp, text, expected):
    assert orgs(nlp, text) == expected


# fmt: off
@pytest.mark.parametrize("text", [
    # generic references (ANNOTATION.md §2 DEPARTMENT)
    "各部门、职能部门、二级单位、相关部门和各单位要高度重视。",
    "对校属各单位专题培训，推动各二级学院落实。",
    "接受纪检监察部门、新闻媒体的监督。",
    "主要负责人和办公室主任参加会议。",
    "成立领导小组，研究部署工作。",
    "各领导小组办公室要加强协调，办公室主任负责审核。",
    "改善办公室条件，新建办公室12间。",
    "学校信息公开工作仍处在起步阶段，技能推广处在探索之中。",
    # generic institutions
    "积极与兄弟高校交流，学习其他高校经验。",
    "《高等学校信息公开办法》要求高等学校公开信息。",
    "建立现代大学制度，全国大学生创新创业大赛。",
    "学习许多大学的经验，部分大学，国内外知名大学，一流大学建设。",
    "哈工大和北科大的信息公开工作。",
    "威海校区和深圳校区分别公开。",
    # generic authorities
    "通过各省考试院和各省教育厅公布。",
    "部分省市教育考试院网站公布了录取结果。",
    "各省（市、自治区）教育考试院向社会公开。",
    "认真执行国家和自治区制定的收费政策。",
    "加强对中央和教育领域重大部署的解读。",
    "教育部门和财政部门开展检查。",
    # roles, meetings and words that only contain a suffix
    "党委书记信箱和党委常委会会议。",
    "校办企业资产、负债等信息。",
    "依法处理申请，处级干部带头，处置突发事件。",
    "全面部署，工作部署，全部完成。",
    "坚持以学生为中心，做好中心工作。",
    "招生章程及特殊类型招生办法。",
    "落实督查督办事项，承办单位按时办结。",
    "对我校办学的合法知情权。",
    # quoted names and book titles hold no institution or department
    "着力建好“北京理工大学”等官方微信公众号。",
    "“北京科技大学招生办”微信公众号拥有粉丝。",
    "严格执行《哈尔滨工业大学信息公开实施细则》。",
    "根据《省教育厅关于做好2022年高校信息公开年度报告工作的通知》。",
    # odd input
    "",
    "处" * 500,
    "《" * 2000,
    "1" * 10000,
    "\x00\x00学校\x00",
])
# fmt: on
def test_no_names(nlp, text):
    assert orgs(nlp, text) == []


def test_quoted_slogan_with_commas_is_ordinary_text(nlp):
    text = "构建“学校行政主持，纪检监察、工会协调监督，二级单位各负其责”的格局。"
    assert orgs(nlp, text) == [(D, "工会")]


def test_title_institution_is_found_everywhere(nlp):
    text = "清华大学2022-2023学年信息公开工作年度报告\n一、概述\n清华大学坚持公开，清华大学信息公开网发布信息。"
    assert orgs(nlp, text) == [(I, "清华大学")] * 3


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # 高等 is part of the suffix (高等专科学校, 高等职业技术学院), not the function word 等
    ("汾水工商高等专科学校2022-2023学年信息公开年度报告\n本年度汾水工商高等专科学校修订了办法。",
     [(I, "汾水工商高等专科学校")] * 2),
    ("上海旅游高等专科学校和长沙民政职业技术学院来校交流。",
     [(I, "上海旅游高等专科学校"), (I, "长沙民政职业技术学院")]),
    ("广东高等职业技术学院、浙江金融职业学院派员参加。",
     [(I, "广东高等职业技术学院"), (I, "浙江金融职业学院")]),
    ("，云岭工商高等专科学校、临江水利职业技术学院与我校签约。",
     [(I, "云岭工商高等专科学校"), (I, "临江水利职业技术学院")]),
    # a university named without a place: after a joining character, a lead verb or a country
    ("由南宁理工学院与英国利兹大学合作举办。", [(I, "南宁理工学院"), (I, "利兹大学")]),
    ("毕业生同时获得中方学历学位证书和利兹大学学位证书。", [(I, "利兹大学")]),
    ("四是借鉴利兹大学在院校数据公开方面的做法。", [(I, "利兹大学")]),
    ("学校对标剑桥大学、牛津大学的信息公开实践。", [(I, "剑桥大学"), (I, "牛津大学")]),
    ("学院选派教师赴美国普渡大学访学。", [(I, "普渡大学")]),
    ("与同济大学、华东师范大学共建实验室。", [(I, "同济大学"), (I, "华东师范大学")]),
    ("学院联合澳大利亚莫纳什大学举办项目。", [(I, "莫纳什大学")]),
    ("2家企业及清华大学参与评估。", [(I, "清华大学")]),
    ("，西南联合大学旧址。", [(I, "西南联合大学")]),
    # generic: bare 高等职业学院, 高水平大学, 等 as a function word, 大学 before 文化/精神
    ("鼓励与高等职业学院开展合作。", []),
    ("，建设高水平大学。", []),
    ("北京等地高校。", []),
    ("，培育大学文化，弘扬大学精神。", []),
    ("推进现代大学制度建设。", []),
])
# fmt: on
def test_institutions_without_a_known_place(nlp, text, expected):
    assert orgs(nlp, text) == expected


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # a unit followed by 在/于 (a preposition), not the verb 处在/处于
    ("国有资产管理处在校园网公示处置结果。", [(D, "国有资产管理处")]),
    ("教务处于每学期初公开课表。", [(D, "教务处")]),
    ("学生处于9月发布资助信息。", [(D, "学生处")]),
    ("学校信息化建设处于起步阶段，科研处于全省领先地位。", []),
    # compound unit names joined by 与/和; a whole unit name or a weak part is not joined
    ("网络安全和信息化领导小组统筹网络信息公开。", [(D, "网络安全和信息化领导小组")]),
    ("招生和就业工作处发布就业质量报告。", [(D, "招生和就业工作处")]),
    ("科研与学科建设处、实验室与设备管理处公开项目信息。",
     [(D, "科研与学科建设处"), (D, "实验室与设备管理处")]),
    ("教授委员会和学术委员会共同审议。", [(D, "教授委员会"), (D, "学术委员会")]),
    ("在学校党委统一领导和党委宣传部指导下。", [(D, "党委"), (D, "党委宣传部")]),
    # boards and committees of the institution
    ("学校董事会、监事会依章程运行。", [(D, "董事会"), (D, "监事会")]),
    ("校友总会与教育发展基金会联合发布捐赠信息。", [(D, "校友总会"), (D, "教育发展基金会")]),
    ("学术道德委员会和家长委员会参与监督。", [(D, "学术道德委员会"), (D, "家长委员会")]),
])
# fmt: on
def test_unit_names_with_joiners_prepositions_and_boards(nlp, text, expected):
    assert orgs(nlp, text) == expected



# fmt: off
@pytest.mark.parametrize("title,expected", [
    ("2021-2022 年度哈尔滨工业大学 信息公开工作年度报告", ("哈尔滨工业大学", I)),
    ("北京科技大学2017~2018学年度信息公开工作年度报告", ("北京科技大学", I)),
    ("广西工程职业学院关于 2022 年 信息公开工作的情况报告", ("广西工程职业学院", I)),
    ("沭阳县人民政府2022年政府信息公开工作年度报告", ("沭阳县人民政府", A)),
    ("威海市人民政府办公室2022年政府信息公开工作年度报告", ("威海市人民政府办公室", A)),
    ("柳溪市江南区望湖街道办事处2023年政府信息公开工作年度报告", ("柳溪市江南区望湖街道办事处", A)),
    ("青枫经济开发区管委会2023年政府信息公开工作年度报告", ("青枫经济开发区管委会", A)),
    ("高等学校信息公开工作报告", None),
    ("2022年信息公开工作报告", None),
])
# fmt: on
def test_reporting_body_in_the_title(nlp, title, expected):
    assert nlp.get_pipe("xxgk_organizations").title_name(title) == expected


# fmt: off
@pytest.mark.parametrize("text,expected", [
    ("沭阳县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n2022年，沭阳县人民政府认真贯彻落实。",
     [(A, "沭阳县人民政府")] * 2),
    # the places of the title name are places everywhere in the report
    ("澄州市云溪区人民政府2023年政府信息公开工作年度报告\n一、总体情况\n"
     "请与云溪区人民政府办公室联系，围绕区委、区政府中心工作，推进全区政府信息公开。",
     [(A, "澄州市云溪区人民政府"), (A, "云溪区人民政府办公室"), (A, "区委"), (A, "区政府")]),
    ("宁川市住房和城乡建设局2022年政府信息公开工作年度报告\n前言\n"
     "本报告可在宁川市人民政府门户网站查阅。如有疑问，请联系本局办公室。",
     [(A, "宁川市住房和城乡建设局"), (A, "宁川市人民政府"), (D, "办公室")]),
    # the office of the body named in the title is part of the name
    ("国家内河航运局2022年政府信息公开工作年度报告\n一、总体情况\n国家内河航运局办公室负责。",
     [(A, "国家内河航运局"), (A, "国家内河航运局办公室")]),
])
# fmt: on
def test_government_title_body_is_found_everywhere(nlp, text, expected):
    assert orgs(nlp, text) == expected


def test_attrs_are_empty_dicts(nlp):
    doc = nlp("北京理工大学党政办公室收到教育部通知。")
    ents = [e for e in doc.ents if e.label_ in ORG_LABELS]
    assert [e.label_ for e in ents] == [I, D, A]
    assert all(e._.attrs == {} for e in ents)


def test_earlier_entities_win(nlp):
    doc = nlp("依据《国家发展改革委令》（国家发展改革委令第16号）办理。")
    assert [e.label_ for e in doc.ents] == ["DOC_TITLE", "DOC_NUMBER"]


def test_text_offsets_across_line_wraps(nlp):
    text = "认真落实党中央、国\n务院的部署，由资产管\n理处负责。"
    doc = nlp(text)
    found = [(e.label_, e.text) for e in doc.ents if e.label_ in ORG_LABELS]
    assert found == [(A, "党中央"), (A, "国\n务院"), (D, "资产管\n理处")]
    assert doc.text == text


# fmt: off
@pytest.mark.parametrize("record,message", [
    ({"type": "phrase", "label": "DEPARTMENT", "phrase": "财务处", "lable": "x"}, "unknown key 'lable'"),
    ({"type": "word", "phrase": "x"}, "must be one of"),
    ({"type": "phrase", "label": "ORG", "phrase": "x"}, "must be one of"),
    ({"type": "phrase", "phrase": "财务处"}, "needs a label"),
    ({"type": "stem", "label": "DEPARTMENT"}, "needs a phrase"),
    ({"type": "not_after", "pattern": "(处"}, "not a valid regular expression"),
    ({"type": "title", "pattern": "大学"}, "group 'name'"),
])
# fmt: on
def test_rule_validation_names_the_problem(record, message):
    with pytest.raises(ValueError, match=message):
        OrganizationRule.from_dict(record, "test.jsonl")


def test_user_rules_extend_the_vocabulary(nlp):
    custom = xxgk_nlp.load()
    recognizer = custom.get_pipe("xxgk_organizations")
    text = "由数字校园建设处负责，与星海学院合作。"
    assert orgs(custom, text) == []
    recognizer.add_patterns([
        {"type": "stem", "label": "DEPARTMENT", "phrase": "数字校园"},
        {"type": "place", "phrase": "星海"},
    ])
    assert orgs(custom, text) == [(D, "数字校园建设处"), (I, "星海学院")]
    text = "学校聘请莫纳什大学专家。"
    assert orgs(custom, text) == []
    recognizer.add_patterns([{"type": "lead", "phrase": "聘请"}])
    assert orgs(custom, text) == [(I, "莫纳什大学")]
    restored = OrganizationRecognizer(custom, "copy").from_bytes(recognizer.to_bytes())
    assert restored.rules == recognizer.rules


@pytest.mark.parametrize("kind", ["phrase", "place", "body"])
def test_rules_without_one_kind_of_word(kind):
    """Phrases, place names and bodies are found by one scan: it still runs when
    one of the lists (or all) is empty."""
    custom = xxgk_nlp.load()
    recognizer = custom.get_pipe("xxgk_organizations")
    words = [
        {"type": "phrase", "label": "AUTHORITY", "phrase": "国务院"},
        {"type": "place", "phrase": "星海"},
        {"type": "suffix", "label": "INSTITUTION", "phrase": "大学"},
        {"type": "body", "phrase": "教育厅", "bare": True},
    ]
    text = "国务院、星海大学和教育厅。"
    expected = [(A, "国务院"), (I, "星海大学"), (A, "教育厅")]
    recognizer.clear()
    recognizer.add_patterns([rule for rule in words if rule["type"] != kind])
    assert orgs(custom, text) == [org for org, rule in zip(expected, words[:2] + words[3:])
                                  if rule["type"] != kind]
    recognizer.clear()
    assert orgs(custom, text) == []


@pytest.mark.parametrize("style", ["university", "government"])
def test_guards_run_wherever_they_can_match(style, seeds):
    """A guard runs only where the characters it needs are (`_longest_first`,
    `_units`): every match of a not_after guard starts with one of its
    characters, every match of a not_before guard ends with one (or before a
    final line break), and an anchored generic guard starts with one."""
    c = xxgk_nlp.load(style=style).get_pipe("xxgk_organizations").compiled
    text = "\n".join(raw for _, raw, _ in seeds) + "各部门，相关处室和全校各级单位；处理与部署"
    for label, (generic, generic_chars, before, before_chars, after, after_chars) in c.guards.items():
        for pos in range(len(text) + 1):
            if after is not None and after_chars is not None and after.match(text, pos):
                assert text[pos:pos + 1] in after_chars, (label, pos)
            if before is not None and before_chars is not None \
                    and before.search(text, max(0, pos - 16), pos):
                assert text[pos - 1:pos] in before_chars, (label, pos)
            if generic is not None and generic_chars is not None and pos < len(text):
                for end in range(pos + 1, min(len(text), pos + 8) + 1):
                    if generic.search(text[pos:end]):
                        assert text[pos] in generic_chars, (label, pos)


def test_to_disk_from_disk_replaces_rules(tmp_path):
    custom = xxgk_nlp.load()
    recognizer = custom.get_pipe("xxgk_organizations")
    recognizer.add_patterns([{"id": "extra", "type": "phrase", "label": "DEPARTMENT", "phrase": "数字中心"}])
    recognizer.to_disk(tmp_path / "orgs")
    fresh = xxgk_nlp.load().get_pipe("xxgk_organizations")
    fresh.from_disk(tmp_path / "orgs")
    assert "extra" in fresh.ids
    assert len(fresh) == len(recognizer)
    fresh.remove("extra")
    assert "extra" not in fresh.ids


def test_results_do_not_depend_on_the_segmenter(nlp):
    pytest.importorskip("jieba")
    text = "北京科技大学财务处微信公众号，由学校信息公开领导小组办公室负责，教育部办公厅转发。"
    assert orgs(xxgk_nlp.load(segmenter="jieba"), text) == orgs(nlp, text)
