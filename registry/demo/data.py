"""Fictional demonstration data: the zone's three regions, their issuers, a few engineers
and one issuance request per issuer.

Every identifier here is made up and says so: USCCs read ``…MB00000…`` after the region
code, ID numbers use birth-sequence ``99x``. Both still carry correct check characters, so
the data passes the same checks real data must.
"""

from __future__ import annotations

from typing import Any

from registry.demo.model import (
    JIASHAN,
    QINGPU,
    WUJIANG,
    DemoIssuer,
    DemoPerson,
    DemoRecord,
    DemoRegion,
    demo_id_number,
    demo_uscc,
)
from registry.demo.talent import (
    RESIDENCE_PERMIT,
    TALENT_ISSUERS,
    TALENT_PEOPLE,
    talent_records,
)

TITLE = "ProfessionalTitleCredential"
JOINT_TITLE = "JointTitleCredential"
VOCATIONAL_QUALIFICATION = "VocationalQualificationCredential"
CONTINUING_EDUCATION = "ContinuingEducationCredential"
QUALIFICATION_EQUIVALENCE = "QualificationEquivalenceCredential"

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
    (TITLE, CONTINUING_EDUCATION, QUALIFICATION_EQUIVALENCE, RESIDENCE_PERMIT),
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
    (TITLE, VOCATIONAL_QUALIFICATION, CONTINUING_EDUCATION),
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
DEMO_ISSUERS = (
    QINGPU_BUREAU,
    WUJIANG_BUREAU,
    JIASHAN_BUREAU,
    JOINT_MECHANICAL_COMMITTEE,
    *TALENT_ISSUERS,
)

WANG_JIANHUA = DemoPerson("王建华", "Wang Jianhua", demo_id_number(QINGPU, "19781116", 991), QINGPU)
ZHANG_LIJUAN = DemoPerson("张丽娟", "Zhang Lijuan", demo_id_number(QINGPU, "19941201", 998), QINGPU)
LI_SIYUAN = DemoPerson("李思远", "Li Siyuan", demo_id_number(WUJIANG, "19861103", 993), WUJIANG)
CHEN_XIAOMEI = DemoPerson(
    "陈晓梅", "Chen Xiaomei", demo_id_number(JIASHAN, "19900227", 992), JIASHAN
)
OUYANG_ZHENHUA = DemoPerson(
    "欧阳振华", "Ouyang Zhenhua", demo_id_number(WUJIANG, "19750809", 995), WUJIANG
)
DEMO_PEOPLE = (
    WANG_JIANHUA,
    ZHANG_LIJUAN,
    LI_SIYUAN,
    CHEN_XIAOMEI,
    OUYANG_ZHENHUA,
    *TALENT_PEOPLE,
)


def _request(record_type: str, person: DemoPerson, title: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": ["VerifiableCredential", record_type],
        "credentialSubject": {
            "name": person.name,
            "idNumber": person.id_number,
            "professionalTitle": {"series": "工程技术", **title},
        },
    }


def _block_request(
    record_type: str, person: DemoPerson, key: str, block: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": ["VerifiableCredential", record_type],
        "credentialSubject": {"name": person.name, "idNumber": person.id_number, key: block},
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
    DemoRecord(
        "jiashan-chen-constructor",
        JIASHAN_BUREAU.uscc,
        _block_request(
            VOCATIONAL_QUALIFICATION,
            CHEN_XIAOMEI,
            "vocationalQualification",
            {
                "qualification": "二级建造师",
                "level": "二级",
                "kind": "准入类",
                "specialty": "建筑工程",
                "authority": "浙江省住房和城乡建设厅",
                "registrationRegion": JIASHAN,
                "obtainedOn": "2022-12-16",
                "sharedAcrossZone": True,
                "certificateNumber": "DEMO-ZJ-JZS-2022-0001",
                "registrationNumber": "浙演示233000001",
            },
        ),
    ),
    DemoRecord(
        "qingpu-li-hours-2025",
        QINGPU_BUREAU.uscc,
        _block_request(
            CONTINUING_EDUCATION,
            LI_SIYUAN,
            "continuingEducation",
            {
                "year": 2025,
                "generalHours": 30,
                "professionalHours": 24,
                "regions": [QINGPU, WUJIANG, JIASHAN],
                "courses": [
                    {
                        "title": "演示：专业技术人员诚信建设",
                        "kind": "公需科目",
                        "hours": 30,
                        "provider": "青浦区专业技术人员继续教育演示基地",
                        "completedOn": "2025-04-18",
                    },
                    {
                        "title": "演示：纺织智能制造新工艺",
                        "kind": "专业科目",
                        "hours": 24,
                        "provider": "青浦区专业技术人员继续教育演示基地",
                        "completedOn": "2025-06-27",
                    },
                ],
            },
        ),
    ),
    DemoRecord(
        "jiashan-li-hours-2025",
        JIASHAN_BUREAU.uscc,
        _block_request(
            CONTINUING_EDUCATION,
            LI_SIYUAN,
            "continuingEducation",
            {
                "year": 2025,
                "generalHours": 12,
                "professionalHours": 42,
                "regions": [QINGPU, WUJIANG, JIASHAN],
                "courses": [
                    {
                        "title": "演示：专业技术人员数字素养提升",
                        "kind": "公需科目",
                        "hours": 12,
                        "provider": "嘉善县专业技术人员继续教育演示中心",
                        "completedOn": "2025-03-21",
                    },
                    {
                        "title": "演示：新型纺织材料检测技术",
                        "kind": "专业科目",
                        "hours": 42,
                        "provider": "嘉善县专业技术人员继续教育演示中心",
                        "completedOn": "2025-09-12",
                    },
                ],
            },
        ),
    ),
    DemoRecord(
        "qingpu-zhang-equivalence",
        QINGPU_BUREAU.uscc,
        _block_request(
            QUALIFICATION_EQUIVALENCE,
            ZHANG_LIJUAN,
            "qualificationEquivalence",
            {
                "catalogue": "DEMO-FQ",
                "catalogueVersion": "2025.1",
                "item": "IT-003",
                "mappedSeries": "工程技术",
                "mappedLevel": "中级",
                "mappedSpecialty": "计算机应用",
                "decidedOn": "2025-02-20",
                "decisionNumber": "青人社比认〔2025〕演示1号",
                "foreignQualification": "Chartered IT Professional (CITP)",
                "awardingBody": "BCS, The Chartered Institute for IT",
                "foreignCertificateNumber": "DEMO-CITP-000123",
            },
        ),
    ),
    *talent_records(QINGPU_BUREAU.uscc),
)


def demo_issuer(uscc: str) -> DemoIssuer:
    """The demo issuer with this USCC (``KeyError`` if none: demo data is fixed)."""
    for issuer in DEMO_ISSUERS:
        if issuer.uscc == uscc:
            return issuer
    raise KeyError(uscc)


__all__ = [
    "CHEN_XIAOMEI",
    "CONTINUING_EDUCATION",
    "DEMO_ISSUERS",
    "DEMO_PEOPLE",
    "DEMO_RECORDS",
    "DEMO_REGIONS",
    "JIASHAN",
    "JIASHAN_BUREAU",
    "JOINT_MECHANICAL_COMMITTEE",
    "JOINT_TITLE",
    "LI_SIYUAN",
    "OUYANG_ZHENHUA",
    "QINGPU",
    "QINGPU_BUREAU",
    "QUALIFICATION_EQUIVALENCE",
    "TITLE",
    "VOCATIONAL_QUALIFICATION",
    "WANG_JIANHUA",
    "WUJIANG",
    "WUJIANG_BUREAU",
    "ZHANG_LIJUAN",
    "DemoIssuer",
    "DemoPerson",
    "DemoRecord",
    "DemoRegion",
    "demo_id_number",
    "demo_issuer",
    "demo_uscc",
]
