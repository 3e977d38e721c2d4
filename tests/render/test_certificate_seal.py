"""The seal module (registry/render/certificate/seal.py) keeps quiet only the one warning
pyHanko's import is known to raise: any other warning, or the same text from elsewhere,
still shows (and, in the tests, fails)."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest
from cryptography.utils import CryptographyDeprecationWarning

from registry.render.certificate.seal import PYHANKO_DSA_WARNING

DSA_TEXT = (
    "DSA is deprecated and support will be removed in a future release. Use a more modern "
    "signature algorithm."
)


def _warn(text: str, category: type[Warning], module: str) -> None:
    """Raise a warning as if ``module`` had, under the seal module's filter and warnings as
    errors otherwise."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", **PYHANKO_DSA_WARNING)
        warnings.warn_explicit(text, category, "pdf_cms.py", 20, module=module)


def test_pyhankos_dsa_warning_is_quiet() -> None:
    _warn(DSA_TEXT, CryptographyDeprecationWarning, "pyhanko.sign.signers.pdf_cms")


@pytest.mark.parametrize(
    ("text", "category", "module"),
    [
        (DSA_TEXT + " Also more.", CryptographyDeprecationWarning, "pyhanko.sign"),
        ("SHA-1 is deprecated", CryptographyDeprecationWarning, "pyhanko.sign"),
        (DSA_TEXT, DeprecationWarning, "pyhanko.sign"),
        (DSA_TEXT, CryptographyDeprecationWarning, "registry.render.certificate.seal"),
    ],
    ids=["longer-text", "other-text", "other-category", "other-module"],
)
def test_any_other_warning_still_shows(text: str, category: type[Warning], module: str) -> None:
    with pytest.raises(category):
        _warn(text, category, module)


def test_the_seal_module_imports_with_warnings_as_errors() -> None:
    """A fresh interpreter (nothing imported yet) with every warning an error."""
    subprocess.run(
        [sys.executable, "-W", "error", "-c", "import registry.render.certificate.seal"],
        check=True,
        timeout=120,
    )
