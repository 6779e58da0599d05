"""The one inbox: every app's items, read through ``platform.inbox_for`` only, on a page
(``/inbox/``, refreshed by htmx) and in the API (``GET /api/account/inbox``); the urgent first,
then the newest."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dualtrack.core import platform

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def sources(monkeypatch):
    """Two apps' sources: one gives the signed-in persona an old item, a new one and an urgent
    one; the other gives every user nothing."""
    now = timezone.now()

    def first(user):
        if user.username != "cadre":
            return []
        return [
            platform.InboxItem(
                key="one.thing:1",
                kind="旧事项",
                title="张三",
                detail="艾溪村",
                raised_at=now - datetime.timedelta(hours=2),
                url="/one/1/",
            ),
            platform.InboxItem(
                key="one.thing:2",
                kind="新事项",
                title="李四",
                detail="",
                raised_at=now,
                url="/one/2/",
            ),
        ]

    def second(user):
        if user.username != "cadre":
            return []
        return [
            platform.InboxItem(
                key="two.late:7",
                kind="逾期事项",
                title="王五",
                detail="南山村",
                raised_at=now - datetime.timedelta(hours=1),
                url="/two/7/",
                urgent=True,
            )
        ]

    monkeypatch.setattr(
        platform,
        "_contributions",
        {
            "one": platform.AppContribution(label="one", inbox=(first,)),
            "two": platform.AppContribution(label="two", inbox=(second,)),
        },
    )


def test_the_page_lists_every_apps_items_urgent_first_then_newest(as_user, sources):
    response = as_user("village_cadre").get(reverse("inbox"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("王五") < body.index("李四") < body.index("张三")
    assert 'data-inbox="two.late:7"' in body and 'href="/two/7/"' in body
    assert "紧急" in body and "1 项紧急待办" in body
    assert 'hx-trigger="every 60s"' in body  # the list refreshes itself


def test_htmx_gets_the_list_alone(as_user, sources):
    response = as_user("village_cadre").get(reverse("inbox"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="inbox-items"' in body and "王五" in body


def test_the_page_is_complete_in_english(as_user, sources):
    client = as_user("village_cadre")
    client.post(reverse("language"), {"language": "en", "next": "/"})
    body = client.get(reverse("inbox")).content.decode()
    assert "<h1>Inbox</h1>" in body
    assert "1 urgent item." in body and ">urgent<" in body
    assert "收件箱" not in body and "紧急" not in body


def test_nothing_waiting_says_so(as_user, sources):
    body = as_user("town_officer").get(reverse("inbox")).content.decode()
    assert "暂无待办。" in body and "data-inbox=" not in body


def test_the_menu_links_to_the_inbox(as_user):
    body = as_user("town_officer").get("/").content.decode()
    assert f'href="{reverse("inbox")}" data-inbox-link' in body


def test_the_page_needs_an_account(client):
    response = client.get(reverse("inbox"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_api_gives_the_same_items_in_the_same_order(as_user, sources):
    response = as_user("village_cadre").get("/api/account/inbox")
    assert response.status_code == 200
    items = response.json()
    assert [item["key"] for item in items] == ["two.late:7", "one.thing:2", "one.thing:1"]
    assert items[0] == {
        "key": "two.late:7",
        "kind": "逾期事项",
        "title": "王五",
        "detail": "南山村",
        "raised_at": items[0]["raised_at"],
        "url": "/two/7/",
        "urgent": True,
    }
    assert as_user("town_officer").get("/api/account/inbox").json() == []


def test_the_api_needs_an_account(client):
    response = client.get("/api/account/inbox")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
