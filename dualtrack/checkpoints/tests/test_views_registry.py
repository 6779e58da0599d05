"""The registry pages: list, detail, create and edit, the kit, staff, roster and handover, the QR
code's rotation, the export form and the towns' readiness."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dualtrack.checkpoints.models import Checkpoint, CheckpointStatus, KitCheck, KitItem, Shift
from dualtrack.core.tests.helpers import followed_job, starting_jobs

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_list_shows_checkpoints_in_scope_with_readiness(as_user, checkpoint, far_checkpoint):
    response = as_user("town_officer").get(reverse("checkpoint_index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "艾溪村东口" in body
    assert "麻丘社区南门" not in body  # another town
    assert "无人值班" in body  # no shift yet
    assert "缺 10 项" in body


def test_list_filters_by_status_and_name(as_user, checkpoint, other_checkpoint, personas):
    from dualtrack.checkpoints.services.registry import checkpoint_update

    checkpoint_update(
        actor=personas.district_admin, checkpoint=other_checkpoint, status=CheckpointStatus.CLOSED
    )
    client = as_user("district_admin")
    body = client.get(reverse("checkpoint_index"), {"status": "closed"}).content.decode()
    assert "艾溪村北口" in body and "艾溪村东口" not in body
    rows = client.get(reverse("checkpoint_index"), {"q": "东口"}, **HTMX).content.decode()
    assert "艾溪村东口" in rows and "艾溪村北口" not in rows
    assert "<html" not in rows


def test_detail_shows_the_checkpoint_kit_roster_and_masked_passages(
    as_user, checkpoint, shift, register
):
    passage = register(name="吴十")
    response = as_user("town_officer").get(reverse("checkpoint_detail", args=[checkpoint.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "艾溪村防控群" in body and "艾溪村值班组" in body and "李挂点" in body
    assert "一面党旗" in body
    assert "吴十" in body
    assert passage.masked_id_number in body
    assert passage.id_number not in body
    assert "gate" in body  # on the current shift


def test_detail_outside_scope_is_not_found(as_user, far_checkpoint):
    assert (
        as_user("town_officer")
        .get(reverse("checkpoint_detail", args=[far_checkpoint.pk]))
        .status_code
        == 404
    )


def test_create_in_the_users_town(as_user, district):
    client = as_user("town_officer")
    assert client.get(reverse("checkpoint_create")).status_code == 200
    response = client.post(
        reverse("checkpoint_create"),
        {
            "area": district.sibling_village.pk,
            "name": "南山村西口",
            "kind": "village_entrance",
            "status": "open",
            "opens_at": "07:00",
            "closes_at": "22:00",
        },
    )
    created = Checkpoint.objects.get(name="南山村西口")
    assert response.status_code == 302
    assert response.url == reverse("checkpoint_detail", args=[created.pk])
    assert created.opens_at == datetime.time(7, 0)


def test_create_with_a_duplicate_name_is_refused_in_chinese(as_user, checkpoint, district):
    response = as_user("town_officer").post(
        reverse("checkpoint_create"),
        {"area": district.village.pk, "name": "艾溪村东口", "kind": "road", "status": "open"},
    )
    assert response.status_code == 422
    assert "本村已有同名卡点" in response.content.decode()
    assert Checkpoint.objects.filter(name="艾溪村东口").count() == 1


def test_create_outside_the_users_towns_is_not_offered(as_user, district):
    response = as_user("town_officer").post(
        reverse("checkpoint_create"),
        {"area": district.far_village.pk, "name": "越界卡点", "kind": "road", "status": "open"},
    )
    assert response.status_code == 422
    assert not Checkpoint.objects.filter(name="越界卡点").exists()


def test_create_without_the_permission_is_not_found(as_user):
    assert as_user("checkpoint_staff").get(reverse("checkpoint_create")).status_code == 404


def test_edit_saves_and_is_refused_to_staff(as_user, checkpoint):
    url = reverse("checkpoint_edit", args=[checkpoint.pk])
    assert as_user("checkpoint_staff").get(url).status_code == 403
    client = as_user("town_officer")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "艾溪村东口卡点", "kind": "road", "status": "suspended", "chat_group": "新群"}
    )
    assert response.status_code == 302
    checkpoint.refresh_from_db()
    assert checkpoint.name == "艾溪村东口卡点"
    assert checkpoint.status == CheckpointStatus.SUSPENDED


def test_edit_with_bad_input_writes_nothing(as_user, checkpoint):
    response = as_user("town_officer").post(
        reverse("checkpoint_edit", args=[checkpoint.pk]),
        {"name": "", "kind": "road", "status": "open", "latitude": "abc"},
    )
    assert response.status_code == 422
    assert "必填" in response.content.decode()
    checkpoint.refresh_from_db()
    assert checkpoint.name == "艾溪村东口"


def test_kit_is_ticked_with_htmx_and_shows_who_checked(as_user, checkpoint):
    client = as_user("town_officer")
    url = reverse("checkpoint_kit", args=[checkpoint.pk, KitItem.THERMOMETER])
    response = client.post(url, {"present": "on"}, **HTMX)
    assert response.status_code == 200
    check = KitCheck.objects.get(checkpoint=checkpoint, item=KitItem.THERMOMETER)
    assert check.present and check.checked_by.username == "town"
    assert "town" in response.content.decode()
    assert "<html" not in response.content.decode()
    client.post(url, {}, **HTMX)
    check.refresh_from_db()
    assert not check.present


def test_kit_is_refused_outside_scope_and_without_permission(as_user, checkpoint, far_checkpoint):
    url = reverse("checkpoint_kit", args=[far_checkpoint.pk, KitItem.LAMP])
    assert as_user("town_officer").post(url, {"present": "on"}).status_code == 404
    commander = as_user("commander")
    own = reverse("checkpoint_kit", args=[checkpoint.pk, KitItem.LAMP])
    assert commander.post(own, {"present": "on"}).status_code == 403
    assert not KitCheck.objects.exists()


def test_staff_and_shift_are_set_from_the_page(as_user, checkpoint, personas):
    client = as_user("town_officer")
    response = client.post(
        reverse("checkpoint_staff", args=[checkpoint.pk]),
        {"users": [personas.checkpoint_staff.pk, personas.village_cadre.pk]},
    )
    assert response.status_code == 302
    assert set(checkpoint.staff.values_list("username", flat=True)) == {"gate", "cadre"}
    now = timezone.localtime()
    response = client.post(
        reverse("shift_create", args=[checkpoint.pk]),
        {
            "starts_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M"),
            "staff": [personas.checkpoint_staff.pk],
        },
    )
    assert response.status_code == 302
    shift = Shift.objects.get(checkpoint=checkpoint)
    assert list(shift.staff.values_list("username", flat=True)) == ["gate"]


def test_shift_ending_before_it_starts_is_refused_in_chinese(as_user, checkpoint, personas):
    now = timezone.localtime()
    response = as_user("town_officer").post(
        reverse("shift_create", args=[checkpoint.pk]),
        {
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "staff": [personas.checkpoint_staff.pk],
        },
    )
    assert response.status_code == 422
    assert "班次结束时间必须晚于开始时间" in response.content.decode()
    assert not Shift.objects.exists()


def test_handover_note_is_saved(as_user, shift):
    response = as_user("checkpoint_staff").post(
        reverse("shift_handover", args=[shift.pk]), {"note": "体温枪电池快没电了"}, follow=True
    )
    assert response.status_code == 200
    shift.refresh_from_db()
    assert shift.handover_note == "体温枪电池快没电了"
    assert "体温枪电池快没电了" in response.content.decode()


def test_rotating_the_qr_code_asks_first(as_user, checkpoint):
    client = as_user("town_officer")
    url = reverse("checkpoint_rotate_token", args=[checkpoint.pk])
    old = checkpoint.qr_token
    assert client.get(url).status_code == 200
    checkpoint.refresh_from_db()
    assert checkpoint.qr_token == old
    assert client.post(url).status_code == 302
    checkpoint.refresh_from_db()
    assert checkpoint.qr_token != old
    assert as_user("checkpoint_staff").post(url).status_code == 403


def test_export_only_for_roles_that_see_personal_data(as_user, checkpoint, register):
    register(name="导出人")
    url = reverse("checkpoint_export", args=[checkpoint.pk])
    assert as_user("town_officer").get(url).status_code == 403
    client = as_user("village_cadre")
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    with starting_jobs():
        response = client.post(url, {"since": today.isoformat(), "until": today.isoformat()})
    job, page = followed_job(client, response)
    assert job.state == "done" and 'data-testid="job-result"' in page
    download = client.get(reverse("job_result", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download.content[:2] == b"PK"
    bad = client.post(url, {"since": today.isoformat(), "until": "2000-01-01"})
    assert bad.status_code == 422


def test_readiness_lists_gaps_per_town(as_user, checkpoint, shift):
    from dualtrack.checkpoints.services.registry import kit_check

    for item in KitItem.values:
        kit_check(
            actor=shift.staff.first(), checkpoint=checkpoint, item=item, present=item != "lamp"
        )
    body = as_user("town_officer").get(reverse("checkpoint_readiness")).content.decode()
    assert "昌东镇" in body
    assert "艾溪村东口" in body
    assert "一盏照明灯" in body
    assert "一把体温枪" not in body


def test_pages_take_a_bounded_number_of_queries(
    as_user, checkpoint, shift, register, personas, district, django_assert_max_num_queries
):
    from dualtrack.checkpoints.services.registry import checkpoint_create

    for n in range(12):
        checkpoint_create(actor=personas.district_admin, area=district.village, name=f"卡点{n}")
        register(name=f"通行{n}")
        register(name=f"发热{n}", temperature="38.5")
    client = as_user("town_officer")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("checkpoint_index")).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(reverse("checkpoint_detail", args=[checkpoint.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("alert_list")).status_code == 200
    staff = as_user("checkpoint_staff")
    with django_assert_max_num_queries(26):
        url = reverse("checkpoint_register", args=[checkpoint.pk])
        assert staff.get(url).status_code == 200


def test_full_numbers_are_shown_only_to_unmasked_roles_and_audited(as_user, checkpoint, register):
    from dualtrack.core.models import AuditAction, AuditEntry

    passage = register(name="核查对象")
    url = reverse("checkpoint_passages_reveal", args=[checkpoint.pk])
    assert as_user("town_officer").post(url, **HTMX).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_PERSONAL_DATA).exists()
    client = as_user("village_cadre")
    page = client.get(reverse("checkpoint_detail", args=[checkpoint.pk])).content.decode()
    assert passage.id_number not in page and url in page
    response = client.post(url, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert passage.id_number in body and passage.phone in body
    assert "<html" not in body
    entry = AuditEntry.objects.get(action=AuditAction.VIEW_PERSONAL_DATA)
    assert entry.actor.username == "cadre"


def test_the_person_in_charge_select_reads_only_what_it_shows(as_user, district, personas):
    """A district's thousands of cadres: the select reads their names and areas, not their
    encrypted phones (each decrypted row by row) or the rest of the row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dualtrack.areas.models import CadreOrigin
    from dualtrack.areas.services.organisation import cadre_create

    cadre_create(
        actor=personas.district_admin,
        name="王干部",
        origin=CadreOrigin.TOWN_VILLAGE,
        area=district.village,
        phone="13800138000",
    )
    client = as_user("town_officer")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("checkpoint_create")).content.decode()
    assert "王干部（艾溪村）" in page
    cadre_reads = [q["sql"] for q in queries.captured_queries if '"areas_cadre"' in q["sql"]]
    assert cadre_reads and not any('"phone"' in sql for sql in cadre_reads)
    # The options are made from the values (id, name, area's name), not from model instances
    # of the cadres and their areas, which took most of the page's time for 2,925 cadres.
    (options,) = [sql for sql in cadre_reads if '"areas_area"."name"' in sql]
    assert options.split(" FROM ")[0].count(",") == 2


def test_the_person_in_charge_stays_chosen_on_the_edit_form(as_user, checkpoint):
    page = as_user("town_officer").get(reverse("checkpoint_edit", args=[checkpoint.pk]))
    chosen = checkpoint.person_in_charge
    assert f'<option value="{chosen.pk}" selected>{chosen.name}（{chosen.area.name}）' in (
        page.content.decode()
    )


def test_list_reads_its_rows_once_without_the_areas_outlines(
    as_user, checkpoint, shift, personas, district
):
    """Hundreds of checkpoints at a district's size: the list reads them once (the readiness is
    that of the rows shown, not of every checkpoint read again), without the villages' outlines
    (a JSON polygon each), and its statements do not grow with the rows."""
    from dualtrack.checkpoints.services.registry import checkpoint_create

    client = as_user("town_officer")

    def statements():
        with CaptureQueriesContext(connection) as captured:
            body = client.get(reverse("checkpoint_index")).content.decode()
        return [q["sql"] for q in captured.captured_queries], body

    few, _body = statements()
    for n in range(12):
        checkpoint_create(actor=personas.district_admin, area=district.village, name=f"卡点{n}")
    many, body = statements()
    assert len(many) == len(few)
    assert "卡点11" in body and "缺 10 项" in body
    checkpoint_rows = [sql for sql in many if sql.startswith('SELECT "checkpoints_checkpoint".')]
    assert len(checkpoint_rows) == 1
    assert not [sql for sql in many if '"geometry"' in sql]


def test_list_shows_each_rows_readiness(as_user, checkpoint, other_checkpoint, shift, personas):
    """Ready, missing kit, nobody on duty, or not open: each row as its own state says."""
    from dualtrack.checkpoints.services.registry import checkpoint_update

    for item in KitItem.values:
        KitCheck.objects.update_or_create(
            checkpoint=checkpoint, item=item, defaults={"present": True}
        )
    checkpoint_update(
        actor=personas.district_admin, checkpoint=other_checkpoint, status=CheckpointStatus.CLOSED
    )
    body = as_user("town_officer").get(reverse("checkpoint_index")).content.decode()
    rows = {row.split("</a>")[0].rsplit(">", 1)[1]: row for row in body.split("<tr>")[2:]}
    assert "就绪" in rows["艾溪村东口"] and "缺" not in rows["艾溪村东口"]
    assert "已关闭" in rows["艾溪村北口"] and "无人值班" not in rows["艾溪村北口"]
