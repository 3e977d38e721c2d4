"""Fictional demonstration data: the zone's three regions, their issuers, a few engineers
and one issuance request per issuer.

Every identifier here is made up and says so: USCCs read ``…MB00000…`` after the region
code, ID numbers use birth-sequence ``99x``. Both still carry correct check characters, so
the data passes the same checks real data must.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from registry.core.identifiers import resident_id_check_char, uscc_check_char

IssuerKind = Literal["hr_bureau", "review_committee", "joint_committee"]
TITLE = "ProfessionalTitleCredential"
JOINT_TITLE = "JointTitleCredential"


@dataclass(frozen=True)
class DemoRegion:
    """A region of the demonstration zone, by its GB/T 2260 division code."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class DemoIssuer:
    """An organisation that issues records, named by its (fictional) USCC."""

    uscc: str
    name_zh: str
    name_en: str
    region: str
    kind: IssuerKind
    record_types: tuple[str, ...]


@dataclass(frozen=True)
class DemoPerson:
    """A fictional engineer; ``id_number`` is a made-up resident ID with a valid check."""

    name: str
    name_en: str
    id_number: str
    region: str


@dataclass(frozen=True)
class DemoRecord:
    """An issuance request: the credential as ``POST /credentials/issue`` takes it."""

    key: str
    issuer_uscc: str
    credential: dict[str, Any] = field(hash=False)

    def issuance_request(self) -> dict[str, Any]:
        """A private copy of the credential, safe to change."""
        return copy.deepcopy(self.credential)


def demo_uscc(region: str, serial: int) -> str:
    """A fictional government-organ USCC: ``11`` + region + ``MB00000`` + serial + check."""
    first17 = f"11{region}MB00000{serial:02d}"
    return first17 + uscc_check_char(first17)


def demo_id_number(region: str, birth: str, sequence: int) -> str:
    """A fictional resident ID: region, birth date ``YYYYMMDD``, sequence 990-999, check."""
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


QINGPU, WUJIANG, JIASHAN = "310118", "320509", "330421"

DEMO_REGIONS = (
    DemoRegion(QINGPU, "青浦区", "Qingpu District"),
    DemoRegion(WUJIANG, "吴江区", "Wujiang District"),
    DemoRegion(JIASHAN, "嘉善县", "Jiashan County"),
)

QINGPU_BUREAU = DemoIssuer(
    demo_uscc(QINGPU, 1),
    "上海市青浦区人力资源和社会保障局",
    "Qingpu District Human Resources and Social Security Bureau, Shanghai",
    QINGPU,
    "hr_bureau",
    (TITLE,),
)
WUJIANG_BUREAU = DemoIssuer(
    demo_uscc(WUJIANG, 1),
    "苏州市吴江区人力资源和社会保障局",
    "Wujiang District Human Resources and Social Security Bureau, Suzhou",
    WUJIANG,
    "hr_bureau",
    (TITLE,),
)
JIASHAN_BUREAU = DemoIssuer(
    demo_uscc(JIASHAN, 1),
    "嘉善县人力资源和社会保障局",
    "Jiashan County Human Resources and Social Security Bureau, Jiaxing",
    JIASHAN,
    "hr_bureau",
    (TITLE,),
)
# Its office sits in the Wujiang bureau, hence the Wujiang region code.
JOINT_MECHANICAL_COMMITTEE = DemoIssuer(
    demo_uscc(WUJIANG, 91),
    "长三角生态绿色一体化发展示范区机械工程高级职称联合评审委员会",
    "Joint Senior Title Review Committee for Mechanical Engineering of the Yangtze River "
    "Delta Ecology and Green Integrated Development Demonstration Zone",
    WUJIANG,
    "joint_committee",
    (JOINT_TITLE,),
)
DEMO_ISSUERS = (QINGPU_BUREAU, WUJIANG_BUREAU, JIASHAN_BUREAU, JOINT_MECHANICAL_COMMITTEE)

WANG_JIANHUA = DemoPerson("王建华", "Wang Jianhua", demo_id_number(QINGPU, "19781116", 991), QINGPU)
ZHANG_LIJUAN = DemoPerson("张丽娟", "Zhang Lijuan", demo_id_number(QINGPU, "19941201", 998), QINGPU)
LI_SIYUAN = DemoPerson("李思远", "Li Siyuan", demo_id_number(WUJIANG, "19861103", 993), WUJIANG)
CHEN_XIAOMEI = DemoPerson(
    "陈晓梅", "Chen Xiaomei", demo_id_number(JIASHAN, "19900227", 992), JIASHAN
)
OUYANG_ZHENHUA = DemoPerson(
    "欧阳振华", "Ouyang Zhenhua", demo_id_number(WUJIANG, "19750809", 995), WUJIANG
)
DEMO_PEOPLE = (WANG_JIANHUA, ZHANG_LIJUAN, LI_SIYUAN, CHEN_XIAOMEI, OUYANG_ZHENHUA)


def _request(record_type: str, person: DemoPerson, title: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": ["VerifiableCredential", record_type],
        "credentialSubject": {
            "name": person.name,
            "idNumber": person.id_number,
            "professionalTitle": {"series": "工程技术", **title},
        },
    }


DEMO_RECORDS = (
    DemoRecord(
        "qingpu-wang-engineer",
        QINGPU_BUREAU.uscc,
        _request(
            TITLE,
            WANG_JIANHUA,
            {
                "specialty": "建筑工程",
                "level": "中级",
                "titleName": "工程师",
                "obtainedBy": "评审",
                "obtainedOn": "2019-12-30",
                "approvalNumber": "青人社职〔2019〕演示1号",
                "certificateNumber": "DEMO-QP-2019-0001",
                "employer": "青浦演示建设工程有限公司",
            },
        ),
    ),
    DemoRecord(
        "qingpu-zhang-assistant",
        QINGPU_BUREAU.uscc,
        _request(
            TITLE,
            ZHANG_LIJUAN,
            {
                "specialty": "计算机应用",
                "level": "助理级",
                "titleName": "助理工程师",
                "obtainedBy": "考核认定",
                "obtainedOn": "2020-09-15",
            },
        ),
    ),
    DemoRecord(
        "wujiang-li-engineer",
        WUJIANG_BUREAU.uscc,
        _request(
            TITLE,
            LI_SIYUAN,
            {
                "specialty": "纺织工程",
                "level": "中级",
                "titleName": "工程师",
                "obtainedBy": "评审",
                "obtainedOn": "2022-11-25",
                "certificateNumber": "DEMO-WJ-2022-0001",
                "employer": "吴江演示丝绸纺织有限公司",
            },
        ),
    ),
    DemoRecord(
        "jiashan-chen-engineer",
        JIASHAN_BUREAU.uscc,
        _request(
            TITLE,
            CHEN_XIAOMEI,
            {
                "specialty": "电子信息",
                "level": "中级",
                "titleName": "工程师",
                "obtainedBy": "评审",
                "obtainedOn": "2023-01-10",
                "certificateNumber": "DEMO-JS-2023-0001",
                "employer": "嘉善演示电子科技有限公司",
            },
        ),
    ),
    DemoRecord(
        "joint-ouyang-senior",
        JOINT_MECHANICAL_COMMITTEE.uscc,
        _request(
            JOINT_TITLE,
            OUYANG_ZHENHUA,
            {
                "specialty": "机械工程",
                "level": "副高级",
                "titleName": "高级工程师",
                "obtainedBy": "评审",
                "obtainedOn": "2021-12-28",
                "jointCommittee": JOINT_MECHANICAL_COMMITTEE.uscc,
                "reviewRegions": [QINGPU, WUJIANG, JIASHAN],
                "reviewSession": {"year": 2021, "batch": 1},
                "certificateNumber": "DEMO-YRD-2021-0001",
                "employer": "吴江演示精密机械有限公司",
            },
        ),
    ),
)


def demo_issuer(uscc: str) -> DemoIssuer:
    """The demo issuer with this USCC (``KeyError`` if none: demo data is fixed)."""
    for issuer in DEMO_ISSUERS:
        if issuer.uscc == uscc:
            return issuer
    raise KeyError(uscc)
