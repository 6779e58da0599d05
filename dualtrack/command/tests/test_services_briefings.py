from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from dualtrack.command.briefing_text import district_rows
from dualtrack.command.documents import briefing_docx, briefing_pdf
from dualtrack.command.models import Briefing, Notice, Snapshot
from dualtrack.command.services import briefings as services
from dualtrack.command.services.directives import directive_issue
from dualtrack.command.services.snapshots import snapshot_freeze, snapshot_freeze_start
from dualtrack.command.tests.conftest import in_hours
from dualtrack.core.errors import Conflict, PermissionDenied, ValidationFailed
from dualtrack.core.models import Job

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _values(figures):
    return {f["key"]: f["value"] for f in figures}


def test_snapshot_holds_every_app_and_each_town(personas, district, hq):
    directive_issue(
        actor=personas.commander,
        title="t",
        body="b",
        done_when="d",
        deadline=in_hours(1),
        area_ids=[district.town.pk],
    )
    snap = snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    keys = {f["key"] for f in snap.figures["district"]}
    assert "command.directives_overdue" in keys
    assert "checkpoints.passages" in keys
    assert [t["name"] for t in snap.figures["towns"]] == ["昌东镇", "麻丘镇"]
    assert set(snap.timings) >= {"checkpoints", "command"}
    # Labels are frozen in Chinese, the briefing's language.
    labels = {f["key"]: f["label"] for f in snap.figures["district"]}
    assert labels["command.directives_overdue"] == "逾期指令"


def test_snapshot_for_a_future_day_or_today_is_refused_and_nothing_written(personas):
    for day in (timezone.localdate(), timezone.localdate() + datetime.timedelta(days=3)):
        with pytest.raises(ValidationFailed) as exc:
            snapshot_freeze(actor=personas.commander, day=day)
        assert exc.value.errors[0]["field"] == "day"
        with pytest.raises(ValidationFailed):
            snapshot_freeze_start(actor=personas.commander, day=day)
    assert not Snapshot.objects.exists()
    assert not Job.objects.exists()


def test_snapshot_roles(personas):
    with pytest.raises(PermissionDenied):
        snapshot_freeze(actor=personas.town_officer, day=YESTERDAY)
    assert not Snapshot.objects.exists()


def test_freeze_is_safe_to_rerun(personas):
    first = snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    again = snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    assert first.pk == again.pk
    assert Snapshot.objects.count() == 1


def test_management_command(personas):
    out = io.StringIO()
    call_command("freeze_briefing_snapshot", stdout=out)
    assert Snapshot.objects.get().day == YESTERDAY
    assert "frozen" in out.getvalue()


def test_briefing_figures_equal_the_snapshot_and_outlive_live_changes(personas, district, hq):
    snap = snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    briefing = services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    assert briefing.content["district"] == snap.figures["district"]
    # The same numbers (the documents print 0.00 yuan as 0).
    assert {r.key: Decimal(r.value) for r in district_rows(briefing.content)} == {
        k: Decimal(str(v)) for k, v in _values(snap.figures["district"]).items()
    }
    services.briefing_publish(actor=personas.commander, briefing=briefing)
    before_docx = docx_text(Briefing.objects.get(pk=briefing.pk))
    # Live data changes after the freeze: a directive now overdue yesterday, then a re-freeze.
    directive = directive_issue(
        actor=personas.commander,
        title="t",
        body="b",
        done_when="d",
        deadline=in_hours(1),
        area_ids=[district.town.pk],
    )
    type(directive).objects.filter(pk=directive.pk).update(
        deadline=timezone.now() - datetime.timedelta(days=3),
        issued_at=timezone.now() - datetime.timedelta(days=4),
    )
    refrozen = snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    assert _values(refrozen.figures["district"])["command.directives_overdue"] == 1
    published = Briefing.objects.get(pk=briefing.pk)
    assert _values(published.content["district"])["command.directives_overdue"] == 0
    assert published.content == briefing.content
    assert docx_text(published) == before_docx


def test_publishing_twice_and_editing_published_are_refused(personas):
    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    briefing = services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    services.briefing_update(
        actor=personas.commander, briefing=briefing, title="通报", narrative="情况平稳。"
    )
    services.briefing_publish(actor=personas.commander, briefing=briefing)
    published_at = Briefing.objects.get(pk=briefing.pk).published_at
    with pytest.raises(Conflict) as exc:
        services.briefing_publish(actor=personas.commander, briefing=briefing)
    assert "不能重复发布" in str(exc.value.message)
    with pytest.raises(Conflict):
        services.briefing_update(
            actor=personas.commander, briefing=briefing, title="x", narrative="y"
        )
    briefing.refresh_from_db()
    assert (briefing.title, briefing.narrative, briefing.published_at) == (
        "通报",
        "情况平稳。",
        published_at,
    )


def test_correction_is_a_new_numbered_briefing(personas):
    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    first = services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    with pytest.raises(ValidationFailed):  # a draft is edited, not corrected
        services.briefing_generate(
            actor=personas.commander, snapshot_day=YESTERDAY, corrects=first, correction_note="x"
        )
    services.briefing_publish(actor=personas.commander, briefing=first)
    with pytest.raises(ValidationFailed):
        services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY, corrects=first)
    correction = services.briefing_generate(
        actor=personas.commander,
        snapshot_day=YESTERDAY,
        corrects=first,
        correction_note="更正隔离人数",
    )
    assert correction.number == first.number + 1
    assert correction.corrects == first
    assert "第1期" in briefing_pdf_text(correction) or correction.correction_note


def docx_text(briefing):
    """Every paragraph and table cell of the briefing's .docx (the zip's own times vary)."""
    from docx import Document

    document = Document(io.BytesIO(briefing_docx(briefing)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return [p.text for p in document.paragraphs] + cells


def briefing_pdf_text(briefing):
    from docx import Document

    document = Document(io.BytesIO(briefing_docx(briefing)))
    return "\n".join(p.text for p in document.paragraphs)


def test_comparison_with_yesterday_and_last_week(personas, district, hq):
    snapshot_freeze(actor=personas.commander, day=YESTERDAY - datetime.timedelta(days=7))
    snapshot_freeze(actor=personas.commander, day=YESTERDAY - datetime.timedelta(days=1))
    directive = directive_issue(
        actor=personas.commander,
        title="t",
        body="b",
        done_when="d",
        deadline=in_hours(1),
        area_ids=[district.town.pk],
    )
    type(directive).objects.filter(pk=directive.pk).update(
        deadline=timezone.now() - datetime.timedelta(days=3),
        issued_at=timezone.now() - datetime.timedelta(days=4),
    )
    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    briefing = services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    row = next(r for r in district_rows(briefing.content) if r.key == "command.directives_overdue")
    assert (row.value, row.vs_yesterday, row.vs_last_week) == ("1", "+1", "+1")
    assert "逾期指令：1（较前一日+1，较上周同日+1）。" in briefing.narrative


def test_documents_from_the_snapshot(personas):
    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    briefing = services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    pdf = briefing_pdf(briefing)
    assert pdf.startswith(b"%PDF")
    text = briefing_pdf_text(briefing)
    assert "疫情通报" in text
    assert f"第{briefing.number}期" in text


def test_generating_needs_a_frozen_day(personas):
    with pytest.raises(ValidationFailed):
        services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    with pytest.raises(PermissionDenied):
        services.briefing_generate(actor=personas.town_officer, snapshot_day=YESTERDAY)
    assert not Briefing.objects.exists()


def test_notice(personas):
    services.notice_publish(actor=personas.commander, title="复工政策", body="详见附件")
    with pytest.raises(PermissionDenied):
        services.notice_publish(actor=personas.town_officer, title="x", body="y")
    assert Notice.objects.count() == 1


def test_the_snapshot_freezes_the_supplies_cover_of_its_own_day(
    personas, district, hq, working_group_staff
):
    """A past day's days of cover come from the ledger as of its 24:00, not today's stock."""
    from dualtrack.areas.models import Duty
    from dualtrack.core import platform
    from dualtrack.supplies.tests.factories import (
        ConsumptionFactory,
        HolderFactory,
        ItemFactory,
        ReceiptFactory,
    )

    manager = working_group_staff(Duty.SUPPLIES)
    item = ItemFactory(actor=manager, name="N95口罩")
    holder = HolderFactory(actor=manager, area=district.town)
    ReceiptFactory(actor=manager, holder=holder, item=item, quantity=1000, occurred_on=YESTERDAY)
    ConsumptionFactory(actor=manager, holder=holder, item=item, quantity=710, occurred_on=YESTERDAY)
    # Today's delivery changes today's cover, not yesterday's.
    ReceiptFactory(actor=manager, holder=holder, item=item, quantity=5000)
    snap = snapshot_freeze(actor=None, day=YESTERDAY)
    # 290 left over 710 used in the week: 2.8 days, below the low-stock line.
    frozen = {"supplies.low_stock_holders": 1, "supplies.fewest_days_of_cover": 2.8}
    supplies = {k: v for k, v in _values(snap.figures["district"]).items() if "supplies" in k}
    assert supplies == frozen
    towns = {t["name"]: _values(t["figures"]) for t in snap.figures["towns"]}
    assert towns["昌东镇"]["supplies.fewest_days_of_cover"] == 2.8
    assert "supplies.fewest_days_of_cover" not in towns["麻丘镇"]
    today = {
        f.key: f.value
        for f in platform.figures_for(user=manager, day=timezone.localdate())
        if f.key.startswith("supplies.")
    }
    assert today == {"supplies.low_stock_holders": 0, "supplies.fewest_days_of_cover": 52.1}
