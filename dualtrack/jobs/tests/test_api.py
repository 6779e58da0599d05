"""The employment API: what each persona sees and may do (in scope 200, out of scope 404 with the
same body as a missing id, a role without the action 403), bad input refused with nothing
written, the list endpoints' query counts, the public routes."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualtrack.core.models import AuditEntry
from dualtrack.core.tests.helpers import comparable_problem
from dualtrack.enterprises.models import Employee
from dualtrack.jobs.models import (
    Application,
    ApplicationStatus,
    CodeChallenge,
    Introduction,
    Posting,
    PostingStatus,
)

from .factories import apply, hire, id_number, offer

pytestmark = pytest.mark.django_db

API = "/api/employment"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response) -> dict:
    """A problem's body without the address it answers for and the request's id."""
    return comparable_problem(response)


def _post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_an_enterprise_sees_its_own_postings_and_applicants_only(recruiting):
    own = apply(recruiting.posting, 1)
    far = apply(recruiting.far_posting, 2)
    client = _client(recruiting.ent_user)

    postings = client.get(f"{API}/postings").json()["items"]
    applications = client.get(f"{API}/applications").json()["items"]

    assert [p["id"] for p in postings] == [recruiting.posting.pk]
    assert [a["id"] for a in applications] == [own.pk]
    assert applications[0]["id_number"].count("*") >= 8  # masked
    missing = client.get(f"{API}/applications/999999")
    out_of_sight = client.get(f"{API}/applications/{far.pk}")
    assert out_of_sight.status_code == missing.status_code == 404
    assert _body(out_of_sight) == _body(missing)
    assert client.get(f"{API}/postings/{recruiting.far_posting.pk}").status_code == 404


def test_the_group_sees_the_district_and_a_town_officer_their_town(recruiting, personas):
    own = apply(recruiting.posting, 1)
    far = apply(recruiting.far_posting, 2)
    group = _client(recruiting.group)
    town = _client(personas.town_officer)

    assert {a["id"] for a in group.get(f"{API}/applications").json()["items"]} == {own.pk, far.pk}
    assert [a["id"] for a in town.get(f"{API}/applications").json()["items"]] == [own.pk]
    assert town.get(f"{API}/applications/{far.pk}").status_code == 404
    # In sight, but a town officer does not recruit: 403.
    refused = _post(town, f"{API}/applications/{own.pk}/screen")
    assert refused.status_code == 403
    # Out of sight: 404, as if missing.
    assert _post(town, f"{API}/applications/{far.pk}/screen").status_code == 404
    assert _post(town, f"{API}/applications/999999/screen").status_code == 404
    assert Application.objects.get(pk=own.pk).status == ApplicationStatus.SUBMITTED


def test_an_unverified_application_is_seen_by_nobody(recruiting):
    from dualtrack.jobs.services import applying

    pending, _issued = applying.application_start(
        posting_id=recruiting.posting.pk,
        data=applying.clean_application(name="张三", id_number=id_number(7), mobile="13800138007"),
    )
    client = _client(recruiting.ent_user)
    assert client.get(f"{API}/applications").json()["items"] == []
    assert client.get(f"{API}/applications/{pending.pk}").status_code == 404


def test_the_steps_to_a_hire_through_the_api(recruiting):
    application = apply(recruiting.posting)
    client = _client(recruiting.ent_user)
    url = f"{API}/applications/{application.pk}"
    assert _post(client, f"{url}/screen", {"note": "经验符合"}).status_code == 200
    invited = _post(
        client,
        f"{url}/interview",
        {"mode": "on_site", "at": "2026-12-10T09:30:00+08:00", "place": "公司三楼会议室"},
    )
    assert invited.status_code == 200, invited.content
    assert _post(client, f"{url}/offer").status_code == 200
    today = timezone.localdate()
    before = (today - datetime.timedelta(days=1)).isoformat()
    early = _post(client, f"{url}/hire", {"start_date": before, "contract_kind": "open_ended"})
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "start_date"
    assert not Employee.objects.exists()

    hired = _post(
        client, f"{url}/hire", {"start_date": today.isoformat(), "contract_kind": "open_ended"}
    )

    assert hired.status_code == 200, hired.content
    body = hired.json()
    assert body["status"] == "hired"
    assert [e["action"] for e in body["events"]] == [
        "applied",
        "verified",
        "screened",
        "invited",
        "offered",
        "hired",
    ]
    assert body["events"][-1]["by"] == "ent"
    assert Employee.objects.filter(enterprise=recruiting.enterprise, new_hire=True).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mode": "online", "at": "2026-12-10T09:30:00+08:00", "link": "ftp://x"}, "link"),
        ({"mode": "online", "at": "2026-12-10T09:30:00+08:00"}, "link"),
        ({"mode": "on_site", "at": "2026-12-10T09:30:00+08:00"}, "place"),
    ],
)
def test_an_interview_needs_its_link_or_place(recruiting, body, field):
    application = apply(recruiting.posting)
    answer = _post(
        _client(recruiting.ent_user), f"{API}/applications/{application.pk}/interview", body
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == field
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_a_hire_without_an_offer_or_application_is_refused(recruiting):
    application = apply(recruiting.posting)
    client = _client(recruiting.ent_user)
    body = {"start_date": timezone.localdate().isoformat(), "contract_kind": "open_ended"}

    not_offered = _post(client, f"{API}/applications/{application.pk}/hire", body)
    no_application = _post(client, f"{API}/applications/999999/hire", body)

    assert not_offered.status_code == 409
    assert no_application.status_code == 404
    assert not Employee.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contract_kind": "fixed_term"}, "contract_months"),
        ({"contract_kind": "fixed_term", "contract_months": 0}, "contract_months"),
        ({"contract_kind": "open_ended", "contract_months": 12}, "contract_months"),
        ({"contract_kind": "open_ended", "introducer_code": "NOSUCH"}, "introducer_code"),
    ],
)
def test_bad_contracts_are_refused(recruiting, body, field):
    application = offer(recruiting.ent_user, apply(recruiting.posting))
    body = {"start_date": timezone.localdate().isoformat(), **body}
    answer = _post(_client(recruiting.ent_user), f"{API}/applications/{application.pk}/hire", body)
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"][0]["field"] == field
    assert not Employee.objects.exists()


def test_reject_and_withdraw_need_a_reason(recruiting):
    application = apply(recruiting.posting)
    client = _client(recruiting.ent_user)
    url = f"{API}/applications/{application.pk}"
    assert _post(client, f"{url}/reject", {"reason": "  "}).status_code == 422
    assert _post(client, f"{url}/reject", {"reason": "经验不符"}).json()["reason"] == "经验不符"
    assert _post(client, f"{url}/withdraw", {"reason": "x"}).status_code == 409


def test_postings_are_created_for_a_participating_enterprise_only(recruiting, enterprise, personas):
    from dualtrack.jobs.services import fairs

    other = fairs.fair_create(
        actor=recruiting.group,
        data=fairs.clean_fair(
            title="另一场", starts_on=timezone.localdate(), ends_on=timezone.localdate()
        ),
        enterprises=[],
    )
    body = {
        "enterprise_id": enterprise.pk,
        "title": "装配工",
        "positions": 5,
        "pay_min": 4000,
        "pay_max": 5000,
        "place": "高新大道",
        "contact_name": "李",
        "contact_phone": "13900139000",
    }
    client = _client(recruiting.ent_user)
    assert (
        _post(client, f"{API}/postings", {**body, "fair_id": recruiting.fair.pk}).status_code == 201
    )
    refused = _post(client, f"{API}/postings", {**body, "fair_id": other.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "fair"
    bad_pay = _post(client, f"{API}/postings", {**body, "pay_min": 6000})
    assert bad_pay.status_code == 422 and bad_pay.json()["errors"][0]["field"] == "pay_max"
    assert _post(client, f"{API}/postings", {**body, "positions": 0}).status_code == 422
    # Another enterprise's: out of sight.
    far = _post(client, f"{API}/postings", {**body, "enterprise_id": recruiting.far_enterprise.pk})
    assert far.status_code == 404
    town = _post(_client(personas.town_officer), f"{API}/postings", body)
    assert town.status_code == 403


def test_fairs_are_opened_by_the_group_only(recruiting, personas, enterprise):
    body = {"title": "春风行动", "starts_on": "2026-12-01", "ends_on": "2026-12-20"}
    assert _post(_client(recruiting.group), f"{API}/fairs", body).status_code == 201
    assert _post(_client(personas.town_officer), f"{API}/fairs", body).status_code == 403
    assert _post(_client(recruiting.ent_user), f"{API}/fairs", body).status_code == 403
    assert _post(_client(personas.outsider), f"{API}/fairs", body).status_code == 404
    backwards = _post(_client(recruiting.group), f"{API}/fairs", {**body, "ends_on": "2026-11-01"})
    assert backwards.status_code == 422
    assert _client(personas.outsider).get(f"{API}/fairs/{recruiting.fair.pk}").status_code == 404
    assert (
        _client(personas.town_officer).get(f"{API}/fairs/{recruiting.fair.pk}").status_code == 200
    )
    closed = _post(_client(recruiting.group), f"{API}/fairs/{recruiting.fair.pk}/close")
    assert closed.json()["state"] == "closed"


def test_introducers_count_each_worker_once(recruiting, personas):
    client = _client(recruiting.group)
    first = _post(
        client,
        f"{API}/introducers",
        {"kind": "person", "name": "王介绍", "mobile": "13700137000", "id_number": id_number(900)},
    ).json()
    second = _post(
        client,
        f"{API}/introducers",
        {
            "kind": "organisation",
            "name": "人力公司",
            "mobile": "13700137001",
            "credit_code": "91360100MA35F6XX0A",
        },
    ).json()
    again = _post(
        client,
        f"{API}/introducers",
        {"kind": "person", "name": "王介绍", "mobile": "13700137000", "id_number": id_number(900)},
    )
    assert again.status_code == 409

    worker = apply(recruiting.posting, 1, introducer_code=first["code"])
    from dualtrack.jobs.services import applying

    with pytest.raises(Exception) as refused:
        applying.application_start(
            posting_id=recruiting.far_posting.pk,
            data=applying.clean_application(
                name="求职者1",
                id_number=id_number(1),
                mobile="13800130001",
                introducer_code=second["code"],
            ),
        )
    assert "已计入另一位介绍人" in str(refused.value.errors)
    hire(recruiting.ent_user, worker)

    detail = client.get(f"{API}/introducers/{first['id']}").json()
    assert detail["qualifying_hires"] == 1 and detail["claimed"] == 1
    assert detail["by_enterprise"] == [
        {
            "enterprise_id": recruiting.enterprise.pk,
            "name": recruiting.enterprise.name,
            "workers": 1,
        }
    ]
    assert not detail["reached_threshold"]
    assert Introduction.objects.count() == 1
    # Introducers are the district's: a town officer does not see them; the commander reads only.
    assert _client(personas.town_officer).get(f"{API}/introducers/{first['id']}").status_code == 404
    assert _client(personas.commander).get(f"{API}/introducers/{first['id']}").status_code == 200
    assert _post(_client(personas.commander), f"{API}/introducers", {}).status_code == 422


def test_the_list_endpoints_take_a_fixed_number_of_queries(recruiting):
    client = _client(recruiting.group)
    apply(recruiting.posting, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/applications")
        client.get(f"{API}/postings")
    for n in range(2, 8):
        apply(recruiting.posting, n)
    with CaptureQueriesContext(connection) as many:
        client.get(f"{API}/applications")
        client.get(f"{API}/postings")
    assert len(many) == len(few) <= 12


def test_the_figures_count_per_fair_and_enterprise(recruiting):
    hire(recruiting.ent_user, apply(recruiting.posting, 1))
    apply(recruiting.posting, 2)
    apply(recruiting.far_posting, 3)
    body = _client(recruiting.group).get(f"{API}/figures?fair_id={recruiting.fair.pk}").json()
    assert body["total"] == {
        "id": None,
        "label": "合计",
        "postings": 2,
        "positions": 6,
        "applications": 3,
        "interviews": 1,
        "hires": 1,
    }
    own = _client(recruiting.ent_user).get(f"{API}/figures").json()
    assert own["total"]["applications"] == 2 and own["total"]["postings"] == 1


def test_the_public_api_applies_and_shows_the_seekers_applications(recruiting):
    client = Client()
    postings = client.get(f"{API}/public/fairs/{recruiting.fair.pk}/postings?q=普工").json()
    assert {p["id"] for p in postings["items"]} == {
        recruiting.posting.pk,
        recruiting.far_posting.pk,
    }
    issued = _post(
        client,
        f"{API}/public/postings/{recruiting.posting.pk}/applications",
        {"name": "张三", "id_number": id_number(5), "mobile": "13800138005"},
    )
    assert issued.status_code == 202
    wrong = _post(
        client, f"{API}/public/applications/verify", {"key": issued.json()["key"], "code": "x"}
    )
    assert wrong.status_code == 422
    done = _post(client, f"{API}/public/applications/verify", {**issued.json()})
    assert done.status_code == 200, done.content
    token = done.json()["link"].rstrip("/").rsplit("/", 1)[-1]
    mine = client.get(f"{API}/public/me/{token}").json()
    assert [a["status"] for a in mine] == ["submitted"]
    twice = _post(
        client,
        f"{API}/public/postings/{recruiting.posting.pk}/applications",
        {"name": "张三", "id_number": id_number(5), "mobile": "13800138005"},
    )
    assert twice.status_code == 409
    assert client.get(f"{API}/public/me/nope").status_code == 404


def test_a_wrong_code_counts_and_a_refused_code_stays_used(recruiting):
    """The code's refusals keep what they must through the API's transaction (the service takes
    no savepoint): a wrong code's attempt stays counted, and an application refused once its
    code is used (the posting closed in between) leaves the code used and the application as it
    was, with no audit entry of a submission."""
    client = Client()
    issued = _post(
        client,
        f"{API}/public/postings/{recruiting.posting.pk}/applications",
        {"name": "张三", "id_number": id_number(6), "mobile": "13800138006"},
    ).json()
    wrong = "000000" if issued["code"] != "000000" else "111111"
    refused = _post(client, f"{API}/public/applications/verify", {**issued, "code": wrong})
    assert refused.status_code == 422
    assert refused.json()["code"] == "code_wrong"
    assert CodeChallenge.objects.get().attempts == 1

    Posting.objects.filter(pk=recruiting.posting.pk).update(status=PostingStatus.CLOSED)
    closed = _post(client, f"{API}/public/applications/verify", issued)
    assert closed.status_code == 409
    assert closed.json()["code"] == "posting_closed"
    assert CodeChallenge.objects.get().used_at is not None
    application = Application.objects.get()
    assert application.status == ApplicationStatus.UNVERIFIED
    assert application.verified_at is None
    assert not AuditEntry.objects.filter(target_id=str(application.pk), action="update").exists()
    again = _post(client, f"{API}/public/applications/verify", issued)
    assert again.json()["code"] == "code_stale"  # the code is used: a new one is needed


def test_the_public_api_is_rate_limited_and_keeps_the_count(recruiting, settings):
    settings.JOBS_PUBLIC_RATE = "1/d"
    client = Client()
    url = f"{API}/public/postings/{recruiting.posting.pk}/applications"
    assert _post(client, url, {"name": "", "id_number": "x", "mobile": "1"}).status_code == 422
    limited = _post(
        client, url, {"name": "张三", "id_number": id_number(5), "mobile": "13800138005"}
    )
    assert limited.status_code == 429
    assert not Application.objects.exists()


def test_one_mobile_gets_a_bounded_number_of_codes(recruiting, settings):
    settings.JOBS_CODES_PER_MOBILE = "2/d"
    client = Client()
    body = {"name": "张三", "id_number": id_number(5), "mobile": "13800138005"}
    url = f"{API}/public/postings/{recruiting.posting.pk}/applications"
    assert _post(client, url, body).status_code == 202
    assert _post(client, url, body).status_code == 202
    refused = _post(client, url, body)
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_codes"


def test_the_group_changes_a_fair_until_it_is_closed(recruiting, personas):
    url = f"{API}/fairs/{recruiting.fair.pk}"
    body = {"title": "春风行动（延期）", "starts_on": "2026-12-01", "ends_on": "2026-12-31"}
    group = _client(recruiting.group)
    changed = group.put(url, json.dumps(body), content_type="application/json")
    assert changed.status_code == 200 and changed.json()["title"] == "春风行动（延期）"
    town = _client(personas.town_officer).put(
        url, json.dumps(body), content_type="application/json"
    )
    assert town.status_code == 403
    _post(group, f"{url}/close")
    closed = group.put(url, json.dumps(body), content_type="application/json")
    assert closed.status_code == 409


def test_the_one_button_routes_answer_by_scope(recruiting, personas):
    """Closing a posting or a fair, naming a fair's enterprises: in scope 200, out of sight
    404 (as a missing id), in sight without the role 403; nothing changes on a refusal."""
    far, own = recruiting.far_posting, recruiting.posting
    town = _client(personas.town_officer)
    ent = _client(recruiting.ent_user)
    assert _post(ent, f"{API}/postings/{far.pk}/close").status_code == 404
    assert _post(ent, f"{API}/postings/999999/close").status_code == 404
    assert _post(town, f"{API}/postings/{own.pk}/close").status_code == 403
    assert _post(town, f"{API}/postings/{far.pk}/close").status_code == 404
    assert _post(ent, f"{API}/postings/{own.pk}/close").json()["status"] == "closed"
    again = _post(ent, f"{API}/postings/{own.pk}/close")
    assert again.status_code == 409
    body = json.dumps({"enterprise_ids": [recruiting.enterprise.pk]})
    url = f"{API}/fairs/{recruiting.fair.pk}/enterprises"
    assert town.put(url, body, content_type="application/json").status_code == 403
    assert ent.put(url, body, content_type="application/json").status_code == 403
    outsider = _client(personas.outsider)
    assert outsider.put(url, body, content_type="application/json").status_code == 404
    kept = _client(recruiting.group).put(url, body, content_type="application/json").json()
    # The far enterprise has a posting in the fair: it stays.
    assert kept["enterprise_ids"] == sorted(
        [recruiting.enterprise.pk, recruiting.far_enterprise.pk]
    )
    assert _post(town, f"{API}/fairs/{recruiting.fair.pk}/close").status_code == 403
    assert _post(town, f"{API}/fairs/999999/close").status_code == 404


def test_a_hire_naming_an_introducer_of_a_worker_counted_for_another_is_refused(recruiting):
    from dualtrack.jobs.services import introducers

    def register(name, code):
        return introducers.introducer_register(
            actor=recruiting.group,
            data=introducers.clean_introducer(
                kind="organisation", name=name, mobile="13700137001", credit_code=code
            ),
        )

    first = register("甲人力", "91360100MA35F6XX0A")
    second = register("乙人力", "91360100MA38N6UW9P")
    counted = apply(recruiting.far_posting, 1, introducer_code=first.code)
    assert counted.introducer == first
    application = offer(recruiting.ent_user, apply(recruiting.posting, 1))
    body = {
        "start_date": timezone.localdate().isoformat(),
        "contract_kind": "open_ended",
        "introducer_code": second.code,
    }
    refused = _post(_client(recruiting.ent_user), f"{API}/applications/{application.pk}/hire", body)
    assert refused.status_code == 422
    assert "已计入另一位介绍人" in refused.json()["errors"][0]["message"]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.OFFERED
    assert not Employee.objects.exists()
    assert Introduction.objects.get().introducer == first


def test_the_applicants_numbers_are_revealed_to_those_who_may_and_audited(recruiting, personas):
    from dualtrack.core.models import AuditAction, AuditEntry

    application = apply(recruiting.posting)
    far = apply(recruiting.far_posting, 2)
    url = f"{API}/applications/{application.pk}/reveal"
    shown = _post(_client(recruiting.ent_user), url)
    assert shown.status_code == 200
    assert shown.json() == {
        "id_number": application.applicant.id_number,
        "mobile": application.applicant.mobile,
    }
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.VIEW_PERSONAL_DATA, actor=recruiting.ent_user
        ).count()
        == 1
    )
    # A town officer sees the application, but holds no personal-data permission.
    assert _post(_client(personas.town_officer), url).status_code == 403
    assert _post(_client(personas.district_admin), url).status_code == 200
    assert (
        _post(_client(recruiting.ent_user), f"{API}/applications/{far.pk}/reveal").status_code
        == 404
    )
    page = _client(recruiting.ent_user).post(f"/employment/applications/{application.pk}/reveal/")
    assert application.applicant.mobile in page.content.decode()
    listed = _client(recruiting.ent_user).get(f"/employment/applications/{application.pk}/")
    assert application.applicant.mobile not in listed.content.decode()


def _statements(captured) -> list[str]:
    """The statements of a request, without transaction control and the rate limit's purge of
    ended windows (which runs when a window opens, whatever the request)."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
    return [
        q["sql"]
        for q in captured
        if not q["sql"].startswith(control)
        and not q["sql"].startswith('DELETE FROM "core_ratecounter"')
    ]


def test_an_application_is_a_few_constant_statements(recruiting, settings):
    """The public path under load (bench/jobs.py): the form is the two rate limits, the posting
    with this person's earlier application, the applicant's upsert, the application's insert and
    those of its step, the code's challenge and the audit entry; the code is the rate limit, the
    code used, the application read and updated, the inserts of the step and the audit entry.
    On PostgreSQL the code is used in the statement that reads its application, and each
    request's last writes are one statement (``core.sql.insert_all``). The
    same count for every application, and no savepoint: every refusal comes before the first
    write (``core.transactions``; docs/benchmarks.md, "Employment services")."""
    client = Client()
    counts, savepoints = [], []
    for n in (30, 31, 32):  # the first also fills the process's caches (content types)
        with CaptureQueriesContext(connection) as form:
            issued = _post(
                client,
                f"{API}/public/postings/{recruiting.posting.pk}/applications",
                {"name": "张三", "id_number": id_number(n), "mobile": f"138001380{n}"},
            )
        assert issued.status_code == 202
        with CaptureQueriesContext(connection) as code:
            assert (
                _post(client, f"{API}/public/applications/verify", issued.json()).status_code == 200
            )
        counts.append((len(_statements(form)), len(_statements(code))))
        # The API's transaction of each request (a savepoint inside the test's own), none of the
        # services'.
        savepoints.append([sum(q["sql"].startswith("SAVEPOINT") for q in c) for c in (form, code)])
    expected = (4, 3) if connection.vendor == "postgresql" else (8, 6)
    assert counts[1:] == [expected, expected]
    assert savepoints[1:] == [[1, 1], [1, 1]]
