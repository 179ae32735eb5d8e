"""The parser, judged as a person reading the paper would: every article of both samples, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_215, SAMPLE_218

from ingest import IssueMeta, parse_file
from ingest.textfile import parse_text
from rag import IssueParseError

EXPECTED_215 = [
    (1, "晋城大医院召开 2026年上半年医疗安全警示教育大会", "医患关系管理部", "郭鹏举"),
    (2, "医养互通 我院举办失能老人照护服务专题座谈会", "全科医学科", "李娟娟"),
    (2, "临床基本技能培训 提升实践专业能力", "医务部", "魏星"),
    (2, "我院开展护理核心制度与专业技能专题培训", "护理部", "王欣"),
    (3, "骨科医院脊柱微创治疗领域实现再突破", "脊柱微创骨科", "付宇捷"),
    (3, "4年1460个日夜守护:一面“迟到”的锦旗", "肿瘤医院", "周殿友"),
    (3, "如果脚趾会说话:我在“手上”挺好的 谢谢晋城大医院", "手足及显微外科", "王晋豫"),
    (4, "我院举办“放飞心情 健行健康”第八届职工健步走活动", "工会", "董琳"),
    (4, "柔肩担道义 温情铸医魂", "工会", "徐继来"),
]

EXPECTED_218 = [
    (1, "传承红色血脉 践行医者使命 晋城大医院召开庆祝建党105周年暨“七一”表彰大会", "党委宣传部", "牛丽琼"),
    (2, "规范化外科营养诊疗共建病房启动会顺利召开", "肿瘤医院", "周殿友"),
    (2, "我院间质性肺疾病工作获中新网、呼吸界权威报道", "党委宣传部", "张旖旎"),
    (2, "康复科在国家级、省级赛事中斩获多项荣誉", "康复科", "孙宁"),
    (3, "妇科双权威资质护航宫颈癌全周期诊疗", "妇科", "蔡媛"),
    (3, "泌尿外科微创技术突破前列腺增生治疗“年龄门槛”", "泌尿外科", "毕慧锋"),
    (3, "2岁幼童手掌扎进28根木刺 我院精细手术化解危机", "烧伤整形科", "段明明"),
    (4, "一封特别的“回信” 墨香里全是温情", "日间手术中心", "闫建萍"),
    (4, "在晋城大医院 一根透析管连起了二十年的信任", "肾内科", "符月琴"),
    (4, "从“保障供应”到“价值共创”:物资供应机制的优化与提升", "物资供应部", "司学必"),
]


def _listing(path: Path) -> list[tuple[int, str, str, str]]:
    return [(a.page, a.title, a.department, a.author) for a in parse_file(path).articles]


def test_every_article_of_issue_215_and_nothing_else() -> None:
    assert _listing(SAMPLE_215) == EXPECTED_215


def test_every_article_of_issue_218_and_nothing_else() -> None:
    assert _listing(SAMPLE_218) == EXPECTED_218


def test_masthead_gives_issue_numbers_date_weekday_and_editors() -> None:
    issue = parse_file(SAMPLE_215)
    assert (issue.publication, issue.year, issue.issue_no, issue.total_no) == ("晋城大医院", 2026, 4, 215)
    assert (issue.date, issue.weekday, issue.lunar) == ("2026-04-01", "星期三", "农历丙午年二月十四")
    assert dict(issue.editors) == {
        "主编": ("刘维佳",), "副主编": ("王雅楠",), "责编": ("李佳璐", "张晋刚", "牛丽琼"), "本期责编": ("王雅楠",),
    }
    assert issue.label == "2026年第4期（总第215期）"
    other = parse_file(SAMPLE_218)
    assert (other.issue_no, other.total_no, other.date) == (7, 218, "2026-07-01")


def test_pages_follow_the_spread_order_and_flag_the_inferred_boundary() -> None:
    issue = parse_file(SAMPLE_215)
    assert [(p.number, p.inferred) for p in issue.pages] == [(1, False), (2, True), (3, True), (4, False)]
    assert all(a.page_inferred == (a.page in (2, 3)) for a in issue.articles)


def test_subtitle_and_leading_byline_are_read_not_taken_for_title_or_body() -> None:
    art = parse_file(SAMPLE_215).articles[-1]
    assert art.subtitle == "从“她力量”看新时代女工工作的温度与深度"
    assert art.kind == "essay"
    assert art.paragraphs[0].startswith("在医院这个特殊的场域里")


def test_editor_note_stays_with_its_article_and_out_of_the_title() -> None:
    art = next(a for a in parse_file(SAMPLE_215).articles if a.title.startswith("如果脚趾会说话"))
    assert art.editor_note == "拇甲瓣移植术是显微外科领域的一项高精尖技术,被誉为“以伤换伤,伤取其轻”的艺术。"
    assert art.paragraphs[0] == "“我的拇指!快救救我的拇指!”"


def test_subheads_stay_inside_their_article() -> None:
    art = next(a for a in parse_file(SAMPLE_215).articles if a.title.startswith("骨科医院"))
    assert "病痛多年,加重三周54岁大叔苦不堪言" in art.paragraphs
    assert "术后次日即可下地患者连连称赞" in art.paragraphs


def test_paragraphs_broken_by_pictures_are_joined_again() -> None:
    arts = parse_file(SAMPLE_215).articles
    body = "\n".join(a.body for a in arts)
    assert "失能老人照护服务存在的短板,从政策引导" in body
    assert "发挥微创技术的优势,为患者选择" in body
    assert "通过组织急救演练、开展人文培训" in body
    tumour = next(a for a in arts if a.title.startswith("4年1460"))
    assert "2025年末,患者病情进入了最艰难的时刻。大量胸腔积液、心功能不全、小肠梗阻接踵而至。" in tumour.paragraphs
    assert "写满无憾与信任" in tumour.paragraphs  # the stray headline fragment is kept, not lost


def test_byline_printed_mid_article_keeps_the_rest_of_the_article() -> None:
    art = next(a for a in parse_file(SAMPLE_218).articles if a.title.startswith("康复科"))
    assert art.paragraphs[-1].startswith("荣誉的取得,是对晋城大医院康复科团队专业能力的肯定")
    assert (art.department, art.author) == ("康复科", "孙宁")


def test_boilerplate_is_not_an_article_nor_in_any_body() -> None:
    for path in (SAMPLE_215, SAMPLE_218):
        text = "\n".join(a.body + a.title for a in parse_file(path).articles)
        for furniture in ("扫码关注", "官方微信平台", "官方视频号", "订阅号", "主 编", "副主编", "全国优秀医院报刊"):
            assert furniture not in text


def test_inline_bold_subhead_becomes_its_own_paragraph() -> None:
    art = next(a for a in parse_file(SAMPLE_218).articles if a.title.startswith("妇科"))
    assert "高难度手术 成熟应对" in art.paragraphs
    assert not any("**" in p for p in art.paragraphs)


def test_sidebar_with_its_own_heading_stays_in_the_article() -> None:
    art = next(a for a in parse_file(SAMPLE_218).articles if a.title.startswith("2岁幼童"))
    assert "孩子被木刺扎伤?出现这4种情况,立刻来医院!" in art.paragraphs
    assert art.paragraphs[-1].startswith("4. 木刺扎在手指缝")
    assert art.editor_note.startswith("2岁幼童玩耍木料不慎右手掌心扎满细碎木刺")


# ---- bad input -------------------------------------------------------------------------------------------


def test_empty_file_is_refused_with_its_name(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(IssueParseError, match="empty.txt"):
        parse_file(f)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(IssueParseError, match="binary"):
        parse_file(f)


def test_gbk_encoded_text_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "gbk.txt"
    f.write_bytes(SAMPLE_215.read_text(encoding="utf-8").encode("gbk", errors="strict"))
    assert _listing(f) == EXPECTED_215


def test_file_without_masthead_names_the_file_and_the_way_out(tmp_path: Path) -> None:
    f = tmp_path / "no_masthead.txt"
    f.write_text("某科室开展义诊活动\n\n3月5日，某科室在广场开展义诊，服务群众百余人。\n\n(门诊部 张三)\n", encoding="utf-8")
    with pytest.raises(IssueParseError) as err:
        parse_file(f)
    assert "no_masthead.txt" in str(err.value) and "--total-no" in str(err.value)
    assert "报头" in err.value.user_message()


def test_metadata_given_by_hand_stands_in_for_the_masthead(tmp_path: Path) -> None:
    f = tmp_path / "no_masthead.txt"
    f.write_text("某科室开展义诊活动\n\n3月5日，某科室在广场开展义诊，服务群众百余人。\n\n(门诊部 张三)\n", encoding="utf-8")
    issue = parse_file(f, IssueMeta(issue_no=9, total_no=220, date="2026-09-01"))
    assert (issue.total_no, issue.date) == (220, "2026-09-01")
    assert [(a.page, a.page_inferred, a.title, a.department, a.author) for a in issue.articles] == [
        (1, True, "某科室开展义诊活动", "门诊部", "张三")
    ]


def test_masthead_date_that_contradicts_the_printed_weekday_is_an_error(tmp_path: Path) -> None:
    text = SAMPLE_215.read_text(encoding="utf-8").replace("星期三", "星期五", 1)
    with pytest.raises(IssueParseError, match="星期五"):
        parse_text(text, tmp_path / "bad_weekday.txt")


def test_explicit_page_marks_win_over_the_spread_order(tmp_path: Path) -> None:
    text = (
        "晋城大医院\n全国优秀医院报刊 第9期总第220期 责编王雅楠\n2026年9月\n1\n星期二\n\n"
        "第1版\n\n医院召开安全大会\n\n9月1日，医院召开安全大会，部署全年工作。\n\n(医务部 张三)\n\n"
        "第2版\n\n心内科开展义诊\n\n心内科在社区开展义诊，服务群众200余人。\n\n(心血管内科 李四)\n"
    )
    issue = parse_text(text, tmp_path / "marked.txt")
    assert [(a.page, a.page_inferred, a.title) for a in issue.articles] == [
        (1, False, "医院召开安全大会"), (2, False, "心内科开展义诊"),
    ]
    assert issue.date == "2026-09-01" and issue.weekday == "星期二"


def test_a_signature_of_office_holders_closes_its_article(tmp_path: Path) -> None:
    """A new-year address signed by two office holders ends there; the briefs after it are their own article."""
    text = (
        "晋城大医院\n全国优秀医院报刊 第1期总第230期 责编王雅楠\n2027年7月\n1\n星期四\n\n"
        "第1版\n\n新年献辞\n\n新的一年，我们向全体职工致以问候。\n\n祝大家新年快乐！\n\n"
        "(某某市人民医院党委书记、院长 甲乙丙 工会主席 丁戊)\n\n简讯\n\n"
        "6月2日，医院举办护理论文汇报会，16篇论文参加汇报。\n\n6月9日，医疗队走进社区开展义诊。\n\n(党委宣传部 张三)\n"
    )
    issue = parse_text(text, tmp_path / "signed.txt")
    assert [(a.title, a.department, a.author) for a in issue.articles] == [
        ("新年献辞", "某某市人民医院", "甲乙丙、丁戊"), ("简讯", "党委宣传部", "张三"),
    ]
    assert "护理论文" not in issue.articles[0].body


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_file_saved_as_unicode_with_a_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    text = SAMPLE_215.read_text(encoding="utf-8")
    path = tmp_path / "notepad.txt"
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path.write_bytes(bom + text.encode(encoding))  # "utf-16"/"utf-32" write their own mark
    assert _listing(path) == EXPECTED_215


def test_utf16_without_a_byte_order_mark_is_still_refused_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes(SAMPLE_215.read_text(encoding="utf-8").encode("utf-16-le"))
    with pytest.raises(IssueParseError, match="binary"):
        parse_file(path)
