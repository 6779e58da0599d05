"""Every id a supplies write takes is read through the caller's sight, and a gate's staff see
the supplies of the gates they staff, as the checkpoints app sees those gates."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dualtrack.checkpoints.models import CheckpointStaff
from dualtrack.core.tests.helpers import problem_of
from dualtrack.supplies.models import (
    Entry,
    RequestStatus,
    StocktakeAdjustment,
    SupplyRequest,
    Transfer,
    TransferStatus,
)
from dualtrack.supplies.services.ledger import receipt_record
from dualtrack.supplies.services.requests import request_submit
from dualtrack.supplies.services.stocktakes import adjustment_propose
from dualtrack.supplies.services.transfers import LineIn, transfer_receive, transfer_send

pytestmark = pytest.mark.django_db

API = "/api/supplies"


def _post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


# --- A gate's staff -------------------------------------------------------------------------------


def test_gate_staff_see_only_the_holders_of_the_gates_they_staff(client, stocked, personas):
    """The checkpoints app shows a gate's staff only the gates they staff; the supplies app
    agreed for the village before: its holders, its other gates' stock and ledgers."""
    s = stocked
    staff = personas.checkpoint_staff
    client.force_login(staff)
    assert client.get(f"{API}/holders").json() == []
    problem_of(client.get(f"{API}/holders/{s.checkpoint.pk}"), 404, "not_found")
    assert client.get(reverse("supplies_holder", args=[s.checkpoint.pk])).status_code == 404

    CheckpointStaff.objects.create(checkpoint=s.checkpoint.checkpoint, user=staff)
    client.force_login(staff)  # a fresh request: the scope is built per request
    assert [h["id"] for h in client.get(f"{API}/holders").json()] == [s.checkpoint.pk]
    assert client.get(f"{API}/holders/{s.checkpoint.pk}/entries").status_code == 200
    for other in (s.village, s.sibling, s.far_checkpoint):
        problem_of(client.get(f"{API}/holders/{other.pk}"), 404, "not_found")
        problem_of(client.get(f"{API}/holders/{other.pk}/entries"), 404, "not_found")
        problem_of(client.post(f"{API}/holders/{other.pk}/ledger.xlsx"), 404, "not_found")
        assert client.get(reverse("supplies_holder", args=[other.pk])).status_code == 404
    # Seeing their gate's stock is all their role grants: they keep no ledger.
    body = problem_of(
        _post(
            client,
            f"/holders/{s.checkpoint.pk}/consumption",
            {"item_id": s.n95.pk, "quantity": 1},
        ),
        403,
        "permission_denied",
    )
    assert body["status"] == 403


def test_a_village_cadre_still_keeps_the_ledgers_of_the_village_gates(client, stocked, personas):
    s = stocked
    client.force_login(personas.village_cadre)
    ids = {h["id"] for h in client.get(f"{API}/holders").json()}
    assert ids == {s.village.pk, s.checkpoint.pk}


# --- Out-of-sight ids in every write ------------------------------------------------------------


@pytest.fixture
def far_records(stocked, personas):
    """A transfer to 麻丘社区, received there, an entry in its ledger and an adjustment: all out
    of sight of 艾溪村's cadre."""
    s = stocked
    transfer = transfer_send(
        actor=s.manager, source=s.store, destination=s.far, lines=[LineIn(s.n95, 10)]
    )
    transfer_receive(actor=personas.district_admin, transfer=transfer)
    pending = transfer_send(
        actor=s.manager, source=s.store, destination=s.far, lines=[LineIn(s.n95, 5)]
    )
    adjustment = adjustment_propose(
        actor=personas.district_admin, holder=s.far, item=s.n95, counted=9, reason="盘点"
    )
    entry = Entry.objects.filter(holder=s.far).latest("id")
    request = request_submit(
        actor=personas.district_admin,
        holder=s.far,
        lines=[LineIn(s.n95, 3)],
        justification="社区两周用量",
    )
    return {"transfer": pending, "entry": entry, "adjustment": adjustment, "request": request}


def _writes(s, far):
    """(url, body) of every supplies write, each naming something out of the cadre's sight."""
    line = {"item_id": s.n95.pk, "quantity": 1}
    return [
        (f"/holders/{s.far.pk}/receipts", {**line, "kind": "purchase", "counterparty": "x"}),
        (f"/holders/{s.far.pk}/consumption", line),
        (f"/holders/{s.far.pk}/adjustments", {"item_id": s.n95.pk, "counted": 1, "reason": "x"}),
        (f"/adjustments/{far['adjustment'].pk}/decide", {"approve": True}),
        (f"/entries/{far['entry'].pk}/reverse", {"reason": "x"}),
        # the destination out of sight, then the source
        ("/transfers", {"source_id": s.village.pk, "destination_id": s.far.pk, "lines": [line]}),
        ("/transfers", {"source_id": s.far.pk, "destination_id": s.village.pk, "lines": [line]}),
        (f"/transfers/{far['transfer'].pk}/receive", {"lines": []}),
        ("/requests", {"holder_id": s.far.pk, "justification": "x", "lines": [line]}),
        (f"/requests/{far['request'].pk}/decide", {"approve": True}),
    ]


def test_every_write_naming_an_out_of_sight_record_is_not_found(
    client, stocked, personas, far_records
):
    s = stocked
    receipt_record(
        actor=s.manager,
        holder=s.village,
        item=s.n95,
        kind="purchase",
        quantity=10,
        counterparty="x",
    )
    client.force_login(personas.village_cadre)
    before = (
        Entry.objects.count(),
        Transfer.objects.count(),
        SupplyRequest.objects.count(),
        StocktakeAdjustment.objects.count(),
    )
    for url, body in _writes(s, far_records):
        problem_of(_post(client, url, body), 404, "not_found")
    upload = SimpleUploadedFile("stock.xlsx", b"PK\x03\x04")
    problem_of(
        client.post(f"{API}/holders/{s.far.pk}/opening-stock", {"file": upload}), 404, "not_found"
    )
    after = (
        Entry.objects.count(),
        Transfer.objects.count(),
        SupplyRequest.objects.count(),
        StocktakeAdjustment.objects.count(),
    )
    assert after == before
    far_records["transfer"].refresh_from_db()
    assert far_records["transfer"].status == TransferStatus.IN_TRANSIT
    far_records["request"].refresh_from_db()
    assert far_records["request"].status == RequestStatus.PENDING


def test_page_writes_naming_an_out_of_sight_record_write_nothing(
    client, stocked, personas, far_records
):
    s = stocked
    client.force_login(personas.village_cadre)
    before = (Entry.objects.count(), Transfer.objects.count(), SupplyRequest.objects.count())
    # Another holder's page, its forms, its entries and transfers: not found.
    posts = [
        (reverse("supplies_holder_consumption", args=[s.far.pk]), {}),
        (reverse("supplies_holder_receipt", args=[s.far.pk]), {}),
        (reverse("supplies_holder_adjustment", args=[s.far.pk]), {}),
        (reverse("supplies_holder_transfer", args=[s.far.pk]), {}),
        (reverse("supplies_reverse", args=[far_records["entry"].pk]), {"reason": "x"}),
        (reverse("supplies_transfer", args=[far_records["transfer"].pk]), {}),
        (reverse("supplies_adjustment_decide", args=[far_records["adjustment"].pk]), {}),
        (reverse("supplies_import", args=[s.far.pk]), {}),
        (reverse("supplies_decide", args=[far_records["request"].pk]), {"decision": "approve"}),
        (reverse("supplies_destinations", args=[s.far.pk]), None),
    ]
    for url, data in posts:
        answer = client.get(url) if data is None else client.post(url, data)
        assert answer.status_code == 404, url
    # A destination or a requesting holder out of sight is refused on the form, as unknown.
    sent = client.post(
        reverse("supplies_holder_transfer", args=[s.village.pk]),
        {"t-destination": s.far.pk, "t-item_0": s.n95.pk, "t-quantity_0": 1},
    )
    assert sent.status_code == 422
    asked = client.post(
        reverse("supplies_request_new"),
        {"holder": s.far.pk, "justification": "x", "item_0": s.n95.pk, "quantity_0": 1},
    )
    assert asked.status_code == 422
    assert "field-invalid" in sent.content.decode() and "field-invalid" in asked.content.decode()
    after = (Entry.objects.count(), Transfer.objects.count(), SupplyRequest.objects.count())
    assert after == before


# --- Registering a holder: no answer tells whether an id exists ----------------------------------


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("checkpoint_id", "checkpoint"),
        ("enterprise_id", "enterprise"),
        ("area_id", "village"),
    ],
)
def test_holder_creation_answers_alike_for_a_missing_and_an_out_of_sight_id(
    client, stocked, personas, field, kind
):
    """A town officer of 昌东镇 asks to register a holder tied to a record of 麻丘镇, and to one
    that does not exist: the two answers are the same."""
    s = stocked
    existing = {
        "checkpoint_id": s.far_checkpoint.checkpoint_id,
        "enterprise_id": s.other_enterprise.enterprise_id,
        "area_id": s.far.area_id,
    }[field]
    client.force_login(personas.town_officer)

    def answer(pk):
        body = problem_of(
            _post(client, "/holders", {"kind": kind, "name": "新", field: pk}), 404, "not_found"
        )
        body.pop("instance", None)
        return body

    assert answer(existing) == answer(999_999)


def test_holder_creation_names_no_record_out_of_sight_even_to_the_supplies_group(client, stocked):
    client.force_login(stocked.manager)
    body = problem_of(
        _post(client, "/holders", {"kind": "checkpoint", "checkpoint_id": 999_999}),
        404,
        "not_found",
    )
    assert body["errors"][0]["field"] == "checkpoint_id"
