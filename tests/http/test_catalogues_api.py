"""The catalogue API: administrators upload versions (multipart), anyone reads them."""

from __future__ import annotations

from tests.support.catalogue_files import BAD_ROWS, CSV_2024, CSV_2025_ZH, xlsx_from_csv
from tests.support.fixtures import bearer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM = {"nameZh": "测试境外职业资格目录", "nameEn": "Test foreign qualification catalogue"}


def _upload(client, token, data: bytes, name: str, version: str, catalogue="T-FQ", **form):
    return client.post(
        f"/api/v1/catalogues/{catalogue}/versions",
        files={"file": (name, data, XLSX if name.endswith(".xlsx") else "text/csv")},
        data={"version": version, **FORM, **form},
        headers=bearer(token) if token else {},
    )


def test_admin_uploads_csv_and_xlsx_versions_and_anyone_reads_them(client, demo):
    admin = demo.tokens["admin"]
    first = _upload(client, admin, CSV_2024.read_bytes(), "fq-2024.csv", "2024.1")
    assert first.status_code == 201, first.text
    assert first.json()["catalogue"] == "T-FQ"
    assert first.json()["itemCount"] == 4
    second = _upload(client, admin, xlsx_from_csv(CSV_2025_ZH), "fq-2025.xlsx", "2025.1")
    assert second.status_code == 201, second.text
    assert second.json()["itemCount"] == 5

    listed = client.get("/api/v1/catalogues").json()["catalogues"]
    mine = next(c for c in listed if c["id"] == "T-FQ")
    assert mine["name"] == {"zh": FORM["nameZh"], "en": FORM["nameEn"]}
    assert [v["version"] for v in mine["versions"]] == ["2024.1", "2025.1"]

    version = client.get("/api/v1/catalogues/T-FQ/versions/2025.1")
    assert version.status_code == 200
    items = version.json()["items"]
    assert [i["item"] for i in items] == ["ENG-001", "ENG-002", "IT-001", "IT-002", "ACC-001"]
    assert items[0]["mappedLevel"] == {"code": "副高级", "zh": "副高级", "en": "Associate senior"}
    assert items[4]["mappedSpecialty"] is None
    assert items[4]["industry"]["en"] == "Accounting and audit"


def test_a_file_with_bad_rows_is_422_with_row_and_column_pointers_and_stores_nothing(client, demo):
    response = _upload(client, demo.tokens["admin"], BAD_ROWS.read_bytes(), "bad.csv", "1")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "CATALOGUE_ROWS_INVALID"
    errors = {(e["pointer"], e["code"]) for e in body["errors"]}
    assert ("/rows/2/level", "CODE_UNKNOWN") in errors
    assert ("/rows/4/item", "CATALOGUE_ITEM_DUPLICATE") in errors
    assert all(e["message"]["zh"] and e["message"]["en"] for e in body["errors"])
    assert client.get("/api/v1/catalogues/T-FQ/versions/1").status_code == 404


def test_an_existing_version_is_never_replaced(client, demo):
    admin = demo.tokens["admin"]
    assert _upload(client, admin, CSV_2024.read_bytes(), "a.csv", "1").status_code == 201
    again = _upload(client, admin, CSV_2025_ZH.read_bytes(), "b.csv", "1")
    assert again.status_code == 409
    assert again.json()["code"] == "CATALOGUE_VERSION_EXISTS"
    items = client.get("/api/v1/catalogues/T-FQ/versions/1").json()["items"]
    assert len(items) == 4


def test_only_admin_tokens_upload(client, demo):
    data = CSV_2024.read_bytes()
    assert _upload(client, None, data, "a.csv", "1").status_code == 401
    partner = _upload(client, demo.tokens["partner:320509"], data, "a.csv", "1")
    assert (partner.status_code, partner.json()["code"]) == (403, "ROLE_FORBIDDEN")
    issuer = next(t for k, t in demo.tokens.items() if k.startswith("issuer:"))
    assert _upload(client, issuer, data, "a.csv", "1").status_code == 403


def test_bad_path_and_form_values(client, demo):
    admin = demo.tokens["admin"]
    bad_id = _upload(client, admin, CSV_2024.read_bytes(), "a.csv", "1", catalogue="bad.id")
    assert (bad_id.status_code, bad_id.json()["code"]) == (422, "CATALOGUE_ID_INVALID")
    no_file = client.post(
        "/api/v1/catalogues/T-FQ/versions", data={"version": "1"}, headers=bearer(admin)
    )
    assert no_file.status_code == 400
    nameless = _upload(client, admin, CSV_2024.read_bytes(), "a.csv", "1", nameZh="", nameEn="")
    assert (nameless.status_code, nameless.json()["code"]) == (422, "CATALOGUE_NAME_REQUIRED")


def test_files_larger_than_the_general_body_limit_are_accepted(client, demo):
    header, *_ = CSV_2024.read_text(encoding="utf-8").splitlines()
    many = [header] + [
        f"X-{n},Qualification {n} {'x' * 120},Body,英国,工程技术,中级,机械工程,先进制造"
        for n in range(600)
    ]
    data = ("\n".join(many) + "\n").encode("utf-8")
    assert len(data) > 65_536
    response = _upload(client, demo.tokens["admin"], data, "big.csv", "1")
    assert response.status_code == 201, response.text
    assert response.json()["itemCount"] == 600


def test_unknown_catalogue_version_is_404(client):
    response = client.get("/api/v1/catalogues/NOPE/versions/1")
    assert (response.status_code, response.json()["code"]) == (404, "CATALOGUE_VERSION_UNKNOWN")
