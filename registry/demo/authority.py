"""Demonstration data for authority and recognition: issuer scopes, the zone's mutual
recognition agreement, and a few equivalence entries.

- Scopes follow the usual split: district HR bureaus review engineering, economics and
  accounting titles up to 中级; the zone's joint committee reviews mechanical engineering
  up to 正高级 from 2021. Dates are the demo's, not official ones.
- The agreement names the zone's 2020 interim measures on mutual recognition of
  professional qualifications and continuing-education hours by the document's name only
  (no article number is cited); its effective date in the demo (2020-09-01) is assumed.
- Equivalence entries are invented for the demo and stored with ``demo`` set, so every
  answer that uses one says so. They show how a region's former local name of the
  full-senior engineer title (教授级 / 研究员级高级工程师) is shown to the asking region.
"""

from __future__ import annotations

from datetime import date, datetime

from registry.core.records.credential import JOINT_TITLE, TITLE, TITLE_TYPES
from registry.core.trust.model import Equivalence
from registry.demo import data as demo_data
from registry.services.authority.issuers import set_jurisdiction
from registry.services.authority.scopes import ScopeRequest, grant_scope
from registry.services.recognition.agreements import (
    AgreementRequest,
    add_agreement,
    add_equivalence,
)
from registry.services.runtime.context import Registry

ACTOR = "demo seed"
QINGPU, WUJIANG, JIASHAN = demo_data.QINGPU, demo_data.WUJIANG, demo_data.JIASHAN
ZONE_AGREEMENT_ID = "YRDZ-MR-2020"
ZONE = (QINGPU, WUJIANG, JIASHAN)
ZONE_BODIES = ("executive_committee", "postdoc_station")
BUREAU_TITLES = ScopeRequest(
    record_types=(TITLE,),
    series=("工程技术", "经济", "会计"),
    highest_level="中级",
    valid_from=date(2019, 1, 1),
)
JOINT_MECHANICAL = ScopeRequest(
    record_types=(JOINT_TITLE,),
    series=("工程技术",),
    specialties=("机械工程",),
    highest_level="正高级",
    valid_from=date(2021, 1, 1),
)
OTHER_TYPES_FROM = date(2020, 1, 1)

ZONE_AGREEMENT = AgreementRequest(
    agreement_id=ZONE_AGREEMENT_ID,
    name_zh="长三角生态绿色一体化发展示范区专业技术人才资格和继续教育学时互认暂行办法",
    name_en="Interim Measures of the Yangtze River Delta Eco-Green Integrated Development "
    "Demonstration Zone on Mutual Recognition of Professional and Technical Talent "
    "Qualifications and Continuing-Education Hours",
    parties=(QINGPU, WUJIANG, JIASHAN),
    record_types=(
        TITLE,
        JOINT_TITLE,
        "VocationalQualificationCredential",
        "ContinuingEducationCredential",
        "QualificationEquivalenceCredential",
    ),
    effective_from=date(2020, 9, 1),
    legal_basis="长三角生态绿色一体化发展示范区专业技术人才资格和继续教育学时互认暂行办法（2020）",
)
# Shanghai's overseas-talent residence permit may be held by talent employed in Wujiang or
# Jiashan, with Shanghai treatment (DOMAIN.md). The governing document is not in our
# sources, so this agreement says plainly that it is demo data.
RESIDENCE_AGREEMENT = AgreementRequest(
    agreement_id="DEMO-YRDZ-RP",
    name_zh="示范区内工作的海外人才持上海市海外人才居住证享受同等待遇（演示数据）",
    name_en="Talent employed anywhere in the zone may hold the Shanghai overseas-talent "
    "residence permit with Shanghai treatment (demo data)",
    parties=(QINGPU, WUJIANG, JIASHAN),
    record_types=("ResidencePermitCredential",),
    effective_from=date(2020, 9, 1),
    legal_basis="演示数据：正式文件待管理员录入 / demo data: an administrator enters the "
    "governing document",
)

FULL_SENIOR = "正高级工程师"
DEMO_EQUIVALENCES = (
    Equivalence(
        WUJIANG,
        JIASHAN,
        "title_name",
        FULL_SENIOR,
        FULL_SENIOR,
        "正高级工程师（浙江原称“教授级高级工程师”，演示数据）",
        "Professor-level Senior Engineer (formerly 教授级高级工程师 in Zhejiang; demo data)",
        ZONE_AGREEMENT_ID,
        demo=True,
    ),
    Equivalence(
        JIASHAN,
        WUJIANG,
        "title_name",
        FULL_SENIOR,
        FULL_SENIOR,
        "正高级工程师（江苏原称“研究员级高级工程师”，演示数据）",
        "Professor-level Senior Engineer (formerly 研究员级高级工程师 in Jiangsu; demo data)",
        ZONE_AGREEMENT_ID,
        demo=True,
    ),
    Equivalence(
        WUJIANG,
        QINGPU,
        "title_name",
        FULL_SENIOR,
        FULL_SENIOR,
        "正高级工程师（上海原称“教授级高级工程师”，演示数据）",
        "Professor-level Senior Engineer (formerly 教授级高级工程师 in Shanghai; demo data)",
        ZONE_AGREEMENT_ID,
        demo=True,
    ),
    Equivalence(
        QINGPU,
        JIASHAN,
        "level",
        "副高级",
        "副高级",
        "副高级（浙江习称“高级”职称，演示数据）",
        "Associate senior (called 高级 titles in Zhejiang; demo data)",
        ZONE_AGREEMENT_ID,
        demo=True,
    ),
)


def demo_scopes(issuer: demo_data.DemoIssuer) -> list[ScopeRequest]:
    """The scopes a demo issuer gets: its title scope, and type-only scopes for the rest."""
    scopes = []
    if TITLE in issuer.record_types:
        scopes.append(BUREAU_TITLES)
    if JOINT_TITLE in issuer.record_types:
        scopes.append(JOINT_MECHANICAL)
    others = tuple(t for t in issuer.record_types if t not in TITLE_TYPES)
    if others:
        scopes.append(ScopeRequest(record_types=others, valid_from=OTHER_TYPES_FROM))
    return scopes


def seed_authority(registry: Registry, *, now: datetime) -> None:
    """Grant the demo issuers their scopes and load the agreement and equivalences.

    The zone's own bodies (the executive committee, the postdoctoral workstation) serve
    all three regions: their records count as issued in each.
    """
    for issuer in demo_data.DEMO_ISSUERS:
        for scope in demo_scopes(issuer):
            grant_scope(registry, actor=ACTOR, uscc=issuer.uscc, request=scope, now=now)
        if issuer.kind in ZONE_BODIES:
            set_jurisdiction(registry, actor=ACTOR, uscc=issuer.uscc, regions=ZONE, now=now)
    add_agreement(registry, actor=ACTOR, request=ZONE_AGREEMENT, now=now)
    add_agreement(registry, actor=ACTOR, request=RESIDENCE_AGREEMENT, now=now)
    for entry in DEMO_EQUIVALENCES:
        add_equivalence(registry, actor=ACTOR, entry=entry, now=now)
