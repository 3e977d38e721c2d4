"""What a partner's audit of a transparency log reports: each finding with its outcome, a
stable code and a message in Chinese and English, and the run's verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from registry.core.formats.timefmt import format_instant
from registry.core.formats.treehead import TreeHead

MESSAGES: dict[str, tuple[str, str]] = {
    "KEY_PINNED": ("首次使用，已固定日志密钥 {kid}", "log key {kid} pinned on first use"),
    "KEY_PIN_ADDED": ("已按要求固定日志密钥 {kid}", "log key {kid} pinned as asked"),
    "PINNED_KEY_NOT_PUBLISHED": (
        "登记系统未公布要固定的日志密钥 {kid}",
        "the registry does not publish log key {kid}, which was to be pinned",
    ),
    "HEAD_VALID": (
        "树头签名有效：大小 {size}，密钥 {kid}，时间 {timestamp}",
        "tree head signature valid: size {size}, key {kid}, time {timestamp}",
    ),
    "HEAD_INVALID": ("树头无效：{reason}", "tree head not valid: {reason}"),
    "LOG_IDENTITY_CHANGED": (
        "日志标识从 {before} 变为 {after}",
        "the log's identifier changed from {before} to {after}",
    ),
    "FIRST_HEAD": ("首次审计：记下大小为 {size} 的树头", "first audit: head of size {size} noted"),
    "LOG_CONSISTENT": (
        "与上次所见大小为 {before} 的树头一致（一致性证明有效）",
        "consistent with the head of size {before} seen before (consistency proof valid)",
    ),
    "LOG_UNCHANGED": ("日志未增长，根哈希相同", "the log has not grown; same root hash"),
    "HEAD_STALE": (
        "收到较旧的树头（大小 {size}），它是上次所见树（大小 {before}）的前缀",
        "an older head (size {size}) was served; it is a prefix of the tree seen before "
        "(size {before})",
    ),
    "LOG_FORK": (
        "历史被改写：大小为 {before} 的树头（{seen}）与当前日志不一致",
        "history rewritten: the head of size {before} seen at {seen} is not consistent "
        "with the log now",
    ),
    "LOG_ROLLBACK": (
        "日志回退：此前大小为 {before}，现在只有 {size}",
        "log rolled back: it had {before} leaves, now {size}",
    ),
    "RECORD_INCLUDED": (
        "记录 {record} 的 {count} 个事件包含在大小为 {size} 的树中",
        "record {record}: {count} event(s) included in the tree of size {size}",
    ),
    "RECORD_NOT_IN_LOG": ("记录 {record} 不在日志中", "record {record} is not in the log"),
    "INCLUSION_PROOF_INVALID": (
        "序号为 {index} 的叶子：包含证明无效",
        "the inclusion proof of leaf {index} is not valid",
    ),
    "LEAF_NOT_FOR_RECORD": (
        "叶子 {index} 不属于记录 {record}",
        "leaf {index} is not about record {record}",
    ),
    "ENTRY_MISSING": ("日志缺少序号为 {index} 的条目", "the log is missing entry {index}"),
    "LEAF_HASH_MISMATCH": (
        "序号为 {index} 的条目：叶子哈希与其内容不符",
        "entry {index}: the leaf hash does not match its content",
    ),
    "ENTRIES_ROOT_MISMATCH": (
        "由 {size} 个条目重算的根哈希与签名树头不符",
        "the root recomputed from {size} entries differs from the signed head",
    ),
    "ENTRIES_VERIFIED": (
        "已取回 {size} 个条目并重算根哈希，与签名树头一致",
        "{size} entries fetched; the recomputed root matches the signed head",
    ),
    "NEW_ENTRIES_VERIFIED": (
        "已取回新增条目（序号 {start} 至 {last}），叶子哈希与包含证明均有效",
        "new entries {start} to {last} fetched; their leaf hashes and inclusion proofs are valid",
    ),
    "ENTRY_PROOFS_VERIFIED": (
        "{size} 个条目的包含证明均有效",
        "the inclusion proofs of all {size} entries are valid",
    ),
    "LOG_ANSWER_INVALID": (
        "登记系统对 {what} 的回答无效（{reason}）",
        "the registry's answer to {what} is not valid ({reason})",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One line of the report: ``passed``, ``failed`` or ``info``, a code and a message."""

    outcome: str
    code: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> tuple[str, str]:
        """The message in Chinese and English."""
        zh, en = MESSAGES[self.code]
        return zh.format(**self.detail), en.format(**self.detail)


@dataclass
class AuditReport:
    """What a run found; ``ok`` when nothing failed."""

    url: str
    findings: list[Finding] = field(default_factory=list)
    head: TreeHead | None = None

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not any(f.outcome == "failed" for f in self.findings)

    @property
    def failures(self) -> list[str]:
        """The codes of the failed checks."""
        return [f.code for f in self.findings if f.outcome == "failed"]

    def as_json(self) -> dict[str, Any]:
        """The report as JSON (``--json``)."""
        head = None
        if self.head is not None:
            head = {
                "treeSize": self.head.size,
                "rootHash": self.head.document.get("rootHash"),
                "timestamp": format_instant(self.head.timestamp),
                "kid": self.head.kid,
            }
        return {
            "ok": self.ok,
            "url": self.url,
            "treeHead": head,
            "failures": self.failures,
            "checks": [
                {
                    "outcome": f.outcome,
                    "code": f.code,
                    "message": {"zh": f.message[0], "en": f.message[1]},
                    "detail": dict(f.detail),
                }
                for f in self.findings
            ],
        }
