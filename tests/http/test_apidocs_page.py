"""The API docs page works offline: everything it loads comes from the registry itself."""

from __future__ import annotations

import re
from pathlib import Path

from registry.http.apidocs import SWAGGER_UI_VERSION

VENDORED = Path(__file__).parents[2] / "registry" / "http" / "static" / "swagger-ui"
_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def test_the_docs_page_references_no_other_host_and_its_files_are_served(client):
    page = client.get("/schema/swagger")
    assert page.status_code == 200
    head = page.text.split("<body", 1)[0]
    references = _REFERENCE.findall(page.text.split("spec:", 1)[0])
    assert len(references) >= 4, head  # style sheet, two scripts, favicon
    for reference in references:
        assert reference.startswith("/") and not reference.startswith("//"), reference
        assert client.get(reference).status_code == 200, reference
    assert "validatorUrl: null" in page.text  # no badge fetched from validator.swagger.io
    assert client.get("/schema").text == page.text  # the default page is the same


def test_the_vendored_files_hold_no_source_map_link_and_match_their_provenance():
    provenance = (VENDORED / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"swagger-ui-dist@{SWAGGER_UI_VERSION}" in provenance
    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        text = (VENDORED / name).read_text(encoding="utf-8")
        assert "sourceMappingURL" not in text
        assert name in provenance
    assert "Apache License" in (VENDORED / "LICENSE").read_text(encoding="utf-8")
    css = (VENDORED / "swagger-ui.css").read_text(encoding="utf-8")
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css)
