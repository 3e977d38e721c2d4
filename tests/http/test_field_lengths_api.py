"""Texts longer than the column that keeps them: refused with 422 ``FIELD_TOO_LONG``, the
field's pointer and its limit (never the value), and nothing stored. PostgreSQL enforces
VARCHAR lengths (an overlong value used to be silently cut here, or a 500 where it was
not); SQLite does not, so both stores must refuse before the store is reached. A value of
exactly the limit is kept whole."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import func, select

from registry.demo.data import demo_uscc
from registry.services.access import tokens
from registry.services.authority import issuers as authority
from registry.services.recognition import agreements
from registry.services.trust import trustlist_imports
from registry.storage.tables import (
    AgreementRow,
    ApiTokenRow,
    AuthorityChangeRow,
    EquivalenceRow,
    ImportedTrustListRow,
    IssuerRow,
    LogEntryRow,
    RegionRow,
    SigningKeyRow,
)
from tests.support.api_checks import assert_problem
from tests.support.fixtures import bearer

NEW_USCC = demo_uscc("320509", 42)
GUANGZHOU = "440100"  # a division code the demo has not registered
STORED = (
    IssuerRow,
    SigningKeyRow,
    RegionRow,
    AgreementRow,
    EquivalenceRow,
    ApiTokenRow,
    AuthorityChangeRow,
    LogEntryRow,
)


def issuer(**fields: Any) -> dict[str, Any]:
    body = {
        "uscc": NEW_USCC,
        "nameZh": "示范区测试评审委员会",
        "nameEn": "Test review committee",
        "region": "320509",
        "kind": "review_committee",
    }
    return {**body, **fields}


def region(**fields: Any) -> dict[str, Any]:
    return {"code": GUANGZHOU, "nameZh": "广州市", "nameEn": "Guangzhou", **fields}


def agreement(**fields: Any) -> dict[str, Any]:
    body = {
        "id": "AG-LENGTHS",
        "nameZh": "测试互认协议",
        "nameEn": "Test recognition agreement",
        "parties": ["310118", "320509"],
        "recordTypes": ["ProfessionalTitleCredential"],
        "effectiveFrom": "2026-01-01",
        "legalBasis": "测试文件",
        "legalArticle": "第一条",
    }
    return {**body, **fields}


def equivalence(**fields: Any) -> dict[str, Any]:
    body = {
        "fromRegion": "310118",
        "toRegion": "320509",
        "kind": "catalogue_item",
        "source": "ITEM-1",
        "target": "ITEM-A",
        "labelZh": "测试条目",
        "labelEn": "Test item",
    }
    return {**body, **fields}


def partner(**fields: Any) -> dict[str, Any]:
    return {"region": "320509", "name": "测试伙伴系统", **fields}


ENDPOINTS = {
    "issuers": issuer,
    "regions": region,
    "agreements": agreement,
    "equivalences": equivalence,
    "partners": partner,
}
# (endpoint, field, the column's length): every admin text the store keeps in a VARCHAR
LIMITS = [
    ("issuers", "nameZh", 128),
    ("issuers", "nameEn", 256),
    ("regions", "nameZh", 64),
    ("regions", "nameEn", 128),
    ("agreements", "nameZh", 256),
    ("agreements", "nameEn", 512),
    ("agreements", "legalBasis", 512),
    ("agreements", "legalArticle", 128),
    ("equivalences", "source", 128),
    ("equivalences", "target", 128),
    ("equivalences", "labelZh", 128),
    ("equivalences", "labelEn", 256),
    ("partners", "name", 128),
]


def text_of(length: int) -> str:
    """A text of ``length`` characters, Chinese (PostgreSQL counts characters, not bytes)."""
    return ("长度测试" * length)[:length]


def admin(demo) -> dict[str, str]:
    return bearer(demo.tokens["admin"])


def post(client, demo, endpoint: str, body: dict[str, Any]):
    return client.post(f"/api/v1/admin/{endpoint}", json=body, headers=admin(demo))


def counts(registry) -> dict[str, int]:
    with registry.reading() as session:
        return {
            table.__name__: session.exec(select(func.count()).select_from(table)).one()
            for table in STORED
        }


@pytest.mark.parametrize(("endpoint", "field", "limit"), LIMITS)
def test_a_text_over_its_column_is_refused_and_nothing_is_stored(
    client, demo, registry, endpoint, field, limit
):
    before = counts(registry)
    overlong = text_of(limit + 1)
    response = post(client, demo, endpoint, ENDPOINTS[endpoint](**{field: overlong}))
    body = assert_problem(response, 422, "FIELD_TOO_LONG")
    (error,) = body["errors"]
    assert (error["pointer"], error["code"]) == (f"/{field}", "FIELD_TOO_LONG")
    assert str(limit) in error["message"]["zh"] and str(limit) in error["message"]["en"]
    assert str(limit) in body["message"]["zh"] and str(limit) in body["message"]["en"]
    assert overlong[:8] not in response.text  # the value is never echoed
    assert counts(registry) == before


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_texts_of_exactly_the_column_s_length_are_kept_whole(client, demo, registry, endpoint):
    fields = {field: text_of(limit) for name, field, limit in LIMITS if name == endpoint}
    response = post(client, demo, endpoint, ENDPOINTS[endpoint](**fields))
    assert response.status_code == 201, response.text
    table, key = {
        "issuers": (IssuerRow, {"uscc": NEW_USCC}),
        "regions": (RegionRow, {"code": GUANGZHOU}),
        "agreements": (AgreementRow, {"agreement_id": "AG-LENGTHS"}),
        "equivalences": (EquivalenceRow, {"source": fields.get("source")}),
        "partners": (ApiTokenRow, {"id": response.json().get("id")}),
    }[endpoint]
    with registry.reading() as session:
        row = session.exec(select(table).filter_by(**key)).one()
    for field, value in fields.items():
        assert getattr(row, _column(field)) == value, field


def _column(field: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in field)


def test_every_field_over_its_limit_is_named_at_once(client, demo, registry):
    before = counts(registry)
    response = post(
        client,
        demo,
        "agreements",
        agreement(nameZh=text_of(257), legalBasis=text_of(513), legalArticle=text_of(129)),
    )
    body = assert_problem(response, 422, "FIELD_TOO_LONG")
    assert [e["pointer"] for e in body["errors"]] == ["/nameZh", "/legalBasis", "/legalArticle"]
    assert counts(registry) == before


def test_terms_sharing_their_first_128_characters_are_not_cut_into_one(client, demo, registry):
    """Cutting both sources to 128 characters used to clash on the unique entry (a 500)."""
    stem = "ITEM-" + "X" * 123
    assert post(client, demo, "equivalences", equivalence(source=stem)).status_code == 201
    before = counts(registry)
    for source in (stem + "1", stem + "2"):
        response = post(client, demo, "equivalences", equivalence(source=source))
        assert assert_problem(response, 422, "FIELD_TOO_LONG")["errors"][0]["pointer"] == "/source"
    assert counts(registry) == before


@pytest.mark.parametrize(
    ("table", "column", "limit"),
    [
        (IssuerRow, "name_zh", authority.ISSUER_NAME_ZH_MAX),
        (IssuerRow, "name_en", authority.ISSUER_NAME_EN_MAX),
        (RegionRow, "name_zh", agreements.REGION_NAME_ZH_MAX),
        (RegionRow, "name_en", agreements.REGION_NAME_EN_MAX),
        (AgreementRow, "name_zh", agreements.AGREEMENT_NAME_ZH_MAX),
        (AgreementRow, "name_en", agreements.AGREEMENT_NAME_EN_MAX),
        (AgreementRow, "legal_basis", agreements.AGREEMENT_BASIS_MAX),
        (AgreementRow, "legal_article", agreements.AGREEMENT_ARTICLE_MAX),
        (EquivalenceRow, "source", agreements.EQUIVALENCE_TERM_MAX),
        (EquivalenceRow, "target", agreements.EQUIVALENCE_TERM_MAX),
        (EquivalenceRow, "label_zh", agreements.EQUIVALENCE_LABEL_ZH_MAX),
        (EquivalenceRow, "label_en", agreements.EQUIVALENCE_LABEL_EN_MAX),
        (ApiTokenRow, "name", tokens.TOKEN_NAME_MAX),
        (ApiTokenRow, "statutory_basis", tokens.STATUTORY_BASIS_MAX),
        (AuthorityChangeRow, "subject_ref", trustlist_imports.BASE_URL_MAX),
    ],
)
def test_the_limits_are_the_columns_lengths(table, column, limit):
    assert table.__table__.c[column].type.length == limit


def test_an_imported_list_s_base_url_fits_its_own_column_too():
    base_url = ImportedTrustListRow.__table__.c["base_url"].type.length
    assert base_url >= trustlist_imports.BASE_URL_MAX
