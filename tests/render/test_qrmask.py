"""The fast mask choice gives qrcode's own scores and masks, so a QR code is the same
symbol, module for module, whichever computes it."""

from __future__ import annotations

import base64
import random

import pytest
import qrcode
import qrcode.constants
import qrcode.util

from registry.render.qrimage import build_qr
from registry.render.qrmask import _bits, best_mask, lost_points

BASE = "https://talent.example.gov.cn/v#"


def _url(rng: random.Random) -> str:
    payload = base64.b32encode(rng.randbytes(rng.randrange(1, 330))).decode("ascii")
    if rng.random() < 0.2:
        return BASE + payload.lower()  # outside the alphanumeric set: one byte segment
    return BASE + "RC1:" + payload.rstrip("=")


@pytest.mark.parametrize("seed", range(6))
def test_scores_are_qrcodes_on_random_symbols(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        count = rng.choice([21, 25, 45, 77, 97])
        dark = rng.random()
        modules = [[rng.random() < dark for _ in range(count)] for _ in range(count)]
        rows = [_bits(row) for row in modules]
        assert lost_points(rows, count) == qrcode.util.lost_point(modules)


def test_scores_count_each_rule_as_qrcode_does() -> None:
    # A finder-like pattern in a row, a long run, 2x2 blocks and a dark share far from half.
    count = 21
    modules = [[False] * count for _ in range(count)]
    for column, cell in enumerate("10111010000"):
        modules[3][column + 5] = cell == "1"
    for row in range(8, 12):
        modules[row][2:9] = [True] * 7
    rows = [_bits(row) for row in modules]
    assert lost_points(rows, count) == qrcode.util.lost_point(modules)


@pytest.mark.parametrize("seed", range(4))
def test_the_mask_and_modules_are_qrcodes_own(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(12):
        url = _url(rng)
        ours = build_qr(url)
        theirs = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
        theirs.data_list = list(ours.data_list)
        theirs.make(fit=True)
        assert theirs.version == ours.version
        assert ours.modules == theirs.modules, url
        assert best_mask(ours) == theirs.best_mask_pattern()
