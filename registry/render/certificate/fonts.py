"""The font certificates are set in, shipped with the registry: Noto Sans CJK SC (SIL Open
Font License 1.1), cut down to GB 2312 and the characters of the code lists
(``fonts/README.md`` says where it came from and how to make it again).

fpdf2 subsets it again for each document, so a certificate embeds only the glyphs it uses
and looks the same on a machine with no Chinese fonts installed. A smaller cut of the same
font (GB 2312's first level, the 3,755 frequent hanzi, and every label) sets the
certificates whose every character it has: the same glyphs, quicker for fpdf2 to load.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Final

from fontTools.ttLib import TTFont

from registry.core.errors import RegistryError, invalid

FONT_PATH: Final = Path(__file__).parent / "fonts" / "NotoSansSC-Regular-GB2312.otf"
FREQUENT_FONT_PATH: Final = Path(__file__).parent / "fonts" / "NotoSansSC-Regular-Frequent.otf"
FONT_FAMILY: Final = "NotoSansSC"
_SHOWN: Final = 5  # characters named in the error, at most


@cache
def font_characters(path: Path = FONT_PATH) -> frozenset[str]:
    """Every character the shipped font (or its smaller cut) has a glyph for."""
    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap()
    return frozenset(chr(point) for point in cmap)


def fonts_for(texts: Iterable[str]) -> list[Path]:
    """The fonts to try for a certificate's texts, in order: the smaller cut when it has
    every character of them, then the whole font."""
    frequent = font_characters(FREQUENT_FONT_PATH)
    if all(char in frequent or char in "\n\r\t" for text in texts for char in text):
        return [FREQUENT_FONT_PATH, FONT_PATH]
    return [FONT_PATH]


def missing_characters(texts: Iterable[str]) -> list[str]:
    """The characters of ``texts`` the font cannot draw (line breaks aside), in order."""
    known = font_characters()
    missing: dict[str, None] = {}
    for text in texts:
        for char in text:
            if char not in known and char not in "\n\r\t":
                missing[char] = None
    return list(missing)


def glyph_missing(characters: list[str]) -> RegistryError:
    """``CERTIFICATE_GLYPH_MISSING``, naming the characters (never printed as empty boxes)."""
    shown = "、".join(f"「{c}」U+{ord(c):04X}" for c in characters[:_SHOWN])
    extra = len(characters) - _SHOWN
    more_zh = f" 等 {len(characters)} 个" if extra > 0 else ""
    more_en = f" and {extra} more" if extra > 0 else ""
    return invalid(
        "CERTIFICATE_GLYPH_MISSING",
        f"证书字体中没有这些字符：{shown}{more_zh}",
        f"the certificate font has no glyph for {shown}{more_en}",
    )


def require_glyphs(texts: Iterable[str]) -> None:
    """Refuse with ``CERTIFICATE_GLYPH_MISSING`` a text the font cannot draw."""
    missing = missing_characters(texts)
    if missing:
        raise glyph_missing(missing)


__all__ = [
    "FONT_FAMILY",
    "FONT_PATH",
    "FREQUENT_FONT_PATH",
    "font_characters",
    "fonts_for",
    "missing_characters",
    "require_glyphs",
]
