"""Recognition use cases: regions, agreements among them, equivalence tables, and the
partner clients of a region.

Every change is recorded in the authority history (who, when, what). Agreements are never
deleted; ending one sets its end date.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from registry.core.codes import code_list
from registry.core.errors import (
    conflict,
    invalid_field,
    not_found,
    require_texts,
)
from registry.core.formats.timefmt import china_date
from registry.core.trust.model import Agreement, Equivalence, RegionInfo
from registry.services.access.tokens import TOKEN_NAME_MAX, TOKEN_PREFIX, token_hash
from registry.services.runtime.context import Registry
from registry.services.transparency.history import record_change
from registry.services.trust.directory import agreement_info, equivalence_info
from registry.storage.authority import AgreementRepository, EquivalenceRepository
from registry.storage.repositories import RegionRepository, TokenRepository
from registry.storage.tables import AgreementRow, ApiTokenRow, EquivalenceRow, RegionRow

AGREEMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
EQUIVALENCE_KINDS = {"title_name": "title-names", "level": "title-levels", "catalogue_item": None}
# The columns' lengths: a longer text is refused (FIELD_TOO_LONG), never cut.
REGION_NAME_ZH_MAX, REGION_NAME_EN_MAX = 64, 128
AGREEMENT_NAME_ZH_MAX, AGREEMENT_NAME_EN_MAX = 256, 512
AGREEMENT_BASIS_MAX, AGREEMENT_ARTICLE_MAX = 512, 128
EQUIVALENCE_TERM_MAX = 128  # source and target
EQUIVALENCE_LABEL_ZH_MAX, EQUIVALENCE_LABEL_EN_MAX = 128, 256


def add_region(
    registry: Registry, *, actor: str, code: str, name_zh: str, name_en: str, now: datetime
) -> RegionInfo:
    """Register a region by its GB/T 2260 code (which must be in the divisions list)."""
    if code not in code_list("divisions"):
        raise invalid_field(
            "/code", "REGION_UNKNOWN", "不是已知的行政区划代码", "not a known division code"
        )
    name_zh, name_en = name_zh.strip(), name_en.strip()
    if not name_zh or not name_en:
        raise invalid_field(
            "/name", "REGION_NAME_REQUIRED", "须提供中英文名称", "names in zh and en needed"
        )
    require_texts(
        ("/nameZh", name_zh, REGION_NAME_ZH_MAX), ("/nameEn", name_en, REGION_NAME_EN_MAX)
    )
    with registry.transaction() as session:
        regions = RegionRepository(session)
        if regions.get(code) is not None:
            raise conflict("REGION_EXISTS", "该地区已登记", "this region is already registered")
        regions.add(RegionRow(code=code, name_zh=name_zh, name_en=name_en))
        record_change(
            session,
            actor=actor,
            subject="region",
            ref=code,
            action="created",
            at=now,
            detail={"nameZh": name_zh, "nameEn": name_en},
        )
    return RegionInfo(code, name_zh, name_en)


def _codes(list_name: str, values: Sequence[str], pointer: str) -> tuple[str, ...]:
    for index, value in enumerate(values):
        if value not in code_list(list_name):
            raise invalid_field(
                f"{pointer}/{index}",
                "CODE_UNKNOWN",
                f"代码表 {list_name} 中没有此代码",
                f"not a code of the list {list_name}",
            )
    return tuple(dict.fromkeys(values))


@dataclass(frozen=True)
class AgreementRequest:
    """An agreement as an administrator enters it."""

    agreement_id: str
    name_zh: str
    name_en: str
    parties: tuple[str, ...]
    record_types: tuple[str, ...]
    effective_from: date
    legal_basis: str
    series: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    effective_until: date | None = None
    legal_article: str | None = None


def _checked(request: AgreementRequest) -> Agreement:
    if not AGREEMENT_ID.fullmatch(request.agreement_id):
        raise invalid_field(
            "/id",
            "AGREEMENT_ID_INVALID",
            "协议编号只能含字母、数字和 . _ -（最多64位）",
            "an agreement id holds letters, digits and . _ - (up to 64)",
        )
    parties = tuple(dict.fromkeys(request.parties))
    if len(parties) < 2:
        raise invalid_field(
            "/parties", "AGREEMENT_PARTIES", "协议至少需要两方", "an agreement needs two parties"
        )
    if not request.record_types:
        raise invalid_field(
            "/recordTypes", "AGREEMENT_TYPES_REQUIRED", "须指定记录类型", "record types needed"
        )
    if not request.name_zh.strip() or not request.name_en.strip():
        raise invalid_field(
            "/name", "AGREEMENT_NAME_REQUIRED", "须提供中英文名称", "names in zh and en needed"
        )
    if not request.legal_basis.strip():
        raise invalid_field(
            "/legalBasis",
            "AGREEMENT_BASIS_REQUIRED",
            "须提供法律依据（文件）",
            "the legal basis is needed",
        )
    require_texts(
        ("/nameZh", request.name_zh.strip(), AGREEMENT_NAME_ZH_MAX),
        ("/nameEn", request.name_en.strip(), AGREEMENT_NAME_EN_MAX),
        ("/legalBasis", request.legal_basis.strip(), AGREEMENT_BASIS_MAX),
        ("/legalArticle", (request.legal_article or "").strip(), AGREEMENT_ARTICLE_MAX),
    )
    until = request.effective_until
    if until is not None and until <= request.effective_from:
        raise invalid_field(
            "/effectiveUntil",
            "AGREEMENT_DATES_INVALID",
            "失效日期须晚于生效日期",
            "the end date must come after the start date",
        )
    return Agreement(
        agreement_id=request.agreement_id,
        name_zh=request.name_zh.strip(),
        name_en=request.name_en.strip(),
        parties=parties,
        record_types=_codes("record-types", request.record_types, "/recordTypes"),
        series=_codes("title-series", request.series, "/series"),
        levels=_codes("title-levels", request.levels, "/levels"),
        effective_from=request.effective_from,
        effective_until=until,
        legal_basis=request.legal_basis.strip(),
        legal_article=(request.legal_article or "").strip() or None,
    )


def add_agreement(
    registry: Registry, *, actor: str, request: AgreementRequest, now: datetime
) -> Agreement:
    """Store a recognition agreement among registered regions."""
    agreement = _checked(request)
    with registry.transaction() as session:
        regions = RegionRepository(session)
        for index, party in enumerate(agreement.parties):
            if regions.get(party) is None:
                raise invalid_field(
                    f"/parties/{index}",
                    "REGION_UNKNOWN",
                    "地区未登记",
                    "the region is not registered",
                )
        agreements = AgreementRepository(session)
        if agreements.by_agreement_id(agreement.agreement_id) is not None:
            raise conflict("AGREEMENT_EXISTS", "协议编号已存在", "an agreement with this id exists")
        row = agreements.add(
            AgreementRow(
                agreement_id=agreement.agreement_id,
                name_zh=agreement.name_zh,
                name_en=agreement.name_en,
                parties=list(agreement.parties),
                record_types=list(agreement.record_types),
                series=list(agreement.series),
                levels=list(agreement.levels),
                effective_from=agreement.effective_from,
                effective_until=agreement.effective_until,
                legal_basis=agreement.legal_basis,
                legal_article=agreement.legal_article,
                created_at=now,
            )
        )
        record_change(
            session,
            actor=actor,
            subject="agreement",
            ref=row.agreement_id,
            action="created",
            at=now,
            detail={"parties": row.parties, "recordTypes": row.record_types},
        )
        return agreement_info(row)


def end_agreement(
    registry: Registry, *, actor: str, agreement_id: str, until: date, now: datetime
) -> Agreement:
    """End an agreement at the start of ``until`` (China time); it is kept for the record.

    As a scope, an agreement cannot end retroactively: ``until`` is tomorrow at the
    earliest (``AGREEMENT_END_IN_PAST``). An agreement that has not started yet then
    covers no day at all.
    """
    if until < china_date(now) + timedelta(days=1):
        raise invalid_field(
            "/until",
            "AGREEMENT_END_IN_PAST",
            "协议不能追溯终止：结束日期最早为明天",
            "an agreement cannot end retroactively: the end date is tomorrow at the earliest",
        )
    with registry.transaction() as session:
        row = AgreementRepository(session).by_agreement_id(agreement_id)
        if row is None:
            raise not_found("AGREEMENT_UNKNOWN", "协议不存在", "no such agreement")
        if row.effective_until is not None and row.effective_until <= until:
            raise conflict(
                "AGREEMENT_ALREADY_ENDED",
                "该协议已在此日期或之前失效",
                "the agreement already ends on or before this date",
            )
        row.effective_until = max(until, row.effective_from)
        session.add(row)
        record_change(
            session,
            actor=actor,
            subject="agreement",
            ref=row.agreement_id,
            action="ended",
            at=now,
            detail={"effectiveUntil": row.effective_until.isoformat()},
        )
        session.flush()
        return agreement_info(row)


def add_equivalence(
    registry: Registry, *, actor: str, entry: Equivalence, now: datetime
) -> Equivalence:
    """Store one equivalence entry: a region's term in another region's vocabulary."""
    if entry.kind not in EQUIVALENCE_KINDS:
        raise invalid_field(
            "/kind",
            "EQUIVALENCE_KIND_UNKNOWN",
            "对照类别须为 title_name、level 或 catalogue_item",
            "kind must be title_name, level or catalogue_item",
        )
    list_name = EQUIVALENCE_KINDS[entry.kind]
    if list_name is not None:
        _codes(list_name, [entry.source], "/source")
    if entry.from_region == entry.to_region:
        raise invalid_field(
            "/toRegion", "EQUIVALENCE_SAME_REGION", "两地区不能相同", "the regions must differ"
        )
    if not entry.target.strip() or not entry.label_zh.strip() or not entry.label_en.strip():
        raise invalid_field(
            "/target",
            "EQUIVALENCE_TARGET_REQUIRED",
            "须提供对应术语及中英文名称",
            "target and labels needed",
        )
    require_texts(
        ("/source", entry.source, EQUIVALENCE_TERM_MAX),
        ("/target", entry.target.strip(), EQUIVALENCE_TERM_MAX),
        ("/labelZh", entry.label_zh.strip(), EQUIVALENCE_LABEL_ZH_MAX),
        ("/labelEn", entry.label_en.strip(), EQUIVALENCE_LABEL_EN_MAX),
    )
    with registry.transaction() as session:
        regions = RegionRepository(session)
        for pointer, code in (("/fromRegion", entry.from_region), ("/toRegion", entry.to_region)):
            if regions.get(code) is None:
                raise invalid_field(
                    pointer, "REGION_UNKNOWN", "地区未登记", "the region is not registered"
                )
        if (
            entry.agreement_id
            and AgreementRepository(session).by_agreement_id(entry.agreement_id) is None
        ):
            raise invalid_field(
                "/agreement", "AGREEMENT_UNKNOWN", "协议不存在", "no such agreement"
            )
        table = EquivalenceRepository(session)
        if table.find(entry.from_region, entry.to_region, entry.kind, entry.source) is not None:
            raise conflict(
                "EQUIVALENCE_EXISTS",
                "该术语的对照已存在",
                "this term already has an equivalence entry",
            )
        row = table.add(
            EquivalenceRow(
                from_region=entry.from_region,
                to_region=entry.to_region,
                kind=entry.kind,
                source=entry.source,
                target=entry.target.strip(),
                label_zh=entry.label_zh.strip(),
                label_en=entry.label_en.strip(),
                agreement_id=entry.agreement_id,
                demo=entry.demo,
                created_at=now,
            )
        )
        record_change(
            session,
            actor=actor,
            subject="equivalence",
            ref=str(row.id),
            action="created",
            at=now,
            detail={
                "from": row.from_region,
                "to": row.to_region,
                "kind": row.kind,
                "source": row.source,
                "target": row.target,
            },
        )
        return equivalence_info(row)


def list_agreements(registry: Registry) -> list[Agreement]:
    """Every agreement, oldest first."""
    with registry.reading() as session:
        return [agreement_info(row) for row in AgreementRepository(session).all()]


def list_equivalences(registry: Registry) -> list[Equivalence]:
    """Every equivalence entry, oldest first."""
    with registry.reading() as session:
        return [equivalence_info(row) for row in EquivalenceRepository(session).all()]


@dataclass(frozen=True)
class NewPartner:
    """A partner client created: its token's id (the history's ``partner`` reference) and
    the secret, shown once."""

    token_id: int
    region: str
    name: str
    secret: str


def create_partner(
    registry: Registry, *, actor: str, region: str, name: str, now: datetime
) -> NewPartner:
    """A partner client of a registered region with its own token, recorded in the
    authority history (subject ``partner``, the token id) in the same transaction."""
    name = " ".join(name.split())
    if not name:
        raise invalid_field(
            "/name", "PARTNER_NAME_REQUIRED", "须提供伙伴系统名称", "a name is needed"
        )
    require_texts(("/name", name, TOKEN_NAME_MAX))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with registry.transaction() as session:
        if RegionRepository(session).get(region) is None:
            raise not_found("REGION_UNKNOWN", "地区未登记", "no such region")
        row = TokenRepository(session).add(
            ApiTokenRow(
                token_hash=token_hash(secret),
                role="partner",
                region_code=region,
                name=name,
                created_at=now,
            )
        )
        token_id = row.id or 0
        record_change(
            session,
            actor=actor,
            subject="partner",
            ref=str(token_id),
            action="created",
            at=now,
            detail={"region": region, "name": name},
        )
    return NewPartner(token_id, region, name, secret)
