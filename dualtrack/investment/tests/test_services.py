"""The pipeline: one stage at a time up to agreement, meetings and documents, stalled projects
flagged when read, and a signing ceremony that signs only projects with an agreement."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualtrack.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dualtrack.investment import selectors
from dualtrack.investment.figures import pipeline_figures
from dualtrack.investment.models import Ceremony, Project, Stage
from dualtrack.investment.services import ceremonies, pipeline

from . import factories

pytestmark = pytest.mark.django_db


def test_a_project_moves_one_stage_at_a_time(team):
    project = factories.project(team)
    with pytest.raises(Conflict):
        pipeline.project_advance(actor=team, project=project, stage=Stage.AGREEMENT)
    with pytest.raises(ValidationFailed):
        pipeline.project_advance(actor=team, project=project, stage=Stage.SIGNED)
    moved = pipeline.project_advance(
        actor=team,
        project=project,
        stage=Stage.CONTACT,
        next_step="视频洽谈",
        next_step_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    assert moved.stage == Stage.CONTACT
    assert [e.stage for e in moved.events.all()] == ["lead", "contact"]


def test_meetings_and_documents_are_recorded_and_checked(team):
    project = factories.project(team)
    meeting = pipeline.meeting_add(
        actor=team,
        project=project,
        held_at=timezone.now(),
        participants="区招商局、投资方",
        video_link="https://meeting.example.cn/1",
        minutes="确定投资规模",
    )
    assert meeting.project == project
    with pytest.raises(ValidationFailed):
        pipeline.meeting_add(
            actor=team,
            project=project,
            held_at=timezone.now(),
            participants="x",
            video_link="ftp:x",
        )
    exe = SimpleUploadedFile("a.pdf", b"MZ not a pdf")
    with pytest.raises(ValidationFailed):
        pipeline.document_add(
            actor=team, project=project, title="意向书", direction="sent", file=exe
        )
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    document = pipeline.document_add(
        actor=team, project=project, title="意向书", direction="sent", file=pdf
    )
    assert document.content_type == "application/pdf"


def test_a_project_past_its_next_step_is_stalled_when_read(team):
    project = factories.project(team)
    pipeline.project_advance(
        actor=team,
        project=project,
        stage=Stage.CONTACT,
        next_step="回访",
        next_step_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert selectors.project_get_for(user=team, project_id=project.pk).stalled
    assert pipeline_figures(user=team).stalled == 1


def test_a_ceremony_signs_projects_with_an_agreement_and_refuses_one_without(team):
    ready = [
        factories.project(team, name=f"项目{n}", amount=str(a), to=Stage.AGREEMENT)
        for n, a in enumerate(
            (3_000_000_000, 2_500_000_000, 2_000_000_000, 1_500_000_000, 1_000_000_000)
        )
    ]
    early = factories.project(team, name="未谈妥", to=Stage.NEGOTIATION)
    with pytest.raises(ValidationFailed) as caught:
        ceremonies.ceremony_hold(
            actor=team,
            title="集中签约",
            held_at=timezone.now(),
            video_link="",
            projects=[*ready, early],
        )
    assert caught.value.code == "no_agreement"
    assert not Ceremony.objects.exists()
    assert not Project.objects.filter(stage=Stage.SIGNED).exists()
    ceremony = ceremonies.ceremony_hold(
        actor=team, title="集中签约", held_at=timezone.now(), video_link="", projects=ready
    )
    figures = pipeline_figures(user=team)
    assert figures.signed_projects == 5
    assert figures.signed_amount == Decimal("10000000000.00")
    assert figures.ceremonies[0]["id"] == ceremony.pk


def test_only_the_team_keeps_the_pipeline(personas, team, local_login):
    with pytest.raises(PermissionDenied):
        factories.project(personas.commander)
    with pytest.raises(NotFound):
        factories.project(personas.town_officer)
    with pytest.raises(NotFound):
        factories.project(local_login)
    project = factories.project(team)
    with pytest.raises(PermissionDenied):
        pipeline.project_advance(actor=personas.commander, project=project, stage=Stage.CONTACT)
