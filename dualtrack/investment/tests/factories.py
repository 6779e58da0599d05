"""Building investment projects through the services, as the team would."""

from __future__ import annotations

from decimal import Decimal

from dualtrack.core.models import User
from dualtrack.enterprises.models import Enterprise
from dualtrack.investment.models import Project, Stage
from dualtrack.investment.services import pipeline


def project(
    team: User,
    *,
    name: str = "智能终端产业园",
    amount: str = "2000000000",
    local_company: Enterprise | None = None,
    to: str = Stage.LEAD,
) -> Project:
    p = pipeline.project_create(
        actor=team,
        name=name,
        investor="深圳某科技集团",
        industry="电子信息",
        amount=Decimal(amount),
        jobs_expected=800,
        team="招商一组",
        local_company=local_company,
    )
    for stage in (Stage.CONTACT, Stage.NEGOTIATION, Stage.AGREEMENT):
        if [Stage.LEAD, Stage.CONTACT, Stage.NEGOTIATION, Stage.AGREEMENT].index(Stage(to)) < [
            Stage.LEAD,
            Stage.CONTACT,
            Stage.NEGOTIATION,
            Stage.AGREEMENT,
        ].index(stage):
            break
        p = pipeline.project_advance(actor=team, project=p, stage=stage)
    return p
