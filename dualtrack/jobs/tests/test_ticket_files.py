"""A self-travel ticket's file: opened by its enterprise's own logins and, district-wide, by the
enterprise-services group and staff who may view personal data (403 for others in sight, 404
out of sight with the body of a missing id), by the worker through their personal link when a
hire ties it to their roster row; served as an attachment of the checked type, never sniffed,
each opening audited; a stored file that is not what was uploaded is not served."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dualtrack.core.models import AuditAction, AuditEntry, User
from dualtrack.core.tests.helpers import comparable_problem
from dualtrack.enterprises.models import EnterpriseMember
from dualtrack.enterprises.services.roster import clean_employee, employee_create
from dualtrack.jobs.models import Ticket
from dualtrack.jobs.services import tickets

from .factories import apply, hire

pytestmark = pytest.mark.django_db

API = "/api/employment"
PNG = b"\x89PNG\r\n\x1a\n" + b"ticket" * 20
PDF = b"%PDF-1.4\n" + b"ticket" * 20


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(actor: User, employee, content: bytes = PNG, name: str = "t.png") -> Ticket:
    return tickets.ticket_upload(
        actor=actor,
        employee=employee,
        route="赣州—南昌",
        travel_date=timezone.localdate().isoformat(),
        fare="86.50",
        file=SimpleUploadedFile(name, content),
    )


@pytest.fixture
def ticket(ent_user, enterprise) -> Ticket:
    worker = employee_create(
        actor=ent_user, enterprise=enterprise, data=clean_employee(name="自行返岗")
    )
    return _upload(ent_user, worker)


@pytest.fixture
def far_user(far_enterprise) -> User:
    user = User.objects.create_user(username="far_ent", password="x", display_name="far")
    EnterpriseMember.objects.create(user=user, enterprise=far_enterprise)
    return user


def _opened() -> int:
    return AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).count()


def _served_safely(response, content: bytes, content_type: str, filename: str) -> None:
    assert response.status_code == 200
    assert response.content == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_the_enterprise_and_the_group_open_the_file_through_the_api_audited(
    ticket, ent_user, wg_enterprise, personas
):
    url = f"{API}/tickets/{ticket.pk}/file"
    _served_safely(_client(ent_user).get(url), PNG, "image/png", f"ticket-{ticket.pk}.png")
    assert _opened() == 1
    _served_safely(_client(wg_enterprise).get(url), PNG, "image/png", f"ticket-{ticket.pk}.png")
    _served_safely(
        _client(personas.district_admin).get(url), PNG, "image/png", f"ticket-{ticket.pk}.png"
    )
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).first()
    assert entry is not None and entry.target_id == str(ticket.pk)
    assert _opened() == 3


def test_out_of_sight_is_not_found_and_in_sight_without_the_right_forbidden(
    ticket, far_user, personas
):
    for user in (far_user, personas.town_officer, personas.outsider):
        client = _client(user)
        hidden = client.get(f"{API}/tickets/{ticket.pk}/file")
        missing = client.get(f"{API}/tickets/999999/file")
        assert hidden.status_code == missing.status_code == 404, user
        assert comparable_problem(hidden) == comparable_problem(missing)
        assert client.get(reverse("employment_ticket_file", args=[ticket.pk])).status_code == 404
    # The commander sees the district's tickets but not the personal data on them.
    commander = _client(personas.commander)
    assert commander.get(f"{API}/tickets/{ticket.pk}/file").status_code == 403
    page = commander.get(reverse("employment_ticket_file", args=[ticket.pk]))
    assert page.status_code == 403
    assert _opened() == 0
    assert Client().get(f"{API}/tickets/{ticket.pk}/file").status_code == 401


def test_the_page_serves_the_file_and_the_list_links_it(ticket, ent_user, personas):
    client = _client(ent_user)
    listing = client.get(reverse("employment_tickets")).content.decode()
    assert reverse("employment_ticket_file", args=[ticket.pk]) in listing
    _served_safely(
        client.get(reverse("employment_ticket_file", args=[ticket.pk])),
        PNG,
        "image/png",
        f"ticket-{ticket.pk}.png",
    )
    assert _opened() == 1
    commander_list = _client(personas.commander).get(reverse("employment_tickets"))
    assert (
        reverse("employment_ticket_file", args=[ticket.pk]) not in commander_list.content.decode()
    )


def test_a_pdf_is_served_as_a_pdf(ent_user, enterprise):
    worker = employee_create(actor=ent_user, enterprise=enterprise, data=clean_employee(name="乙"))
    made = _upload(ent_user, worker, PDF, "t.pdf")
    response = _client(ent_user).get(f"{API}/tickets/{made.pk}/file")
    _served_safely(response, PDF, "application/pdf", f"ticket-{made.pk}.pdf")


def test_a_stored_file_that_is_not_what_was_uploaded_is_not_served(ticket, ent_user):
    client = _client(ent_user)
    with open(ticket.file.path, "wb") as stored:
        stored.write(b"<html><script>alert(1)</script></html>")
    refused = client.get(f"{API}/tickets/{ticket.pk}/file")
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    Ticket.objects.filter(pk=ticket.pk).update(content_type="text/html")
    with open(ticket.file.path, "wb") as stored:
        stored.write(PNG)
    assert client.get(f"{API}/tickets/{ticket.pk}/file").status_code == 409
    assert _opened() == 0


def test_the_worker_opens_their_own_ticket_through_their_personal_link(recruiting):
    application = hire(recruiting.ent_user, apply(recruiting.posting, 3))
    assert application.employee is not None
    own = _upload(recruiting.ent_user, application.employee)
    other = employee_create(
        actor=recruiting.ent_user, enterprise=recruiting.enterprise, data=clean_employee(name="丙")
    )
    someone_elses = _upload(recruiting.ent_user, other)
    token = application.applicant.link_token
    anonymous = Client()

    page = anonymous.get(reverse("fair_seeker", args=[token])).content.decode()
    assert reverse("fair_seeker_ticket", args=[token, own.pk]) in page
    assert reverse("fair_seeker_ticket", args=[token, someone_elses.pk]) not in page
    _served_safely(
        anonymous.get(reverse("fair_seeker_ticket", args=[token, own.pk])),
        PNG,
        "image/png",
        f"ticket-{own.pk}.png",
    )
    assert _opened() == 1
    assert (
        anonymous.get(reverse("fair_seeker_ticket", args=[token, someone_elses.pk])).status_code
        == 404
    )
    assert anonymous.get(reverse("fair_seeker_ticket", args=["nope", own.pk])).status_code == 404
    # Another job seeker's link does not reach it, even one who typed the same ID number.
    stranger = apply(recruiting.far_posting, 3, mobile="13912345678")
    assert stranger.applicant_id != application.applicant_id
    assert (
        anonymous.get(
            reverse("fair_seeker_ticket", args=[stranger.applicant.link_token, own.pk])
        ).status_code
        == 404
    )
    assert _opened() == 1
