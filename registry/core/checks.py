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
    "ISSUER_KNOWN": ("签发机构已登记", "issuer registered"),
    "ISSUER_UNKNOWN": ("签发机构未登记", "issuer not registered"),
    "ISSUER_NOT_IN_REGISTRY": (
        "签名者为 did:key，未在本系统登记，仅核验了密码学签名",
        "signed by a did:key not registered here: only the cryptography was checked",
    ),
    "KEY_VALID": ("签发时密钥有效", "key valid at issuance"),
    "KEY_NOT_YET_VALID": ("签发时密钥尚未生效", "key not yet valid at issuance"),
    "KEY_EXPIRED": ("签发时密钥已过期", "key expired before issuance"),
    "KEY_COMPROMISED": (
        "密钥已泄露，泄露后签发的记录无效",
        "key compromised before this record was signed",
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
    "STATUS_NONE": ("记录未声明状态项", "the record carries no status entry"),
    "RECOGNITION_NOT_ASKED": ("未指定查询地区", "no asking region given"),
    "RECOGNITION_NATIVE": (
        "本地区签发或参与联合评审，直接有效",
        "native: issued or co-reviewed in the asking region",
    ),
    "RECOGNITION_NOT_EVALUATED": (
        "本系统尚未配置跨地区互认规则",
        "mutual-recognition rules are not configured in this registry yet",
    ),
    "PROOF_CREATED_INVALID": ("签名时间格式错误", "the proof creation time is malformed"),
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
