"""Draw a certificate on A4 with fpdf2: title in Chinese with English beneath, the holder,
the facts in a two-column table, then the certificate number, e-licence identifier, dates
and issuer beside a QR code drawn as vector squares, 46 mm wide so it scans from paper."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from fpdf import FPDF
from fpdf.enums import RenderStyle, XPos, YPos
from fpdf.fonts import TTFFont

from registry.render.certificate.content import (
    CertificateContent,
    Fact,
    chinese_date,
    english_date,
)
from registry.render.certificate.fonts import FONT_FAMILY, fonts_for, require_glyphs
from registry.render.qrimage import build_qr

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
LEFT, RIGHT = 26.0, 184.0  # text margins, inside the frame
LABEL_WIDTH: Final = 46.0
QR_SIZE: Final = 46.0  # mm, modules only; the page around it is the quiet zone
FOOT_TOP: Final = PAGE_HEIGHT - 94.0  # where the number, dates and QR block begins
RED: Final = (158, 27, 27)
GREY: Final = (96, 96, 96)
BLACK: Final = (20, 20, 20)
PRODUCER: Final = "YRD talent-credential registry"
SCAN_TO_VERIFY: Final = ("扫码核验", "Scan to verify")
SEALED_NOTE: Final = (
    "本证书由签发机构以电子签名封印，内容以扫码核验结果为准。",
    "Sealed with the issuer's electronic signature; the scan result is authoritative.",
)


class _CertificatePage(FPDF):
    """An A4 page with the certificate's double frame on every page."""

    def header(self) -> None:
        self.set_draw_color(*RED)
        self.set_line_width(1.2)
        self.rect(9, 9, PAGE_WIDTH - 18, PAGE_HEIGHT - 18)
        self.set_line_width(0.3)
        self.rect(12.5, 12.5, PAGE_WIDTH - 25, PAGE_HEIGHT - 25)
        self.set_y(22)


@cache
def _page_characters() -> frozenset[int]:
    """What the page's own words may print besides the content's texts: printable ASCII and
    every other character of this module's and the date formats' source.

    Where the source is not installed (bytecode only), only ASCII is expected: a page
    character outside it is then found missing as it is drawn and the page redrawn.
    """
    here = Path(__file__)
    try:
        source = here.read_text("utf-8") + here.with_name("content.py").read_text("utf-8")
    except OSError:
        source = ""
    return frozenset(range(0x20, 0x7F)) | {ord(char) for char in source if ord(char) > 0x7F}


def _add_font(pdf: FPDF, path: Path, characters: frozenset[int] | None) -> TTFFont:
    """The shipped font (or its smaller cut), subset into this document when it is written.

    With ``characters``, fpdf2 measures only those (the page's and the content's), not
    every character of the font: a character outside them is reported missing as it is
    drawn, and the certificate is drawn again without the restriction.

    fpdf2 subsets the font for each document with fontTools and writes it twice (the
    whole OpenType file, which it then drops, and the CFF table it embeds); by fontTools'
    default each write traces every kept glyph's outline again to recompute bounding
    boxes, half a certificate's time. Without that the embedded CFF keeps the font's
    whole bounding box, the same box the PDF's font descriptor gives.
    """
    pdf.add_font(
        FONT_FAMILY,
        fname=str(path),
        unicode_range=None if characters is None else sorted(characters),
    )
    font = pdf.fonts[FONT_FAMILY.lower()]
    assert isinstance(font, TTFFont)
    font.ttfont.recalcBBoxes = False
    return font


def _new_document(
    content: CertificateContent, font: Path, characters: frozenset[int] | None
) -> tuple[_CertificatePage, TTFFont]:
    pdf = _CertificatePage(orientation="portrait", unit="mm", format="A4")
    added = _add_font(pdf, font, characters)
    pdf.set_margins(LEFT, 22, PAGE_WIDTH - RIGHT)
    pdf.set_auto_page_break(auto=True, margin=24)
    pdf.set_creation_date(content.printed_at)
    pdf.set_title(f"{content.title_zh} {content.title_en}")
    pdf.set_author(content.issuer_zh)
    pdf.set_subject(content.title_en)
    pdf.set_creator(PRODUCER)
    pdf.set_producer(PRODUCER)
    pdf.set_lang("zh-CN")
    pdf.add_page()
    return pdf, added


def _text(pdf: FPDF, size: float, colour: tuple[int, int, int] = BLACK) -> None:
    pdf.set_font(FONT_FAMILY, size=size)
    pdf.set_text_color(*colour)


def _centred(
    pdf: FPDF, text: str, size: float, height: float, colour: tuple[int, int, int]
) -> None:
    _text(pdf, size, colour)
    pdf.multi_cell(0, height, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: FPDF, content: CertificateContent) -> None:
    _centred(pdf, "长三角生态绿色一体化发展示范区", 10, 5, GREY)
    _centred(pdf, "Yangtze River Delta Eco-Green Integration Demonstration Zone", 7.5, 4, GREY)
    pdf.ln(5)
    _centred(pdf, content.title_zh, 28, 13, RED)
    _centred(pdf, content.title_en, 12, 6, RED)
    pdf.ln(6)
    _centred(pdf, content.holder_name, 20, 10, BLACK)
    _centred(pdf, "持证人 / Holder", 8, 4, GREY)
    pdf.ln(6)


def _fact(pdf: FPDF, fact: Fact) -> None:
    top = pdf.get_y()
    if top > pdf.page_break_trigger - 14:
        pdf.add_page()
        top = pdf.get_y()
    page = pdf.page
    _text(pdf, 10.5)
    pdf.multi_cell(LABEL_WIDTH, 5.2, fact.label_zh, new_x=XPos.LEFT, new_y=YPos.NEXT)
    _text(pdf, 7.5, GREY)
    pdf.multi_cell(LABEL_WIDTH, 3.5, fact.label_en, new_x=XPos.LEFT, new_y=YPos.NEXT)
    label_bottom = pdf.get_y()
    value_width = RIGHT - LEFT - LABEL_WIDTH
    pdf.set_xy(LEFT + LABEL_WIDTH, top)
    _text(pdf, 11)
    pdf.multi_cell(value_width, 5.2, fact.value, new_x=XPos.LEFT, new_y=YPos.NEXT)
    if fact.value_en:
        _text(pdf, 7.5, GREY)
        pdf.multi_cell(value_width, 3.5, fact.value_en, new_x=XPos.LEFT, new_y=YPos.NEXT)
    bottom = max(label_bottom, pdf.get_y()) if pdf.page == page else pdf.get_y()
    pdf.set_draw_color(215, 200, 200)
    pdf.set_line_width(0.15)
    pdf.line(LEFT, bottom + 1, RIGHT, bottom + 1)
    pdf.set_xy(LEFT, bottom + 2)


def _detail(pdf: FPDF, label: str, value: str, width: float, size: float = 9) -> None:
    x = pdf.get_x()
    _text(pdf, 7, GREY)
    pdf.multi_cell(width, 3.4, label, new_x=XPos.LEFT, new_y=YPos.NEXT)
    _text(pdf, size)
    pdf.multi_cell(width, size * 0.48, value, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(x)
    pdf.ln(1.6)


def _validity(content: CertificateContent) -> str:
    if content.valid_until is None:
        return (
            f"自{chinese_date(content.valid_from)}起长期有效 / "
            f"from {english_date(content.valid_from)}, no end date"
        )
    end = content.valid_until
    return (
        f"{chinese_date(content.valid_from)}至{chinese_date(end)} / "
        f"{english_date(content.valid_from)} to {english_date(end)}"
    )


def _particulars(pdf: FPDF, content: CertificateContent) -> None:
    width = RIGHT - LEFT - QR_SIZE - 8
    pdf.set_xy(LEFT, FOOT_TOP)
    if content.certificate_number:
        _detail(pdf, "证书编号 / Certificate number", content.certificate_number, width, 10.5)
    if content.electronic_licence_id:
        _detail(pdf, "电子证照标识 / E-licence identifier", content.electronic_licence_id, width, 7)
    issued = f"{chinese_date(content.issued_on)} / {english_date(content.issued_on)}"
    _detail(pdf, "签发日期 / Issued on", issued, width)
    _detail(pdf, "有效期 / Valid", _validity(content), width, 8)
    _detail(pdf, "签发机构 / Issued by", content.issuer_zh, width)
    pdf.set_y(pdf.get_y() - 1.6)
    _text(pdf, 7, GREY)
    pdf.multi_cell(width, 3.2, content.issuer_en, new_x=XPos.LEFT, new_y=YPos.NEXT)


def _qr(pdf: FPDF, url: str) -> None:
    """The QR code as filled squares (one rectangle per run of dark modules in a row)."""
    modules: list[list[bool]] = build_qr(url).modules
    count = len(modules)
    step = QR_SIZE / count
    left, top = RIGHT - QR_SIZE, FOOT_TOP + 2
    pdf.set_fill_color(0, 0, 0)
    for row, cells in enumerate(modules):
        column = 0
        while column < count:
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < count and cells[column]:
                column += 1
            pdf.rect(
                left + start * step,
                top + row * step,
                (column - start) * step,
                step,
                style=RenderStyle.F,  # the enum, not "F": fpdf2 parses a string every time
            )
    pdf.set_xy(left - 6, top + QR_SIZE + 2)
    _text(pdf, 10, RED)
    pdf.cell(QR_SIZE + 12, 5, " / ".join(SCAN_TO_VERIFY), align="C")


def _sealed_note(pdf: FPDF, record_id: str) -> None:
    pdf.set_xy(LEFT, PAGE_HEIGHT - 27)
    _text(pdf, 6.5, GREY)
    lines = [*SEALED_NOTE, f"记录编号 / Record {record_id}"]
    pdf.multi_cell(RIGHT - LEFT, 3.1, "\n".join(lines), align="C")


def _drawn(
    content: CertificateContent, font: Path, characters: frozenset[int] | None = None
) -> tuple[FPDF, TTFFont]:
    pdf, added = _new_document(content, font, characters)
    _heading(pdf, content)
    for fact in content.facts:
        _fact(pdf, fact)
    if pdf.get_y() > FOOT_TOP - 4:
        pdf.set_auto_page_break(auto=False)
        pdf.add_page()
    pdf.set_auto_page_break(auto=False)
    _particulars(pdf, content)
    _qr(pdf, content.qr_url)
    _sealed_note(pdf, content.record_id)
    return pdf, added


def render_certificate(content: CertificateContent) -> bytes:
    """The certificate as an unsealed PDF (A4, the font embedded as a subset).

    Raises ``CERTIFICATE_GLYPH_MISSING`` when a text holds a character the font lacks:
    a certificate never prints an empty box in place of a name's character. Set in the
    font's smaller cut when that has every character of the content, else in the whole
    font; fpdf2 measures only the characters the page may print. Should a character of
    the page be outside what was expected (fpdf2 reports it as it draws, before anything
    is written), the page is drawn again in the whole font, unrestricted.
    """
    texts = content.texts()
    require_glyphs(texts)
    expected = _page_characters() | {ord(char) for text in texts for char in text}
    for font in fonts_for(texts):
        pdf, added = _drawn(content, font, expected)
        if not added.missing_glyphs:
            return bytes(pdf.output())
        added.close()  # output() would have closed the font file
    pdf, _ = _drawn(content, fonts_for(texts)[-1])
    return bytes(pdf.output())


__all__ = ["QR_SIZE", "render_certificate"]
