"""The briefing's PDF and .docx are made once per version of the briefing and then served as they
were made (a published briefing never changes); a draft's edit or its publishing makes new ones;
a client holding the current version gets "not modified"; access is checked as before."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone

from dualtrack.command import documents
from dualtrack.command.services import briefings as services
from dualtrack.command.services.snapshots import snapshot_freeze

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def made(monkeypatch):
    """The documents made (kind, briefing number), in order; each is still really made."""
    calls: list[tuple[str, int]] = []
    for kind, maker in list(documents._MAKERS.items()):

        def counted(briefing, kind=kind, maker=maker):
            calls.append((kind, briefing.number))
            return maker(briefing)

        monkeypatch.setitem(documents._MAKERS, kind, counted)
    return calls


@pytest.fixture
def briefings(personas):
    snapshot_freeze(actor=personas.commander, day=YESTERDAY)
    draft = services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    published = services.briefing_generate(actor=personas.commander, snapshot_day=YESTERDAY)
    services.briefing_publish(actor=personas.commander, briefing=published)
    return draft, published


def _docx_text(content: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_a_published_briefing_is_made_once_and_served_as_made(
    as_user, client, briefings, made, django_assert_max_num_queries
):
    _, published = briefings
    commander = as_user("commander")
    for kind in ("pdf", "docx"):
        url = f"/command/briefings/{published.pk}/{kind}/"
        first = commander.get(url)
        with django_assert_max_num_queries(8):
            second = commander.get(url)
        assert first.status_code == second.status_code == 200
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]
        assert first["Content-Disposition"] == (
            f'attachment; filename="briefing-{published.number}.{kind}"'
        )
    assert first.content.startswith(b"PK")
    assert made == [("pdf", published.number), ("docx", published.number)]
    # The public PDF is the same document: not made again.
    client.logout()
    public = client.get(f"/public/briefings/{published.number}/pdf/")
    assert public.status_code == 200
    assert public.content.startswith(b"%PDF")
    assert public["Content-Disposition"] == f'inline; filename="briefing-{published.number}.pdf"'
    assert made == [("pdf", published.number), ("docx", published.number)]


def test_a_client_holding_the_current_version_is_told_not_modified(as_user, briefings, made):
    _, published = briefings
    commander = as_user("commander")
    url = f"/command/briefings/{published.pk}/pdf/"
    tag = commander.get(url)["ETag"]
    again = commander.get(url, headers={"if-none-match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == tag
    assert commander.get(url, headers={"if-none-match": '"pdf-older"'}).status_code == 200
    assert made == [("pdf", published.number)]


def test_a_drafts_edit_and_its_publishing_make_new_documents(as_user, personas, briefings, made):
    draft, _ = briefings
    commander = as_user("commander")
    url = f"/command/briefings/{draft.pk}/docx/"
    before = commander.get(url)
    assert commander.get(url).content == before.content
    services.briefing_update(
        actor=personas.commander, briefing=draft, title="第一次修改的标题", narrative="情况平稳。"
    )
    edited = commander.get(url)
    assert edited["ETag"] != before["ETag"]
    assert "第一次修改的标题" in _docx_text(edited.content)
    # A client holding the old version is sent the new one.
    assert commander.get(url, headers={"if-none-match": before["ETag"]}).status_code == 200
    services.briefing_publish(actor=personas.commander, briefing=draft)
    published = commander.get(url)
    assert published["ETag"] != edited["ETag"]
    assert made == [("docx", draft.number)] * 3


def test_a_made_document_is_no_way_around_the_access_checks(as_user, client, briefings, made):
    draft, published = briefings
    commander = as_user("commander")
    assert commander.get(f"/command/briefings/{draft.pk}/pdf/").status_code == 200
    tag = commander.get(f"/command/briefings/{published.pk}/pdf/")["ETag"]
    # A town officer sees published briefings only; outsiders and the public see no draft.
    town = as_user("town_officer")
    assert town.get(f"/command/briefings/{draft.pk}/pdf/").status_code == 404
    assert town.get(f"/command/briefings/{published.pk}/pdf/").status_code == 200
    outsider = as_user("outsider")
    for url in (f"/command/briefings/{draft.pk}/pdf/", f"/command/briefings/{published.pk}/pdf/"):
        assert outsider.get(url, headers={"if-none-match": tag}).status_code == 404
    client.logout()
    assert client.get(f"/public/briefings/{draft.number}/pdf/").status_code == 404
    assert len(made) == 2
