"""A resumed enterprise is shown where it stands, not a filing form; and the prevention plan
the notice asks for within three days (三日内补交) can be handed in after the filing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dualtrack.core.models import AuditEntry
from dualtrack.core.tests.helpers import problem_of
from dualtrack.enterprises.models import FilingAction, FilingStatus, Phase
from dualtrack.enterprises.services.filings import filing_submit, phase_set

from .conftest import filing_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(personas, enterprise, ent_user, settings, tmp_path):
    """In the full phase, a filing sent without a plan is accepted at once, with the gap."""
    settings.MEDIA_ROOT = tmp_path
    phase_set(
        actor=personas.district_admin,
        phase=Phase.FULL,
        effective_from=timezone.localdate(),
        note="",
    )
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    assert filing.status == FilingStatus.ACCEPTED and "no_plan" in filing.gaps
    return filing


def test_a_resumed_enterprise_is_shown_its_filing_not_the_form(client, ent_user, accepted):
    client.force_login(ent_user)
    response = client.get(reverse("portal_filing_form"))
    assert response.status_code == 302
    assert response.url == reverse("portal_filing", args=[accepted.pk])
    page = client.get(response.url)
    assert 'data-testid="filing-status"' in page.text and "commitment_signer" not in page.text


def test_the_plan_is_handed_in_after_the_filing_and_the_town_sees_it(
    client, personas, ent_user, accepted
):
    client.force_login(ent_user)
    page = client.get(reverse("portal_filing", args=[accepted.pk]))
    assert reverse("portal_filing_plan", args=[accepted.pk]) in page.text
    response = client.post(
        reverse("portal_filing_plan", args=[accepted.pk]),
        {"plan_file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")},
    )
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.plan_file and "no_plan" not in accepted.gaps
    event = accepted.events.latest("id")
    assert (event.action, event.actor) == (FilingAction.PLAN_UPLOADED, ent_user)
    assert AuditEntry.objects.filter(target_id=str(accepted.pk), actor=ent_user).count() == 2
    # The town that reviews the enterprise finds it on the filing and downloads it.
    client.force_login(personas.town_officer)
    detail = client.get(reverse("enterprise_filing", args=[accepted.pk]))
    url = reverse("enterprise_filing_plan", args=[accepted.pk])
    assert url in detail.text
    download = client.get(url)
    assert download.status_code == 200 and download.content == b"%PDF-1.4 plan"
    # Nobody else does.
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404


def test_a_plan_too_large_or_of_another_type_is_refused(client, ent_user, accepted, settings):
    settings.UPLOAD_MAX_BYTES = 5
    client.force_login(ent_user)
    url = reverse("portal_filing_plan", args=[accepted.pk])
    big = client.post(url, {"plan_file": SimpleUploadedFile("p.pdf", b"%PDF-1.4 too big")})
    assert big.status_code == 422 and "field-invalid" in big.text
    odd = client.post(url, {"plan_file": SimpleUploadedFile("p.exe", b"MZ")})
    assert odd.status_code == 422
    accepted.refresh_from_db()
    assert not accepted.plan_file and "no_plan" in accepted.gaps


def test_the_plan_through_the_api(client, ent_user, accepted, far_enterprise, personas):
    client.force_login(ent_user)
    url = f"/api/enterprises/filings/{accepted.pk}/plan"
    problem_of(client.post(url, {}), 422, "validation_failed")
    done = client.post(url, {"file": SimpleUploadedFile("plan.docx", b"PK\x03\x04doc")})
    assert done.status_code == 200, done.content
    assert "no_plan" not in done.json()["gaps"]
    other = filing_submit(
        actor=personas.district_admin, enterprise=far_enterprise, data=filing_data()
    )
    problem_of(
        client.post(
            f"/api/enterprises/filings/{other.pk}/plan",
            {"file": SimpleUploadedFile("plan.pdf", b"%PDF")},
        ),
        404,
        "not_found",
    )
