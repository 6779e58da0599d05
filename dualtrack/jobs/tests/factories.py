"""Test data of the employment services, made the way users make it: through the services.

``FairFactory(actor=wg, enterprises=[e])``, ``PostingFactory(actor=ent_user, enterprise=e,
fair=f)``; ``apply(posting, id_number=…)`` takes a job seeker through the form and the code;
``hire(actor, application)`` through the enterprise's steps to a hire.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone
from stdnum.cn import ric

from dualtrack.jobs.models import Application, Fair, InterviewMode, Posting
from dualtrack.jobs.services import applying, fairs, pipeline, postings


def id_number(n: int, region: str = "360121", born: str = "19900101") -> str:
    """The n-th valid ID number (GB 11643 check character)."""
    body = f"{region}{born}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class _ServiceFactory(factory.Factory):
    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("these factories create through the services only")


class FairFactory(_ServiceFactory):
    class Meta:
        model = Fair

    actor = None
    enterprises = factory.LazyFunction(list)
    title = factory.Sequence(lambda n: f"春风行动线上招聘会{n}")
    theme = "稳就业 保复工"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=12))

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Fair:
        actor = kwargs.pop("actor")
        enterprises = kwargs.pop("enterprises")
        return fairs.fair_create(
            actor=actor, data=fairs.clean_fair(**kwargs), enterprises=enterprises
        )


class PostingFactory(_ServiceFactory):
    class Meta:
        model = Posting

    actor = None
    enterprise = None
    fair = None
    title = factory.Sequence(lambda n: f"普工{n}")
    positions = 3
    pay_min = 4000
    pay_max = 6000
    requirements = "18-45岁，身体健康"
    place = "高新大道1号"
    contact_name = "李经理"
    contact_phone = "13900139000"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Posting:
        actor = kwargs.pop("actor")
        enterprise = kwargs.pop("enterprise")
        fair = kwargs.pop("fair")
        return postings.posting_create(
            actor=actor, enterprise=enterprise, fair=fair, data=postings.clean_posting(**kwargs)
        )


def apply(posting: Posting, n: int = 1, **overrides: Any) -> Application:
    """A job seeker applies to ``posting`` and enters the code shown."""
    values: dict[str, Any] = {
        "name": f"求职者{n}",
        "id_number": id_number(n),
        "mobile": f"1380013{n % 10000:04d}",
        "experience": "三年电子装配经验",
    }
    values.update(overrides)
    _application, issued = applying.application_start(
        posting_id=posting.pk, data=applying.clean_application(**values)
    )
    return applying.application_verify(key=issued.key, code=issued.shown_code)


def offer(actor: Any, application: Application) -> Application:
    application = pipeline.application_screen(actor=actor, application=application)
    application = pipeline.application_invite(
        actor=actor,
        application=application,
        mode=InterviewMode.ONLINE,
        at=timezone.now() + datetime.timedelta(days=1),
        link="https://meeting.example.cn/r/123",
    )
    return pipeline.application_offer(actor=actor, application=application)


def hire(actor: Any, application: Application, **overrides: Any) -> Application:
    application = offer(actor, application)
    values: dict[str, Any] = {
        "start_date": timezone.localdate() + datetime.timedelta(days=3),
        "contract_kind": "fixed_term",
        "contract_months": 12,
    }
    values.update(overrides)
    return pipeline.application_hire(actor=actor, application=application, **values)
