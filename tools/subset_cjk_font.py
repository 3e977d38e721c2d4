"""Make the certificate font: Noto Sans CJK SC cut down to what certificates print.

The registry ships this subset (registry/render/certificate/fonts/) so that certificates
look the same on a machine with no Chinese fonts. Run it again after adding labels in
characters the font lacks (CERTIFICATE_GLYPH_MISSING names them):

    python tools/subset_cjk_font.py NotoSansCJK-Regular.ttc

The source is the collection Debian's ``fonts-noto-cjk`` package installs, face 2 of
the collection (Noto Sans CJK SC). The subset keeps: every GB 2312 character, ASCII and
Latin-1, general and CJK punctuation, full-width forms, and every character found in the
code lists (schemas/) and in the registry's own source (labels), so no label can miss.
A second, smaller font keeps only GB 2312's first level (the 3,755 frequent hanzi) of
those: a certificate whose every character it has is set in it, quicker to subset.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "registry" / "render" / "certificate" / "fonts"
OUTPUT = FONTS / "NotoSansSC-Regular-GB2312.otf"
# The same, without GB 2312's second level (rows 0xD8-0xF7) and the name extras: most
# certificates need nothing else, and a smaller font is quicker for fpdf2 to load and subset.
FREQUENT_OUTPUT = FONTS / "NotoSansSC-Regular-Frequent.otf"
ALL_ROWS = range(0xA1, 0xF8)
FREQUENT_ROWS = range(0xA1, 0xD8)  # the symbols and the 3,755 level-1 hanzi
SC_FACE = "Noto Sans CJK SC"
# Frequent given-name characters outside GB 2312 (GB 18030 / the 通用规范汉字表).
NAME_EXTRAS = "堃喆昇犇淼玥婧珺琍琤瑄璟瑀瑨祎禕煜喆垚鑫焱燚彧昱晟昶晔暘旻曌翀赟赟邕琇玹瑢琳珩"


def gb2312_characters(rows: range = ALL_ROWS) -> set[str]:
    """Every character GB 2312 encodes in ``rows`` (of 0xA1-0xF7; cells 0xA1-0xFE)."""
    found: set[str] = set()
    for high in rows:
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def source_characters() -> set[str]:
    """Every non-ASCII character in the code lists, schemas and the registry's source."""
    found: set[str] = set()
    for pattern in ("schemas/**/*.json", "registry/**/*.py"):
        for path in ROOT.glob(pattern):
            found.update(path.read_text(encoding="utf-8"))
    return {c for c in found if ord(c) > 0x7F}


def wanted(*, frequent_only: bool = False) -> set[int]:
    """The code points to keep (in the smaller font: only GB 2312's first level)."""
    points = {*range(0x20, 0x7F), *range(0xA0, 0x100)}
    points |= {*range(0x2000, 0x2070), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)}
    if frequent_only:
        chars = gb2312_characters(FREQUENT_ROWS) | source_characters()
    else:
        chars = gb2312_characters() | source_characters() | set(NAME_EXTRAS)
    points |= {ord(c) for c in chars}
    return points


def write_subset(collection_path: str, points: set[int], output: Path) -> None:
    """Write the Noto Sans CJK SC face of the collection, cut down to ``points``."""
    collection = TTCollection(collection_path)
    font = next(f for f in collection.fonts if f["name"].getDebugName(4) == SC_FACE)
    cmap = font.getBestCmap()
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # Subroutines inlined: the outlines are the same and the file about as large, but each
    # certificate's own subset (fpdf2, per PDF) no longer has to trace and prune them.
    options.desubroutinize = True
    options.drop_tables += ["GSUB", "GPOS", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(p for p in points if p in cmap))
    subsetter.subset(font)
    font.save(str(output))
    print(f"{output.name}: {len(font.getGlyphOrder())} glyphs, {output.stat().st_size:,} bytes")


def main(collection_path: str) -> None:
    """Write both subset fonts from the Noto Sans CJK collection at ``collection_path``."""
    write_subset(collection_path, wanted(), OUTPUT)
    write_subset(collection_path, wanted(frequent_only=True), FREQUENT_OUTPUT)


if __name__ == "__main__":
    main(sys.argv[1])
