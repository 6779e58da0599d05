"""The public fair pages: listing and filtering postings, applying with the code shown, the
personal link; refusals shown on the form with nothing written; the rate limit."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from dualtrack.jobs.models import Application, ApplicationStatus, Posting
from dualtrack.jobs.services import fairs

from .factories import PostingFactory, apply, hire, id_number

pytestmark = pytest.mark.django_db


def _apply_form(n: int = 1, **extra):
    values = {"name": f"求职者{n}", "mobile": f"1380013{n:04d}", "id_number": id_number(n)}
    values.update(extra)
    return values


def _key_and_code(html: str) -> tuple[str, str]:
    key = re.search(r'name="key" value="([^"]+)"', html)
    code = re.search(r"<strong>(\d{6})</strong>", html)
    assert key and code
    return key.group(1), code.group(1)


def test_a_job_seeker_applies_and_follows_the_personal_link(recruiting):
    client = Client()
    page = client.get(f"/fairs/{recruiting.fair.pk}/")
    assert page.status_code == 200
    assert f'data-testid="posting-{recruiting.posting.pk}"' in page.content.decode()

    answer = client.post(f"/fairs/postings/{recruiting.posting.pk}/", _apply_form())
    assert answer.status_code == 200
    key, code = _key_and_code(answer.content.decode())
    assert Application.objects.get().status == ApplicationStatus.UNVERIFIED

    done = client.post("/fairs/verify/", {"key": key, "code": code})
    assert done.status_code == 200
    link = re.search(r'href="(http://testserver/fairs/me/[^"]+)"', done.content.decode()).group(1)
    mine = client.get(link.removeprefix("http://testserver"))
    assert mine.status_code == 200
    assert recruiting.posting.title in mine.content.decode()
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


def test_a_wrong_code_is_refused_and_counts_an_attempt(recruiting):
    client = Client()
    answer = client.post(f"/fairs/postings/{recruiting.posting.pk}/", _apply_form())
    key, code = _key_and_code(answer.content.decode())
    wrong = "000000" if code != "000000" else "111111"

    refused = client.post("/fairs/verify/", {"key": key, "code": wrong})

    assert refused.status_code == 422
    assert "验证码不正确" in refused.content.decode()
    assert Application.objects.get().status == ApplicationStatus.UNVERIFIED


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"id_number": "360121199001010010"}, "身份证号校验位错误"),
        ({"mobile": "12345"}, "手机号为 11 位数字"),
        ({"name": ""}, "必填"),
        ({"introducer_code": "JSNOSUCH"}, "没有此编码的介绍人"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_written(recruiting, extra, message):
    answer = Client().post(f"/fairs/postings/{recruiting.posting.pk}/", _apply_form(**extra))

    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert not Application.objects.exists()


def test_the_same_person_applies_once_to_a_posting(recruiting):
    apply(recruiting.posting, 1)

    answer = Client().post(f"/fairs/postings/{recruiting.posting.pk}/", _apply_form(1))

    assert answer.status_code == 409
    assert "您已申请过此岗位" in answer.content.decode()
    assert Application.objects.count() == 1


def test_a_closed_fair_takes_no_application(recruiting):
    fairs.fair_close(actor=recruiting.group, fair=recruiting.fair)

    answer = Client().post(f"/fairs/postings/{recruiting.posting.pk}/", _apply_form())

    assert answer.status_code == 409
    assert "不接受申请" in answer.content.decode()
    assert not Application.objects.exists()


def test_a_filled_posting_takes_no_application(recruiting):
    posting = PostingFactory(
        actor=recruiting.ent_user, enterprise=recruiting.enterprise, fair=None, positions=1
    )
    hire(recruiting.ent_user, apply(posting, 1))
    assert Posting.objects.get(pk=posting.pk).status == "filled"

    answer = Client().post(f"/fairs/postings/{posting.pk}/", _apply_form(2))

    assert answer.status_code == 409
    assert "已招满" in answer.content.decode()
    assert Application.objects.count() == 1


def test_the_fair_page_filters_and_pages(recruiting, district):
    for n in range(25):
        PostingFactory(
            actor=recruiting.ent_user,
            enterprise=recruiting.enterprise,
            fair=recruiting.fair,
            title=f"焊工{n}" if n % 2 else f"电工{n}",
            pay_max=8000 if n % 5 == 0 else 6000,
        )
    client = Client()
    first = client.get(f"/fairs/{recruiting.fair.pk}/", {"q": "焊工"})
    html = first.content.decode()
    assert html.count('class="card posting"') == 12
    assert "电工" not in html

    paid = client.get(f"/fairs/{recruiting.fair.pk}/", {"pay": 7000}).content.decode()
    assert paid.count('class="card posting"') == 5

    page1 = client.get(f"/fairs/{recruiting.fair.pk}/").content.decode()
    more = re.search(r'data-testid="more" href="\?([^"]+)"', page1).group(1).replace("&amp;", "&")
    page2 = client.get(f"/fairs/{recruiting.fair.pk}/?{more}").content.decode()
    assert page1.count('class="card posting"') == 20
    assert page2.count('class="card posting"') == 7
    elsewhere = client.get(f"/fairs/{recruiting.fair.pk}/", {"town": district.other_town.pk})
    assert elsewhere.content.decode().count('class="card posting"') == 1  # the far posting


def test_the_fair_page_answers_htmx_with_the_list_alone(recruiting):
    answer = Client().get(f"/fairs/{recruiting.fair.pk}/", HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    assert 'id="postings"' in html and "<html" not in html


def test_an_unknown_personal_link_is_not_found(recruiting):
    assert Client().get("/fairs/me/not-a-token/").status_code == 404


def test_the_public_forms_are_rate_limited(recruiting, settings):
    settings.JOBS_PUBLIC_RATE = "2/d"
    client = Client()
    for _ in range(2):
        client.post(f"/fairs/postings/{recruiting.posting.pk}/", _apply_form(name=""))

    answer = client.post(f"/fairs/postings/{recruiting.posting.pk}/", _apply_form())

    assert answer.status_code == 429
    assert not Application.objects.exists()


def test_the_job_seeker_withdraws_through_their_link(recruiting):
    application = apply(recruiting.posting)
    token = application.applicant.link_token
    client = Client()

    refused = client.post(f"/fairs/me/{token}/{application.pk}/withdraw/", {"reason": ""})
    assert refused.status_code == 422
    done = client.post(f"/fairs/me/{token}/{application.pk}/withdraw/", {"reason": "已找到工作"})
    assert done.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    other = apply(recruiting.far_posting, 2)
    assert (
        client.post(f"/fairs/me/{token}/{other.pk}/withdraw/", {"reason": "x"}).status_code == 404
    )


def test_an_upcoming_fair_shows_its_postings_but_takes_no_application(recruiting):
    soon = timezone.localdate() + datetime.timedelta(days=5)
    fair = fairs.fair_create(
        actor=recruiting.group,
        data=fairs.clean_fair(title="下月招聘会", starts_on=soon, ends_on=soon),
        enterprises=[recruiting.enterprise],
    )
    posting = PostingFactory(actor=recruiting.ent_user, enterprise=recruiting.enterprise, fair=fair)
    page = Client().get(f"/fairs/postings/{posting.pk}/")
    assert 'data-testid="not-open"' in page.content.decode()
    answer = Client().post(f"/fairs/postings/{posting.pk}/", _apply_form())
    assert answer.status_code == 409
