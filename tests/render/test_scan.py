"""Reading QR codes from images: clean PNGs, photo-like JPEGs, and bytes that are not images."""

from __future__ import annotations

import base64
import io
import random

import pytest
from PIL import Image, ImageFilter

from registry.core.errors import ErrorKind, RegistryError
from registry.render import scan
from registry.render.qrimage import render_png
from registry.render.scan import read_qr_text

URL = "https://talent.example.gov.cn/v#RC1:" + base64.b32encode(
    random.Random(300).randbytes(300)
).decode("ascii")
OTHER_URL = "https://example.com/some/other/code"


def _encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def _photo_of(png: bytes) -> Image.Image:
    """The code as a camera might see it: tilted, on a grey page, scaled down, a bit soft."""
    code = Image.open(io.BytesIO(png)).convert("RGB")
    tilted = code.rotate(7, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    page = Image.new("RGB", (tilted.width + 300, tilted.height + 200), (200, 196, 188))
    page.paste(tilted, (170, 90))
    scaled = page.resize((page.width * 3 // 4, page.height * 3 // 4), Image.Resampling.LANCZOS)
    return scaled.filter(ImageFilter.GaussianBlur(0.8))


def _error(data: bytes) -> RegistryError:
    with pytest.raises(RegistryError) as excinfo:
        read_qr_text(data)
    return excinfo.value


def test_png_is_read() -> None:
    assert read_qr_text(render_png(URL)) == URL


def test_photo_like_jpeg_is_read() -> None:
    jpeg = _encoded(_photo_of(render_png(URL)), "JPEG", quality=60)
    assert jpeg.startswith(b"\xff\xd8")
    assert read_qr_text(jpeg) == URL


@pytest.mark.parametrize("mode", ["1", "P", "RGBA", "CMYK"])
def test_other_pixel_modes_are_read(mode: str) -> None:
    image = Image.open(io.BytesIO(render_png(URL))).convert(mode)
    image_format = "JPEG" if mode == "CMYK" else "PNG"
    assert read_qr_text(_encoded(image, image_format)) == URL


@pytest.mark.parametrize("ours_first", [True, False])
def test_signed_payload_is_preferred_over_another_code(ours_first: bool) -> None:
    ours = Image.open(io.BytesIO(render_png(URL))).convert("L")
    other = Image.open(io.BytesIO(render_png(OTHER_URL))).convert("L")
    sheet = Image.new("L", (ours.width + other.width, max(ours.height, other.height)), 255)
    left, right = (ours, other) if ours_first else (other, ours)
    sheet.paste(left, (0, 0))
    sheet.paste(right, (left.width, 0))
    assert read_qr_text(_encoded(sheet, "PNG")) == URL


def test_a_code_without_signed_payload_is_still_returned() -> None:
    assert read_qr_text(render_png(OTHER_URL)) == OTHER_URL


GARBAGE = {
    "empty": b"",
    "random bytes": random.Random(1).randbytes(4096),
    "text": b"RC1:AAAA",
    "truncated png": render_png(URL)[:300],
    "png signature only": b"\x89PNG\r\n\x1a\n",
    "truncated jpeg": _encoded(Image.new("L", (64, 64), 255), "JPEG")[:120],
    "blank page": _encoded(Image.new("L", (400, 300), 255), "PNG"),
    "noise": _encoded(Image.frombytes("L", (200, 200), random.Random(2).randbytes(40_000)), "PNG"),
}


@pytest.mark.parametrize("name", GARBAGE)
def test_unreadable_input_raises_qr_image_unreadable(name: str) -> None:
    error = _error(GARBAGE[name])
    assert error.code == "QR_IMAGE_UNREADABLE"
    assert error.kind is ErrorKind.MALFORMED


def test_image_with_too_many_pixels_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scan, "MAX_IMAGE_PIXELS", 100 * 100)
    error = _error(render_png(URL))
    assert error.code == "QR_IMAGE_TOO_LARGE"
    assert error.kind is ErrorKind.TOO_LARGE
