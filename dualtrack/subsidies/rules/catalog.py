"""The clauses of the two packages: the article each implements, which of its figures the report
gives and which are the demo's assumptions, and the parameters they start with."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dualtrack.subsidies.rules.employment import INTRODUCER, RECRUITMENT, TRANSPORT
from dualtrack.subsidies.rules.params import Version
from dualtrack.subsidies.rules.relief import LOAN, RENT, SHOP

EPIDEMIC_PACKAGE = "企业抗疫扶持十条"
EMPLOYMENT_PACKAGE = "企业用工服务十条"


@dataclass(frozen=True)
class Clause:
    key: str
    package: str
    title_zh: str
    title_en: str
    article_zh: str
    article_en: str
    assumptions_zh: str  # "" when the report gives every figure
    assumptions_en: str
    proactive: bool  # the platform holds the inputs and offers it without a form


CLAUSES: dict[str, Clause] = {
    c.key: c
    for c in (
        Clause(
            RECRUITMENT,
            EMPLOYMENT_PACKAGE,
            "招聘补助",
            "Recruitment subsidy",
            "对企业新招员工给予每人2000元的招聘补助，每家企业招聘补助额最高可达500万元。",
            "Enterprises receive 2,000 yuan for every new hire, up to 5,000,000 yuan per "
            "enterprise.",
            "",
            "",
            True,
        ),
        Clause(
            TRANSPORT,
            EMPLOYMENT_PACKAGE,
            "交通补贴",
            "Transport subsidy",
            "对自行到岗的返岗员工和新招员工给予交通补贴。",
            "Returning workers and new hires who came on their own receive a transport subsidy.",
            "报告未给出标准：按票价 100% 补贴、每人最高 500 元为演示假设。",
            "The report gives no figures: 100 % of the fare, at most 500 yuan per person, are "
            "the demo's assumptions.",
            True,
        ),
        Clause(
            INTRODUCER,
            EMPLOYMENT_PACKAGE,
            "劳动力介绍奖励",
            "Introducer reward",
            "对组织介绍20人以上（含20人）劳动力来区企业就业的个人和单位给予奖励。",
            "Persons and organisations who bring 20 or more workers to the district's "
            "enterprises are rewarded.",
            "报告未给出金额：每人 200 元、每个介绍人最高 20,000 元为演示假设。",
            "The report gives no amount: 200 yuan per worker, at most 20,000 yuan per "
            "introducer, are the demo's assumptions.",
            True,
        ),
        Clause(
            RENT,
            EPIDEMIC_PACKAGE,
            "房租补贴",
            "Rent subsidy",
            "对园区内租赁厂房、办公用房的企业给予房租补贴。",
            "Enterprises leasing premises in the district's parks receive a rent subsidy.",
            "报告未给出标准：每平方米每月 10 元、最多 3 个月、每家最高 300,000 元为演示假设。",
            "The report gives no figures: 10 yuan per m² and month, at most 3 months and "
            "300,000 yuan per enterprise, are the demo's assumptions.",
            False,
        ),
        Clause(
            LOAN,
            EPIDEMIC_PACKAGE,
            "融资贷款贴息",
            "Loan-interest subsidy",
            "对企业为复工复产新增的贷款给予贴息。",
            "Loans taken for resumption receive an interest subsidy.",
            "报告未给出标准：按一年期贷款市场报价利率的 50% 贴息、每家最高 1,000,000 元"
            "为演示假设。",
            "The report gives no figures: 50 % of the one-year loan prime rate, at most "
            "1,000,000 yuan per enterprise, are the demo's assumptions.",
            False,
        ),
        Clause(
            SHOP,
            EPIDEMIC_PACKAGE,
            "沿街店面租金减免",
            "Small-shop rent relief",
            "各镇处相继出台为沿街店面减免租金方案，为小微企业和个体工商户减轻经营负担。",
            "The towns set their own schemes relieving the rent of street shops of small "
            "firms and sole traders.",
            "各镇处方案的比例和月数为演示假设。",
            "Each town's share and months are the demo's assumptions.",
            False,
        ),
    )
}


def starting_parameters(
    start: datetime.date,
    recorded_at: datetime.datetime,
    town_codes: list[str],
    park_codes: list[str] | None = None,
) -> list[Version]:
    """The parameters both packages start with, in force from ``start``: the towns' shop-relief
    schemes for ``town_codes``; the towns of the district's parks (the rent subsidy's
    ``park`` flag) are ``park_codes`` (all the towns when not given)."""
    park_codes = town_codes if park_codes is None else park_codes

    def v(clause: str, name: str, value: str, scope: str = "") -> Version:
        return Version(clause, name, Decimal(value), start, None, recorded_at, scope)

    rows = (
        [
            v(RECRUITMENT, "per_hire", "2000"),
            v(RECRUITMENT, "cap", "5000000"),
            v(TRANSPORT, "share", "1"),
            v(TRANSPORT, "person_cap", "500"),
            v(INTRODUCER, "threshold", "20"),
            v(INTRODUCER, "per_worker", "200"),
            v(INTRODUCER, "cap", "20000"),
            v(RENT, "per_m2_month", "10"),
            v(RENT, "max_months", "3"),
            v(RENT, "cap", "300000"),
        ]
        + [v(RENT, "park", "1", code) for code in park_codes]
        + [
            v(LOAN, "benchmark_rate", "0.0385"),
            v(LOAN, "share", "0.5"),
            v(LOAN, "cap", "1000000"),
        ]
    )
    for i, code in enumerate(town_codes):
        rows.append(v(SHOP, "share", ("1", "0.5")[i % 2], code))
        rows.append(v(SHOP, "max_months", ("3", "2")[i % 2], code))
    return rows
