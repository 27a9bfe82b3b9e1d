"""CHANNEL recognition (ANNOTATION.md §2 CHANNEL, §4, §5 "CHANNEL span")."""
import json

import pytest
import spacy

from xxgk_nlp.channels import KINDS, ChannelRecognizer, ChannelRule, literal_regex

from .conftest import norm


@pytest.fixture(scope="module")
def channels(nlp):
    return nlp.get_pipe("xxgk_channels")


def _channels(nlp, text):
    doc = nlp(text)
    return [(norm(e.text), e._.attrs["kind"]) for e in doc.ents if e.label_ == "CHANNEL"]


def _small_pipeline(**cfg):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "xxgk.Tokenizer.v1"}}})
    nlp.add_pipe("xxgk_layout")
    nlp.add_pipe("xxgk_channels", config=cfg)
    nlp.initialize()
    return nlp


def test_seed_f1_and_kind_accuracy(seed_scores):
    assert seed_scores["labels"]["CHANNEL"]["f1"] >= 0.95
    assert seed_scores["attributes"]["CHANNEL.kind"]["acc"] >= 0.98


# fmt: off
@pytest.mark.parametrize("text,expected", [
    # step 1: the longest listed word, with its kind (every kind once at least)
    ("学校官方微博粉丝数12万。", [("官方微博", "weibo")]),
    ("新浪微博和微信公众平台。", [("微博", "weibo"), ("微信公众平台", "wechat")]),
    ("“北科大青年”微信公众号拥有粉丝。", [("微信公众号", "wechat")]),
    ("“i北理”等官方微信公众号，学习强国、抖音、B 站等。",
     [("官方微信公众号", "wechat"), ("学习强国", "news_app"), ("抖音", "video"), ("B站", "video")]),
    ("年度发布官微推文370篇。", [("官微", "wechat")]),
    ("通过微博、微信等新媒体平台。", [("微博", "weibo"), ("微信", "wechat")]),
    ("积极建立微信公众号、微信视频号。", [("微信公众号", "wechat"), ("微信视频号", "video")]),
    ("持续打造“i 北理”App，发挥移动端作用。", [("App", "app"), ("移动端", "app")]),
    ("定向投放到用户的手机客户端。", [("客户端", "app")]),
    ("编印学校年鉴、校报、学生手册、教师手册。",
     [("年鉴", "print"), ("校报", "print"), ("学生手册", "print"), ("教师手册", "print")]),
    ("通过校广播电台、电视台、报纸等。",
     [("广播电台", "broadcast"), ("电视台", "broadcast"), ("报纸", "print")]),
    ("利用好学校广播站、LED 大屏幕、公告栏、宣传横幅、橱窗。",
     [("广播站", "broadcast"), ("LED大屏幕", "board"), ("公告栏", "board"),
      ("宣传横幅", "board"), ("橱窗", "board")]),
    ("通过党委书记信箱、校长信箱与公开电话处理来信。",
     [("党委书记信箱", "mailbox"), ("校长信箱", "mailbox"), ("公开电话", "hotline")]),
    ("开通13部咨询电话和24小时热线。", [("咨询电话", "hotline"), ("热线", "hotline")]),
    ("通过教职工大会、教代会、工代会、干部大会等。",
     [("教职工大会", "meeting"), ("教代会", "meeting"), ("工代会", "meeting"), ("干部大会", "meeting")]),
    ("通过校务（党务）公开大会、党政联席会。",
     [("校务（党务）公开大会", "meeting"), ("党政联席会", "meeting")]),
    ("学校利用钉钉办公平台、QQ 群、工作邮箱。",
     [("钉钉办公平台", "oa"), ("QQ群", "im"), ("工作邮箱", "oa")]),
    ("2件申请通过电子邮件形式答复，并用手机群发短信。", [("电子邮件", "email"), ("短信", "im")]),
    ("探索建设信息公开咨询窗口，设立招生咨询室。", [("咨询窗口", "other"), ("招生咨询室", "other")]),
    ("通过教育部阳光高考信息平台发布。", [("阳光高考信息平台", "website")]),
    ("本科招生网、网站群、二级网站。",
     [("招生网", "website"), ("网站群", "website"), ("二级网站", "website")]),
    # a listed word inside a longer phrase; quoted account names
    ("长春理工大学本科招生网和手机招生网。", [("招生网", "website"), ("招生网", "website")]),
    ("关注“长春理工大学本科招生微信公众号”。", [("微信公众号", "wechat")]),
    # step 2: a word ending in 网 takes a following 站
    ("学校以本科生招生网站为载体。", [("招生网站", "website")]),
    ("通过校内信息网站等渠道。", [("信息网站", "website")]),
    ("开展校园网站（系统）年审。", [("校园网站", "website")]),
    # step 3: a directly preceding 官方 or OA is inside
    ("通过学校官方主页发布。", [("官方主页", "website")]),
    ("官方视频号、官方央视频号、官方人民号。",
     [("官方视频号", "video"), ("官方央视频号", "video"), ("官方人民号", "news_app")]),
    ("推进 OA 办公自动化系统，通过 OA 办公系统发布。",
     [("OA办公自动化系统", "oa"), ("OA办公系统", "oa")]),
    # step 4: page words join a website or app word; 网上 + ≤2 characters + a board word
    ("持续用好校园网主页、校园网新闻主页。", [("校园网主页", "website"), ("校园网新闻主页", "website")]),
    ("在移动端主页开设廉政课堂。", [("移动端主页", "app")]),
    ("建好学校门户网站信息公开专栏。", [("门户网站信息公开专栏", "website")]),
    ("在学校网站信息公开栏公布，在官网首页设置栏目。",
     [("学校网站信息公开栏", "website"), ("官网首页", "website")]),
    ("以学校主页信息公开专栏为主。", [("主页信息公开专栏", "website")]),
    ("发挥了网上通知公告栏的作用。", [("网上通知公告栏", "website")]),
    # step 5: owners, places, qualifiers and heads stay out
    ("在校园门户网站上公布。", [("门户网站", "website")]),
    ("创新完善移动校园门户。", [("门户", "website")]),
    ("校园板报、信息公开意见箱。", [("板报", "board"), ("意见箱", "mailbox")]),
    ("开通热线电话。", [("热线", "hotline")]),
    ("列席党委常委会会议和校长办公会议。", [("党委常委会", "meeting"), ("校长办公会议", "meeting")]),
    ("通过学校招生委员会全体会议审定。", [("全体会议", "meeting")]),
    ("利用抖音短视频，官方微博公众平台。", [("抖音", "video"), ("官方微博", "weibo")]),
    ("通过学校校园信息门户平台。", [("信息门户", "oa")]),
    # 教代会 at every mention
    ("第七届二次教代会共收到提案，做好教代会提案办理。", [("教代会", "meeting"), ("教代会", "meeting")]),
    ("召开教职工代表大会。", [("教职工代表大会", "meeting")]),
    # additions after the held-out set
    ("出版院报和宣传册，设置张贴栏。", [("院报", "print"), ("宣传册", "print"), ("张贴栏", "board")]),
    ("党委会、党代会、学代会、行政例会。",
     [("党委会", "meeting"), ("党代会", "meeting"), ("学代会", "meeting"), ("行政例会", "meeting")]),
    # a shorter word may start inside a vetoed one
    ("学校报纸刊登了公告。", [("报纸", "print")]),
    # colleges' meetings: counterparts of the university ones; X会议 is the full form of X会
    ("学院召开党委会28次、院长办公会31次。", [("党委会", "meeting"), ("院长办公会", "meeting")]),
    ("重大事项经院长办公会议研究后，提交院务会审议。",
     [("院长办公会议", "meeting"), ("院务会", "meeting")]),
    ("学校召开党委（常委）会议12次、校务会议20次。",
     [("党委（常委）会议", "meeting"), ("校务会议", "meeting")]),
    ("学院党委(常委)会审议通过工作要点，院务会议作出部署。",
     [("党委(常委)会", "meeting"), ("院务会议", "meeting")]),
    ("经党委会议研究、党政联席会议决定，并在院务公开大会上通报。",
     [("党委会议", "meeting"), ("党政联席会议", "meeting"), ("院务公开大会", "meeting")]),
    ("列席党委常委会议和院长办公会。", [("党委常委会议", "meeting"), ("院长办公会", "meeting")]),
])
# fmt: on
def test_channel_spans(nlp, text, expected):
    assert _channels(nlp, text) == expected


# fmt: off
@pytest.mark.parametrize("text", [
    "学校推进信息网络安全建设。",              # 信息网 not in 信息网络
    "实行信息网格化管理。",                    # nor in 信息网格
    "探索信息公开网格化工作。",                # 信息公开网 not in 信息公开网格
    "加强校园网络建设，防范校园网贷。",
    "组织广播体操比赛。",
    "推进信息网上公开。",                      # 网上 + verb: online, not a website
    "计财处网站及时发布。",                    # 网站 after a unit
    "新华网、人民网、中国教育在线报道。",      # named outside media
    "吉林省教育电视台网转载。",
    "贵阳交通广播报道了我校。",
    "中央电视台报道了我校。",
    "通过招生简章、招生章程、新生入学须知、报考指南、制度汇编、大事记、会议纪要、文件公开。",
    "依托新媒体平台和官方新媒体，发挥媒体、新闻媒体、纸媒作用。",
    "设置通知公告、信息公开目录等栏目。",
    "通过本科招生管理系统和校长面对面活动。",
    "电子邮箱：xxgk@example.edu.cn",           # contact-field labels
    "邮箱：xxgk@example.edu.cn",
    "电话：010-62332317",
    "咨询电话：0451-86413099",
    "微信号：example",
    "学校报送教育部，学院报告厅启用。",        # 校报/院报 are not there
    "研究院报告了工作进展，全校报名踊跃。",
    "校党委会同有关部门研究。",
    "设置宣传栏目。",
    "网站、平台、渠道、媒体、会议。",
    "“十四五”期间。",
    "学院务实推进院务公开，院长办公室负责日常工作。",  # 院务, 院长办公室: no meeting
])
# fmt: on
def test_not_channels(nlp, text):
    assert _channels(nlp, text) == []


def test_inside_doc_title_is_not_a_channel(nlp):
    assert _channels(nlp, "编辑出版《北京科技大学年鉴》和《学生手册》。") == []


def test_attrs_and_offsets(nlp):
    text = "学校通过门户网站、\n官方微博、OA 办公系统发布信息。"
    doc = nlp(text)
    assert doc.text == text
    spans = [e for e in doc.ents if e.label_ == "CHANNEL"]
    assert [s.text for s in spans] == ["门户网站", "官方微博", "OA 办公系统"]
    for span in spans:
        assert json.loads(json.dumps(span._.attrs)) == span._.attrs
        assert span._.attrs["kind"] in KINDS


def test_channel_across_a_line_wrap(nlp):
    text = ("学校持续完善信息公开制度建设，积极推进各类信息的及时发布，通过学校门户\n"
            "网站、官方微博和微信公众号等平台发布各类信息共计一千余条。\n")
    assert _channels(nlp, text)[0] == ("门户网站", "website")


def test_find_on_plain_text(channels):
    assert channels.find("通过官网首页和校长信箱") == [(2, 6, "website"), (7, 11, "mailbox")]


# fmt: off
@pytest.mark.parametrize("text", [
    "",
    "《" * 200_000,
    "1" * 10_000,
    "官方" * 20_000 + "微博",
    "网上" * 20_000 + "公告栏",
    "信息网" * 5_000,
    "\x00官网\x00",
])
# fmt: on
def test_odd_input(nlp, text):
    doc = nlp(text)
    assert doc.text == text


def test_lone_surrogates_in_find(channels):
    assert channels.find("\ud800微博\udfff") == [(1, 3, "weibo")]


def test_literal_regex_folds_case_and_brackets():
    import re

    rx = re.compile(literal_regex("校务（党务）公开大会"))
    assert rx.fullmatch("校务(党务)公开大会")
    app = re.compile(literal_regex("App"))
    assert app.search("手机APP") and not app.search("Apps")


# fmt: off
@pytest.mark.parametrize("rule,key", [
    ({"pattern": "官微", "kind": "wechat", "colour": "red"}, "colour"),
    ({"pattern": "官微"}, "kind"),
    ({"pattern": "官微", "kind": "telepathy"}, "kind"),
    ({"type": "teleport", "pattern": "官微"}, "type"),
    ({"kind": "wechat"}, "pattern"),
    ({"pattern": "官微", "regex": "官微", "kind": "wechat"}, "pattern"),
    ({"type": "prefix", "regex": "官方"}, "regex"),
    ({"type": "prefix", "pattern": "网上", "gap": 9}, "gap"),
    ({"type": "suffix", "pattern": "站"}, "after"),
    ({"type": "page", "pattern": "首页", "kinds": ["nowhere"]}, "kinds"),
    ({"type": "exclude", "regex": "("}, "regex"),
    ({"label": "ORG", "pattern": "官微", "kind": "wechat"}, "label"),
])
# fmt: on
def test_invalid_rules_name_the_key(rule, key):
    with pytest.raises(ValueError, match=f"'{key}'"):
        ChannelRule.from_dict(rule)


def test_user_adds_a_channel_and_a_page_word_without_code():
    nlp = _small_pipeline()
    pipe = nlp.get_pipe("xxgk_channels")
    assert _channels(nlp, "通过今日头条和官网栏目页发布。") == [("官网", "website")]
    pipe.add_patterns([
        {"id": "toutiao", "pattern": "今日头条", "kind": "news_app"},
        {"id": "page_栏目页", "type": "page", "pattern": "栏目页", "kinds": ["website"]},
    ])
    assert _channels(nlp, "通过今日头条和官网栏目页发布。") == [
        ("今日头条", "news_app"), ("官网栏目页", "website")]
    pipe.remove("toutiao")
    assert _channels(nlp, "通过今日头条发布。") == []


def test_user_exclusion_vetoes_a_word():
    nlp = _small_pipeline()
    assert _channels(nlp, "学校广播站点播。") == [("广播站", "broadcast")]
    nlp.get_pipe("xxgk_channels").add_patterns(
        [{"type": "exclude", "regex": "广播站(?=点)"}])
    assert _channels(nlp, "学校广播站点播。") == []


def test_regex_channel_rule():
    nlp = _small_pipeline()
    nlp.get_pipe("xxgk_channels").add_patterns([
        {"id": "live", "regex": "(?<=[在通过])直播间", "kind": "video"},
        {"id": "empty_hit", "regex": "(?=官网)", "kind": "website"},
    ])
    assert _channels(nlp, "通过直播间和官网发布。") == [("直播间", "video"), ("官网", "website")]


def test_regex_rule_that_matches_empty_at_the_end_ends():
    nlp = _small_pipeline()
    nlp.get_pipe("xxgk_channels").add_patterns([
        {"id": "end", "regex": "(?<=箱)", "kind": "mailbox"}])
    # the empty match at the end is no channel; the search ends there (it used to loop)
    assert _channels(nlp, "通过官网和意见箱") == [("官网", "website"), ("意见箱", "mailbox")]


def test_rules_dir_extend_and_replace(tmp_path):
    (tmp_path / "channels.jsonl").write_text(
        json.dumps({"pattern": "今日头条", "kind": "news_app"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    extended = _small_pipeline(rules_dir=str(tmp_path))
    assert _channels(extended, "今日头条和官网") == [("今日头条", "news_app"), ("官网", "website")]
    replaced = _small_pipeline(rules_dir=str(tmp_path), rules_mode="replace")
    assert _channels(replaced, "今日头条和官网") == [("今日头条", "news_app")]


def test_serialization_keeps_user_rules(tmp_path):
    nlp = _small_pipeline()
    pipe = nlp.get_pipe("xxgk_channels")
    pipe.add_patterns([{"id": "toutiao", "pattern": "今日头条", "kind": "news_app"}])
    n_rules = len(pipe)
    again = ChannelRecognizer(nlp, "copy").from_bytes(pipe.to_bytes())
    assert len(again) == n_rules
    assert (0, 4, "news_app") in again.find("今日头条")
    pipe.to_disk(tmp_path / "channels")
    loaded = ChannelRecognizer(nlp, "copy2").from_disk(tmp_path / "channels")
    assert len(loaded) == n_rules
    assert loaded.find("今日头条") == [(0, 4, "news_app")]


def test_shipped_rules_use_known_kinds(channels):
    kinds = {r["kind"] for r in channels.rules if r.get("kind")}
    assert kinds <= set(KINDS)
    assert {r.get("type", "channel") for r in channels.rules} == {
        "channel", "prefix", "suffix", "page", "exclude"}


def test_words_pattern_finds_what_the_trie_finds(channels):
    """`_words_regex` (word in group 1, screened by its second character) finds
    the words that the plain trie pattern finds, one search after another."""
    import random
    import re

    from xxgk_nlp.channels import _trie_regex, _words_regex

    words = sorted(channels.compiled["kinds"])
    shorter = words + ["网"]  # a one-character word: no screen
    rnd = random.Random(5)
    chars = sorted(set("".join(words)) | set("aAoO（(）):： \n学校的"))
    texts = ["".join(rnd.choice(chars) for _ in range(rnd.randint(0, 60))) for _ in range(2000)]
    texts += [" ".join(words), "".join(words), "App应用 APPs OA系统 qq群"]
    pairs, longer = [w for w in words if len(w) == 2], [w for w in words if len(w) > 2]
    for vocabulary, fold in ((words, True), (shorter, True), (pairs, True), (longer, True),
                             (words, False), (shorter, False)):
        trie = re.compile(_trie_regex(vocabulary, fold=fold))
        screened = _words_regex(vocabulary, fold=fold)

        def spans(rx, text, group):
            out, pos = [], 0
            while True:
                m = rx.search(text, pos)
                if m is None:
                    return out
                out.append(m.span(group))
                pos = m.start(group) + 1

        for text in texts:
            assert spans(screened, text, 1) == spans(trie, text, 0), text
