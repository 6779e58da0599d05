"""The supplies API: scoped reads, problem+json refusals that write nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from dualtrack.core.tests.helpers import accepted_job, problem_of, starting_jobs
from dualtrack.supplies.models import Entry, SupplyRequest, Transfer

pytestmark = pytest.mark.django_db

API = "/api/supplies"


@pytest.fixture
def manager(client, stocked):
    client.force_login(stocked.manager)
    return client


def _post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


def test_holder_list_is_scoped_for_a_village(client, stocked, personas):
    s = stocked
    client.force_login(personas.village_cadre)
    ids = {h["id"] for h in client.get(f"{API}/holders").json()}
    assert ids == {s.village.pk, s.checkpoint.pk}
    problem_of(client.get(f"{API}/holders/{s.sibling.pk}"), 404, "not_found")


def test_enterprise_login_sees_its_own_holder_only(client, stocked):
    s = stocked
    client.force_login(s.enterprise_user)
    assert [h["id"] for h in client.get(f"{API}/holders").json()] == [s.enterprise.pk]
    problem_of(client.get(f"{API}/holders/{s.other_enterprise.pk}"), 404, "not_found")
    problem_of(client.get(f"{API}/holders/{s.store.pk}/entries"), 404, "not_found")


def test_town_officer_sees_enterprises_of_its_town(client, stocked, personas):
    s = stocked
    client.force_login(personas.town_officer)
    ids = {h["id"] for h in client.get(f"{API}/holders").json()}
    assert s.enterprise.pk in ids and s.other_enterprise.pk not in ids
    assert s.store.pk not in ids and s.far.pk not in ids


@pytest.mark.parametrize("quantity", [0, -1])
def test_zero_or_negative_quantity_is_a_problem(manager, stocked, quantity):
    before = Entry.objects.count()
    body = problem_of(
        _post(
            manager,
            f"/holders/{stocked.store.pk}/consumption",
            {"item_id": stocked.n95.pk, "quantity": quantity},
        ),
        422,
        "quantity_not_positive",
    )
    assert body["errors"][0]["field"] == "quantity"
    assert Entry.objects.count() == before


def test_unknown_item_is_a_problem(manager, stocked):
    before = Entry.objects.count()
    body = problem_of(
        _post(
            manager,
            f"/holders/{stocked.store.pk}/receipts",
            {"item_id": 999999, "kind": "purchase", "quantity": 5, "counterparty": "x"},
        ),
        422,
        "item_unknown",
    )
    assert body["errors"][0]["field"] == "item_id"
    assert Entry.objects.count() == before


def test_issuing_more_than_the_balance_is_a_problem(manager, stocked):
    before = Entry.objects.count()
    body = problem_of(
        _post(
            manager,
            f"/holders/{stocked.store.pk}/consumption",
            {"item_id": stocked.n95.pk, "quantity": 1001},
        ),
        422,
        "insufficient_stock",
    )
    assert "1000" in body["detail"]
    assert Entry.objects.count() == before


def test_transfer_receive_more_or_twice_is_refused(client, stocked, personas):
    s = stocked
    client.force_login(s.manager)
    response = _post(
        client,
        "/transfers",
        {
            "source_id": s.store.pk,
            "destination_id": s.village.pk,
            "lines": [{"item_id": s.n95.pk, "quantity": 100}],
        },
    )
    assert response.status_code == 201, response.content
    transfer_id = response.json()["id"]
    client.force_login(personas.village_cadre)
    before = Entry.objects.count()
    body = problem_of(
        _post(
            client,
            f"/transfers/{transfer_id}/receive",
            {"lines": [{"item_id": s.n95.pk, "quantity": 120}]},
        ),
        422,
        "receipt_invalid",
    )
    assert body["errors"][0]["field"] == f"received.{s.n95.pk}"
    assert Entry.objects.count() == before
    done = _post(
        client,
        f"/transfers/{transfer_id}/receive",
        {"lines": [{"item_id": s.n95.pk, "quantity": 95, "reason": "破损"}]},
    )
    assert done.status_code == 200
    assert done.json()["lines"][0]["quantity_received"] == 95
    count = Entry.objects.count()
    problem_of(_post(client, f"/transfers/{transfer_id}/receive", {}), 409, "already_received")
    assert Entry.objects.count() == count
    pdf = client.get(f"{API}/transfers/{transfer_id}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_request_decide_and_allocate_through_the_api(client, stocked, personas):
    s = stocked
    client.force_login(personas.village_cadre)
    created = _post(
        client,
        "/requests",
        {
            "holder_id": s.checkpoint.pk,
            "justification": "两周",
            "staff": 3,
            "shifts": 2,
            "days": 14,
            "lines": [{"item_id": s.n95.pk, "quantity": 84}],
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["person_shifts"] == 84
    request_id = created.json()["id"]
    problem_of(
        _post(client, f"/requests/{request_id}/decide", {"approve": True}), 403, "permission_denied"
    )
    client.force_login(s.manager)
    problem_of(
        _post(client, f"/requests/{request_id}/decide", {"approve": False}), 422, "reason_required"
    )
    decided = _post(
        client,
        f"/requests/{request_id}/decide",
        {
            "approve": True,
            "lines": [{"item_id": s.n95.pk, "quantity": 80}],
            "reason": "库存紧张",
        },
    )
    assert decided.json()["status"] == "trimmed"
    proposal = client.get(f"{API}/allocation/proposal").json()
    assert proposal[0]["quantity"] == 80 and proposal[0]["explanation"]
    confirmed = _post(
        client,
        "/allocation/confirm",
        {
            "lines": [{"request_line_id": proposal[0]["request_line_id"], "quantity": 80}],
        },
    )
    assert confirmed.status_code == 201
    assert Transfer.objects.filter(pk__in=confirmed.json()["transfer_ids"]).count() == 1
    assert SupplyRequest.objects.get(pk=request_id).status == "fulfilled"


def test_low_stock_endpoint(client, stocked, personas):
    s = stocked
    client.force_login(s.manager)
    _post(client, f"/holders/{s.store.pk}/consumption", {"item_id": s.gel.pk, "quantity": 190})
    rows = client.get(f"{API}/low-stock").json()
    assert [(r["holder_id"], r["item_id"]) for r in rows] == [(s.store.pk, s.gel.pk)]
    assert rows[0]["days"] < 3
    client.force_login(personas.village_cadre)
    assert client.get(f"{API}/low-stock").json() == []


def test_opening_stock_import_reports_rows(client, stocked, personas):
    s = stocked
    client.force_login(personas.village_cadre)
    book = Workbook()
    for row in (["物资名称", "数量"], ["N95口罩", -3], ["未知", 2]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with starting_jobs():
        response = client.post(
            f"{API}/holders/{s.village.pk}/opening-stock",
            {"file": SimpleUploadedFile("s.xlsx", out.getvalue())},
        )
    job = accepted_job(client, response)
    assert job["state"] == "failed"
    assert [(r["row"], r["column"]) for r in job["problems"]] == [(2, "B"), (3, "A")]
    assert not Entry.objects.filter(holder=s.village).exists()
    response = client.post(
        f"{API}/holders/{s.village.pk}/opening-stock",
        {"file": SimpleUploadedFile("s.xls", b"not a workbook")},
    )
    problem_of(response, 422, "file_not_xlsx")


def test_ledger_export_and_entries(manager, stocked):
    with starting_jobs():
        response = manager.post(f"{API}/holders/{stocked.store.pk}/ledger.xlsx")
    job = accepted_job(manager, response)
    assert job["state"] == "done" and job["result_name"].endswith(".xlsx")
    download = manager.get(job["result_url"])
    assert download.status_code == 200 and download.content[:2] == b"PK"
    entries = manager.get(f"{API}/holders/{stocked.store.pk}/entries").json()
    assert {e["kind"] for e in entries} == {"purchase", "donation"}


def test_reverse_entry_through_the_api(manager, stocked):
    entry = Entry.objects.filter(holder=stocked.store, item=stocked.n95).get()
    response = _post(manager, f"/entries/{entry.pk}/reverse", {"reason": "录错"})
    assert response.status_code == 201 and response.json()["quantity"] == -1000
    problem_of(
        _post(manager, f"/entries/{entry.pk}/reverse", {"reason": "again"}), 409, "already_reversed"
    )


def test_adjustment_proposal_and_decision_through_the_api(client, stocked, personas):
    s = stocked
    client.force_login(s.manager)
    proposed = _post(
        client,
        f"/holders/{s.store.pk}/adjustments",
        {"item_id": s.n95.pk, "counted": 995, "reason": "盘亏"},
    )
    assert proposed.status_code == 201 and proposed.json()["difference"] == -5
    adjustment_id = proposed.json()["id"]
    client.force_login(personas.commander)
    problem_of(
        _post(client, f"/adjustments/{adjustment_id}/decide", {"approve": True}),
        403,
        "permission_denied",
    )
    client.force_login(s.manager)
    decided = _post(client, f"/adjustments/{adjustment_id}/decide", {"approve": True})
    assert decided.json()["status"] == "approved" and decided.json()["entry_id"]
    problem_of(
        _post(client, f"/adjustments/{adjustment_id}/decide", {"approve": True}),
        409,
        "already_decided",
    )
    assert [a["id"] for a in client.get(f"{API}/adjustments").json()] == [adjustment_id]


def test_list_endpoints_have_bounded_queries(
    client, stocked, personas, django_assert_max_num_queries
):
    s = stocked
    client.force_login(s.manager)
    for holder in (s.village, s.far, s.checkpoint, s.quarantine):
        _post(
            client,
            "/transfers",
            {
                "source_id": s.store.pk,
                "destination_id": holder.pk,
                "lines": [
                    {"item_id": s.n95.pk, "quantity": 5},
                    {"item_id": s.gel.pk, "quantity": 1},
                ],
            },
        )
        _post(
            client,
            "/requests",
            {
                "holder_id": holder.pk,
                "justification": "x",
                "staff": 1,
                "shifts": 1,
                "days": 1,
                "lines": [{"item_id": s.n95.pk, "quantity": 5}],
            },
        )
    for url in ("/transfers", "/requests", "/holders", "/low-stock", "/adjustments"):
        with django_assert_max_num_queries(10):
            assert client.get(f"{API}{url}").status_code == 200


def test_a_holders_history_is_in_the_audit_trail_for_its_scope(stocked, personas):
    from dualtrack.core.audit import audit_history_for
    from dualtrack.core.errors import NotFound

    s = stocked
    history = audit_history_for(
        user=personas.town_officer,
        app_label="supplies",
        model_name="holder",
        object_id=str(s.village.pk),
    )
    assert history.entries
    with pytest.raises(NotFound):
        audit_history_for(
            user=personas.town_officer,
            app_label="supplies",
            model_name="holder",
            object_id=str(s.far.pk),
        )


def test_opening_stock_without_a_file_is_a_problem(client, stocked, personas):
    client.force_login(personas.village_cadre)
    body = problem_of(
        client.post(f"{API}/holders/{stocked.village.pk}/opening-stock"), 422, "validation_failed"
    )
    assert body["errors"][0]["field"] == "file"


def test_opening_stock_refuses_a_zip_bomb_and_an_oversized_file(
    client, stocked, personas, settings
):
    """The stocktake import opens workbooks as every other import does: a file that would
    unpack to far more than it weighs, or weighs more than the limit, is refused unread."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.village_cadre)
    url = f"{API}/holders/{stocked.village.pk}/opening-stock"
    settings.IMPORT_MAX_BYTES = 10_000
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 200_000)
    response = client.post(url, {"file": SimpleUploadedFile("s.xlsx", bomb.getvalue())})
    assert problem_of(response, 422, "file_too_large")["errors"][0]["field"] == "file"
    book = Workbook()
    book.active.append(["物资名称", "数量"])
    book.active.append(["N95口罩", 10])
    big = io.BytesIO()
    book.save(big)
    settings.IMPORT_MAX_BYTES = len(big.getvalue()) - 1
    response = client.post(url, {"file": SimpleUploadedFile("s.xlsx", big.getvalue())})
    problem_of(response, 422, "file_too_large")
    assert not Entry.objects.filter(holder=stocked.village).exists()


@pytest.mark.parametrize("quantity", ["1" * 20_000, "00012345678901", "²", "3.5", True])
def test_opening_stock_quantities_that_are_no_plausible_whole_number_are_row_problems(
    client, stocked, personas, quantity
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.village_cadre)
    book = Workbook()
    book.active.append(["物资名称", "数量"])
    book.active.append(["N95口罩", quantity])
    out = io.BytesIO()
    book.save(out)
    with starting_jobs():
        response = client.post(
            f"{API}/holders/{stocked.village.pk}/opening-stock",
            {"file": SimpleUploadedFile("s.xlsx", out.getvalue())},
        )
    job = accepted_job(client, response)
    assert [(r["row"], r["column"]) for r in job["problems"]] == [(2, "B")]
    assert not Entry.objects.filter(holder=stocked.village).exists()


def test_a_retried_receipt_is_not_posted_twice(manager, stocked):
    body = {
        "item_id": stocked.gel.pk,
        "kind": "purchase",
        "quantity": 12,
        "counterparty": "供应商",
        "voucher_no": "RK-77",
    }
    first = _post(manager, f"/holders/{stocked.store.pk}/receipts", body)
    second = _post(manager, f"/holders/{stocked.store.pk}/receipts", body)
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["balance_after"] == 212
