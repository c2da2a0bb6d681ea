"""Line wrapping of Thai text in the PDF, and the XLSX/PDF builders on their own."""

import warnings
from datetime import date

from korch_pwa.domain.progress_report import progress_counts
from korch_pwa.pdf import BREAK, soft_breaks, wrap
from korch_pwa.reports.export import ReportDoc, build_pdf, count_lines


def test_wrap_breaks_at_spaces_and_marks_only():
    assert wrap(f"ab{BREAK}cd ef", 3, len) == ["ab", "cd", "ef"]
    assert wrap(f"ab{BREAK}cd ef", 5, len) == ["abcd", "ef"]
    assert wrap("abcdefgh", 3, len) == ["abcdefgh"]  # nowhere to break: one long line
    assert wrap("", 3, len) == [""]


def test_soft_breaks_never_split_a_cluster():
    word = "ประชาสัมพันธ์เศรษฐกิจพอเพียงแก่เกษตรกรทุกหมู่บ้านในตำบล"
    marked = soft_breaks(word)
    assert marked.replace(BREAK, "") == word
    for before, after in zip(marked, marked[1:]):
        if after == BREAK:
            assert before not in "เแโใไ"
        if before == BREAK:
            assert after not in "ัิีึืุู่้๊๋์ําะ"
    assert soft_breaks("สั้น ๆ") == "สั้น ๆ"  # short words are left alone


def test_long_text_flows_onto_more_pages_without_warnings():
    counts = progress_counts(2570, [], [], [])
    long_text = "\n".join(["ปัญหาการประสานงานระหว่างกลุ่มองค์กรในตำบล" * 3] * 60)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = build_pdf(ReportDoc(2570, "อำเภอทดสอบ จังหวัดทดสอบ", counts, long_text,
                                   long_text, "ก", "ข", date(2026, 11, 20)))
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") >= 3


def test_count_lines_word_the_form_with_thousands():
    counts = progress_counts(2570, [], [], [])
    counts["register"]["subdistrict"] = {"areas": 289, "committees": 289, "persons": 4328}
    lines = dict(count_lines(counts)[:1])
    assert lines["register"] == "จำนวน 289 ตำบล จำนวน 289 คณะ จำนวน 4,328 คน"


def _pages(data):
    from io import BytesIO

    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def test_headings_stay_with_their_first_lines_and_the_signature_stays_whole():
    """Whatever the length of the problems, part 3's heading is never left alone at a page foot."""
    counts = progress_counts(2570, [], [], [])
    for lines in range(0, 36):
        problems = "\n".join(f"ปัญหาข้อ {i} การประสานงาน" for i in range(lines))
        pages = _pages(build_pdf(ReportDoc(2570, "อำเภอทดสอบ จังหวัดทดสอบ", counts, problems,
                                           "FIRSTSUGGESTION แนวทาง", "ก", "ข",
                                           date(2026, 11, 20))))
        heading = [i for i, text in enumerate(pages) if "ข้อเสนอแนะ" in text]
        first = [i for i, text in enumerate(pages) if "FIRSTSUGGESTION" in text]
        assert heading == first, f"{lines} lines of problems: heading on {heading}, text on {first}"
        signed = [i for i, text in enumerate(pages) if "ผู้รายงาน" in text]
        dated = [i for i, text in enumerate(pages) if "วันที่" in text]
        assert signed == dated, f"{lines} lines of problems: signature split {signed} {dated}"


def test_every_thai_word_of_the_form_is_found_whole_by_pdf_readers(tmp_path):
    """ำ is drawn as two glyphs; a search for "อำเภอ" or "ดำเนินงาน" must still find it."""
    import re
    import subprocess

    from korch_pwa.reports import export

    counts = progress_counts(2570, [], [], [])
    data = build_pdf(ReportDoc(2570, "อำเภอเมืองลำปาง จังหวัดลำปาง", counts, "ทำประชาคม",
                               "จัดทำแผนตำบล", "นายสำราญ", "พัฒนาการอำเภอ", date(2026, 11, 20)))
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    readers = {
        "pypdf": "".join(_pages(data)),
        # -raw: in the order drawn, as a copy does; its layout mode sorts by x and
        # moves a tone mark drawn over the next letter ("อยู่ใน" -> "อยูใ่ น").
        "pdftotext": subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                                    text=True, check=True).stdout,
    }
    texts = [export._TITLE, export._PART1, export._PART2, export._PART3,
             *export._ITEMS.values(), "อำเภอเมืองลำปาง จังหวัดลำปาง", "ทำประชาคม",
             "จัดทำแผนตำบล", "นายสำราญ", "พัฒนาการอำเภอ"]
    words = {w for text in texts for w in re.split(r"[|\s]+", text) if re.search("[ก-๙]", w)}
    assert any("ำ" in word for word in words)
    for reader, text in readers.items():
        # A line may end inside a long word (soft breaks): lines are joined, spaces are kept.
        joined = text.replace("\n", "")
        assert "\x03" not in joined and "\x02" not in joined, reader
        missing = sorted(w for w in words if w not in joined)
        assert missing == [], f"{reader} does not find {missing}"


def test_left_to_right_text_skips_only_the_bidi_pass():
    """Thai, digits and Latin are one left-to-right run; anything right-to-left is not."""
    from fpdf import FPDF

    from korch_pwa.reports.pdf_direction import all_left_to_right

    # The override follows fpdf2's private method: an upgrade that drops it fails here.
    assert hasattr(FPDF, "_preload_bidirectional_text")
    assert all_left_to_right("อำเภอเมืองลำปาง ๒๕๗๐ (2570) report")
    for text in ("שלום", "ตำบล مرحبا", "a\u202eb", "x\u2067y"):
        assert not all_left_to_right(text)


def test_right_to_left_text_still_gets_the_whole_bidi_algorithm(monkeypatch):
    """Only strings with a right-to-left character reach fpdf2's bidi pass."""
    from fpdf import FPDF

    from korch_pwa.reports.export import _new_pdf

    seen = []
    original = FPDF._preload_bidirectional_text

    def spy(self, text, markdown):
        seen.append(text)
        return original(self, text, markdown)

    monkeypatch.setattr(FPDF, "_preload_bidirectional_text", spy)
    pdf = _new_pdf()
    pdf.set_font("Sarabun", size=14)
    for text in ("อำเภอเมืองลำปาง 2570", "ชื่อ שלום"):
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    assert seen == ["ชื่อ שלום"]
    assert pdf.output().startswith(b"%PDF")
