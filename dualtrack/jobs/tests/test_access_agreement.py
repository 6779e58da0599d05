"""Every representation of the employment services' access rule gives the same answer on the
same rows: for each persona, the queryset filter, the per-row check, the selector, the API (list
and detail) and the page (detail) agree on which postings and applications they see; the per-row
check, the service and the API agree on who takes an application through its steps; and the
same for fairs and introducers."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from dualtrack.core.tests.helpers import cast, tried
from dualtrack.jobs import access, selectors
from dualtrack.jobs.services import introducers, pipeline

from .factories import apply

pytestmark = pytest.mark.django_db

API = "/api/employment"


@pytest.fixture
def everyone(personas, recruiting, supervisor):
    return cast(
        personas, group=recruiting.group, supervisor=supervisor, enterprise=recruiting.ent_user
    )


def test_who_sees_postings_and_applications(everyone, recruiting):
    applications = [apply(recruiting.posting, 1), apply(recruiting.far_posting, 2)]
    postings = [recruiting.posting, recruiting.far_posting]
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        listed = {a["id"] for a in client.get(f"{API}/applications").json().get("items", [])}
        listed_postings = {p["id"] for p in client.get(f"{API}/postings").json().get("items", [])}
        for application in applications:
            by_query = access.applications_visible(user).filter(pk=application.pk).exists()
            by_row = access.may_see_enterprise_records(user, application.enterprise)
            by_selector = tried(
                lambda a=application, u=user: selectors.application_get_for(
                    user=u, application_id=a.pk
                )
            )
            by_api = client.get(f"{API}/applications/{application.pk}").status_code == 200
            by_page = client.get(f"/employment/applications/{application.pk}/").status_code == 200
            answers = {by_query, by_row, by_selector, by_api, by_page, application.pk in listed}
            assert len(answers) == 1, (name, application.pk)
        for posting in postings:
            by_query = access.postings_visible(user).filter(pk=posting.pk).exists()
            by_row = access.may_see_enterprise_records(user, posting.enterprise)
            by_api = client.get(f"{API}/postings/{posting.pk}").status_code == 200
            by_page = client.get(f"/employment/postings/{posting.pk}/").status_code == 200
            answers = {by_query, by_row, by_api, by_page, posting.pk in listed_postings}
            assert len(answers) == 1, (name, posting.pk)


def test_who_takes_applications_through_their_steps(everyone, recruiting):
    applications = [apply(recruiting.posting, 1), apply(recruiting.far_posting, 2)]
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        for application in applications:
            by_row = access.may_see_enterprise_records(
                user, application.enterprise
            ) and access.may_recruit(user, application.enterprise)
            by_service = tried(
                lambda a=application, u=user: pipeline.application_screen(actor=u, application=a)
            )
            with transaction.atomic():
                answer = client.post(
                    f"{API}/applications/{application.pk}/screen",
                    "{}",
                    content_type="application/json",
                )
                transaction.set_rollback(True)
            by_api = answer.status_code == 200
            assert by_row == by_service == by_api, (name, application.pk)
            expected = (
                200
                if by_row
                else (
                    403 if access.may_see_enterprise_records(user, application.enterprise) else 404
                )
            )
            assert answer.status_code == expected, (name, application.pk)


def test_who_sees_fairs_and_introducers(everyone, recruiting):
    introducer = introducers.introducer_register(
        actor=recruiting.group,
        data=introducers.clean_introducer(
            kind="organisation",
            name="人力公司",
            mobile="13700137001",
            credit_code="91360100MA35F6XX0A",
        ),
    )
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        fair = recruiting.fair
        by_query = access.fairs_visible(user).filter(pk=fair.pk).exists()
        by_api = client.get(f"{API}/fairs/{fair.pk}").status_code == 200
        by_page = client.get(f"/employment/fairs/{fair.pk}/").status_code == 200
        assert by_query == by_api == by_page == access.sees_fairs(user), name
        by_query = access.introducers_visible(user).filter(pk=introducer.pk).exists()
        by_row = access.may_see_introducer(user, introducer)
        by_api = client.get(f"{API}/introducers/{introducer.pk}").status_code == 200
        by_page = client.get(f"/employment/introducers/{introducer.pk}/").status_code == 200
        assert by_query == by_row == by_api == by_page, name


def test_who_sees_an_applicants_numbers(everyone, recruiting):
    from dualtrack.enterprises.access import may_view_personal_data
    from dualtrack.jobs.services.personal import applicant_reveal

    applications = [apply(recruiting.posting, 1), apply(recruiting.far_posting, 2)]
    for name, user in everyone.items():
        client = Client()
        client.force_login(user)
        for application in applications:
            sees = access.may_see_enterprise_records(user, application.enterprise)
            by_row = sees and may_view_personal_data(user, application.enterprise)
            by_service = tried(
                lambda a=application, u=user: applicant_reveal(actor=u, application=a)
            )
            with transaction.atomic():
                answer = client.post(
                    f"{API}/applications/{application.pk}/reveal",
                    "{}",
                    content_type="application/json",
                )
                transaction.set_rollback(True)
            page = client.post(f"/employment/applications/{application.pk}/reveal/")
            expected = 200 if by_row else (403 if sees else 404)
            assert by_row == by_service, (name, application.pk)
            assert answer.status_code == page.status_code == expected, (name, application.pk)
