"""Every representation of the supplies access rule gives the same answer on the same rows.

One set of holders (the district store, a town, villages inside and outside each persona's
scope, a staffed gate and an unstaffed one, two enterprises, a quarantine site), one entry and
one incoming transfer at each; every persona of the shared fixtures plus the supplies group and
an enterprise's login. For every (persona, row) the rule's queryset filters, its per-holder
answer, the selectors, the API (list, detail, a write), the pages (list, detail and its buttons,
a write) and the services must agree. Changing any one of them alone fails this test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

import pytest
from django.db import transaction
from django.urls import reverse

from dualtrack.areas.models import Duty
from dualtrack.areas.scoping import Permission
from dualtrack.checkpoints.models import Checkpoint, CheckpointStaff
from dualtrack.core.errors import DomainError, NotFound, PermissionDenied
from dualtrack.core.models import User
from dualtrack.core.tests.helpers import cast
from dualtrack.supplies import access, selectors
from dualtrack.supplies.forms import HolderForm
from dualtrack.supplies.models import Entry, Holder, HolderKind, Transfer
from dualtrack.supplies.services.catalogue import holder_create
from dualtrack.supplies.services.ledger import receipt_record
from dualtrack.supplies.services.transfers import transfer_receive, transfer_send
from dualtrack.supplies.tests.factories import ReceiptFactory, TransferFactory

pytestmark = pytest.mark.django_db

ALLOWED, FORBIDDEN, HIDDEN = "allowed", "403", "404"
HOLDER_ROW = re.compile(r'data-testid="holder-(\d+)"')


class _Rollback(Exception):
    pass


def _outcome(call: Callable[[], object]) -> str:
    """What the service answers: hidden, forbidden, or let through (the write rolled back; a
    refusal of the values, such as too little stock, is past the access rule)."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return ALLOWED
    except NotFound:
        return HIDDEN
    except PermissionDenied:
        return FORBIDDEN
    except DomainError:
        return ALLOWED


def _status(code: int) -> str:
    return {404: HIDDEN, 403: FORBIDDEN}.get(code, ALLOWED)


def _rule(user: User, holder: Holder, permission: Permission) -> str:
    """The rule's per-holder answer, from which every other is expected to follow."""
    permissions = access.permissions_at(user, holder)
    if Permission.VIEW not in permissions:
        return HIDDEN
    return ALLOWED if permission in permissions else FORBIDDEN


@pytest.fixture
def rows(supplies, personas, working_group_staff):
    s = supplies
    staff = personas.checkpoint_staff
    CheckpointStaff.objects.create(checkpoint=s.checkpoint.checkpoint, user=staff)
    # A second gate of the staff's own village, which they do not staff.
    unstaffed = Checkpoint.objects.create(area=s.village.area, name="艾溪村南卡点")
    holders = [
        s.store,
        s.town,
        s.village,
        s.sibling,
        s.far,
        s.checkpoint,
        s.far_checkpoint,
        holder_create(actor=s.manager, kind=HolderKind.CHECKPOINT, checkpoint=unstaffed),
        s.enterprise,
        s.other_enterprise,
        s.quarantine,
    ]
    ReceiptFactory(actor=s.manager, holder=s.store, item=s.n95, quantity=1000)
    entries = {
        h.pk: ReceiptFactory(actor=s.manager, holder=h, item=s.gel, quantity=10) for h in holders
    }
    transfers = {
        h.pk: TransferFactory(
            actor=s.manager, source=s.store, destination=h, lines=[(s.n95, 1)], note=""
        )
        for h in holders
        if h.pk != s.store.pk
    }
    users = cast(
        personas,
        checkpoint_staff=staff,
        supplies_group=s.manager,
        enterprise_group=working_group_staff(Duty.ENTERPRISE_SERVICES),
        enterprise_user=s.enterprise_user,
    )
    return s, holders, entries, transfers, users


def _fresh(user: User) -> User:
    """The user as a new request sees them (the scope and the staffed gates are cached on the
    instance)."""
    return User.objects.get(pk=user.pk)


def test_every_representation_of_who_sees_a_holder_agrees(client, rows):
    s, holders, entries, _transfers, users = rows
    disagreements = []
    for persona, user in users.items():
        user = _fresh(user)
        client.force_login(user)
        seen = {
            pk
            for pk in Holder.objects.filter(access.holders_visible_q(user)).values_list(
                "pk", flat=True
            )
        }
        kept = set(
            Holder.objects.filter(
                access.holders_visible_q(user, Permission.KEEP_LEDGER)
            ).values_list("pk", flat=True)
        )
        managed = set(
            Holder.objects.filter(
                access.holders_visible_q(user, Permission.MANAGE_SUPPLIES)
            ).values_list("pk", flat=True)
        )
        listed = {h.pk for h in selectors.holder_list_for(user=user)}
        kept_listed = {h.pk for h in selectors.holders_kept_by(user=user)}
        entries_seen = set(
            Entry.objects.filter(access.holders_visible_q(user, prefix="holder__")).values_list(
                "holder_id", flat=True
            )
        )
        api_listed = {row["id"] for row in client.get("/api/supplies/holders").json()}
        page_listed = {
            int(pk) for pk in HOLDER_ROW.findall(client.get(reverse("supplies_index")).text)
        }
        for holder in holders:
            holder = Holder.objects.select_related("area").get(pk=holder.pk)
            view = _rule(user, holder, Permission.VIEW)
            keep = _rule(user, holder, Permission.KEEP_LEDGER)
            manage = _rule(user, holder, Permission.MANAGE_SUPPLIES)
            send = _rule(user, holder, access.send_permission(holder))
            may = access.holder_permissions(user, holder)
            try:
                selectors.holder_get_for(user=user, holder_id=holder.pk)
                got = ALLOWED
            except NotFound:
                got = HIDDEN
            try:
                selectors.entry_get_for(user=user, entry_id=entries[holder.pk].pk)
                entry_got = ALLOWED
            except NotFound:
                entry_got = HIDDEN
            page = client.get(reverse("supplies_holder", args=[holder.pk]))
            answers = {
                # Which rows: the queryset filters, the selectors, the lists of the API and page.
                "q VIEW": ALLOWED if holder.pk in seen else HIDDEN,
                "q KEEP_LEDGER": holder.pk in kept,
                "q MANAGE_SUPPLIES": holder.pk in managed,
                "holder_list_for": ALLOWED if holder.pk in listed else HIDDEN,
                "holders_kept_by": holder.pk in kept_listed,
                "holder_get_for": got,
                "entry_get_for": entry_got,
                "q entries": ALLOWED if holder.pk in entries_seen else HIDDEN,
                "api list": ALLOWED if holder.pk in api_listed else HIDDEN,
                "api detail": _status(client.get(f"/api/supplies/holders/{holder.pk}").status_code),
                "api entries": _status(
                    client.get(f"/api/supplies/holders/{holder.pk}/entries").status_code
                ),
                "page list": ALLOWED if holder.pk in page_listed else HIDDEN,
                "page detail": _status(page.status_code),
                # What the user may do: the per-holder answers and the page's buttons.
                "may VIEW": ALLOWED if access.may(user, holder, Permission.VIEW) else HIDDEN,
                "may KEEP_LEDGER": access.may(user, holder, Permission.KEEP_LEDGER),
                "may MANAGE_SUPPLIES": access.may(user, holder, Permission.MANAGE_SUPPLIES),
                "permissions.keep_ledger": may.keep_ledger,
                "permissions.manage": may.manage,
                "permissions.send": may.send,
                "page receipt form": 'id="receipt"' in page.text,
                "page send form": 'id="send"' in page.text,
                # The writes: services, API and page say the same.
                "service receipt": _outcome(
                    partial(
                        receipt_record,
                        actor=user,
                        holder=holder,
                        item=s.gel,
                        kind="purchase",
                        quantity=1,
                        counterparty="x",
                    )
                ),
                "service send": _outcome(
                    partial(
                        transfer_send,
                        actor=user,
                        source=holder,
                        destination=holder,  # refused as the same holder, past the rule
                        lines=[],
                    )
                ),
            }
            expected = {
                "q VIEW": view,
                "q KEEP_LEDGER": keep == ALLOWED,
                "q MANAGE_SUPPLIES": manage == ALLOWED,
                "holder_list_for": view,
                "holders_kept_by": keep == ALLOWED,
                "holder_get_for": view,
                "entry_get_for": view,
                "q entries": view,
                "api list": view,
                "api detail": view,
                "api entries": view,
                "page list": view,
                "page detail": view,
                "may VIEW": view,
                "may KEEP_LEDGER": keep == ALLOWED,
                "may MANAGE_SUPPLIES": manage == ALLOWED,
                "permissions.keep_ledger": keep == ALLOWED,
                "permissions.manage": manage == ALLOWED,
                "permissions.send": send == ALLOWED,
                "page receipt form": keep == ALLOWED,
                "page send form": send == ALLOWED,
                "service receipt": keep,
                "service send": send,
            }
            for name, want in expected.items():
                if answers[name] != want:
                    disagreements.append((persona, holder.name, name, answers[name], want))
    assert not disagreements, disagreements


def test_the_writes_of_api_and_pages_follow_the_rule(client, rows):
    """A receipt through the API and through the holder page's form: hidden holders are 404,
    holders in sight without the ledger are 403, the others are written."""
    s, holders, _entries, _transfers, users = rows
    disagreements = []
    for persona, user in users.items():
        client.force_login(user)
        for holder in holders:
            want = _rule(_fresh(user), holder, Permission.KEEP_LEDGER)
            api = client.post(
                f"/api/supplies/holders/{holder.pk}/receipts",
                {"item_id": s.gel.pk, "kind": "purchase", "quantity": 1, "counterparty": "x"},
                content_type="application/json",
            )
            page = client.post(
                reverse("supplies_holder_receipt", args=[holder.pk]),
                {
                    "r-kind": "purchase",
                    "r-item": s.gel.pk,
                    "r-quantity": "1",
                    "r-counterparty": "x",
                },
            )
            for name, got, ok in (("api", api.status_code, 201), ("page", page.status_code, 302)):
                answer = _status(got)
                if answer != want or (want == ALLOWED and got != ok):
                    disagreements.append((persona, holder.name, name, got, want))
    assert not disagreements, disagreements


def test_who_signs_for_a_transfer_agrees(client, rows):
    """The transfer page offers the confirmation exactly to those the service lets sign: the
    receiver's ledger keepers, never the sender."""
    _s, _holders, _entries, transfers, users = rows
    disagreements = []
    for persona, user in users.items():
        user = _fresh(user)
        client.force_login(user)
        for transfer in Transfer.objects.filter(pk__in=[t.pk for t in transfers.values()]):
            transfer = Transfer.objects.select_related("destination__area").get(pk=transfer.pk)
            offered = access.may_receive(user, transfer)
            page = client.get(reverse("supplies_transfer", args=[transfer.pk]))
            shown = page.status_code == 200 and 'name="received_' in page.text
            signed = _outcome(partial(transfer_receive, actor=user, transfer=transfer)) == ALLOWED
            if not offered == shown == signed:
                disagreements.append((persona, transfer.destination.name, offered, shown, signed))
            if persona == "supplies_group" and offered:
                disagreements.append((persona, "the sender may not sign", transfer.voucher_no))
    assert not disagreements, disagreements


def test_where_a_holder_may_be_registered_agrees(rows, district):
    """The registration form offers exactly the areas where the service registers a holder."""
    _s, _holders, _entries, _transfers, users = rows
    areas = [
        district.root,
        district.town,
        district.village,
        district.other_town,
        district.far_village,
    ]
    disagreements = []
    for persona, user in users.items():
        user = _fresh(user)
        offered = set(HolderForm(user=user).fields["area"].queryset.values_list("pk", flat=True))  # type: ignore[attr-defined]
        for area in areas:
            registered = _outcome(
                partial(
                    holder_create,
                    actor=user,
                    kind=HolderKind.QUARANTINE_SITE,
                    name=f"隔离点 {persona}",
                    area=area,
                )
            )
            if (area.pk in offered) != (registered == ALLOWED):
                disagreements.append((persona, area.name, area.pk in offered, registered))
    assert not disagreements, disagreements
