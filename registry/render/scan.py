"""Read QR codes from uploaded photos and scans (Pillow decodes, zxing-cpp finds the code).

Whatever bytes arrive, the caller gets the QR text or a RegistryError, never another
exception: uploads are untrusted and image decoders fail in many ways.
"""

from __future__ import annotations

import io
from typing import Final

import zxingcpp
from PIL import Image

from registry.core.errors import RegistryError, malformed, too_large
from registry.core.formats.qrcontainer import PREFIX

# Above this many pixels an upload is refused before it is decoded (a 50-megapixel phone
# photo is 51 million); Pillow's own bomb guard only warns below 89 million.
MAX_IMAGE_PIXELS: Final = 64_000_000
_QR_ONLY: Final = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def _unreadable(why_zh: str, why_en: str) -> RegistryError:
    return malformed(
        "QR_IMAGE_UNREADABLE",
        f"无法从图片中读取二维码：{why_zh}",
        f"Cannot read a QR code from the image: {why_en}",
    )


def _too_many_pixels() -> RegistryError:
    return too_large(
        "QR_IMAGE_TOO_LARGE",
        "图片像素过多，请缩小后再上传",
        "The image has too many pixels; scale it down and upload again",
    )


def _open_grayscale(image_bytes: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(image_bytes))
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception:  # Pillow raises many types on hostile input; all mean "not an image"
        raise _unreadable("不是可识别的图片", "not a recognised image") from None
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels()
    try:
        return image.convert("L")
    except Exception:  # truncated or corrupt pixel data surfaces only when decoding
        raise _unreadable("图片数据已损坏", "the image data is damaged") from None


def read_qr_text(image_bytes: bytes) -> str:
    """Return the text of the QR code in an image (PNG, JPEG, ...).

    When several codes are found, one carrying a signed payload (``RC1:``) is preferred.
    Raises RegistryError ``QR_IMAGE_UNREADABLE`` (not an image, no QR code) or
    ``QR_IMAGE_TOO_LARGE``.
    """
    image = _open_grayscale(image_bytes)
    try:
        found = zxingcpp.read_barcodes(image, formats=_QR_ONLY)
    except Exception:  # the native reader reports odd images by raising
        raise _unreadable("图片格式无法处理", "the image format cannot be processed") from None
    texts = [barcode.text for barcode in found if barcode.text]
    if not texts:
        raise _unreadable("未找到二维码", "no QR code was found")
    for text in texts:
        if PREFIX in text.upper():
            return text
    return texts[0]
