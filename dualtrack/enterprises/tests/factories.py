"""Test data of the enterprises app, made the way users make it: through the services.

Each factory takes the acting user as ``actor`` (and the rows it belongs to) and calls the write
service, so a record made here has passed the same checks, audit and side effects as one made on
a page: ``EnterpriseFactory(actor=admin, town=town)``, ``FilingFactory(actor=ent_user,
enterprise=e)``, ``EmployeeFactory(actor=ent_user, enterprise=e)``, ``DailyReportFactory(
actor=ent_user, enterprise=e)``, ``InspectionFactory(actor=inspector, enterprise=e)``.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone
from stdnum.cn import uscc

from dualtrack.enterprises.models import (
    DailyReport,
    Employee,
    Enterprise,
    IndustryDivision,
    Inspection,
    ResumptionFiling,
)
from dualtrack.enterprises.services.filings import FilingData, filing_submit
from dualtrack.enterprises.services.registry import clean_enterprise, enterprise_create
from dualtrack.enterprises.services.reports import daily_report_submit
from dualtrack.enterprises.services.roster import clean_employee, employee_create
from dualtrack.enterprises.services.supervision import CHECKLIST, inspection_record


def credit_code(n: int) -> str:
    """The n-th valid unified social credit code (GB 32100 check character)."""
    body = f"91360100MA36{n:05d}"
    return body + uscc.calc_check_digit(body)


class _ServiceFactory(factory.Factory):
    """Builds the service's arguments, then calls the service with the ``actor``."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("these factories create through the services only")


class EnterpriseFactory(_ServiceFactory):
    class Meta:
        model = Enterprise

    actor = None
    town = None
    credit_code = factory.Sequence(credit_code)
    name = factory.Sequence(lambda n: f"企业{n}")
    division = factory.LazyFunction(lambda: IndustryDivision.objects.get(code="39"))
    contact_phone = "13800138000"
    normal_workforce = 100

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Enterprise:
        actor = kwargs.pop("actor")
        return enterprise_create(actor=actor, data=clean_enterprise(**kwargs))


class FilingFactory(_ServiceFactory):
    class Meta:
        model = ResumptionFiling

    actor = None
    enterprise = None
    planned_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=1))
    workers_planned = 80
    masks_days = 10
    disinfectant_days = 10
    temperature_checks = True
    disinfection_schedule = "每日两次"
    canteen_measures = "错峰就餐"
    dormitory_measures = ""
    isolation_room = True
    prevention_officer = "王五"
    commitment_signer = "张三"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> ResumptionFiling:
        actor = kwargs.pop("actor")
        enterprise = kwargs.pop("enterprise")
        return filing_submit(actor=actor, enterprise=enterprise, data=FilingData(**kwargs))


class EmployeeFactory(_ServiceFactory):
    class Meta:
        model = Employee

    actor = None
    enterprise = None
    name = factory.Sequence(lambda n: f"员工{n}")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Employee:
        actor = kwargs.pop("actor")
        enterprise = kwargs.pop("enterprise")
        return employee_create(actor=actor, enterprise=enterprise, data=clean_employee(**kwargs))


class DailyReportFactory(_ServiceFactory):
    """A day's workers on duty; the enterprise must have resumed (an approved filing)."""

    class Meta:
        model = DailyReport

    actor = None
    enterprise = None
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    workers_on_duty = 50

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> DailyReport:
        return daily_report_submit(**kwargs)


class InspectionFactory(_ServiceFactory):
    """An inspection that found nothing wanting."""

    class Meta:
        model = Inspection

    actor = None
    enterprise = None
    inspected_on = factory.LazyFunction(timezone.localdate)
    checklist = factory.LazyFunction(lambda: dict.fromkeys(CHECKLIST, True))

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Inspection:
        return inspection_record(**kwargs)
