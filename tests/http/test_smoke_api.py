"""A first end-to-end pass over the API on both stores."""

from tests.support.fixtures import bearer


def test_issuers_are_public(client):
    response = client.get("/api/v1/issuers")
    assert response.status_code == 200
    assert len(response.json()["issuers"]) == 4


def test_issue_then_scan(client, demo):
    from registry.services.demo_data import DEMO_RECORDS

    record = DEMO_RECORDS[0]
    response = client.post(
        "/credentials/issue",
        json={"credential": record.issuance_request()},
        headers=bearer(demo.tokens[f"issuer:{record.issuer_uscc}"]),
    )
    assert response.status_code == 201, response.text
    payload = response.json()["qr"]["payload"]
    scanned = client.post("/api/v1/scan", json={"payload": payload})
    assert scanned.status_code == 200
    assert scanned.json()["verified"] is True
