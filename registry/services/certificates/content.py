"""What a record's certificate says: the type's name, the issuer, the holder's name and the
record's facts with their zh/en labels (from the record type's spec and code lists), the
certificate number, e-licence identifier and dates. Never an ID or passport number: the
holder's personal numbers and the people a record names beside the holder are left out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from registry.core.codes import code_list
from registry.core.formats import qrcontainer
from registry.core.formats.timefmt import CHINA_TIME, utc
from registry.core.people.privacy import mask_id_number
from registry.core.recordtypes import RecordTypeSpec, field_labels, public_details, public_view
from registry.core.recordtypes import spec_of as record_spec
from registry.render.certificate import CertificateContent, Fact
from registry.render.certificate.content import chinese_date, english_date
from registry.storage.tables import CredentialRow, IssuerRow

# Partner-only fields a certificate leaves out: the number is printed apart, and the rest
# name other people (dependants) or link records, which is no part of a certificate.
LEFT_OUT: Final = frozenset({"certificateNumber", "dependants", "principalRecord"})
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(moment: datetime) -> date:
    """The calendar day of an instant in China."""
    return utc(moment).astimezone(CHINA_TIME).date()


def _mapping_text(value: Mapping[str, Any]) -> tuple[str, str | None]:
    if "zh" in value and "en" in value:
        return str(value["zh"]), str(value["en"])
    if set(value) == {"year", "batch"}:  # a review session
        year, batch = value["year"], value["batch"]
        return f"{year}年第{batch}批", f"{year}, session {batch}"
    parts = [
        f"{item}学时" if key == "hours" else _text(item)[0]
        for key, item in value.items()
        if item not in (None, "")
    ]
    return "，".join(parts), None


def _list_text(values: list[Any]) -> tuple[str, str | None]:
    texts = [_text(item) for item in values]
    if any(isinstance(item, Mapping) and "zh" not in item for item in values):
        return "\n".join(zh for zh, _ in texts), None  # one line per course, say
    zh = "、".join(text for text, _ in texts)
    english = [en for _, en in texts]
    if all(en is not None for en in english):
        return zh, ", ".join(en or "" for en in english)
    return zh, None


def _text(value: Any) -> tuple[str, str | None]:
    """A value as the certificate prints it: Chinese, and English where it has a form."""
    if isinstance(value, bool):
        return ("是", "Yes") if value else ("否", "No")
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:  # a document number shaped like a date, say
            return value, None
        return chinese_date(day), english_date(day)
    if isinstance(value, Mapping):
        return _mapping_text(value)
    if isinstance(value, list):
        return _list_text(value)
    return str(value), None


def _expanded(spec: RecordTypeSpec[Any], name: str, value: Any) -> Any:
    """A partner field's codes expanded to labels, as the partner API shows them."""
    list_name = spec.code_fields.get(name)
    if list_name is None:
        return value
    codes = code_list(list_name)
    if isinstance(value, list):
        return [_labelled(codes.by_code(str(code))) for code in value]
    return _labelled(codes.by_code(str(value)))


def _labelled(entry: Any) -> dict[str, str]:
    return {"zh": entry.zh, "en": entry.en}


def record_facts(record_type: str, subject: Mapping[str, Any]) -> tuple[Fact, ...]:
    """The facts of a record's block in the spec's order (public fields, then partner
    fields), each with its zh/en label; ``LEFT_OUT`` fields are not printed."""
    spec = record_spec(record_type)
    labels = field_labels(spec)
    shown: dict[str, Any] = dict(public_view(spec, public_details(spec, subject)))
    block = subject.get(spec.subject_key) or {}
    for name in spec.partner_fields:
        if name in block and name not in LEFT_OUT:
            shown[name] = _expanded(spec, name, block[name])
    nationality = subject.get("nationality")
    facts = []
    if isinstance(nationality, str) and nationality:
        label = labels["nationality"]
        facts.append(Fact(label["zh"], label["en"], nationality))
    for name, value in shown.items():
        if value is None or value in ("", []):
            continue
        label = labels.get(name, {"zh": name, "en": name})
        zh, en = _text(value)
        facts.append(Fact(label["zh"], label["en"], zh, en))
    return tuple(facts)


def certificate_number(record_type: str, subject: Mapping[str, Any]) -> str | None:
    """The certificate number the record's block carries, if any."""
    block = subject.get(record_spec(record_type).subject_key) or {}
    number = block.get("certificateNumber")
    return str(number) if number else None


def _named(fact: Fact, issuer: IssuerRow) -> Fact:
    """The issuer's name where a fact names it by its USCC (a joint title's committee)."""
    if fact.value == issuer.uscc:
        return Fact(fact.label_zh, fact.label_en, issuer.name_zh, issuer.name_en)
    return fact


def masked_id_fact(subject: Mapping[str, Any]) -> Fact | None:
    """The holder's ID number, masked to its last four characters, when the record has one
    (the stored credential keeps it masked already; it is masked again all the same)."""
    number = subject.get("idNumber")
    if not isinstance(number, str) or not number:
        return None
    return Fact("公民身份号码", "ID number", mask_id_number(number))


def certificate_content(
    row: CredentialRow,
    issuer: IssuerRow,
    base_url: str,
    *,
    now: datetime,
    masked_id: bool = False,
) -> CertificateContent:
    """The certificate of a stored record, printed at ``now``; with ``masked_id`` (the
    issuer's setting) it shows the holder's ID number masked, else no ID number at all."""
    subject: Mapping[str, Any] = row.document.get("credentialSubject", {})
    kind = code_list("record-types").by_code(row.record_type)
    facts = tuple(_named(fact, issuer) for fact in record_facts(row.record_type, subject))
    masked = masked_id_fact(subject) if masked_id else None
    if masked is not None:
        facts = (masked, *facts)
    return CertificateContent(
        record_id=row.id,
        title_zh=kind.zh,
        title_en=kind.en,
        issuer_zh=issuer.name_zh,
        issuer_en=issuer.name_en,
        holder_name=str(subject.get("name", "")),
        facts=facts,
        certificate_number=certificate_number(row.record_type, subject),
        electronic_licence_id=row.electronic_licence_id,
        issued_on=_day(row.issued_at),
        valid_from=_day(row.valid_from),
        valid_until=_day(row.valid_until) if row.valid_until else None,
        qr_url=qrcontainer.verify_url(base_url, row.qr_payload),
        printed_at=utc(now),
    )


__all__ = [
    "LEFT_OUT",
    "certificate_content",
    "certificate_number",
    "masked_id_fact",
    "record_facts",
]
