from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dualtrack.command.models import Briefing, Directive, Meeting, Notice
from dualtrack.command.services import briefings as briefing_services
from dualtrack.command.services.snapshots import snapshot_freeze
from dualtrack.command.tests.conftest import in_hours

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
PROBLEM = "application/problem+json"


def _body(district, **kwargs):
    body = {
        "title": "核查十个一",
        "body": "逐一核查",
        "done_when": "全部配齐",
        "deadline": in_hours(24).isoformat(),
        "recipient_area_ids": [district.town.pk],
    }
    body.update(kwargs)
    return body


def test_api_issue_and_follow_up(as_user, district, hq):
    client = as_user("commander")
    response = client.post(
        "/api/command/directives", _body(district), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    directive = response.json()
    part_id = directive["parts"][0]["id"]
    town = as_user("town_officer")
    assert town.post(f"/api/command/parts/{part_id}/acknowledge").status_code == 200
    response = town.post(
        f"/api/command/parts/{part_id}/pass-on",
        {"deadline": in_hours(12).isoformat(), "recipient_area_ids": [district.village.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = town.post(
        f"/api/command/parts/{part_id}/close", {"text": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith(PROBLEM)
    response = town.post(
        f"/api/command/parts/{part_id}/close", {"text": "已配齐"}, content_type="application/json"
    )
    assert response.json()["parts"][0]["status"] == "closed"
    response = as_user("commander").post(
        f"/api/command/parts/{part_id}/accept", {}, content_type="application/json"
    )
    assert response.json()["parts"][0]["status"] == "accepted"


def test_api_bad_input_writes_nothing(as_user, district, hq):
    client = as_user("commander")
    past = _body(district, deadline=(timezone.now() - datetime.timedelta(hours=2)).isoformat())
    response = client.post("/api/command/directives", past, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "deadline"
    town = as_user("town_officer")
    response = town.post(
        "/api/command/directives",
        _body(district, recipient_area_ids=[district.far_village.pk]),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "recipients"
    assert not Directive.objects.exists()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = as_user("commander").post(
        "/api/command/snapshots", {"day": tomorrow}, content_type="application/json"
    )
    assert response.status_code == 422


def test_api_out_of_sight_is_404_like_missing(as_user, district, hq):
    client = as_user("commander")
    directive = client.post(
        "/api/command/directives", _body(district), content_type="application/json"
    ).json()
    other = as_user("village_cadre")
    hidden = other.get(f"/api/command/directives/{directive['id']}")
    missing = other.get("/api/command/directives/999999")
    assert hidden.status_code == missing.status_code == 404
    same = ("type", "title", "detail", "status")
    assert [hidden.json()[k] for k in same] == [missing.json()[k] for k in same]
    # In sight, the role lacks it: 403.
    response = as_user("commander").post(
        f"/api/command/parts/{directive['parts'][0]['id']}/acknowledge"
    )
    assert response.status_code == 403


def test_api_briefing_publish_twice(as_user, personas):
    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    client = as_user("commander")
    briefing = client.post(
        "/api/command/briefings", {"day": YESTERDAY.isoformat()}, content_type="application/json"
    ).json()
    url = f"/api/command/briefings/{briefing['id']}"
    assert (
        client.put(
            url, {"title": "通报", "narrative": "平稳"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert client.post(f"{url}/publish").status_code == 200
    response = client.post(f"{url}/publish")
    assert response.status_code == 409
    assert response.json()["detail"] == "该通报已发布，不能重复发布。"
    assert (
        client.put(
            url, {"title": "x", "narrative": "y"}, content_type="application/json"
        ).status_code
        == 409
    )
    assert Briefing.objects.get().narrative == "平稳"


def test_api_meeting_decision_to_directive(as_user, district, hq):
    client = as_user("commander")
    meeting = client.post(
        "/api/command/meetings",
        {
            "title": "第十次联席会议",
            "held_at": timezone.now().isoformat(),
            "agenda": "复工",
            "participants": "各工作组",
            "decisions": ["各镇核查卡点"],
        },
        content_type="application/json",
    ).json()
    decision_id = meeting["decisions"][0]["id"]
    client.post(
        "/api/command/directives",
        _body(district, decision_id=decision_id),
        content_type="application/json",
    )
    meeting = client.get(f"/api/command/meetings/{meeting['id']}").json()
    assert len(meeting["decisions"][0]["directive_ids"]) == 1
    assert (
        as_user("town_officer")
        .post(
            "/api/command/meetings",
            {
                "title": "x",
                "held_at": timezone.now().isoformat(),
                "agenda": "a",
                "participants": "p",
            },
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert Meeting.objects.count() == 1


def test_pages(as_user, district, hq):
    client = as_user("commander")
    assert client.get("/command/").status_code == 200
    response = client.post(
        "/command/directives/new/",
        {
            "title": "t",
            "body": "b",
            "done_when": "d",
            "deadline": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "recipient_areas": [str(district.town.pk)],
        },
    )
    assert response.status_code == 422
    assert "完成时限不能早于现在" in response.content.decode()
    assert not Directive.objects.exists()
    assert client.get("/command/meetings/").status_code == 200
    assert client.get("/command/briefings/").status_code == 200
    assert as_user("outsider").get("/command/meetings/new/").status_code == 403


def test_public_portal_has_published_only_and_no_personal_data(client, personas, risk_area):
    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    draft = briefing_services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    published = briefing_services.briefing_generate(
        actor=personas.commander, snapshot_day=YESTERDAY
    )
    briefing_services.briefing_publish(actor=personas.commander, briefing=published)
    Notice.objects.create(
        title="复工政策", body="正文", published_at=timezone.now(), published_by=personas.commander
    )
    page = client.get("/public/").content.decode()
    assert published.title in page
    assert f"/public/briefings/{draft.number}/" not in page
    assert "复工政策" in page
    assert risk_area.region_name in page
    assert "commander" not in page
    assert client.get(f"/public/briefings/{draft.number}/").status_code == 404
    assert client.get(f"/public/briefings/{published.number}/").status_code == 200
    pdf = client.get(f"/public/briefings/{published.number}/pdf/")
    assert pdf.content.startswith(b"%PDF")


def test_minutes_are_edited_by_the_organiser_only_with_history(as_user, district, hq):
    from dualtrack.core.models import AuditEntry

    client = as_user("commander")
    meeting = client.post(
        "/api/command/meetings",
        {
            "title": "第十一次联席会议",
            "held_at": timezone.now().isoformat(),
            "agenda": "复工",
            "participants": "各工作组",
            "minutes": "初稿",
            "decisions": ["各镇核查卡点"],
        },
        content_type="application/json",
    ).json()
    decision_id = meeting["decisions"][0]["id"]
    client.post(
        "/api/command/directives",
        _body(district, decision_id=decision_id),
        content_type="application/json",
    )
    url = f"/api/command/meetings/{meeting['id']}/minutes"
    response = client.post(url, {"minutes": "定稿"}, content_type="application/json")
    assert response.status_code == 200, response.content
    edited = response.json()
    assert edited["minutes"] == "定稿"
    directive_ids = [Directive.objects.get().pk]
    assert edited["decisions"] == [meeting["decisions"][0] | {"directive_ids": directive_ids}]
    entry = AuditEntry.objects.filter(note="minutes edited").get()
    assert entry.changes == {"minutes": ["初稿", "定稿"]}
    # Another member of HQ is not the organiser: refused, nothing changed.
    other = as_user("district_admin")
    refused = other.post(url, {"minutes": "改"}, content_type="application/json")
    assert refused.status_code == 403
    assert Meeting.objects.get().minutes == "定稿"
    page = as_user("commander").get(f"/command/meetings/{meeting['id']}/minutes/")
    assert page.status_code == 200


PDF_BYTES = b"%PDF-1.4\n% evidence\n"


def test_files_through_the_api_checked_by_their_first_bytes(
    as_user, district, hq, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dualtrack.command.models import DirectiveAttachment

    settings.MEDIA_ROOT = tmp_path
    body = _body(district, recipient_area_ids=[district.town.pk, district.other_town.pk])
    directive = (
        as_user("commander")
        .post("/api/command/directives", body, content_type="application/json")
        .json()
    )
    [part_id] = [p["id"] for p in directive["parts"] if p["recipient_area_id"] == district.town.pk]
    town = as_user("town_officer")
    url = f"/api/command/parts/{part_id}/close-with-files"
    # A program named as a PDF: refused, nothing written.
    fake = SimpleUploadedFile("照片.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = town.post(url, {"text": "", "files": [fake]})
    assert response.status_code == 422 and response["Content-Type"].startswith(PROBLEM)
    assert not DirectiveAttachment.objects.exists()
    assert Directive.objects.get().assignments.get(pk=part_id).status == "issued"
    evidence = SimpleUploadedFile("核查表.pdf", PDF_BYTES, content_type="application/pdf")
    response = town.post(url, {"text": "已配齐", "files": [evidence]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert {p["id"]: p["status"] for p in body["parts"]}[part_id] == "closed"
    [attachment] = body["attachments"]
    assert attachment["report_id"] is not None
    download = as_user("commander").get(f"/api/command/attachments/{attachment['id']}")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == PDF_BYTES
    # The issuer attaches a file to the directive while a part is open; the recipient may not.
    issued = SimpleUploadedFile("通知.pdf", PDF_BYTES, content_type="application/pdf")
    attach = f"/api/command/directives/{directive['id']}/attachments"
    response = as_user("commander").post(attach, {"files": [issued]})
    assert response.status_code == 201, response.content
    assert response.json()[0]["report_id"] is None
    issued.seek(0)
    assert as_user("town_officer").post(attach, {"files": [issued]}).status_code == 403
    # Out of sight: missing.
    assert (
        as_user("outsider").get(f"/api/command/attachments/{attachment['id']}").status_code == 404
    )


def test_the_briefing_list_reads_no_content_or_figures(as_user, personas):
    """The list shows titles and frozen days: the briefings' content and the snapshots' figures
    (every town's figures as JSON, decoded row by row) are never read for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    briefing = briefing_services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    client = as_user("commander")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/command/briefings/").content.decode()
    assert briefing.title in page and f"{YESTERDAY:%m-%d}" in page
    for query in queries.captured_queries:
        assert '"content"' not in query["sql"] and '"figures"' not in query["sql"]


def test_the_briefing_names_the_district_and_its_headquarters_apart(as_user, personas):
    """The issuer line: 南昌高新区疫情防控和复工复产指挥部 in Chinese, run together as Chinese
    writes it; in English a space between the district's name and the headquarters."""
    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    briefing = briefing_services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    client = as_user("commander")
    url = f"/command/briefings/{briefing.pk}/"
    issuer = '<p class="briefing-issuer">'
    assert f"{issuer}南昌高新区疫情防控和复工复产指挥部</p>" in client.get(url).content.decode()
    personas.commander.language = "en"
    personas.commander.save(update_fields=["language"])
    english = client.get(url).content.decode()
    assert f"{issuer}南昌高新区 Epidemic prevention and economic restart HQ</p>" in english
