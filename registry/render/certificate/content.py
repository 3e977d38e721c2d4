"""What a certificate says, as plain data: the services fill it in from a stored record,
the layout draws it. Nothing here knows a record type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Fact:
    """One line of the certificate's facts: a label in Chinese with English beneath, and
    its value (in Chinese, with an English form beneath when it has one)."""

    label_zh: str
    label_en: str
    value: str
    value_en: str | None = None


@dataclass(frozen=True)
class CertificateContent:
    """Everything one certificate prints. It never holds an ID number."""

    record_id: str
    title_zh: str  # the record type's name, e.g. 职称证书
    title_en: str
    issuer_zh: str
    issuer_en: str
    holder_name: str
    facts: tuple[Fact, ...]
    certificate_number: str | None
    electronic_licence_id: str | None
    issued_on: date
    valid_from: date
    valid_until: date | None
    qr_url: str
    printed_at: datetime  # the PDF's creation time and the seal's signing time

    def texts(self) -> list[str]:
        """Every text the certificate prints (for the glyph check)."""
        texts = [
            self.title_zh,
            self.title_en,
            self.issuer_zh,
            self.issuer_en,
            self.holder_name,
            self.certificate_number or "",
            self.electronic_licence_id or "",
        ]
        for fact in self.facts:
            texts += [fact.label_zh, fact.label_en, fact.value, fact.value_en or ""]
        return texts


@dataclass(frozen=True)
class Sealer:
    """Who seals a certificate: the issuer, by name and unified social credit code, with
    the Ed25519 key it signs its records with."""

    name_zh: str
    name_en: str
    uscc: str
    key: Ed25519PrivateKey
    key_id: bytes  # the key's kid: the sealing certificate's serial number comes from it


def chinese_date(day: date) -> str:
    """``2026年12月7日``: a date as Chinese certificates write it."""
    return f"{day.year}年{day.month}月{day.day}日"


def english_date(day: date) -> str:
    """``7 December 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


__all__ = ["CertificateContent", "Fact", "Sealer", "chinese_date", "english_date"]
