"""Every representation of the enterprises' access rule gives the same answer on the same rows.

One set of rows (enterprises of two towns; filings under the town's review, awaiting the group,
approved; a daily report; inspections) and every persona: each asks the queryset filter, the
per-row check, the selector, the API (list and detail) and the page (list and detail) whether it
sees each row; the queue condition, the per-filing check, the selector, the API's queue, the
page's decision form and the service itself whether it decides each filing; and the same for
who decides an enterprise's sign-up. All must agree, so a
rule changed in one place alone fails here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from dualtrack.core.errors import DomainError
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import cast, tried
from dualtrack.enterprises import access, selectors
from dualtrack.enterprises.models import (
    DailyReport,
    Enterprise,
    EnterpriseSignup,
    FilingStatus,
    Inspection,
    ResumptionFiling,
)
from dualtrack.enterprises.services.filings import filing_approve, filing_pass, filing_review
from dualtrack.enterprises.services.signups import signup_decide, signup_submit

from .factories import DailyReportFactory, EnterpriseFactory, FilingFactory, InspectionFactory

pytestmark = pytest.mark.django_db

API = "/api/enterprises"


@pytest.fixture
def rows(personas, district, enterprise, far_enterprise, ent_user):
    """Enterprises in the town officer's town (昌东镇: ``enterprise``, the enterprise user's,
    ``near`` and ``near_done``) and in the other town (麻丘镇: ``far_enterprise`` and ``far``)."""
    admin = personas.district_admin
    near = EnterpriseFactory(actor=admin, town=district.town)
    far = EnterpriseFactory(actor=admin, town=district.other_town)
    filings = {
        "own_review": FilingFactory(actor=ent_user, enterprise=enterprise),
        "near_group": filing_review(
            actor=admin, filing=FilingFactory(actor=admin, enterprise=near)
        ),
        "far_review": FilingFactory(actor=admin, enterprise=far_enterprise),
    }
    past = timezone.localdate() - datetime.timedelta(days=3)
    far_filing = FilingFactory(actor=admin, enterprise=far, planned_date=past)
    filings["far_approved"] = filing_approve(
        actor=admin, filing=filing_review(actor=admin, filing=far_filing)
    )
    near_done = EnterpriseFactory(actor=admin, town=district.town)
    filings["near_approved"] = filing_approve(
        actor=admin,
        filing=filing_review(
            actor=admin,
            filing=FilingFactory(actor=admin, enterprise=near_done, planned_date=past),
        ),
    )
    far.refresh_from_db()
    near_done.refresh_from_db()
    reports = [
        DailyReportFactory(actor=admin, enterprise=far),
        DailyReportFactory(actor=admin, enterprise=far, date=past + datetime.timedelta(days=1)),
    ]
    inspections = [
        InspectionFactory(actor=admin, enterprise=near_done),
        InspectionFactory(actor=admin, enterprise=far),
    ]
    enterprises = [enterprise, near, near_done, far_enterprise, far]
    return enterprises, filings, reports, inspections


@pytest.fixture
def everyone(personas, ent_user, wg_enterprise, supervisor) -> dict[str, User]:
    return cast(
        personas,
        enterprise_user=ent_user,
        wg_enterprise_services=wg_enterprise,
        wg_supervision=supervisor,
    )


def _ok(response: Any) -> bool:
    assert response.status_code in (200, 302, 404), response.status_code
    return bool(response.status_code in (200, 302))


def _agree(persona: str, row: object, answers: dict[str, bool]) -> bool:
    assert len(set(answers.values())) == 1, f"{persona} on {row}: {answers}"
    return next(iter(answers.values()))


def test_who_sees_what_agrees_everywhere(rows, everyone):
    enterprises, filings, reports, inspections = rows
    seen: dict[str, list[bool]] = {}
    for persona, user in everyone.items():
        client = Client()
        client.force_login(user)
        own = access.enterprise_of_user(user) is not None
        ids = lambda qs: set(qs.values_list("pk", flat=True))  # noqa: E731
        api_enterprises = {e["id"] for e in client.get(f"{API}/enterprises").json()["items"]}
        api_filings = {f["id"] for f in client.get(f"{API}/filings").json()}
        page_filings = client.get("/enterprises/filings/").content.decode() if not own else ""
        answers: list[bool] = []
        for enterprise in enterprises:
            page = (
                f"/portal/enterprises/{enterprise.pk}/" if own else f"/enterprises/{enterprise.pk}/"
            )
            answers.append(
                _agree(
                    persona,
                    enterprise,
                    {
                        "queryset": enterprise.pk in ids(access.enterprises_visible(user)),
                        "per-row": access.may_see_enterprise(user, enterprise),
                        "selector": enterprise.pk in ids(selectors.enterprise_list_for(user=user)),
                        "api list": enterprise.pk in api_enterprises,
                        "api detail": _ok(client.get(f"{API}/enterprises/{enterprise.pk}")),
                        "page detail": _ok(client.get(page)),
                    },
                )
            )
        for filing in filings.values():
            page = f"/portal/filings/{filing.pk}/" if own else f"/enterprises/filings/{filing.pk}/"
            representations = {
                "queryset": filing.pk in ids(access.filings_visible(user)),
                "per-row": access.may_see_enterprise(user, filing.enterprise),
                "selector": filing.pk in ids(selectors.filing_list_for(user=user)),
                "api list": filing.pk in api_filings,
                "api detail": _ok(client.get(f"{API}/filings/{filing.pk}")),
                "page detail": _ok(client.get(page)),
            }
            if not own:
                representations["page list"] = f'href="/enterprises/filings/{filing.pk}/"' in (
                    page_filings
                )
            answers.append(_agree(persona, filing, representations))
        for report in reports:
            answers.append(
                _agree(
                    persona,
                    report,
                    {
                        "queryset": report.enterprise_id in ids(access.enterprises_visible(user)),
                        "per-row": access.may_see_enterprise(user, report.enterprise),
                        "selector": _tried_read(
                            lambda r=report, u=user: selectors.report_list_for(
                                user=u, enterprise_id=r.enterprise_id
                            )
                        ),
                    },
                )
            )
        for inspection in inspections:
            representations = {
                "queryset": inspection.pk in ids(access.inspections_visible(user)),
                "per-row": access.may_see_enterprise(user, inspection.enterprise),
                "selector": inspection.pk in ids(selectors.inspection_list_for(user=user)),
            }
            if not own:
                representations["page detail"] = _ok(
                    client.get(f"/enterprises/inspections/{inspection.pk}/")
                )
            answers.append(_agree(persona, inspection, representations))
        seen[persona] = answers
    # The rule is not vacuous: the personas' sights differ as the rule says.
    assert all(seen["district_admin"]) and not any(seen["outsider"])
    assert any(seen["town_officer"]) and not all(seen["town_officer"])
    assert any(seen["enterprise_user"]) and not all(seen["enterprise_user"])
    assert seen["enterprise_user"] != seen["town_officer"]


def _tried_read(call: Callable[[], Any]) -> bool:
    try:
        call()
    except DomainError:
        return False
    return True


def test_who_decides_a_filing_agrees_everywhere(rows, everyone):
    _, filings, _, _ = rows
    deciders: dict[str, set[str]] = {}
    for persona, user in everyone.items():
        client = Client()
        client.force_login(user)
        own = access.enterprise_of_user(user) is not None
        queue = {f["id"] for f in client.get(f"{API}/filings", {"queue": "true"}).json()}
        to_decide = set(
            ResumptionFiling.objects.filter(access.filings_to_decide_q(user)).values_list(
                "pk", flat=True
            )
        )
        selected = set(selectors.filing_queue_for(user=user).values_list("pk", flat=True))
        deciders[persona] = set()
        for name, filing in filings.items():
            representations = {
                "queue condition": filing.pk in to_decide,
                "per-row": access.may_decide_filing(user, filing),
                "selector": filing.pk in selected,
                "api queue": filing.pk in queue,
                "service": tried(lambda f=filing, u=user: filing_pass(actor=u, filing=f)),
                "api": tried(
                    lambda f=filing, c=client: _raise_unless_ok(
                        c.post(f"{API}/filings/{f.pk}/pass")
                    )
                ),
            }
            if not own:
                page = client.get(f"/enterprises/filings/{filing.pk}/").content.decode()
                representations["page form"] = 'id="decision-form"' in page
            if _agree(persona, filing, representations):
                deciders[persona].add(name)
    assert deciders["district_admin"] == {"own_review", "near_group", "far_review"}
    assert deciders["town_officer"] == {"own_review"}
    assert deciders["wg_enterprise_services"] == {"near_group"}
    for persona in ("enterprise_user", "outsider", "village_cadre", "checkpoint_staff"):
        assert deciders[persona] == set(), persona


def _raise_unless_ok(response: Any) -> None:
    if response.status_code != 200:
        raise DomainError()


def test_the_rows_are_what_the_test_says(rows):
    """The statuses the agreement relies on."""
    _, filings, reports, inspections = rows
    statuses = {name: f.status for name, f in filings.items()}
    assert statuses == {
        "own_review": FilingStatus.TOWN_REVIEW,
        "near_group": FilingStatus.GROUP_APPROVAL,
        "far_review": FilingStatus.TOWN_REVIEW,
        "far_approved": FilingStatus.APPROVED,
        "near_approved": FilingStatus.APPROVED,
    }
    assert all(isinstance(r, DailyReport) for r in reports)
    assert all(isinstance(i, Inspection) for i in inspections)
    assert Enterprise.objects.count() == 5


def test_who_decides_a_signup_agrees_everywhere(personas, enterprise, far_enterprise, everyone):
    signups = [
        signup_submit(
            credit_code=e.credit_code,
            contact_name="李四",
            contact_phone="13900139000",
            username=f"signup{e.pk}",
            password=PASSWORD,
        )
        for e in (enterprise, far_enterprise)
    ]
    deciders: dict[str, int] = {}
    for persona, user in everyone.items():
        client = Client()
        client.force_login(user)
        api = {s["id"] for s in client.get(f"{API}/signups").json()}
        selected = set(selectors.signup_list_for(user=user).values_list("pk", flat=True))
        condition = set(
            EnterpriseSignup.objects.filter(access.signups_to_decide_q(user)).values_list(
                "pk", flat=True
            )
        )
        deciders[persona] = 0
        for signup in signups:
            decides = _agree(
                persona,
                signup,
                {
                    "condition": signup.pk in condition,
                    "selector": signup.pk in selected,
                    "api list": signup.pk in api,
                    "service's check": _tried_read(
                        lambda s=signup, u=user: access.require_decide_signup(u, s)
                    ),
                    "service": tried(
                        lambda s=signup, u=user: signup_decide(
                            actor=u, signup=s, approve=False, reason="x"
                        )
                    ),
                },
            )
            deciders[persona] += decides
    assert deciders["district_admin"] == 2 and deciders["town_officer"] == 1
    assert deciders["outsider"] == deciders["enterprise_user"] == 0
