"""Verification checks: outcomes, stable codes and their Chinese and English messages."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Outcome(enum.StrEnum):
    """How one check ended. ``unknown`` (could not check) is never taken as a pass."""

    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"


MESSAGES: Mapping[str, tuple[str, str]] = {
    "FORMAT_VALID": ("格式正确", "well-formed"),
    "FORMAT_INVALID": ("格式错误", "malformed"),
    "SIGNATURE_VALID": ("签名有效", "signature valid"),
    "SIGNATURE_INVALID": (
        "签名无效，内容可能被篡改",
        "signature invalid: the content may have been altered",
    ),
    "PROOF_MISSING": ("缺少签名证明", "no proof present"),
    "KEY_UNKNOWN": ("签名密钥未知", "signing key unknown"),
    "KEY_ISSUER_MISMATCH": (
        "签名密钥不属于该签发机构",
        "signing key does not belong to the issuer",
    ),
    "PROOF_SET_COMPLETE": ("联合评审各方签名齐全", "every co-reviewing party signed"),
    "PROOF_SET_INCOMPLETE": ("联合评审缺少某方签名", "a co-reviewing party's proof is missing"),
    "PROOF_SET_NOT_REQUIRED": ("非联合评审记录", "not a jointly reviewed record"),
    "PROOF_SET_INVALID": (
        "联合评审某方的签名无效或签名时密钥无效",
        "a co-reviewing party's proof is invalid or its key was not valid when it signed",
    ),
    "PROOF_SET_COMPLETE_WITH_WARNING": (
        "联合评审各方签名齐全，但某方密钥后来被标记为泄露",
        "every co-reviewing party signed, but one party's key was later marked compromised",
    ),
    "PROOF_SET_REGION_MISSING": (
        "该地区人社部门未签名",
        "no proof by an HR bureau of this region",
    ),
    "ISSUER_KNOWN": ("签发机构已登记", "issuer registered"),
    "ISSUER_UNKNOWN": ("签发机构未登记", "issuer not registered"),
    "ISSUER_NOT_IN_REGISTRY": (
        "签发者为 did:key，未在本系统或已导入的信任列表中登记，仅核验了密码学签名",
        "the issuer is a did:key known neither here nor in an imported trust list: only "
        "the cryptography was checked",
    ),
    "ISSUER_NOT_TRUSTED": (
        "签发者未在本系统或已导入的信任列表中登记，不能视为有效记录",
        "the issuer is known neither here nor in an imported trust list: the record cannot "
        "be taken as valid",
    ),
    "KEY_NOT_CONTROLLED_BY_ISSUER": (
        "签名的验证方法不属于凭证所称的签发者",
        "the proof's verification method is not controlled by the credential's issuer",
    ),
    "KEY_VALID": ("签发时密钥有效", "key valid at issuance"),
    "KEY_NOT_YET_VALID": ("签发时密钥尚未生效", "key not yet valid at issuance"),
    "KEY_EXPIRED": ("签发时密钥已过期", "key expired before issuance"),
    "KEY_COMPROMISED": (
        "密钥已泄露，泄露后签发的记录无效",
        "key compromised before this record was signed",
    ),
    "KEY_COMPROMISED_LATER": (
        "签发时密钥有效；该密钥后来被标记为泄露，此前签发的记录仍然有效",
        "key valid at issuance; it was marked compromised later, and records it signed "
        "before then stay valid",
    ),
    "KEY_NOT_REGISTERED": (
        "非本系统密钥，未检查有效期",
        "key not held by this registry: window not checked",
    ),
    "ISSUER_AUTHORISED": ("签发机构有权签发此类记录", "issuer authorised for this record type"),
    "ISSUER_NOT_AUTHORISED": (
        "签发机构无权签发此类记录",
        "issuer not authorised for this record type",
    ),
    "ISSUER_OUT_OF_SCOPE": (
        "签发日签发机构的授权范围（类型、系列、专业、级别或期限）不包括此记录",
        "on the issue date the issuer's scope (type, series, specialty, level or dates) "
        "did not cover this record",
    ),
    "AUTHORITY_NOT_APPLICABLE": (
        "非本系统记录类型，不检查签发权限",
        "not a registry record type: issuing authority not checked",
    ),
    "SCHEMA_VALID": ("内容符合模式", "content matches its schema"),
    "SCHEMA_INVALID": ("内容不符合模式", "content does not match its schema"),
    "SCHEMA_NOT_APPLICABLE": (
        "非本系统记录类型，未检查模式",
        "not a registry record type: schema not checked",
    ),
    "QR_LAYOUT_VALID": ("二维码内容结构正确", "QR claims follow layout RC1"),
    "VALIDITY_OK": ("在有效期内", "within its validity period"),
    "NOT_YET_VALID": ("尚未生效", "not yet valid"),
    "EXPIRED": ("已过有效期（失效）", "expired"),
    "STATUS_ACTIVE": ("状态有效", "status active"),
    "STATUS_SUSPENDED": ("已暂扣", "suspended"),
    "STATUS_REVOKED": ("已撤销", "revoked"),
    "STATUS_CANCELLED": ("已注销", "cancelled"),
    "STATUS_SUPERSEDED": ("已被新版本取代", "superseded by a newer version"),
    "STATUS_UNKNOWN": ("无法核实状态", "status could not be checked"),
    "STATUS_ENTRY_INVALID": (
        "状态项不符合 Bitstring Status List 规范",
        "a status entry does not follow the Bitstring Status List specification",
    ),
    "STATUS_TYPE_NOT_CHECKED": (
        "状态项的类型不是本系统能核实的（仅 BitstringStatusListEntry），已报告，未判为失败",
        "the status entry's type is not one this registry can check (only "
        "BitstringStatusListEntry): reported, not failed",
    ),
    "STATUS_LAPSED": ("已失效（有效期届满）", "lapsed: its validity period has ended"),
    "STATUS_LIST_REVOKED": (
        "状态列表显示已撤销、注销或被新版本取代",
        "the status list marks it revoked, cancelled or superseded",
    ),
    "STATUS_NONE": ("记录未声明状态项", "the record carries no status entry"),
    "RECOGNITION_NOT_ASKED": ("未指定查询地区", "no asking region given"),
    "RECOGNITION_NATIVE": (
        "本地区签发或参与联合评审，直接有效",
        "native: issued or co-reviewed in the asking region",
    ),
    "RECOGNITION_AGREEMENT": (
        "依据地区间互认协议认可",
        "recognised under a mutual-recognition agreement",
    ),
    "RECOGNITION_NO_AGREEMENT": (
        "不予互认：本地区与签发地区之间没有互认协议",
        "not recognised: no agreement between the asking region and the issuing region",
    ),
    "RECOGNITION_OUT_OF_SCOPE": (
        "不予互认：记录不在互认协议范围内（类型、系列或级别）",
        "not recognised: the record is outside the agreement's scope (type, series or level)",
    ),
    "RECOGNITION_NOT_YET_IN_FORCE": (
        "不予互认：互认协议尚未生效",
        "not recognised: the agreement is not yet in force",
    ),
    "RECOGNITION_AGREEMENT_EXPIRED": (
        "不予互认：互认协议已失效",
        "not recognised: the agreement has expired",
    ),
    "PROOF_CREATED_INVALID": ("签名时间格式错误", "the proof creation time is malformed"),
    "TRUST_LIST_CURRENT": (
        "所依据的信任列表签发不足 24 小时",
        "the trust list relied on was issued less than 24 hours ago",
    ),
    "TRUST_LIST_STALE": (
        "所依据的信任列表已超过 24 小时未更新，请尽快更新；7 天后将不再认定任何记录有效",
        "the trust list relied on is more than 24 hours old: refresh it; after 7 days "
        "nothing is called valid with it",
    ),
    "TRUST_LIST_EXPIRED": (
        "所依据的信任列表已过期（超过 7 天或已过失效时间），不能据此认定记录有效",
        "the trust list relied on has expired (older than 7 days or past its expiry): "
        "nothing can be called valid with it",
    ),
    "TRUST_LIST_NOT_YET_VALID": (
        "所依据的信任列表签发时间晚于当前时间",
        "the trust list relied on was issued in the future",
    ),
    "USCC_CHECK_FAILED": (
        "统一社会信用代码校验码不符（部分早期合法代码如此），请人工核实",
        "a USCC fails its check character (some legal early codes do): confirm it by hand",
    ),
    "DATA_MODEL_VALID": ("符合 VC 数据模型 2.0", "conforms to the VC Data Model 2.0"),
    "VC_NOT_AN_OBJECT": ("凭证必须是 JSON 对象", "a credential must be a JSON object"),
    "VC_V1_UNSUPPORTED": (
        "不支持 VC 1.1 凭证（credentials/v1 上下文或 issuanceDate/expirationDate）",
        "VC 1.1 credentials (the credentials/v1 context, issuanceDate or expirationDate) "
        "are not supported",
    ),
    "VC_CONTEXT_INVALID": (
        "@context 必须是以 https://www.w3.org/ns/credentials/v2 开头的列表",
        "@context must be a list whose first item is https://www.w3.org/ns/credentials/v2",
    ),
    "VC_CONTEXT_ENTRY_INVALID": (
        "@context 的其余各项必须是 URL 或对象",
        "every further @context item must be a URL or an object",
    ),
    "VC_ID_INVALID": ("id 必须是单个 URL", "an id must be a single URL"),
    "VC_TYPE_MISSING": ("缺少 type", "type is missing"),
    "VC_TYPE_INVALID": (
        "type 必须是一个或多个非空字符串",
        "type must be one or more non-empty strings",
    ),
    "VC_TYPE_NOT_CREDENTIAL": (
        "type 必须包含 VerifiableCredential",
        "type must include VerifiableCredential",
    ),
    "VC_TERM_UNDEFINED": (
        "上下文未定义某些属性或类型（JSON-LD 展开会丢弃它们）",
        "the contexts do not define some properties or types (JSON-LD expansion would drop them)",
    ),
    "VC_ISSUER_MISSING": ("缺少 issuer", "issuer is missing"),
    "VC_ISSUER_INVALID": (
        "issuer 必须是 URL，或 id 为 URL 的对象",
        "issuer must be a URL or an object whose id is a URL",
    ),
    "VC_SUBJECT_MISSING": ("缺少 credentialSubject", "credentialSubject is missing"),
    "VC_SUBJECT_INVALID": (
        "credentialSubject 必须是对象或非空的对象列表",
        "credentialSubject must be an object or a non-empty list of objects",
    ),
    "VC_SUBJECT_NO_CLAIMS": (
        "credentialSubject 中的对象至少要有一项声明",
        "each credentialSubject object must make at least one claim",
    ),
    "VC_VALID_FROM_INVALID": (
        "validFrom 必须是带时区的 XML 日期时间",
        "validFrom must be an XML dateTime with a time zone offset",
    ),
    "VC_VALID_UNTIL_INVALID": (
        "validUntil 必须是带时区的 XML 日期时间",
        "validUntil must be an XML dateTime with a time zone offset",
    ),
    "VC_VALIDITY_RANGE_INVALID": (
        "validFrom 晚于 validUntil",
        "validFrom is later than validUntil",
    ),
    "VC_NAME_INVALID": (
        "name 必须是字符串或仅含 @value/@language/@direction 的语言值对象",
        "name must be a string or a language value object with only @value, @language "
        "and @direction",
    ),
    "VC_DESCRIPTION_INVALID": (
        "description 必须是字符串或仅含 @value/@language/@direction 的语言值对象",
        "description must be a string or a language value object with only @value, "
        "@language and @direction",
    ),
    "VC_STATUS_INVALID": (
        "credentialStatus 的每一项必须是带 type 的对象",
        "every credentialStatus entry must be an object with a type",
    ),
    "VC_EVIDENCE_INVALID": (
        "evidence 的每一项必须是带 type 的对象",
        "every evidence entry must be an object with a type",
    ),
    "VC_TERMS_OF_USE_INVALID": (
        "termsOfUse 的每一项必须是带 type 的对象",
        "every termsOfUse entry must be an object with a type",
    ),
    "VC_REFRESH_SERVICE_INVALID": (
        "refreshService 的每一项必须是带 type 的对象",
        "every refreshService entry must be an object with a type",
    ),
    "VC_CREDENTIAL_SCHEMA_INVALID": (
        "credentialSchema 的每一项必须是带 type 且 id 为 URL 的对象",
        "every credentialSchema entry must be an object with a type and a URL id",
    ),
    "VC_RELATED_RESOURCE_INVALID": (
        "relatedResource 的每一项必须有唯一的 URL id 和 digestSRI 或 digestMultibase",
        "every relatedResource entry must have a unique URL id and a digestSRI or digestMultibase",
    ),
    "JSONLD_CONTEXT_UNKNOWN": (
        "未知的 JSON-LD 上下文（本系统不联网获取上下文）",
        "unknown JSON-LD context (contexts are never fetched from the network)",
    ),
    "JSONLD_PROTECTED_TERM_REDEFINED": (
        "JSON-LD 上下文重新定义了受保护的术语",
        "a JSON-LD context redefines a protected term",
    ),
    "JSONLD_INVALID": ("JSON-LD 展开失败", "JSON-LD expansion failed"),
    "DI_PROOF_INVALID": (
        "证明格式错误（须为对象；domain、challenge、nonce、previousProof 须为字符串）",
        "malformed proof (an object; domain, challenge, nonce and previousProof strings)",
    ),
    "DI_PROOF_TYPE_UNSUPPORTED": (
        "证明类型必须是 DataIntegrityProof",
        "the proof type must be DataIntegrityProof",
    ),
    "DI_CRYPTOSUITE_UNKNOWN": (
        "不支持的密码套件（支持 eddsa-jcs-2022、eddsa-rdfc-2022）",
        "unknown cryptosuite (eddsa-jcs-2022 and eddsa-rdfc-2022 are supported)",
    ),
    "DI_PROOF_PURPOSE_INVALID": (
        "凭证证明的用途必须是 assertionMethod",
        "a credential's proof purpose must be assertionMethod",
    ),
    "DI_VERIFICATION_METHOD_INVALID": (
        "verificationMethod 必须是 URL",
        "verificationMethod must be a URL",
    ),
    "DI_DATETIME_INVALID": (
        "证明的 created/expires 必须是带时区的 XML 日期时间",
        "a proof's created and expires must be XML dateTimes with a time zone offset",
    ),
    "DI_PROOF_VALUE_MISSING": ("证明缺少 proofValue", "the proof has no proofValue"),
    "NOT_CHECKED": ("前序检查失败，未检查", "not checked because an earlier check failed"),
}

STATUS_CODES: Mapping[str, str] = {
    "active": "STATUS_ACTIVE",
    "suspended": "STATUS_SUSPENDED",
    "revoked": "STATUS_REVOKED",
    "cancelled": "STATUS_CANCELLED",
    "superseded": "STATUS_SUPERSEDED",
}


@dataclass(frozen=True)
class Check:
    """One verification step with its outcome, code and bilingual message."""

    name: str
    outcome: Outcome
    code: str
    message_zh: str
    message_en: str
    detail: Mapping[str, Any] = field(default_factory=dict)


def check(name: str, outcome: Outcome, code: str, **detail: Any) -> Check:
    """A check whose message comes from the catalogue (or from the code itself)."""
    zh, en = MESSAGES.get(code, (code, code))
    return Check(name, outcome, code, zh, en, detail)


def not_checked(name: str) -> Check:
    """A check skipped because what it needs failed earlier."""
    return check(name, Outcome.SKIPPED, "NOT_CHECKED")
