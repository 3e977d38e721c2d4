"""What of a request target may be logged (security review, issue 13, finding 3)."""

from __future__ import annotations

import logging

import pytest

from registry.http.redaction import AccessLogRedaction, redact_path, redact_target

SECRET = "rgh_R0GqD5CAU5KmG3MFnftH_qPiZ37aMxEsY96MBQaHHtM"
TOKEN = "rgt_mrMPemxzBXtqvchnfepEIbzyAGN8EX8maAcQ2q90O-Q"


@pytest.mark.parametrize(
    ("target", "logged"),
    [
        (f"/holder/{SECRET}", "/holder/[redacted]"),
        (f"/holder/{SECRET[4:]}", "/holder/[redacted]"),  # a link without its prefix
        (f"//HOLDER//{SECRET}/x", "//HOLDER//[redacted]/x"),
        (f"/hold%65r%2F{SECRET}", "/holder/[redacted]"),
        (f"/credentials/{TOKEN}", "/credentials/[redacted]"),
        (f"/x/rgt_%41{TOKEN[5:]}", "/x/[redacted]"),
        (
            f"/log/head?access_token={TOKEN}&size=3",
            "/log/head?access_token=[redacted]&size=[redacted]",
        ),
        (f"/v?{TOKEN}", "/v?[redacted]=[redacted]"),
        ("/credentials/abc/qr", "/credentials/abc/qr"),
        ('/a"b%0A%0D c', "/a%22b%0A%0D%20c"),  # no forged log lines
    ],
)
def test_secrets_are_redacted_from_a_request_target(target, logged):
    assert redact_target(target) == logged


def test_a_public_path_is_logged_as_it_was_asked():
    assert redact_path("/api/v1/verify/batch") == "/api/v1/verify/batch"


def test_the_access_filter_rewrites_only_uvicorns_target():
    access = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/holder/{SECRET}?t={TOKEN}", "1.1", 200),
        None,
    )
    assert AccessLogRedaction().filter(access)
    assert access.getMessage() == (
        '127.0.0.1:5000 - "GET /holder/[redacted]?t=[redacted] HTTP/1.1" 200'
    )
    other = logging.LogRecord("registry", logging.INFO, __file__, 1, "%s", ("x",), None)
    assert AccessLogRedaction().filter(other)
    assert other.args == ("x",)
