"""Resumption filings follow the district's phase; approval issues the notice."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.enterprises.documents import notice_pdf
from dualtrack.enterprises.models import (
    FilingRoute,
    FilingStatus,
    Phase,
    ResumptionFiling,
    ResumptionStatus,
)
from dualtrack.enterprises.selectors import current_phase, filing_queue_for
from dualtrack.enterprises.services.filings import (
    clean_filing,
    filing_pass,
    filing_resubmit,
    filing_return,
    filing_submit,
    phase_set,
)

from .conftest import CODES, filing_data, make_enterprise

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2020, 2, 10)


def _set(actor, phase):
    phase_set(actor=actor, phase=phase, effective_from=timezone.localdate(), note="")


def test_strict_phase_goes_through_the_town_then_the_group(
    personas, enterprise, ent_user, wg_enterprise
):
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    assert (filing.route, filing.status) == (FilingRoute.TOWN_THEN_GROUP, FilingStatus.TOWN_REVIEW)
    assert list(filing_queue_for(user=personas.town_officer)) == [filing]
    assert not filing_queue_for(user=wg_enterprise).exists()
    with pytest.raises(PermissionDenied):
        filing_pass(actor=wg_enterprise, filing=filing)
    filing = filing_pass(actor=personas.town_officer, filing=filing)
    assert filing.status == FilingStatus.GROUP_APPROVAL
    with pytest.raises(PermissionDenied):
        filing_pass(actor=personas.town_officer, filing=filing)
    filing = filing_pass(actor=wg_enterprise, filing=filing)
    assert filing.status == FilingStatus.APPROVED and filing.notice_number
    enterprise.refresh_from_db()
    assert enterprise.status == ResumptionStatus.RESUMED
    assert notice_pdf(filing).startswith(b"%PDF")


def test_orderly_phase_sends_above_scale_straight_to_the_group(personas, district, wg_enterprise):
    _set(personas.commander, Phase.ORDERLY)
    big = make_enterprise(
        personas.district_admin, district.town, CODES[2], "大厂", above_scale=True
    )
    small = make_enterprise(personas.district_admin, district.town, CODES[3], "小厂")
    a = filing_submit(actor=personas.town_officer, enterprise=big, data=filing_data())
    b = filing_submit(actor=personas.town_officer, enterprise=small, data=filing_data())
    assert a.status == FilingStatus.GROUP_APPROVAL
    assert b.status == FilingStatus.TOWN_REVIEW


def test_full_phase_accepts_on_submission_into_the_supervision_pool(personas, enterprise, ent_user):
    _set(personas.district_admin, Phase.FULL)
    assert current_phase().phase == Phase.FULL
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    assert filing.status == FilingStatus.ACCEPTED and filing.notice_number
    enterprise.refresh_from_db()
    assert enterprise.in_supervision_pool and enterprise.status == ResumptionStatus.RESUMED


def test_only_set_phase_roles_set_the_phase(personas):
    with pytest.raises(PermissionDenied):
        _set(personas.town_officer, Phase.FULL)
    assert current_phase().phase == Phase.STRICT


def test_returned_filing_comes_back_with_reasons_and_is_resubmitted(personas, enterprise, ent_user):
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    with pytest.raises(ValidationFailed):
        filing_return(actor=personas.town_officer, filing=filing, reason=" ")
    filing = filing_return(actor=personas.town_officer, filing=filing, reason="缺少隔离室")
    assert filing.status == FilingStatus.RETURNED and filing.return_reason == "缺少隔离室"
    with pytest.raises(Conflict):
        filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    filing = filing_resubmit(actor=ent_user, filing=filing, data=filing_data(isolation_room=True))
    assert filing.status == FilingStatus.TOWN_REVIEW and filing.return_reason == ""
    assert [e.action for e in filing.events.all()] == ["submitted", "returned", "resubmitted"]


def test_gaps_are_accepted_and_flagged(personas, enterprise, ent_user):
    filing = filing_submit(
        actor=ent_user,
        enterprise=enterprise,
        data=filing_data(masks_days=2, isolation_room=False, prevention_officer=""),
    )
    assert {"no_plan", "masks_low", "no_isolation_room", "no_prevention_officer"} <= set(
        filing.gaps
    )


def test_plan_upload_is_stored_and_clears_the_gap(
    personas, enterprise, ent_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    data = clean_filing(
        planned_date=timezone.localdate(),
        workers_planned=10,
        commitment_signed=True,
        commitment_signer="张三",
        plan_file=plan,
    )
    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=data, plan_file=plan)
    assert "no_plan" not in filing.gaps
    assert (tmp_path / filing.plan_file.name).read_bytes() == b"%PDF-1.4 plan"


def test_oversized_plan_and_unsigned_commitment_are_refused(settings, db):
    settings.UPLOAD_MAX_BYTES = 10
    plan = SimpleUploadedFile("plan.pdf", b"x" * 11)
    with pytest.raises(ValidationFailed) as exc:
        clean_filing(
            planned_date="2020-02-10",
            workers_planned=-1,
            commitment_signed=False,
            commitment_signer="",
            plan_file=plan,
        )
    fields = {e["field"] for e in exc.value.errors}
    assert fields == {"workers_planned", "commitment_signed", "commitment_signer", "plan_file"}
    assert not ResumptionFiling.objects.exists()


def test_enterprise_cannot_file_for_another(enterprise, far_enterprise, ent_user):
    with pytest.raises(NotFound):
        filing_submit(actor=ent_user, enterprise=far_enterprise, data=filing_data())


def test_town_cannot_review_another_towns_filing(personas, far_enterprise):
    filing = filing_submit(
        actor=personas.district_admin, enterprise=far_enterprise, data=filing_data()
    )
    with pytest.raises(NotFound):
        filing_pass(actor=personas.town_officer, filing=filing)


def test_a_filings_history_names_its_steps_in_the_users_language(client, ent_user, enterprise):
    from dualtrack.enterprises.models import FilingAction

    filing = filing_submit(actor=ent_user, enterprise=enterprise, data=filing_data())
    assert list(filing.events.values_list("action", flat=True)) == [FilingAction.SUBMITTED]
    client.force_login(ent_user)
    page = client.get(f"/portal/filings/{filing.pk}/").content.decode()
    assert "· 已提交" in page and "· submitted" not in page
