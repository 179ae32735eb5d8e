"""OCR for scanned issues: reading order on hand-made boxes, dictionary correction, the scan hooks with a
scripted engine, and (marked integration, slow) a rendered page read by the real RapidOCR."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_215

from ingest import IssueMeta, parse_file
from ingest.ocr import OcrLog, OcrOptions, RapidOcrEngine
from ingest.ocr_correct import correct
from ingest.ocr_layout import TextBox, page_paras, read_columns, split_at_gutters
from ingest.pages import article_conf
from ingest.textlayout import Para
from rag.errors import IssueParseError


def box(x0: float, y0: float, x1: float, y1: float, text: str, conf: float = 1.0) -> TextBox:
    return TextBox(x0, y0, x1, y1, text, conf)


# A page 950 px wide with a 20 px body line: a headline across two columns (0-450 and 500-950).
HEADLINE = box(100, 0, 850, 40, "医院召开年度安全工作会议")
L1 = box(40, 60, 450, 80, "医院于三月十八日召开年度安全工作会议，")  # indented: a paragraph starts
L2 = box(0, 90, 450, 110, "全院各科室负责人参加了会议，会上通报了")
L3 = box(0, 120, 200, 140, "安全检查情况。")  # short: the paragraph ends
L4 = box(40, 150, 450, 170, "会议要求各科室对照问题清单逐项整改，")
L5 = box(0, 180, 450, 200, "落实安全责任制度，确保医疗")  # runs to the column's foot mid-sentence
R1 = box(500, 60, 950, 80, "质量持续改进，守护患者生命安全，推动")
R2 = box(500, 90, 700, 110, "医院高质量发展。")
R3 = box(540, 180, 950, 200, "会后各科室立即开展自查。")  # after a 70 px gap (a picture)


def test_two_columns_under_a_headline_read_column_by_column_into_paragraphs() -> None:
    shuffled = [R3, L5, R1, L1, HEADLINE, L4, R2, L3, L2]
    assert page_paras(shuffled) == [
        Para("医院召开年度安全工作会议", 0),
        Para(L1.text + L2.text + L3.text, 1),
        Para(L4.text + L5.text + R1.text + R2.text, 0),  # continued across the column break
        Para(R3.text, 2),  # a wide gap is a picture break, as in extracted text
    ]
    columns = read_columns(shuffled)
    assert [[ln.text for ln in c.lines] for c in columns] == [
        [HEADLINE.text], [L1.text, L2.text, L3.text, L4.text, L5.text], [R1.text, R2.text, R3.text],
    ]


def test_a_finished_sentence_at_a_column_foot_is_not_run_into_the_next_column() -> None:
    a1 = box(40, 0, 450, 20, "第一栏第一行文字内容比较长，一直写到")
    a2 = box(0, 30, 450, 50, "栏宽的尽头，最后一句话在这里结束。")
    b1 = box(500, 0, 950, 20, "第二栏开头不缩进但是另起一段的文字，")
    b2 = box(500, 30, 650, 50, "到此为止。")
    # naive top-to-bottom order would interleave the columns: a1, b1, a2, b2
    assert page_paras([a1, b1, a2, b2]) == [Para(a1.text + a2.text, 0), Para(b1.text + b2.text, 1)]


def test_boxes_side_by_side_on_one_line_are_one_line_not_two_columns() -> None:
    lines = [box(40, 0, 420, 20, "近日，医务部召开年度安全工作会议，"), box(0, 30, 300, 50, "全院职工参加。"),
             box(280, 60, 360, 80, "（医务部"), box(372, 60, 420, 80, "张明）")]
    assert page_paras(lines) == [Para("近日，医务部召开年度安全工作会议，全院职工参加。", 0), Para("（医务部 张明）", 0)]


def test_a_title_set_beside_its_first_line_is_read_before_it() -> None:
    title = box(0, 0, 300, 40, "眼科完成首例手术")
    beside = box(320, 5, 420, 25, "本报讯")  # its centre is above the title's
    body = box(40, 50, 420, 70, "近日，眼科成功完成首例飞秒激光手术。")
    assert [p.text for p in page_paras([beside, body, title])] == ["眼科完成首例手术", "本报讯", body.text]


def test_a_line_run_across_the_gutter_is_cut_where_its_characters_jump_it() -> None:
    xs = (390.0, 410.0, 430.0, 450.0, 530.0, 550.0, 570.0, 590.0)
    merged = TextBox(380, 0, 600, 20, "左栏末尾右栏开头", 0.9, (0.9,) * 8, xs)
    left, right = split_at_gutters(merged, [(462, 518)], 20)
    assert (left.text, right.text) == ("左栏末尾", "右栏开头")
    assert (left.x0, left.x1, right.x0, right.x1) == (380, 460, 520, 600)


def test_a_line_really_set_across_the_gutter_is_not_cut() -> None:
    xs = tuple(400.0 + 20 * i for i in range(10))
    line = TextBox(390, 0, 590, 20, "一行字跨过了栏间的空白", 1.0, (), xs[:10] + (600.0,))
    assert split_at_gutters(line, [(480, 500)], 20) == [line]


KNOWN = {"晋城大医院": "publication", "脊柱微创骨科": "department", "心血管内科": "department",
         "王晓明": "person", "王晓亮": "person", "董琳": "person"}


@pytest.mark.parametrize(("text", "conf", "expected"), [
    ("普城大医院官方微信平台", 0.95, "晋城大医院官方微信平台"),  # a character misread, line unsure
    ("温馨提示：普城大医院相关内容", [1.0] * 5 + [0.56] + [1.0] * 8, "温馨提示：晋城大医院相关内容"),
    ("在脊柱微骨科就诊", 0.9, "在脊柱微创骨科就诊"),  # a character missed
    ("心血管内内科主任", 0.9, "心血管内科主任"),  # a character too many
    ("晋城大医院召开大会", 0.5, "晋城大医院召开大会"),  # already right
])
def test_unsure_tokens_one_edit_from_a_known_word_are_corrected(text: str, conf: float | list[float], expected: str) -> None:
    assert correct(text, KNOWN, conf) == expected


def test_confident_text_is_never_corrected() -> None:
    assert correct("普城大医院官方微信平台", KNOWN, 0.99) == "普城大医院官方微信平台"
    # the unsure character is not the one that differs from the known word
    assert correct("普城大医院", KNOWN, [1.0, 1.0, 1.0, 1.0, 0.5]) == "普城大医院"


def test_ambiguous_and_short_words_are_left_as_read() -> None:
    assert correct("王晓月主任", KNOWN, 0.5) == "王晓月主任"  # 王晓明 and 王晓亮 fit equally
    assert correct("董淋撰稿", KNOWN, 0.5) == "董淋撰稿"  # two-character names are too close to ordinary text
    assert correct("普城大医院", {}, 0.1) == "普城大医院"


def test_confidence_must_match_the_text() -> None:
    with pytest.raises(ValueError, match="2 values for 5 characters"):
        correct("普城大医院", KNOWN, [0.5, 0.5])


class ScriptedEngine:
    """A fake OCR engine that returns one prepared page of boxes per image it is shown."""

    def __init__(self, pages: list[list[TextBox]]) -> None:
        self.pages = list(pages)
        self.sizes: list[tuple[int, int]] = []

    def read(self, image: object) -> list[TextBox]:
        self.sizes.append(image.size)  # type: ignore[attr-defined]
        return self.pages.pop(0)


FRONT = [
    box(0, 0, 60, 20, "第1版"), box(150, 40, 350, 90, "晋城大医院"),
    box(50, 100, 350, 120, "全国优秀医院报刊 第9期总第220期 责编王雅楠"), box(160, 130, 240, 150, "2026年9月"),
    box(190, 160, 210, 180, "1"), box(170, 190, 230, 210, "星期二"),
    box(20, 240, 380, 270, "医院召开年度安全工作会议"),
    box(40, 290, 400, 310, "近日，晋城大医院医务部召开年度安全工作会议，"),
    box(0, 320, 400, 340, "全院各科室负责人参加会议，会议部署了下半年"),
    box(0, 350, 200, 370, "的安全工作。"), box(280, 380, 400, 400, "（医务部 张明）"),
]
BACK = [
    box(0, 0, 60, 20, "第2版"), box(20, 40, 380, 70, "工会举办职工羽毛球比赛"),
    box(40, 90, 400, 110, "近日，晋城大医院工会举办职工羽毛球比赛，"),
    box(0, 120, 260, 140, "百余名职工参加了比赛。"), box(300, 150, 400, 170, "（工会 赵强）"),
]


def _image(path: Path, size: tuple[int, int] = (400, 600), frames: int = 1) -> Path:
    from PIL import Image

    images = [Image.new("L", size, 255) for _ in range(frames)]
    images[0].save(path, save_all=frames > 1, append_images=images[1:])
    return path


def test_a_page_image_is_read_as_an_issue_with_progress_and_timing(tmp_path: Path) -> None:
    ticks: list[tuple[str, int, int, int]] = []

    def progress(label: str, total: int):  # type: ignore[no-untyped-def]
        return lambda step, done: ticks.append((label, total, step, done))

    log = OcrLog()
    issue = parse_file(_image(tmp_path / "front.png"), ocr=OcrOptions(engine=ScriptedEngine([FRONT]), progress=progress, log=log))
    assert (issue.total_no, issue.date, issue.weekday) == (220, "2026-09-01", "星期二")
    [art] = issue.articles
    assert (art.page, art.title, art.department, art.author) == (1, "医院召开年度安全工作会议", "医务部", "张明")
    assert art.paragraphs == ("近日，晋城大医院医务部召开年度安全工作会议，全院各科室负责人参加会议，会议部署了下半年的安全工作。",)
    assert ticks == [("识别 OCR front.png", 1, 1, 1)]
    assert [p.label for p in log.pages] == ["front.png p1"] and log.seconds_per_page >= 0


def test_a_multipage_tiff_is_one_issue_in_page_order(tmp_path: Path) -> None:
    tif = _image(tmp_path / "issue.tif", frames=2)
    issue = parse_file(tif, ocr=OcrOptions(engine=ScriptedEngine([FRONT, BACK])))
    assert [(a.page, a.title, a.author) for a in issue.articles] == [
        (1, "医院召开年度安全工作会议", "张明"), (2, "工会举办职工羽毛球比赛", "赵强"),
    ]


def test_an_image_only_spread_pdf_is_rendered_split_and_numbered_as_the_folded_paper(tmp_path: Path) -> None:
    from PIL import Image

    pdf = tmp_path / "spread.pdf"
    Image.new("RGB", (800, 600), "white").save(pdf, "PDF", resolution=100.0)
    back = [b if b.text != "第2版" else box(0, 0, 60, 20, "第4版") for b in BACK]
    engine = ScriptedEngine([back, FRONT])
    issue = parse_file(pdf, ocr=OcrOptions(engine=engine, dpi=100))
    assert engine.sizes == [(400, 600), (400, 600)]  # rendered at 100 dpi, then cut into its halves
    assert [(a.page, a.author) for a in issue.articles] == [(1, "张明"), (4, "赵强")]


def test_a_missing_engine_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(IssueParseError) as err:
        RapidOcrEngine().warm_up()
    message = err.value.user_message()
    assert message.startswith("未安装 OCR 组件") and "pip install rapidocr-onnxruntime" in message


def test_importing_the_parsers_loads_no_ocr_engine() -> None:
    code = "import sys, ingest.dispatch, ingest.pdf, ingest.ocr; print(sorted(m for m in sys.modules if m.split('.')[0] in ('rapidocr_onnxruntime', 'cv2')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.integration
@pytest.mark.slow
def test_a_rendered_scan_of_page_2_is_read_into_its_articles(tmp_path: Path) -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    from eval.scanpages import FONT_PATH, render_issue

    if not FONT_PATH.exists():
        pytest.skip("fonts-wqy-microhei is not installed")
    import pdfplumber

    pdf, _ = render_issue(SAMPLE_215, tmp_path / "scan.pdf", pages=(2,))
    with pdfplumber.open(pdf) as doc:
        assert [len(p.chars) for p in doc.pages] == [0]  # an image only: no text layer
    log = OcrLog()
    issue = parse_file(pdf, IssueMeta(issue_no=4, total_no=215, date="2026-04-01"), OcrOptions(log=log))
    assert [(a.page, a.title, a.department, a.author) for a in issue.articles] == [
        (2, "医养互通 我院举办失能老人照护服务专题座谈会", "全科医学科", "李娟娟"),
        (2, "临床基本技能培训 提升实践专业能力", "医务部", "魏星"),
        (2, "我院开展护理核心制度与专业技能专题培训", "护理部", "王欣"),
    ]
    assert len(log.pages) == 1 and log.conf > 0.9


def test_an_article_keeps_the_mean_confidence_of_its_paragraphs() -> None:
    paras = [Para("医院召开大会", 0, 0.99), Para("近日，医院召开年度大会。", 0, 0.9), Para("会议强调安全。", 0, 0.6),
             Para("别的文章的段落。", 0, 0.1)]
    body = ("近日，医院召开年度大会。会议强调安全。",)
    assert article_conf(body, paras) == round((0.9 * 12 + 0.6 * 7) / 19, 4)


def test_a_scanned_issue_is_ingested_corrected_by_the_archive_dictionary_with_its_confidence(tmp_path: Path) -> None:
    """Through the pipeline: the archive's own words (its publication, its departments) correct an unsure
    reading, the article keeps its mean confidence, and the result counts the OCR pages and their seconds."""
    from conftest import FIXTURES, fake_archive

    from ingest import ingest_file

    archive = fake_archive(tmp_path / "var")
    ingest_file(archive, FIXTURES / "issue_220.txt")
    scan = [box(0, 0, 60, 20, "第1版"), box(150, 40, 350, 90, "晋城大医院"),
            box(50, 100, 350, 120, "全国优秀医院报刊 第10期总第231期 责编王雅楠"), box(160, 130, 240, 150, "2026年10月"),
            box(190, 160, 210, 180, "1"), box(170, 190, 230, 210, "星期四"),
            box(20, 240, 380, 270, "医院召开消防安全会议"),
            box(40, 290, 400, 310, "近日，普城大医院医务部召开消防安全会议，", conf=0.62),
            box(0, 320, 400, 340, "全院各科室负责人参加会议，会议部署了冬季"),
            box(0, 350, 200, 370, "的消防工作。"), box(280, 380, 400, 400, "（医务部 张明）")]
    result = ingest_file(archive, _image(tmp_path / "scan.png"), ocr_engine=ScriptedEngine([scan]))
    assert (result.status, result.total_no, result.ocr_pages) == ("added", 231, 1) and result.ocr_seconds >= 0
    [art] = archive.articles(231)
    assert art.body.startswith("近日，晋城大医院医务部召开消防安全会议") and "普城" not in art.body
    assert 0.62 < art.ocr_conf < 1.0 and all(a.ocr_conf == 1.0 for a in archive.articles(220))
