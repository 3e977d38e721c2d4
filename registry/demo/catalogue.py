"""The demonstration zone's qualification-equivalence catalogue: labelled 演示 / demo.

The foreign qualifications and their awarding bodies exist, but this catalogue and every
mapping in it are made up for the demo; no authority has published them.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from registry.services.qualifications.catalogues import ImportedVersion, import_catalogue_version
from registry.services.runtime.context import Registry

DEMO_CATALOGUE_ID = "DEMO-FQ"
DEMO_CATALOGUE_VERSION = "2025.1"
DEMO_CATALOGUE_NAME_ZH = "演示：示范区境外职业资格比照认定目录（虚构，仅供演示）"
DEMO_CATALOGUE_NAME_EN = (
    "Demo: foreign professional qualification equivalence catalogue of the zone "
    "(fictional, for demonstration only)"
)
DEMO_CATALOGUE_HEADER = (
    "条目编号",
    "境外职业资格",
    "颁证机构",
    "国家或地区",
    "对应职称系列",
    "对应级别",
    "对应专业",
    "行业",
)
DEMO_CATALOGUE_ROWS = (
    (
        "ENG-001",
        "Chartered Engineer (CEng)",
        "Engineering Council",
        "英国",
        "工程技术",
        "副高级",
        "机械工程",
        "先进制造",
    ),
    (
        "ENG-002",
        "Incorporated Engineer (IEng)",
        "Engineering Council",
        "英国",
        "工程技术",
        "中级",
        "电气工程",
        "先进制造",
    ),
    (
        "ENG-003",
        "Professional Engineer (PE)",
        "National Council of Examiners for Engineering and Surveying",
        "美国",
        "工程技术",
        "中级",
        "土木工程",
        "工程建设",
    ),
    (
        "ENG-004",
        "Ingenieur (Dipl.-Ing.) mit Berufserfahrung",
        "Ingenieurkammer",
        "德国",
        "工程技术",
        "中级",
        "机械工程",
        "先进制造",
    ),
    (
        "IT-001",
        "Certified Information Systems Security Professional (CISSP)",
        "ISC2",
        "美国",
        "工程技术",
        "中级",
        "计算机应用",
        "信息技术",
    ),
    (
        "IT-002",
        "Project Management Professional (PMP)",
        "Project Management Institute",
        "美国",
        "工程技术",
        "中级",
        "",
        "信息技术",
    ),
    (
        "IT-003",
        "Chartered IT Professional (CITP)",
        "BCS, The Chartered Institute for IT",
        "英国",
        "工程技术",
        "中级",
        "计算机应用",
        "信息技术",
    ),
    (
        "FIN-001",
        "Chartered Financial Analyst (CFA)",
        "CFA Institute",
        "美国",
        "经济",
        "中级",
        "",
        "金融",
    ),
    (
        "FIN-002",
        "Financial Risk Manager (FRM)",
        "Global Association of Risk Professionals",
        "美国",
        "经济",
        "中级",
        "",
        "金融",
    ),
    (
        "ACC-001",
        "ACCA Member",
        "Association of Chartered Certified Accountants",
        "英国",
        "会计",
        "中级",
        "",
        "会计审计",
    ),
    (
        "ACC-002",
        "CPA Australia Member",
        "CPA Australia",
        "澳大利亚",
        "会计",
        "中级",
        "",
        "会计审计",
    ),
    (
        "ACC-003",
        "Chartered Accountant (CA)",
        "Institute of Chartered Accountants in England and Wales",
        "英国",
        "会计",
        "副高级",
        "",
        "会计审计",
    ),
)


def demo_catalogue_csv() -> bytes:
    """The demo catalogue as the CSV file an administrator would import (UTF-8 with BOM)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DEMO_CATALOGUE_HEADER)
    writer.writerows(DEMO_CATALOGUE_ROWS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def seed_demo_catalogue(registry: Registry, *, now: datetime) -> ImportedVersion:
    """Import the demo catalogue's first version, as an administrator would."""
    return import_catalogue_version(
        registry,
        DEMO_CATALOGUE_ID,
        DEMO_CATALOGUE_VERSION,
        demo_catalogue_csv(),
        source_name="demo-catalogue.csv",
        imported_by="demo seed",
        now=now,
        name_zh=DEMO_CATALOGUE_NAME_ZH,
        name_en=DEMO_CATALOGUE_NAME_EN,
    )
