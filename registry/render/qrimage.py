"""Draw the QR code that carries a verify-page URL with its signed payload in the fragment.

The URL is split into two segments: everything up to and including ``#`` in byte mode, the
payload after it in alphanumeric mode (5.5 bits a character instead of 8), which keeps a
300-byte signed payload inside QR version 15 at error-correction level M.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Final

import qrcode
import qrcode.constants
import qrcode.exceptions
import qrcode.image.svg
import qrcode.util

from registry.core.errors import RegistryError, too_large
from registry.render.qrmask import make

_ERROR_CORRECTION: Final = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
_ALPHANUMERIC: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _capacity_exceeded() -> RegistryError:
    return too_large(
        "QR_CAPACITY_EXCEEDED",
        "内容过长，无法放入任何尺寸的二维码",
        "The content is too long for any QR code version",
    )


def _unmade_qr(url: str, error_correction: str) -> qrcode.QRCode:
    """A QRCode holding the URL's segments, before version fitting and mask selection."""
    level = _ERROR_CORRECTION.get(error_correction)
    if level is None:
        raise ValueError(f"unknown QR error-correction level {error_correction!r}")
    qr = qrcode.QRCode(error_correction=level)
    prefix, hash_sign, payload = url.partition("#")
    if hash_sign and payload and _ALPHANUMERIC.issuperset(payload):
        qr.add_data(qrcode.util.QRData(prefix + hash_sign, mode=qrcode.util.MODE_8BIT_BYTE))
        qr.add_data(qrcode.util.QRData(payload, mode=qrcode.util.MODE_ALPHA_NUM))
    else:
        # No fragment, or one outside the alphanumeric set: one byte segment for all of it.
        qr.add_data(qrcode.util.QRData(url, mode=qrcode.util.MODE_8BIT_BYTE))
    return qr


def _fitted_qr(url: str, error_correction: str) -> qrcode.QRCode:
    """The unmade QRCode with its version set to the smallest that holds the data."""
    qr = _unmade_qr(url, error_correction)
    try:
        qr.best_fit()
    # qrcode 8.2 reports overflow as ValueError("Invalid version (was 41 ...)") from the
    # version setter before it reaches its own DataOverflowError.
    except (qrcode.exceptions.DataOverflowError, ValueError):
        raise _capacity_exceeded() from None
    return qr


def build_qr(url: str, *, error_correction: str = "M") -> qrcode.QRCode:
    """Build the QR code for ``url`` at the smallest version that holds it.

    ``error_correction`` is one of L, M, Q, H. Raises RegistryError ``QR_CAPACITY_EXCEEDED``
    when no version is large enough.
    """
    qr = _fitted_qr(url, error_correction)
    # The version is already the smallest; the mask is qrcode's own choice, found faster.
    make(qr)
    return qr


def qr_version(url: str, error_correction: str = "M") -> int:
    """The QR version (1-40) that ``url`` needs; skips the costly mask search."""
    version: int = _fitted_qr(url, error_correction).version
    return version


@lru_cache(maxsize=512)
def render_png(url: str, *, box_size: int = 8, border: int = 4) -> bytes:
    """PNG bytes of the QR code for ``url``; ``border`` is the quiet zone in modules.

    Rendering costs tens of milliseconds (the mask search), so images are cached.
    """
    qr = build_qr(url)
    qr.box_size = box_size
    qr.border = border
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=512)
def render_svg(url: str) -> bytes:
    """A standalone SVG document (one path on a white background) of the QR code for ``url``."""
    qr = build_qr(url)
    image = qr.make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    svg: bytes = image.to_string()
    return svg
