"""The supplies pages: scoped, with clear form errors, and nothing written on bad input."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dualtrack.core.tests.helpers import followed_job, starting_jobs
from dualtrack.supplies.models import Entry, RequestStatus, SupplyRequest, TransferStatus
from dualtrack.supplies.selectors import balance_of
from dualtrack.supplies.services.ledger import consumption_record, receipt_record
from dualtrack.supplies.services.transfers import LineIn, transfer_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, stocked):
    client.force_login(stocked.manager)
    return client


def test_index_lists_holders_and_low_stock(manager_client, stocked, personas):
    s = stocked
    receipt_record(
        actor=s.manager,
        holder=s.checkpoint,
        item=s.n95,
        kind="donation",
        quantity=20,
        counterparty="捐赠",
    )
    consumption_record(actor=s.manager, holder=s.checkpoint, item=s.n95, quantity=14)
    page = manager_client.get(reverse("supplies_index"))
    assert page.status_code == 200
    body = page.content.decode()
    assert s.far.name in body and s.store.name in body
    # 6 left, 14 used in 7 days: 3.0 days... below 3? 6 / 2 = 3.0 is not below 3.
    assert 'data-testid="low-stock"' not in body
    consumption_record(actor=s.manager, holder=s.checkpoint, item=s.n95, quantity=1)
    body = manager_client.get(reverse("supplies_index")).content.decode()
    assert 'data-testid="low-stock"' in body and "艾溪村北卡点" in body
    assert 'id="low-stock-chart-data"' in body


def test_village_cadre_sees_only_its_own_holders(client, stocked, personas):
    s = stocked
    client.force_login(personas.village_cadre)
    body = client.get(reverse("supplies_index")).content.decode()
    assert s.village.name in body and s.checkpoint.name in body
    for other in (s.sibling, s.far, s.store, s.enterprise, s.town):
        assert f'data-testid="holder-{other.pk}"' not in body
    assert client.get(reverse("supplies_holder", args=[s.sibling.pk])).status_code == 404
    assert client.get(reverse("supplies_holder", args=[s.store.pk])).status_code == 404


def test_enterprise_login_sees_only_its_own_holder(client, stocked):
    s = stocked
    client.force_login(s.enterprise_user)
    body = client.get(reverse("supplies_index")).content.decode()
    assert f'data-testid="holder-{s.enterprise.pk}"' in body
    assert body.count('data-testid="holder-') == 1
    assert client.get(reverse("supplies_holder", args=[s.enterprise.pk])).status_code == 200
    for other in (s.other_enterprise, s.village, s.store):
        assert client.get(reverse("supplies_holder", args=[other.pk])).status_code == 404


def test_htmx_search_returns_the_rows_only(manager_client, stocked):
    response = manager_client.get(
        reverse("supplies_index"), {"q": "麻丘"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body and "麻丘社区" in body and "艾溪村" not in body


@pytest.mark.parametrize("quantity", ["0", "-3", "abc"])
def test_bad_consumption_quantity_is_a_form_error(manager_client, stocked, quantity):
    s = stocked
    before = Entry.objects.count()
    response = manager_client.post(
        reverse("supplies_holder_consumption", args=[s.store.pk]),
        {"c-item": s.n95.pk, "c-quantity": quantity},
    )
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    assert Entry.objects.count() == before


def test_unknown_item_and_overdraw_are_form_errors(manager_client, stocked):
    s = stocked
    before = Entry.objects.count()
    url = reverse("supplies_holder_consumption", args=[s.store.pk])
    response = manager_client.post(url, {"c-item": 99999, "c-quantity": "5"})
    assert response.status_code == 422
    assert "未知物资" in response.content.decode() or "Unknown item" in response.content.decode()
    response = manager_client.post(url, {"c-item": s.n95.pk, "c-quantity": "5000"})
    assert response.status_code == 422
    assert "1000" in response.content.decode()
    assert Entry.objects.count() == before


def test_receipt_form_records_an_entry(manager_client, stocked):
    s = stocked
    response = manager_client.post(
        reverse("supplies_holder_receipt", args=[s.store.pk]),
        {
            "r-kind": "purchase",
            "r-item": s.gel.pk,
            "r-quantity": "30",
            "r-counterparty": "某公司",
        },
    )
    assert response.status_code == 302
    assert balance_of(holder=s.store, item=s.gel) == 230


def test_receiving_more_than_sent_on_the_page_is_refused(client, stocked, personas):
    s = stocked
    transfer = transfer_send(
        actor=s.manager, source=s.store, destination=s.village, lines=[LineIn(s.n95, 50)]
    )
    client.force_login(personas.village_cadre)
    url = reverse("supplies_transfer", args=[transfer.pk])
    response = client.post(url, {f"received_{s.n95.pk}": "60"})
    assert response.status_code == 422
    assert "50" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.IN_TRANSIT
    response = client.post(url, {f"received_{s.n95.pk}": "45", f"reason_{s.n95.pk}": "破损"})
    assert response.status_code == 302
    assert balance_of(holder=s.village, item=s.n95) == 45
    again = client.post(url, {f"received_{s.n95.pk}": "45", f"reason_{s.n95.pk}": "破损"})
    assert again.status_code == 422
    assert balance_of(holder=s.village, item=s.n95) == 45
    pdf = client.get(reverse("supplies_transfer_receipt", args=[transfer.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_request_page_shows_staff_shifts_days_and_manager_decides(client, stocked, personas):
    s = stocked
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("supplies_request_new"),
        {
            "holder": s.checkpoint.pk,
            "justification": "两周",
            "staff": "3",
            "shifts": "2",
            "days": "14",
            "item_0": s.n95.pk,
            "quantity_0": "84",
        },
    )
    assert response.status_code == 302
    req = SupplyRequest.objects.get()
    body = client.get(reverse("supplies_requests")).content.decode()
    assert "84" in body and 'data-testid="person-shifts"' in body
    assert (
        client.post(reverse("supplies_decide", args=[req.pk]), {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(s.manager)
    client.post(
        reverse("supplies_decide", args=[req.pk]),
        {"decision": "approve", f"approved_{s.n95.pk}": "80"},
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING  # trimming without a reason is refused
    client.post(
        reverse("supplies_decide", args=[req.pk]),
        {"decision": "approve", f"approved_{s.n95.pk}": "80", "reason": "库存紧"},
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.TRIMMED
    page = client.get(reverse("supplies_allocation"))
    assert page.status_code == 200 and "艾溪村北卡点" in page.content.decode()
    line = req.lines.get()
    response = client.post(reverse("supplies_allocation"), {f"qty_{line.pk}": "80"})
    assert response.status_code == 302
    assert balance_of(holder=s.store, item=s.n95) == 920


def test_request_with_zero_quantity_is_a_form_error(client, stocked, personas):
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("supplies_request_new"),
        {
            "holder": stocked.village.pk,
            "justification": "x",
            "item_0": stocked.n95.pk,
            "quantity_0": "0",
        },
    )
    assert response.status_code == 422
    assert not SupplyRequest.objects.exists()


def test_ledger_export_has_the_usual_columns(manager_client, stocked):
    s = stocked
    consumption_record(actor=s.manager, holder=s.store, item=s.n95, quantity=10)
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    with starting_jobs():
        response = manager_client.post(
            reverse("supplies_ledger", args=[s.store.pk]), {"since": today, "until": today}
        )
    job, _page = followed_job(manager_client, response)
    download = manager_client.get(reverse("job_result", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:8] == ("日期", "物资", "收入", "发出", "结存", "对方单位", "凭证号", "经办人")
    n95_rows = [r for r in rows[2:] if r[1] == "N95口罩"]
    assert [r[4] for r in n95_rows] == [0, 1000, 990, 990]  # opening, in, out, totals
    assert n95_rows[-1][2:4] == (1000, 10)


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_reports_every_bad_row_and_imports_nothing(client, stocked, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = stocked
    client.force_login(personas.village_cadre)
    url = reverse("supplies_import", args=[s.village.pk])
    content = _xlsx(
        [["物资名称", "数量"], ["N95口罩", 10], ["不存在", 5], ["84消毒液", 0], ["N95口罩", 3]]
    )
    with starting_jobs():
        response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", content)})
    job, body = followed_job(client, response)
    assert job.state == "failed" and len(job.problems) == 3
    assert body.count("<tr>") >= 4  # header + three problems
    assert "不存在" in body
    assert not Entry.objects.filter(holder=s.village).exists()
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", b"a,b")})
    assert response.status_code == 422
    good = _xlsx([["物资名称", "数量"], ["N95口罩", 10], ["84消毒液", 4]])
    with starting_jobs():
        response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", good)})
    job, body = followed_job(client, response)
    assert job.state == "done" and f'href="/supplies/holders/{s.village.pk}/"' in body
    assert balance_of(holder=s.village, item=s.gel) == 4


def test_items_page_lets_the_group_add_items(manager_client, personas, client):
    response = manager_client.post(
        reverse("supplies_items"), {"name": "医用手套", "unit": "副", "category": "gloves"}
    )
    assert response.status_code == 302
    assert "医用手套" in manager_client.get(reverse("supplies_items")).content.decode()


def test_adjustment_proposed_on_the_holder_page_and_approved_on_the_index(
    client, stocked, personas
):
    s = stocked
    receipt_record(
        actor=personas.village_cadre,
        holder=s.village,
        item=s.gel,
        kind="donation",
        quantity=10,
        counterparty="捐赠",
    )
    client.force_login(personas.village_cadre)
    response = client.post(
        reverse("supplies_holder_adjustment", args=[s.village.pk]),
        {
            "a-item": s.gel.pk,
            "a-counted": "8",
            "a-reason": "破损两瓶",
        },
    )
    assert response.status_code == 302
    assert balance_of(holder=s.village, item=s.gel) == 10
    client.force_login(s.manager)
    body = client.get(reverse("supplies_index")).content.decode()
    assert "破损两瓶" in body
    from dualtrack.supplies.models import StocktakeAdjustment

    adjustment = StocktakeAdjustment.objects.get()
    client.post(
        reverse("supplies_adjustment_decide", args=[adjustment.pk]), {"decision": "approve"}
    )
    assert balance_of(holder=s.village, item=s.gel) == 8


def test_an_entry_is_reversed_from_the_ledger_table(manager_client, stocked):
    s = stocked
    entry = consumption_record(actor=s.manager, holder=s.store, item=s.n95, quantity=25)
    body = manager_client.get(reverse("supplies_holder", args=[s.store.pk])).content.decode()
    assert reverse("supplies_reverse", args=[entry.pk]) in body
    manager_client.post(reverse("supplies_reverse", args=[entry.pk]), {"reason": "重复登记"})
    assert balance_of(holder=s.store, item=s.n95) == 1000
    manager_client.post(reverse("supplies_reverse", args=[entry.pk]), {"reason": "再来"})
    assert balance_of(holder=s.store, item=s.n95) == 1000


def test_the_group_registers_a_quarantine_site_and_adds_missing_holders(
    manager_client, stocked, district, personas, client
):
    from dualtrack.checkpoints.models import Checkpoint
    from dualtrack.supplies.models import Holder

    response = manager_client.post(
        reverse("supplies_holder_new"),
        {
            "kind": "quarantine_site",
            "name": "昌东隔离点",
            "area": district.town.pk,
        },
    )
    assert response.status_code == 302
    assert Holder.objects.filter(kind="quarantine_site", name="昌东隔离点").exists()
    response = manager_client.post(
        reverse("supplies_holder_new"),
        {
            "kind": "town",
            "area": district.village.pk,
        },
    )
    assert response.status_code == 422  # a town holder on a village
    Checkpoint.objects.create(area=district.sibling_village, name="南山村卡点")
    manager_client.post(reverse("supplies_holders_sync"))
    assert Holder.objects.filter(checkpoint__name="南山村卡点").exists()
    client.force_login(personas.town_officer)
    assert client.get(reverse("supplies_holder_new")).status_code == 403


def test_a_low_holder_shows_the_alert_on_its_page(client, stocked, personas):
    s = stocked
    receipt_record(
        actor=personas.village_cadre,
        holder=s.village,
        item=s.n95,
        kind="donation",
        quantity=30,
        counterparty="捐赠",
    )
    client.force_login(personas.village_cadre)
    url = reverse("supplies_holder", args=[s.village.pk])
    assert 'data-testid="holder-low-stock"' not in client.get(url).content.decode()
    consumption_record(actor=personas.village_cadre, holder=s.village, item=s.n95, quantity=25)
    body = client.get(url).content.decode()  # 5 left at 25 a week: 1.4 days
    assert 'data-testid="holder-low-stock"' in body and "1.4" in body


def test_a_workbook_over_the_size_limit_is_refused(client, stocked, personas, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORT_MAX_BYTES = 100
    client.force_login(personas.village_cadre)
    content = _xlsx([["物资名称", "数量"], ["N95口罩", 10]])
    response = client.post(
        reverse("supplies_import", args=[stocked.village.pk]),
        {"file": SimpleUploadedFile("a.xlsx", content)},
    )
    assert response.status_code == 422
    assert "文件大于 100\xa0字节。" in response.content.decode()
    assert not Entry.objects.filter(holder=stocked.village).exists()


def test_the_index_says_when_its_holders_list_is_cut(client, stocked, monkeypatch):
    """3,433 holders in the demo: the list stopped at 200 without a word."""
    from dualtrack.supplies.models import Holder
    from dualtrack.supplies.views import index as views

    total = Holder.objects.count()
    assert total > 1
    monkeypatch.setattr(views, "HOLDERS_SHOWN", 1)
    client.force_login(stocked.manager)
    page = client.get(reverse("supplies_index")).content.decode()
    assert 'data-testid="holders-cut"' in page
    assert f"共 {total} 个保管单位，此处列出 1 个" in page
    monkeypatch.setattr(views, "HOLDERS_SHOWN", total)
    page = client.get(reverse("supplies_index")).content.decode()
    assert 'data-testid="holders-cut"' not in page


def test_the_send_form_searches_holders_instead_of_listing_them_all(client, stocked, personas):
    """The district store's page listed every holder in a dropdown (3,433 options, 272 kB): the
    send form now asks for part of a name and offers the holders in sight that match."""
    s = stocked
    client.force_login(s.manager)
    page = client.get(reverse("supplies_holder", args=[s.store.pk])).content.decode()
    assert '<select name="t-destination"' not in page
    assert s.far.name not in page and s.quarantine.name not in page
    url = reverse("supplies_destinations", args=[s.store.pk])
    found = client.get(url, {"q": "麻丘"}).content.decode()
    assert s.far.name in found and s.far_checkpoint.name in found and s.quarantine.name in found
    assert s.village.name not in found and s.store.name not in found
    # Only holders in sight: 艾溪村's cadre finds nothing of 麻丘镇.
    client.force_login(personas.village_cadre)
    url = reverse("supplies_destinations", args=[s.village.pk])
    assert s.far.name not in client.get(url, {"q": "麻丘"}).content.decode()
    assert s.checkpoint.name in client.get(url, {"q": "卡点"}).content.decode()
    assert client.get(reverse("supplies_destinations", args=[s.far.pk])).status_code == 404


def test_a_refused_transfer_offers_the_chosen_destination_again(manager_client, stocked):
    s = stocked
    response = manager_client.post(
        reverse("supplies_holder_transfer", args=[s.store.pk]),
        {
            "t-destination": s.far.pk,
            "t-item_0": s.n95.pk,
            "t-quantity_0": 5000,
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert f'name="t-destination" value="{s.far.pk}" checked' in body


def test_the_send_button_reads_as_sending_goods(manager_client, stocked):
    """Supplies' "Send" read 报送 (to report), the enterprises' sense of the word."""
    page = manager_client.get(reverse("supplies_holder", args=[stocked.store.pk])).text
    send = page.split('id="send"')[1].split("</form>")[0]
    assert ">发出</button>" in send and "报送" not in page


def test_each_form_of_the_holder_page_posts_to_its_own_view(manager_client, stocked):
    """One page, one purpose: the page no longer takes a POST switched by an ``action`` field;
    each form names its own URL, and a refusal there shows the holder's page with that form
    open and its error."""
    s = stocked
    url = reverse("supplies_holder", args=[s.store.pk])
    page = manager_client.get(url).content.decode()
    assert 'name="action"' not in page
    for name in (
        "supplies_holder_receipt",
        "supplies_holder_consumption",
        "supplies_holder_adjustment",
        "supplies_holder_transfer",
    ):
        assert f'action="{reverse(name, args=[s.store.pk])}"' in page
    assert manager_client.post(url, {"action": "consumption"}).status_code == 405
    refused = manager_client.post(
        reverse("supplies_holder_adjustment", args=[s.store.pk]),
        {"a-item": s.n95.pk, "a-counted": "1000", "a-reason": "复盘"},
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    section = body.split('id="adjustment"')[1].split("</section>")[0]
    assert '<details class="disclosure" open>' in section and "field-error" in section
