"""rag.qa.extractive: where several sentences of the best article hold a number, the one printed right after
the question's own label answers. On the small hand-written issue."""

from __future__ import annotations

from pathlib import Path

from handmade import DENTAL, KNEE, NURSING, NUTRITION, tiny_archive, tiny_issue

from rag import Archive, answer_question
from rag.models import Article
from rag.qa.evidence import Scored
from rag.qa.extractive import Extractor
from rag.qa.spangen import Candidate, generate

TRAINING = Article(
    page=2, page_inferred=False, title="护理技能培训班开班", department="护理部", author="陆清和",
    paragraphs=("11月10日至14日，护理技能培训班在门诊楼学术报告厅举办。本次培训为期5天，共86名护士参加培训。",),
)


def test_the_number_after_the_question_label_wins_in_the_best_article(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, TRAINING)))
    assert answer_question(archive, "护理技能培训班为期几天？").answer == "5天"
    assert answer_question(archive, "护理技能培训班有多少名护士参加？").answer == "86名"


def test_the_quantity_inside_a_separable_verb_stands_after_the_whole_word(tmp_path: Path) -> None:
    """出了多少血 asks 出血: 18毫米 beside 血管 is not it; 15毫升 printed after 出血 is."""
    stent = Article(page=2, page_inferred=False, title="介入科完成首例颈动脉支架植入术", department="介入科",
                    author="温知夏", paragraphs=(
                        "5月6日，介入科为一名66岁患者实施颈动脉支架植入术。团队在血管造影引导下，将1枚直径18毫米的"
                        "支架送至狭窄处。手术历时50分钟，术中出血约15毫升。",))
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, stent)))
    assert answer_question(archive, "《介入科完成首例颈动脉支架植入术》中的手术出了多少血？").answer == "15毫升"


def test_a_count_of_a_noun_the_question_does_not_name_is_another_count(tmp_path: Path) -> None:
    """跳了多少个 counts no thing: 4个项目 counts 项目, 153个的成绩 is the count asked."""
    games = Article(page=2, page_inferred=False, title="职工趣味运动会举行", department="工会", author="唐亦舟",
                    paragraphs=("5月1日，院工会举办职工趣味运动会，设跳绳、踢毽子、拔河等4个项目，共有180名职工参加。"
                                "骨科沈若溪以153个的成绩获得女子组一分钟跳绳第一名。",))
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, games)))
    assert answer_question(archive, "趣味运动会女子组一分钟跳绳第一名跳了多少个？").answer == "153个"
    assert answer_question(archive, "趣味运动会设了几个项目？").answer == "4个"  # the noun named: its count


def test_a_count_in_another_classifier_answers_only_beside_the_thing_counted(tmp_path: Path) -> None:
    """几张床 asked: 住院楼5层 is a count only in form (a floor, 床 not beside it); the beds are 46张."""
    moved = Article(page=2, page_inferred=False, title="康复病区迁入新址", department="康复科", author="许闻笛",
                    paragraphs=("4月2日，康复科病区整体搬迁至住院楼5层新址，正式投入使用。",
                                "新病区使用面积约900平方米，床位由原来的30张增加到46张。"))
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, moved)))
    assert answer_question(archive, "康复科病区搬到新址以后有几张床？").answer == "46张"


def test_the_person_a_sentence_quotes_is_not_whom_its_fact_is_about(tmp_path: Path) -> None:
    contest = Article(page=2, page_inferred=False, title="青年护士演讲比赛举行", department="护理部", author="陆清和",
                      paragraphs=("比赛评出一等奖1名、二等奖2名。口腔科许闻笛获得一等奖；营养科唐亦舟、运动医学科钟予安获得二等奖。"
                                  "护理部主任韩素问介绍，青年护士演讲比赛一等奖获得者将代表医院参加全市比赛。",))
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, contest)))
    assert answer_question(archive, "青年护士演讲比赛谁拿了一等奖？").answer == "许闻笛"
    assert "韩素问" in answer_question(archive, "青年护士演讲比赛是谁介绍一等奖获得者去向的？").answer  # who says it


def test_which_issues_reported_something_lists_each_issue_cited(tmp_path: Path) -> None:
    again = Article(
        page=3, page_inferred=False, title="口腔科再进青禾社区", department="口腔科", author="许闻笛",
        paragraphs=("9月20日，口腔科医护人员再次走进青禾社区开展爱牙义诊，为80余名居民检查口腔健康。",),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(), tiny_issue(total_no=305, issue_no=7, date="2025-09-30",
                                                                      articles=(again, NUTRITION)))
    ans = answer_question(archive, "哪几期院报报道过青禾社区的爱牙义诊？")
    assert ans.qtype == "where" and "总第301期" in ans.answer and "总第305期" in ans.answer
    assert {c.source.total_no for c in ans.citations} == {301, 305}
    one = answer_question(archive, "哪一期院报报道过营养科的体重管理门诊？")
    assert one.answer.count("总第") == 1


def test_a_place_question_answers_the_place_or_abstains(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, TRAINING)))
    ans = answer_question(archive, "护理技能培训班在哪里举办？")
    assert (ans.qtype, ans.answer) == ("place", "门诊楼学术报告厅")
    assert answer_question(archive, "爱牙义诊是在哪里开展的？").answer == "青禾社区"
    # the meeting's room is not printed (医院召开… names no room): no place of the evidence answers for it
    assert answer_question(archive, "护理质量推进会在哪个会议室召开？").abstained


def test_the_ranker_takes_only_a_candidate_of_the_kind_asked(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue())
    s = "2019年，口腔科成立儿童口腔门诊，3月20日走进青禾社区。"
    year = Extractor(archive, "儿童口腔门诊是哪一年成立的？", "date")
    assert [c.text for c in ranked_candidates(year, s)] == ["2019年"]  # 3月20日 has no year
    who = Extractor(archive, "义诊由谁带队？", "person")
    assert all("person" in c.kinds for c in ranked_candidates(who, "副院长林知远带队，青禾社区积极响应。"))
    assert ranked_candidates(Extractor(archive, "门诊叫什么名字？", "open"), s)  # open: any candidate


def ranked_candidates(extract: Extractor, sentence: str) -> list[Candidate]:
    tok = extract.tok
    return [c for c in generate(sentence, tok.pos_tags(sentence), extract.depts, extract.people) if extract.fits(c)]


def test_a_plural_question_gets_every_unit_or_person_of_the_run(tmp_path: Path) -> None:
    awards = Article(
        page=2, page_inferred=False, title="医院表彰年度先进", department="党委办公室", author="韩素问",
        paragraphs=("运动医学科、口腔科获评年度先进科室，营养科、护理部获评服务进步奖。",
                    "护士长沈若溪、主任钟予安获评优秀个人。"),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, awards)))
    assert answer_question(archive, "哪些科室获评了服务进步奖？").answer == "营养科、护理部"
    assert answer_question(archive, "哪个科室获评了服务进步奖？").answer in ("营养科", "护理部")
    assert answer_question(archive, "哪些人获评优秀个人？").answer == "沈若溪、钟予安"


def test_a_count_of_another_thing_counted_is_no_answer(tmp_path: Path) -> None:
    clinic = Article(
        page=2, page_inferred=False, title="社区义诊走进青禾公园", department="全科医学科", author="唐亦舟",
        paragraphs=("义诊持续半天，为群众测量心率120人次，完成听力筛查45人次。",
                    "今年以来科室完成手术1.6万台次，其中三级手术2310台次。"),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, clinic)))
    assert answer_question(archive, "青禾公园义诊测量了多少人次心率？").answer == "120人次"
    # the thing counted (肺功能) is printed nowhere beside a count of 人次: the archive does not say
    assert answer_question(archive, "青禾公园义诊测量了多少人次肺功能？").abstained
    # of two counts in the unit asked, the one beside the thing counted
    assert answer_question(archive, "全科医学科今年完成了多少台次三级手术？").answer == "2310台次"
    assert answer_question(archive, "全科医学科今年完成了多少台次手术？").answer == "1.6万台次"


AWARDS = Article(
    page=2, page_inferred=False, title="科技创新大会召开", department="科研部", author="唐亦舟",
    paragraphs=("会议宣读了表彰决定，共评出新技术一等奖2项、二等奖3项。其中，运动医学科“关节镜下半月板缝合术”、"
                "口腔科“数字化种植导板技术”获得一等奖；营养科“体重管理门诊”等3个项目获得二等奖。",),
)


def test_a_list_is_the_items_named_not_the_tally_of_counts(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, AWARDS)))
    ans = answer_question(archive, "会议宣读的表彰决定共评出的新技术一等奖有哪些项目？")
    assert "关节镜下半月板缝合术" in ans.answer and "数字化种植导板技术" in ans.answer and "2项" not in ans.answer


def test_a_count_in_the_classifier_asked_is_not_replaced_by_another_classifiers(tmp_path: Path) -> None:
    games = Article(
        page=4, page_inferred=False, title="职工乒乓球比赛落幕", department="工会", author="唐亦舟",
        paragraphs=("本次比赛设男子单打、女子单打、混合双打三个项目，历时两天，共进行比赛96场。",),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, DENTAL, NUTRITION, games)))
    assert answer_question(archive, "职工乒乓球比赛一共打了多少场？").answer == "96场"  # not 三个 (项目)


PROFILE = Article(
    page=2, page_inferred=False, title="守护患者的“老护理”", department="护理部", author="陆清和",
    paragraphs=("护士长苏映雪在手术室工作了二十年，团队从8人发展到现在的30人。她2010年取得护理学本科学历，"
                "2016年在职获得护理学硕士学位，现为副主任护师。", "苏映雪常说，护理是一辈子的事。"),
)
CLINIC = Article(
    page=2, page_inferred=False, title="健康讲堂：冬季常见病", department="呼吸内科", author="许闻笛",
    paragraphs=("冬季最常见的呼吸道疾病主要有三类:", "一是流感。多因受凉引起。", "二是肺炎。常见于老人。",
                "三是支气管炎。注意保暖。"),
)


def test_a_title_degree_or_level_is_answered_from_a_sentence_naming_the_person_by_pronoun(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, PROFILE)))
    assert answer_question(archive, "苏映雪现在是什么职称？").answer == "副主任护师"  # 她…现为副主任护师
    assert answer_question(archive, "苏映雪获得了什么学位？").answer == "护理学硕士学位"
    assert answer_question(archive, "苏映雪是什么学历？").answer == "本科"


def test_an_office_is_the_one_printed_right_before_the_name_asked_with_its_unit(tmp_path: Path) -> None:
    """什么职务 / 的职务是什么: the offices printed right before the person asked (党委书记、院长某某), with the unit
    that opens them (口腔科主任); not another person's office in the same sentence."""
    meeting = Article(
        page=1, page_inferred=False, title="医院召开年度工作会", department="院办", author="唐亦舟",
        paragraphs=("3月2日，医院召开年度工作会，党委书记、院长沈望川作工作报告，副院长许闻笛主持会议。",
                    "口腔科主任柯望舒介绍了科室新技术开展情况。"),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, meeting)))
    assert answer_question(archive, "沈望川是什么职务？").answer == "党委书记、院长"
    assert answer_question(archive, "许闻笛的职务是什么？").answer == "副院长"
    assert answer_question(archive, "柯望舒担任什么职务？").answer == "口腔科主任"


def test_a_list_printed_one_item_to_a_sentence_after_its_lead_in(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, CLINIC)))
    assert answer_question(archive, "冬季最常见的呼吸道疾病是哪三类？").answer == "流感、肺炎、支气管炎"


def test_a_fact_printed_of_another_unit_than_the_one_asked_is_a_near_miss(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue())
    assert answer_question(archive, "运动医学科首例机器人辅助膝关节置换手术是哪天做的？").answer == "3月10日"
    ans = answer_question(archive, "口腔科首例机器人辅助膝关节置换手术是哪天做的？")  # 运动医学科's, not 口腔科's
    assert ans.abstained and "运动医学科" in ans.note


def test_whom_an_article_is_about_is_not_its_author(tmp_path: Path) -> None:
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, PROFILE)))
    assert answer_question(archive, "《守护患者的“老护理”》写的是哪位护士长？").answer == "苏映雪"
    assert answer_question(archive, "《守护患者的“老护理”》是谁写的？").answer == "陆清和"


def test_an_ordinal_answers_only_a_question_that_asks_which_one(tmp_path: Path) -> None:
    op = Article(
        page=3, page_inferred=False, title="骨科完成一例髋关节翻修手术", department="骨科", author="程远舟",
        paragraphs=("骨科为患者实施了髋关节翻修手术，手术历时2小时10分钟，术后第2天患者鲁大爷在康复师帮助下下床活动。",
                    "在全省髋关节翻修技术评比中，骨科排第5位。"),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, op)))
    assert answer_question(archive, "鲁大爷那台手术做了多久？").answer == "2小时10分钟"  # not 第2天, beside his name
    assert answer_question(archive, "鲁大爷术后第几天下床活动？").answer == "第2天"
    assert answer_question(archive, "骨科在全省髋关节翻修技术评比中排多少位？").answer == "第5位"  # 排: a place


def test_a_work_asked_for_is_the_title_printed_in_angle_quotes(tmp_path: Path) -> None:
    show = Article(
        page=4, page_inferred=False, title="职工文艺汇演举行", department="工会", author="程远舟",
        paragraphs=("汇演共有12个节目参演，评委现场打分，评出一等奖1个、二等奖1个。",
                    "急诊科情景剧《夜班》获得一等奖；药学部合唱《春晖》获得二等奖。"),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, show)))
    assert answer_question(archive, "文艺汇演里拿了一等奖的是哪个节目？").answer == "夜班"


def test_a_count_printed_after_its_label_is_the_value_it_changed_to(tmp_path: Path) -> None:
    ward = Article(
        page=3, page_inferred=False, title="康复病区扩建完工", department="康复医学科", author="程远舟",
        paragraphs=("康复病区扩建完工后，床位由原来的30张增加到45张。",),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, ward)))
    assert answer_question(archive, "康复病区扩建后有多少张床位？").answer == "45张"
    assert answer_question(archive, "康复病区原来有多少张床位？").answer == "30张"  # the state the question names


def test_a_fact_of_a_named_relative_is_not_the_persons_own(tmp_path: Path) -> None:
    profile = Article(
        page=4, page_inferred=False, title="三十年守着锅炉房", department="后勤保障部", author="程远舟",
        paragraphs=("鲁长河的父亲鲁大山是医院的第一代锅炉工，1962年进医院，干了整整30年。",
                    "1990年，20岁的鲁长河技校毕业，也进了医院，当了一名电工。"),
    )
    archive = tiny_archive(tmp_path / "var", tiny_issue(articles=(KNEE, NURSING, profile)))
    assert answer_question(archive, "鲁长河是哪一年进的医院？").answer == "1990年"  # not his father's 1962年
    assert answer_question(archive, "鲁长河的父亲是哪一年进的医院？").answer == "1962年"  # the relative asked


def test_trim_mode_takes_the_ranked_span_only_inside_the_rules_answer(tmp_path: Path) -> None:
    weights = tmp_path / "w.json"
    weights.write_text('{"weights": {"k:number": 10.0}}', encoding="utf-8")  # any quantity, the first one on a tie
    base = tiny_archive(tmp_path / "var", tiny_issue())
    archive = Archive(base.settings.with_(span_modes="open=trim", span_weights=str(weights)), base.embeddings)
    extract = Extractor(archive, "手术时间缩短到了怎样的程度？", "open")
    s = "机器人辅助可将误差控制在1毫米以内，手术时间缩短至40分钟。"
    scored = Scored(sentence=s, hit=None, rank=0, index=0, coverage=1.0, context=1.0, anchors=())  # type: ignore[arg-type]
    assert extract.ranked_span([scored])[0] == "1毫米"  # type: ignore[index]
    assert extract.ranked_span([scored], within="手术时间缩短至40分钟")[0] == "40分钟"  # type: ignore[index]
    assert extract.ranked_span([scored], within="不在句中") is None  # a stretch the sentence does not print


def _with(tmp_path: Path, title: str, *paragraphs: str) -> Archive:
    """The small issue with one more article: its title and paragraphs (page 3, by 工会)."""
    art = Article(page=3, page_inferred=False, title=title, department="工会", author="程远舟", paragraphs=paragraphs)
    return tiny_archive(tmp_path / "var", tiny_issue(articles=(NURSING, DENTAL, art)))


def test_a_place_asked_for_comes_from_the_sentence_that_prints_the_subjects_place(tmp_path: Path) -> None:
    """几等奖: the sentence naming the player and the contest without a place is not the answer; the one
    printing 某某获得一等奖 is, and 甲、乙获得二等奖 gives 乙 the 二等奖."""
    archive = _with(tmp_path, "青年医师病例演讲比赛举行",
                    "比赛中，急诊科医师陆子昂讲述的病例演讲比赛选题引人入胜，评委逐一点评。",
                    "经过角逐，比赛评出一等奖1名、二等奖2名。急诊科陆子昂获得一等奖；眼科苏明远、药学部顾清获得二等奖。")
    assert answer_question(archive, "陆子昂在病例演讲比赛里拿了几等奖？").answer == "一等奖"
    assert answer_question(archive, "顾清在病例演讲比赛中获得第几名？").answer == "二等奖"


def test_how_long_something_took_is_the_duration_printed_after_its_label(tmp_path: Path) -> None:
    """手术做了多长时间: 历时2小时15分钟, not the twenty years of pain nearer the patient's name."""
    archive = _with(tmp_path, "关节外科为八旬老人换膝",
                    "82岁的吕奶奶双膝疼痛二十多年，3月2日在关节外科接受膝关节置换手术，历时2小时15分钟。",
                    "术中出血约150毫升，患者术后第2天下床活动。")
    assert answer_question(archive, "吕奶奶的膝关节手术做了多长时间？").answer == "2小时15分钟"


def test_when_two_durations_are_labelled_the_one_of_the_subject_asked_answers(tmp_path: Path) -> None:
    archive = _with(tmp_path, "职工健步走举行",
                    "骨科沈若溪用时58分钟，第一个抵达终点；年纪最大的是退休职工吕长庚，他和老伴儿用了1小时50分钟走完全程。")
    assert answer_question(archive, "吕长庚老两口走完全程花了多久？").answer == "1小时50分钟"
