"""A second, fictional registry (Guangzhou) and its trust list, for trust-list tests."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.core.formats import dataintegrity
from registry.core.records.credential import TITLE
from registry.core.trust.model import (
    Agreement,
    Equivalence,
    IssuerInfo,
    IssuerScope,
    KeyInfo,
    RegionInfo,
)
from registry.core.trustlists.trustlist import (
    RootKey,
    TrustListContent,
    root_method_id,
    sign_trust_list,
)
from registry.demo.data import demo_uscc
from tests.support.memory_trust import kid_for

FOREIGN_BASE = "https://talent.gz-demo.example.cn"
GUANGZHOU = "440100"


FOREIGN_BUREAU = demo_uscc(GUANGZHOU, 1)


@dataclass
class ForeignRegistry:
    """The Guangzhou registry: its root key, its bureau's key and what its list says."""

    now: datetime
    base: str = FOREIGN_BASE
    root: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    bureau_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    extra_issuers: list[IssuerInfo] = field(default_factory=list)
    extra_keys: list[KeyInfo] = field(default_factory=list)

    @property
    def root_id(self) -> str:
        return root_method_id(self.base, kid_for(self.root).hex())

    @property
    def bureau(self) -> IssuerInfo:
        return IssuerInfo(
            uscc=FOREIGN_BUREAU,
            issuer_id=f"{self.base}/issuers/{FOREIGN_BUREAU}",
            name_zh="广州市人力资源和社会保障局（演示）",
            name_en="Guangzhou Human Resources and Social Security Bureau (demo)",
            region=GUANGZHOU,
            kind="hr_bureau",
            record_types=frozenset({TITLE}),
            scopes=(IssuerScope((TITLE,), ("工程技术",), (), "正高级", date(2020, 1, 1)),),
        )

    @property
    def bureau_kid(self) -> bytes:
        return kid_for(self.bureau_key)

    def key_info(self, **changes: Any) -> KeyInfo:
        kid = self.bureau_kid
        values: dict[str, Any] = {
            "kid": kid,
            "method_id": f"{self.bureau.issuer_id}#{kid.hex()}",
            "issuer_uscc": FOREIGN_BUREAU,
            "public_key": self.bureau_key.public_key(),
            "valid_from": (self.now - timedelta(days=365)).replace(microsecond=0),
            "valid_until": None,
            "state": "active",
            "compromised_at": None,
        }
        values.update(changes)
        return KeyInfo(**values)

    def content(self, **changes: Any) -> TrustListContent:
        values: dict[str, Any] = {
            "base_url": self.base,
            "root": RootKey(self.root_id, self.root.public_key()),
            "regions": (RegionInfo(GUANGZHOU, "广州市", "Guangzhou"),),
            "issuers": (self.bureau, *self.extra_issuers),
            "keys": (self.key_info(), *self.extra_keys),
            "agreements": (
                Agreement(
                    "GZ-DEMO-1",
                    "演示互认协议",
                    "Demo recognition agreement",
                    (GUANGZHOU, "320509"),
                    (TITLE,),
                    (),
                    (),
                    date(2024, 1, 1),
                    None,
                    "演示文件",
                ),
            ),
            "equivalences": (
                Equivalence(
                    GUANGZHOU, "320509", "level", "副高级", "副高级", "副高级", "deputy senior"
                ),
            ),
        }
        values.update(changes)
        return TrustListContent(**values)

    def signed(self, *, sequence: int = 1, issued: datetime | None = None, **changes: Any) -> dict:
        return sign_trust_list(
            self.content(**changes),
            sequence=sequence,
            issued=issued or self.now,
            private_key=self.root,
        )


def resigned(document: dict, key: Ed25519PrivateKey, method: str | None = None) -> dict:
    """A changed document signed again (by ``key``), so only the change is under test."""
    unsecured = copy.deepcopy(dataintegrity.unsecured_document(document))
    method = method or document["proof"]["verificationMethod"]
    options = dataintegrity.ProofOptions(method, datetime.now(UTC))
    return dataintegrity.add_proof(unsecured, key, options)
