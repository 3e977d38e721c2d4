"""Trust list verify-and-load: JSON text to a ready ``TrustSource``, for a large list.

Builds a trust list of N issuers with K keys each (default 500 and 2,000 keys), each issuer
with one scope, plus the zone's regions, an agreement and a few equivalence entries; signs
it with a root key and writes it as JSON text. Then times

* verify-and-load: ``json.loads`` of the text, ``verify_trust_list`` (RFC 8785
  canonicalisation, the eddsa-jcs-2022 proof check, strict parsing into core values)
  and building the ``TrustListSource``: what a verifier does when it loads a cached list;
* its stages: canonicalisation alone, parsing alone, building the source alone.

Ceilings measured in the same run: one raw Ed25519 verify (``cryptography``) of a message
as long as the canonical document, and ``json.loads`` of the document. No registry or
database is involved.

Run from the repository root:  .venv/bin/python bench/trust_list.py [--issuers N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from harness import best_of, micros, print_table

from registry.core.formats import dataintegrity
from registry.core.formats.canonical import canonical_json
from registry.core.people.identifiers import uscc_check_char
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
    verify_trust_list,
)
from registry.core.trustlists.trustlist_parse import parse_content
from registry.core.trustlists.trustsources import TrustListSource

BASE_URL = "https://talent.yrd-demo.example.cn"
REGIONS = (
    RegionInfo("310118", "青浦区", "Qingpu District"),
    RegionInfo("320509", "吴江区", "Wujiang District"),
    RegionInfo("330421", "嘉善县", "Jiashan County"),
)
TITLE = "ProfessionalTitleCredential"


def _kid(key: Ed25519PrivateKey) -> bytes:
    return hashlib.sha256(key.public_key().public_bytes_raw()).digest()[:8]


def build_content(issuers: int, keys_per_issuer: int) -> tuple[TrustListContent, Ed25519PrivateKey]:
    """A list of ``issuers`` bureaus and committees, each with ``keys_per_issuer`` keys."""
    now = datetime.now(UTC).replace(microsecond=0)
    root = Ed25519PrivateKey.generate()
    listed: list[IssuerInfo] = []
    keys: list[KeyInfo] = []
    for number in range(issuers):
        region = REGIONS[number % len(REGIONS)]
        first17 = f"11{region.code}MB{number:07d}"
        uscc = first17 + uscc_check_char(first17)
        issuer = IssuerInfo(
            uscc=uscc,
            issuer_id=f"{BASE_URL}/issuers/{uscc}",
            name_zh=f"{region.name_zh}第{number}职称评审委员会（测试）",
            name_en=f"Title Review Committee No. {number} of {region.name_en} (test)",
            region=region.code,
            kind="review_committee" if number % 5 else "hr_bureau",
            record_types=frozenset({TITLE}),
            scopes=(IssuerScope((TITLE,), ("工程技术",), (), "副高级", date(2024, 1, 1)),),
        )
        listed.append(issuer)
        for serial in range(keys_per_issuer):
            key = Ed25519PrivateKey.generate()
            kid = _kid(key)
            retired = serial < keys_per_issuer - 1
            keys.append(
                KeyInfo(
                    kid=kid,
                    method_id=f"{issuer.issuer_id}#{kid.hex()}",
                    issuer_uscc=uscc,
                    public_key=key.public_key(),
                    valid_from=now - timedelta(days=365 * (keys_per_issuer - serial)),
                    valid_until=now - timedelta(days=365 * (keys_per_issuer - serial - 1))
                    if retired
                    else None,
                    state="retired" if retired else "active",
                )
            )
    agreement = Agreement(
        "YRD-TITLE-2024",
        "示范区职称互认协议（测试）",
        "Zone title recognition agreement (test)",
        tuple(r.code for r in REGIONS),
        (TITLE,),
        (),
        (),
        date(2024, 1, 1),
        None,
        "测试文件",
    )
    equivalences = tuple(
        Equivalence(a.code, b.code, "level", "副高级", "副高级", "副高级", "deputy senior")
        for a in REGIONS
        for b in REGIONS
        if a != b
    )
    content = TrustListContent(
        base_url=BASE_URL,
        root=RootKey(root_method_id(BASE_URL, _kid(root).hex()), root.public_key()),
        regions=REGIONS,
        issuers=tuple(listed),
        keys=tuple(keys),
        agreements=(agreement,),
        equivalences=equivalences,
    )
    return content, root


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=(
            "Time loading a signed trust list (JSON text -> verified TrustSource) against "
            "json.loads and a raw Ed25519 verify of a message of the same size."
        )
    )
    parser.add_argument("--issuers", type=int, default=500, help="issuers (default: 500)")
    parser.add_argument("--keys", type=int, default=4, help="keys per issuer (default: 4)")
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="total timing budget (default: 10)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default: 3)")
    return parser.parse_args()


def run(issuers: int, keys_per_issuer: int, seconds: float, rounds: int) -> None:
    """Measure and print the table."""
    content, root = build_content(issuers, keys_per_issuer)
    document = sign_trust_list(content, sequence=1, issued=datetime.now(UTC), private_key=root)
    text = json.dumps(document, ensure_ascii=False)
    loaded = json.loads(text)
    unsecured = dataintegrity.unsecured_document(loaded)
    canonical = canonical_json(unsecured)
    signature = root.sign(canonical)
    public = root.public_key()
    listed = verify_trust_list(loaded)
    assert listed.content.digest == content.digest
    source = TrustListSource(listed)
    assert source.key_by_kid(content.keys[-1].kid) == content.keys[-1]

    def verify_and_load() -> object:
        return TrustListSource(verify_trust_list(json.loads(text)))

    cases: dict[str, Callable[[], object]] = {
        "ceiling: json.loads of the document": lambda: json.loads(text),
        "ceiling: raw Ed25519 verify, same-size message": lambda: public.verify(
            signature, canonical
        ),
        "verify-and-load (text -> TrustSource)": verify_and_load,
        "  stage: RFC 8785 canonicalisation": lambda: canonical_json(unsecured),
        "  stage: parse into core values": lambda: parse_content(loaded, BASE_URL),
        "  stage: build the TrustListSource": lambda: TrustListSource(listed),
    }
    best = best_of(cases, seconds=seconds, rounds=rounds)
    loads = best["ceiling: json.loads of the document"]
    raw = best["ceiling: raw Ed25519 verify, same-size message"]
    rows = [
        [name, f"{per_op * 1e3:,.2f}", f"{per_op / loads:.1f}", f"{per_op / raw:.1f}"]
        for name, per_op in best.items()
    ]
    print(
        f"Trust list: {issuers} issuers, {len(content.keys)} keys; JSON {len(text.encode()):,} "
        f"bytes, canonical {len(canonical):,} bytes; best of {rounds} rounds"
    )
    print()
    print_table(["case", "ms/op", "x json.loads", "x raw verify"], rows)
    print()
    total = best["verify-and-load (text -> TrustSource)"]
    print(
        f"verify-and-load takes {micros(total)} us: {total / loads:.1f} x json.loads and "
        f"{total / raw:.1f} x one raw verify of the same bytes; canonicalisation is "
        f"{best['  stage: RFC 8785 canonicalisation'] / total:.0%} of it."
    )


def main() -> None:
    """Entry point."""
    args = parse_args()
    run(args.issuers, args.keys, args.seconds, args.rounds)


if __name__ == "__main__":
    main()
