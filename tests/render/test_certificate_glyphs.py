"""Certificates printed one after the other (a review session's ZIP) each embed exactly the
glyphs of their own text, from the font's smaller cut or the whole font: none carried
over from the certificate before, none missing.
What is made once per process for speed (the seal's signer and room, the QR mask tables)
must not leak from one certificate into the next."""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import replace
from functools import cache

import pytest
from cryptography.utils import CryptographyDeprecationWarning
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont

from registry.render.certificate import Fact, sealed_certificate
from registry.render.certificate.fonts import (
    FONT_PATH,
    FREQUENT_FONT_PATH,
    font_characters,
    fonts_for,
)
from tests.render.test_certificate_render import CONTENT, SEALER, URL
from tests.support.pdf import pdf_fonts, pdf_text, qr_on_page, seal_status

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "DSA is deprecated", CryptographyDeprecationWarning)
    from pyhanko.pdf_utils.reader import PdfFileReader

SECOND = replace(
    CONTENT,
    record_id="5b0c7d3e-1111-4a2b-8c3d-000000000002",
    holder_name="欧阳晓燕",
    facts=(Fact("职称系列", "Series", "卫生技术", "Health"),),
    certificate_number="DEMO-QP-2020-0417",
    qr_url=URL.replace("ABCD", "QRST"),
)


@cache
def _font_cmap() -> dict[int, str]:
    with TTFont(FONT_PATH, lazy=True) as font:
        return dict(font.getBestCmap())


def _embedded_glyphs(pdf: bytes) -> set[str]:
    """The glyph names of every font program the PDF embeds (CFF, as fpdf2 writes it)."""
    glyphs: set[str] = set()
    reader = PdfFileReader(io.BytesIO(pdf))
    pages = reader.root["/Pages"]["/Kids"]
    for number in range(len(pages)):
        fonts = pages[number]["/Resources"]["/Font"]
        for key in fonts:
            descriptor = fonts[key]["/DescendantFonts"][0]["/FontDescriptor"]
            program = CFFFontSet()
            program.decompile(io.BytesIO(descriptor["/FontFile3"].data), None)
            glyphs |= set(program.topDictIndex[0].charset)
    return glyphs - {".notdef"}


def _glyphs_of(text: str) -> set[str]:
    """The font's glyphs for a text's characters, and the space fpdf2 always keeps."""
    cmap = _font_cmap()
    return {cmap[ord(char)] for char in text if not char.isspace()} | {cmap[0x20]}


RARE = replace(SECOND, holder_name="张喆", qr_url=URL.replace("ABCD", "WXYZ"))  # 喆: no GB 2312


@pytest.fixture(scope="module")
def printed() -> list[bytes]:
    """Four certificates sealed in a row, by one sealer at one time, as a session's are
    (the third needs the whole font, the others its smaller cut)."""
    return [sealed_certificate(c, SEALER) for c in (CONTENT, SECOND, RARE, CONTENT)]


def test_the_smaller_cut_sets_only_what_it_has_every_character_of():
    assert fonts_for(CONTENT.texts()) == [FREQUENT_FONT_PATH, FONT_PATH]
    assert fonts_for(RARE.texts()) == [FONT_PATH]
    assert "喆" in font_characters(FONT_PATH)


def test_each_certificate_embeds_exactly_the_glyphs_of_its_own_text(printed, caplog):
    first, second, rare, again = printed
    for pdf, name in ((first, "王建华"), (second, "欧阳晓燕"), (rare, "张喆")):
        text = pdf_text(pdf)
        assert name in text
        assert _embedded_glyphs(pdf) == _glyphs_of(text)
    only_second = _glyphs_of("欧阳晓燕卫生") - _glyphs_of(pdf_text(first))
    assert only_second and not only_second & _embedded_glyphs(first)
    assert only_second <= _embedded_glyphs(second)
    only_first = _glyphs_of("王建华工程青浦") - _glyphs_of(pdf_text(second))
    assert only_first and not only_first & _embedded_glyphs(second)
    assert _embedded_glyphs(again) == _embedded_glyphs(first)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_every_certificate_embeds_its_font_as_a_subset(printed):
    for pdf in printed:
        (row,) = pdf_fonts(pdf)
        assert "+" in row[0] and row[-5:-2] == ["yes", "yes", "yes"], row
        assert len(pdf) < 100_000


def test_each_certificate_carries_its_own_qr_and_a_seal_that_validates(printed):
    first, second, rare, _ = printed
    assert qr_on_page(second) == SECOND.qr_url != CONTENT.qr_url
    for pdf in (first, second, rare):
        status = seal_status(pdf)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()


def test_a_character_outside_the_measured_ones_is_reported_as_drawn():
    # What sends a page to be drawn again in the whole font, unrestricted: fpdf2 reports
    # the character before anything is written.
    from registry.render.certificate.layout import _drawn

    _, restricted = _drawn(CONTENT, FREQUENT_FONT_PATH, frozenset(range(0x20, 0x7F)))
    restricted.close()
    assert ord("王") in restricted.missing_glyphs
    _, whole = _drawn(CONTENT, FONT_PATH)
    whole.close()
    assert whole.missing_glyphs == []


def test_a_certificate_renders_where_the_layout_source_is_not_installed(monkeypatch):
    # A bytecode-only install has no layout.py to read the page's characters from: the
    # page is then measured as ASCII, found short, and drawn again in the whole font.
    from pathlib import Path

    from registry.render.certificate import layout

    real_read_text = Path.read_text

    def unreadable_source(path: Path, *args: object, **kwargs: object) -> str:
        if path.parent == Path(layout.__file__).parent and path.suffix == ".py":
            raise FileNotFoundError(path)
        return real_read_text(path, *args, **kwargs)  # type: ignore[arg-type]

    layout._page_characters.cache_clear()
    monkeypatch.setattr(Path, "read_text", unreadable_source)
    try:
        assert layout._page_characters() == frozenset(range(0x20, 0x7F))
        pdf = layout.render_certificate(SECOND)
    finally:
        layout._page_characters.cache_clear()
    text = pdf_text(pdf)
    assert "欧阳晓燕" in text
    assert _embedded_glyphs(pdf) == _glyphs_of(text)
