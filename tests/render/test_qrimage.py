"""QR drawing: two segments, the smallest version, and images that read back exactly."""

from __future__ import annotations

import base64
import io
import random
import xml.etree.ElementTree as ET

import pytest
import qrcode
import qrcode.constants
import qrcode.util
import zxingcpp
from PIL import Image

from registry.core.errors import ErrorKind, RegistryError
from registry.render.qrimage import build_qr, qr_version, render_png, render_svg

BASE = "https://talent.example.gov.cn/v#"
# 300 signed bytes, the design budget, are 480 base32 characters.
URL = BASE + "RC1:" + base64.b32encode(random.Random(15).randbytes(300)).decode("ascii")
SVG_NS = "{http://www.w3.org/2000/svg}"


def _read(image: Image.Image) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )


def _one_byte_segment_version(url: str) -> int:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(qrcode.util.QRData(url, mode=qrcode.util.MODE_8BIT_BYTE))
    qr.best_fit()
    version: int = qr.version
    return version


def test_url_is_split_into_a_byte_and_an_alphanumeric_segment() -> None:
    assert len(URL) == len(BASE) + 4 + 480
    qr = build_qr(URL)
    modes = [segment.mode for segment in qr.data_list]
    assert modes == [qrcode.util.MODE_8BIT_BYTE, qrcode.util.MODE_ALPHA_NUM]
    assert qr.data_list[0].data == BASE.encode("ascii")
    assert qr.data_list[1].data == URL[len(BASE) :].encode("ascii")


def test_two_segments_need_a_smaller_version_than_one_byte_segment() -> None:
    segmented = qr_version(URL)
    assert segmented == build_qr(URL).version
    assert segmented <= 15  # the design budget: version 15 at level M
    assert segmented < _one_byte_segment_version(URL)


def test_url_without_fragment_is_one_byte_segment() -> None:
    qr = build_qr("https://talent.example.gov.cn/credentials/abc")
    assert [segment.mode for segment in qr.data_list] == [qrcode.util.MODE_8BIT_BYTE]


def test_fragment_outside_the_alphanumeric_set_falls_back_to_one_byte_segment() -> None:
    url = BASE + "rc1:lower-case"
    qr = build_qr(url)
    assert [segment.mode for segment in qr.data_list] == [qrcode.util.MODE_8BIT_BYTE]
    assert _read(Image.open(io.BytesIO(render_png(url))))[0].text == url


def test_higher_error_correction_needs_a_larger_version() -> None:
    assert qr_version(URL, "L") < qr_version(URL, "M") < qr_version(URL, "H")
    assert build_qr(URL, error_correction="H").error_correction == qrcode.constants.ERROR_CORRECT_H


def test_unknown_error_correction_level_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="error-correction"):
        qr_version(URL, "X")


@pytest.mark.parametrize("make", [qr_version, build_qr])
def test_content_too_long_for_any_version(make: object) -> None:
    with pytest.raises(RegistryError) as excinfo:
        make(BASE + "A" * 5000)  # type: ignore[operator]
    assert excinfo.value.code == "QR_CAPACITY_EXCEEDED"
    assert excinfo.value.kind is ErrorKind.TOO_LARGE


def test_png_reads_back_as_the_exact_url() -> None:
    png = render_png(URL)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    version = qr_version(URL)
    assert image.size == ((version * 4 + 17 + 2 * 4) * 8,) * 2  # modules + quiet zone, 8 px
    (barcode,) = _read(image)
    assert barcode.text == URL
    assert barcode.extra["Version"] == str(version)
    assert barcode.extra["ECLevel"] == "M"


def test_png_box_size_and_border_are_applied() -> None:
    image = Image.open(io.BytesIO(render_png(URL, box_size=3, border=2)))
    assert image.size == ((qr_version(URL) * 4 + 17 + 2 * 2) * 3,) * 2
    assert _read(image)[0].text == URL


def test_svg_is_a_standalone_svg_document() -> None:
    svg = render_svg(URL)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    modules = qr_version(URL) * 4 + 17 + 2 * 4
    assert root.get("viewBox") == f"0 0 {modules} {modules}"
    paths = root.findall(f"{SVG_NS}path")
    assert len(paths) == 1
    assert paths[0].get("d", "").startswith("M")
    assert root.find(f"{SVG_NS}rect") is not None  # white background for dark pages
