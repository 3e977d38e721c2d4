"""Fictional demonstration data for talent records beside titles: an overseas talent's
residence permit and their spouse's dependant permit (issued by the Qingpu bureau), the
executive committee's recommendation letter for permanent residence, and a postdoctoral
affiliation at the zone's workstation.

As elsewhere in the demo, every identifier is made up: USCCs read ``…MB00000…``, the ID
number uses birth-sequence ``99x``, passports read ``DM99…`` and permit, letter and
certificate numbers say ``DEMO`` or ``演示``. The requests equal the ``examples`` of the
published schemas (a test keeps them equal).
"""

from __future__ import annotations

from typing import Any

from registry.demo.model import (
    QINGPU,
    WUJIANG,
    DemoIssuer,
    DemoPerson,
    DemoRecord,
    demo_id_number,
    demo_uscc,
)

RESIDENCE_PERMIT = "ResidencePermitCredential"
RECOMMENDATION_LETTER = "RecommendationLetterCredential"
POSTDOC_AFFILIATION = "PostdocAffiliationCredential"

# The zone's executive committee is an issuer of its own; the demo seats it in Qingpu.
EXECUTIVE_COMMITTEE = DemoIssuer(
    demo_uscc(QINGPU, 50),
    "长三角生态绿色一体化发展示范区执行委员会",
    "Executive Committee of the Yangtze River Delta Ecology and Green Integrated "
    "Development Demonstration Zone",
    QINGPU,
    "executive_committee",
    (RECOMMENDATION_LETTER,),
)
POSTDOC_STATION = DemoIssuer(
    demo_uscc(QINGPU, 60),
    "长三角生态绿色一体化发展示范区博士后科研工作站总站管理办公室",
    "Administration Office of the Postdoctoral Workstation of the Yangtze River Delta "
    "Ecology and Green Integrated Development Demonstration Zone",
    QINGPU,
    "postdoc_station",
    (POSTDOC_AFFILIATION,),
)
TALENT_ISSUERS = (EXECUTIVE_COMMITTEE, POSTDOC_STATION)

LIN_YUTONG = DemoPerson("林雨桐", "Lin Yutong", demo_id_number(WUJIANG, "19930412", 996), WUJIANG)
TALENT_PEOPLE = (LIN_YUTONG,)


def _passport(number: str, country: str) -> dict[str, str]:
    return {"number": number, "issuingCountry": country}


def _permit(name: str, passport: str, role: str, number: str) -> dict[str, Any]:
    return {
        "type": ["VerifiableCredential", RESIDENCE_PERMIT],
        "validUntil": "2031-02-28T15:59:59Z",
        "credentialSubject": {
            "name": name,
            "nationality": "DEU",
            "passport": _passport(passport, "DEU"),
            "residencePermit": {
                "role": role,
                "category": "A",
                "permitNumber": number,
                "issuedOn": "2026-03-01",
                "validUntil": "2031-02-28",
                "employer": "吴江演示精密机械有限公司",
                "workRegion": WUJIANG,
            },
        },
    }


LETTER = {
    "type": ["VerifiableCredential", RECOMMENDATION_LETTER],
    "validUntil": "2030-02-28T15:59:59Z",
    "credentialSubject": {
        "name": "Sophie Martin",
        "nationality": "FRA",
        "passport": _passport("DM9900002", "FRA"),
        "recommendationLetter": {
            "letterNumber": "示范区执委推〔2026〕演示1号",
            "issuedOn": "2026-03-01",
            "purpose": "直接申请永久居留",
            "validUntil": "2030-02-28",
            "employer": "嘉善演示电子科技有限公司",
            "dependants": [
                {
                    "name": "Julien Martin",
                    "relation": "配偶",
                    "nationality": "FRA",
                    "passport": _passport("DM9900003", "FRA"),
                },
                {
                    "name": "Léa Martin",
                    "relation": "未成年子女",
                    "birthDate": "2015-04-20",
                    "nationality": "FRA",
                    "passport": _passport("DM9900004", "FRA"),
                },
            ],
        },
    },
}
POSTDOC = {
    "type": ["VerifiableCredential", POSTDOC_AFFILIATION],
    "credentialSubject": {
        "name": LIN_YUTONG.name,
        "idNumber": LIN_YUTONG.id_number,
        "postdocAffiliation": {
            "station": "示范区博士后科研工作站总站",
            "branch": "吴江演示精密机械分站",
            "hostUnit": "吴江演示精密机械有限公司",
            "entryDate": "2024-09-01",
            "state": "在站",
            "university": "示例理工大学",
            "discipline": "机械工程",
            "supervisors": [
                {"name": "欧阳振华", "unit": "吴江演示精密机械有限公司"},
                {"name": "周明德", "unit": "示例理工大学"},
            ],
            "certificateNumber": "DEMO-PD-2024-0001",
        },
    },
}
PRINCIPAL_PERMIT_KEY = "qingpu-becker-permit"
EXAMPLE_BASE = "https://registry.example"  # the schemas' examples use this base URL
EXAMPLE_PRINCIPAL_ID = "7d0c5e2a-4b1f-4e8a-9c3d-1a2b3c4d5e6f"


def talent_records(qingpu_bureau: str) -> tuple[DemoRecord, ...]:
    """The demo's talent records; ``qingpu_bureau`` is the USCC issuing residence permits
    (Shanghai's permits, issued for talent working anywhere in the zone)."""
    dependant = _permit("Anna Becker", "DM9900005", "随员证", "DEMO-SHRP-2026-0002")
    # The seed replaces this with the principal's credential id once it is issued.
    permit = dependant["credentialSubject"]["residencePermit"]
    permit["principalRecord"] = f"{EXAMPLE_BASE}/credentials/{EXAMPLE_PRINCIPAL_ID}"
    return (
        DemoRecord(
            PRINCIPAL_PERMIT_KEY,
            qingpu_bureau,
            _permit("Lukas Becker", "DM9900001", "主证", "DEMO-SHRP-2026-0001"),
        ),
        DemoRecord(
            "qingpu-becker-dependant", qingpu_bureau, dependant, principal_key=PRINCIPAL_PERMIT_KEY
        ),
        DemoRecord("committee-martin-letter", EXECUTIVE_COMMITTEE.uscc, LETTER),
        DemoRecord("postdoc-lin-in-station", POSTDOC_STATION.uscc, POSTDOC),
    )


__all__ = [
    "EXECUTIVE_COMMITTEE",
    "LIN_YUTONG",
    "POSTDOC_AFFILIATION",
    "POSTDOC_STATION",
    "PRINCIPAL_PERMIT_KEY",
    "RECOMMENDATION_LETTER",
    "RESIDENCE_PERMIT",
    "TALENT_ISSUERS",
    "TALENT_PEOPLE",
    "talent_records",
]
