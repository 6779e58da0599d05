from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.command import selectors
from dualtrack.command.inbox import directives_inbox, directives_waiting
from dualtrack.command.models import (
    AssignmentStatus,
    Directive,
    DirectiveAssignment,
    DirectiveReport,
)
from dualtrack.command.services import directives as services
from dualtrack.command.tests.conftest import in_hours
from dualtrack.core import platform
from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _issue(actor, **kwargs):
    values = {
        "title": "t",
        "body": "b",
        "done_when": "d",
        "deadline": in_hours(24),
    }
    values.update(kwargs)
    return services.directive_issue(actor=actor, **values)


def test_issue_writes_directive_parts_and_audit(personas, district, directive, hq):
    part = directive.assignments.get()
    assert part.recipient_area == district.town
    assert part.area == district.town
    assert directive.issuer_area == district.root
    assert directive.issuer_unit == hq
    assert AuditEntry.objects.filter(target_id=str(directive.pk), action="create").exists()


def test_deadline_in_the_past_is_refused_and_nothing_written(personas, district):
    with pytest.raises(ValidationFailed) as exc:
        _issue(personas.commander, deadline=in_hours(-1), area_ids=[district.town.pk])
    assert exc.value.errors[0]["field"] == "deadline"
    assert "不能早于现在" in str(exc.value.errors[0]["message"])
    assert not Directive.objects.exists()


def test_directive_out_of_scope_is_refused_and_nothing_written(personas, district):
    # The town officer may issue to the villages of their town, not to another town's.
    with pytest.raises(NotFound) as exc:
        _issue(personas.town_officer, area_ids=[district.far_village.pk])
    assert exc.value.errors[0]["field"] == "recipients"
    with pytest.raises(NotFound):
        _issue(personas.town_officer, area_ids=[district.other_town.pk])
    with pytest.raises(NotFound):  # nor to their own town
        _issue(personas.town_officer, area_ids=[district.town.pk])
    assert not Directive.objects.exists()
    directive = _issue(personas.town_officer, area_ids=[district.village.pk])
    assert directive.issuer_area == district.town


def test_who_may_issue(personas, district):
    for persona in ("village_cadre", "checkpoint_staff", "outsider"):
        with pytest.raises(PermissionDenied):
            _issue(getattr(personas, persona), area_ids=[district.village.pk])
    assert not Directive.objects.exists()


def test_unknown_check_refused(personas, district):
    with pytest.raises(ValidationFailed):
        _issue(personas.commander, area_ids=[district.town.pk], check_key="nope.nothing")
    assert not Directive.objects.exists()


def test_follow_up_to_acceptance(personas, district, directive):
    part = directive.assignments.get()
    with pytest.raises(PermissionDenied):
        services.assignment_acknowledge(actor=personas.village_cadre, assignment=part)
    part = services.assignment_acknowledge(actor=personas.town_officer, assignment=part)
    assert part.status == AssignmentStatus.ACKNOWLEDGED
    with pytest.raises(Conflict):
        services.assignment_acknowledge(actor=personas.town_officer, assignment=part)
    services.assignment_progress(
        actor=personas.town_officer, assignment=part, progress=40, text="半数卡点已核"
    )
    part = services.assignment_close(
        actor=personas.town_officer, assignment=part, text="已全部配齐"
    )
    assert part.status == AssignmentStatus.CLOSED
    with pytest.raises(PermissionDenied):
        services.assignment_accept(actor=personas.town_officer, assignment=part)
    part = services.assignment_accept(actor=personas.commander, assignment=part)
    assert part.status == AssignmentStatus.ACCEPTED
    kinds = list(DirectiveReport.objects.filter(assignment=part).values_list("kind", flat=True))
    assert kinds == ["acknowledge", "progress", "close", "accept"]


def test_closing_without_evidence_is_refused_and_nothing_written(personas, directive):
    part = directive.assignments.get()
    with pytest.raises(ValidationFailed) as exc:
        services.assignment_close(actor=personas.town_officer, assignment=part, text="  ")
    assert "佐证" in str(exc.value.errors[0]["message"])
    part.refresh_from_db()
    assert part.status == AssignmentStatus.ISSUED
    assert not DirectiveReport.objects.exists()


def test_close_with_a_file(personas, directive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    part = directive.assignments.get()
    upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    services.assignment_close(actor=personas.town_officer, assignment=part, files=[upload])
    report = DirectiveReport.objects.get(kind="close")
    assert report.attachments.count() == 1


def test_send_back_needs_reason_then_reopens(personas, directive):
    part = directive.assignments.get()
    services.assignment_close(actor=personas.town_officer, assignment=part, text="done")
    with pytest.raises(ValidationFailed):
        services.assignment_send_back(actor=personas.commander, assignment=part, text="")
    part = services.assignment_send_back(actor=personas.commander, assignment=part, text="缺照片")
    assert part.status == AssignmentStatus.SENT_BACK
    part = services.assignment_close(actor=personas.town_officer, assignment=part, text="补照片")
    assert part.status == AssignmentStatus.CLOSED


def test_live_check_evidence(personas, district, directive):
    checks = {c.key for c in platform.done_checks()}
    assert {
        "checkpoints.kit_complete",
        "enterprises.key_resumed",
        "supplies.no_low_stock",
        "health.alerts_handled",
    } <= checks
    directive = _issue(
        personas.commander, area_ids=[district.town.pk], check_key="health.alerts_handled"
    )
    part = directive.assignments.get()
    part = services.assignment_close(actor=personas.town_officer, assignment=part, use_check=True)
    report = DirectiveReport.objects.get(kind="close")
    assert report.check_passed is True
    assert report.check_key == "health.alerts_handled"


def test_failing_live_check_refuses_closing(personas, district):
    from dualtrack.checkpoints.models import Checkpoint

    Checkpoint.objects.create(area=district.village, name="东门")
    directive = _issue(
        personas.commander, area_ids=[district.town.pk], check_key="checkpoints.kit_complete"
    )
    part = directive.assignments.get()
    with pytest.raises(ValidationFailed) as exc:
        services.assignment_close(actor=personas.town_officer, assignment=part, use_check=True)
    assert "1 个开放卡点中 0 个" in str(exc.value.errors[0]["message"])
    part.refresh_from_db()
    assert part.status == AssignmentStatus.ISSUED


def test_fan_out_and_roll_up(personas, district, directive):
    part = directive.assignments.get()
    sub = services.directive_fan_out(
        actor=personas.town_officer,
        assignment=part,
        deadline=in_hours(24),
        area_ids=[district.village.pk, district.sibling_village.pk],
    )
    assert sub.parent == part
    assert sub.issuer_area == district.town
    village_part = sub.assignments.get(recipient_area=district.village)
    services.assignment_close(actor=personas.village_cadre, assignment=village_part, text="ok")
    parts = selectors.parts_for(user=personas.commander, directive=directive)
    assert parts[0].progress == 50
    assert [d.pk for d in parts[0].sub_directives] == [sub.pk]
    # The village cadre sees the sub-directive, not HQ's.
    assert selectors.directive_list_for(user=personas.village_cadre).get() == sub
    with pytest.raises(NotFound):
        services.directive_fan_out(
            actor=personas.town_officer,
            assignment=part,
            deadline=in_hours(24),
            area_ids=[district.far_village.pk],
        )


def test_overdue_and_escalation_derived_when_read(personas, district, directive, settings):
    settings.DIRECTIVE_ESCALATION_HOURS = 2
    Directive.objects.filter(pk=directive.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    items = directives_inbox(personas.town_officer)
    assert [i.urgent for i in items] == [True]
    assert directives_waiting(personas.town_officer).urgent == 1
    assert not selectors.escalated_for(user=personas.district_admin)
    Directive.objects.filter(pk=directive.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=3)
    )
    # HQ's own directive escalates to the district administrator (the leading group).
    escalated = directives_inbox(personas.district_admin)
    assert any(i.key.startswith("command.escalated:") for i in escalated)
    assert not any(
        i.key.startswith("command.escalated:") for i in directives_inbox(personas.town_officer)
    )
    assert selectors.directive_list_for(user=personas.commander, box="overdue").count() == 1


def test_town_directive_escalates_to_hq(personas, district, settings):
    settings.DIRECTIVE_ESCALATION_HOURS = 1
    directive = _issue(personas.town_officer, area_ids=[district.village.pk])
    Directive.objects.filter(pk=directive.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=2)
    )
    assert [a.directive_id for a in selectors.escalated_for(user=personas.commander)] == [
        directive.pk
    ]
    assert not DirectiveAssignment.objects.filter(status="accepted").exists()


def test_inbox_for_acceptance(personas, directive):
    part = directive.assignments.get()
    services.assignment_close(actor=personas.town_officer, assignment=part, text="ok")
    keys = [i.key for i in platform.inbox_for(personas.commander)]
    assert f"command.acceptance:{part.pk}" in keys
