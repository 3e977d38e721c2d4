"""Pick a QR code's mask exactly as ``qrcode`` does, in a fraction of its time.

``qrcode`` lays the data out eight times (once per mask, in pure Python) and scores each
layout with the four penalty rules of ISO/IEC 18004 (runs of five or more, 2x2 blocks,
finder-like patterns, dark share); the lowest score wins, the first mask on a tie. That
was a third of a certificate's time. Here the data is laid out once: the eight scored
layouts differ only in the data cells, where mask ``m`` flips the cells mask 0 did not
(and the other way round), so each is the first with one XOR a row. Rows are integers
(bit ``n - 1 - c`` is column ``c``) and the rules run on them and on their ``0``/``1``
strings with C-level operations. The tests compare every score and choice with
``qrcode``'s own.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from typing import Final

import qrcode
import qrcode.util

_MASKS: Final = range(8)
_FINDER_LIKE: Final = ("10111010000", "00001011101")  # rule 3: 40 points each


def _bits(cells: list[bool]) -> int:
    """A row of modules as an integer, its first module the highest bit."""
    return int("".join("1" if cell else "0" for cell in cells), 2)


@lru_cache(maxsize=64)
def _data_cells(version: int) -> tuple[int, ...]:
    """Each row's data cells (as bits): the modules ``qrcode`` leaves free for data and
    masks, once the finder, alignment and timing patterns and the format and version
    areas are placed."""
    qr = qrcode.QRCode(version=version)
    count = qr.modules_count = version * 4 + 17
    qr.modules = [[None] * count for _ in range(count)]
    qr.setup_position_probe_pattern(0, 0)
    qr.setup_position_probe_pattern(count - 7, 0)
    qr.setup_position_probe_pattern(0, count - 7)
    qr.setup_position_adjust_pattern()
    qr.setup_timing_pattern()
    qr.setup_type_info(True, 0)
    if version >= 7:
        qr.setup_type_number(True)
    return tuple(_bits([cell is None for cell in row]) for row in qr.modules)


@lru_cache(maxsize=512)
def _flips(version: int, mask: int) -> tuple[int, ...]:
    """Each row's bits that mask ``mask`` sets differently from mask 0, in data cells."""
    count = version * 4 + 17
    first, other = qrcode.util.mask_func(0), qrcode.util.mask_func(mask)
    return tuple(
        free & _bits([first(row, column) != other(row, column) for column in range(count)])
        for row, free in enumerate(_data_cells(version))
    )


def _run_points(line: int, windows: int) -> int:
    """Rule 1 on one row or column: a run of ``k >= 5`` equal modules costs ``k - 2``,
    which is its ``k - 4`` windows of five equal modules, plus 2."""
    same = ~(line ^ (line >> 1))  # bit i: modules i and i + 1 are equal
    five = same & (same >> 1) & (same >> 2) & (same >> 3) & windows
    return five.bit_count() + 2 * (five & ~(five >> 1)).bit_count()


def lost_points(rows: list[int], count: int) -> int:
    """The penalty score of a symbol of ``count`` x ``count`` modules given as row bits:
    the same number ``qrcode.util.lost_point`` gives for the same modules."""
    texts = [format(row, f"0{count}b") for row in rows]
    columns = ["".join(column) for column in zip(*texts, strict=True)]
    windows = (1 << (count - 4)) - 1  # a window of five starts at any of the first n - 4
    runs = sum(_run_points(line, windows) for line in rows)
    runs += sum(_run_points(int(column, 2), windows) for column in columns)
    pairs = (1 << (count - 1)) - 1  # a 2x2 block starts at any column but the last
    blocks = 0
    for upper, lower in pairwise(rows):
        same_below = ~(upper ^ lower)
        blocks += (same_below & (same_below >> 1) & ~(upper ^ (upper >> 1)) & pairs).bit_count()
    # Neither pattern overlaps itself, so counting each apart counts every occurrence.
    lines = "|".join(texts + columns)
    finder_like = sum(lines.count(pattern) for pattern in _FINDER_LIKE)
    dark = sum(row.bit_count() for row in rows)
    rating = int(abs(float(dark) / (count**2) * 100 - 50) / 5)  # qrcode's own arithmetic
    return runs + 3 * blocks + 40 * finder_like + 10 * rating


def _scored(qr: qrcode.QRCode) -> tuple[int, list[int]]:
    """The mask ``qrcode`` would choose for ``qr`` (its version already fitted), and the
    rows of the symbol laid out with it before its format and version areas are filled."""
    qr.makeImpl(True, 0)  # mask 0, format and version areas light: as qrcode scores it
    count: int = qr.modules_count
    first = [_bits(row) for row in qr.modules]
    best, best_score, best_rows = 0, -1, first
    for mask in _MASKS:
        rows = [row ^ flip for row, flip in zip(first, _flips(qr.version, mask), strict=True)]
        score = lost_points(rows, count)
        if best_score < 0 or score < best_score:
            best, best_score, best_rows = mask, score, rows
    return best, best_rows


def best_mask(qr: qrcode.QRCode) -> int:
    """The mask ``qrcode`` would choose for ``qr`` (its version already fitted)."""
    return _scored(qr)[0]


def make(qr: qrcode.QRCode) -> None:
    """Lay ``qr`` (its version already fitted) out with the mask ``qrcode`` would choose:
    the same modules as ``qr.make(fit=False)``, the data laid out once instead of nine
    times."""
    mask, rows = _scored(qr)
    count: int = qr.modules_count
    qr.modules = [[cell == "1" for cell in format(row, f"0{count}b")] for row in rows]
    qr.setup_type_info(False, mask)
    if qr.version >= 7:
        qr.setup_type_number(False)


__all__ = ["best_mask", "lost_points", "make"]
