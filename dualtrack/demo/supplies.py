"""The demo district's supplies (issue 5): built on top of the seeded district.

Fourteen days of a district's epidemic supplies: the district store filled by purchases and
donations, allocations to every checkpoint (whatever checkpoints exist), the quarantine sites,
towns and front-line villages, daily consumption, a few holders running low on masks and one
short delivery. The ledger is written in bulk, in date order, with each entry's running balance
computed as it is appended, so every balance equals the sum of its entries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.utils import timezone

from dualtrack.supplies.models import (
    Balance,
    Entry,
    EntryKind,
    Holder,
    HolderKind,
    Item,
    ItemCategory,
    RequestLine,
    RequestStatus,
    SupplyRequest,
    Transfer,
    TransferLine,
    TransferStatus,
)
from dualtrack.supplies.services.catalogue import holders_sync

if TYPE_CHECKING:
    from dualtrack.core.models import User
    from dualtrack.demo.seeder import Seeder

DAYS = 14
BATCH = 2000
ITEMS = (
    ("N95口罩", "只", "KN95 / N95", ItemCategory.MASK_N95),
    ("医用外科口罩", "只", "YY 0469", ItemCategory.MASK_SURGICAL),
    ("一次性医用口罩", "只", "YY/T 0969", ItemCategory.MASK_ORDINARY),
    ("84消毒液", "瓶", "500ml", ItemCategory.DISINFECTANT),
    ("75%酒精", "瓶", "500ml", ItemCategory.DISINFECTANT),
    ("红外额温枪", "把", "", ItemCategory.THERMOMETER),
    ("医用防护服", "套", "GB 19082", ItemCategory.PROTECTIVE_SUIT),
    ("医用检查手套", "副", "", ItemCategory.GLOVES),
)
SUPPLIERS = ("江西省医药集团", "南昌市医疗器械有限公司", "九州通医药")
DONORS = ("江西省红十字会", "高新区商会", "洪都航空工业集团", "旅外乡贤联谊会")
QUARANTINE_SITES = ("高新区集中隔离点一号", "高新区集中隔离点二号", "高新区集中隔离点三号")
# Per day at a checkpoint: masks, disinfectant, gloves (front-line use, per person-shift).
CHECKPOINT_USE = {"一次性医用口罩": (6, 12), "84消毒液": (0, 1), "医用检查手套": (4, 8)}
QUARANTINE_USE = {"N95口罩": (20, 40), "医用防护服": (5, 10), "84消毒液": (2, 4)}
LOW_ON_MASKS = 3  # checkpoints whose last allocation was too small


class _Books:
    """Entries appended in order, with balances kept beside them."""

    def __init__(self) -> None:
        self.balances: dict[tuple[int, int], int] = defaultdict(int)
        self.entries: list[Entry] = []
        self.serial = 0

    def voucher(self, prefix: str, day: datetime.date) -> str:
        self.serial += 1
        return f"{prefix}{day:%Y%m%d}-D{self.serial:05d}"

    def post(
        self,
        holder: Holder,
        item: Item,
        kind: str,
        quantity: int,
        day: datetime.date,
        voucher: str,
        handler: User | None,
        counterparty: str = "",
        counterparty_holder: Holder | None = None,
        transfer: Transfer | None = None,
        reason: str = "",
    ) -> int:
        key = (holder.pk, item.pk)
        if quantity < 0:
            quantity = -min(-quantity, self.balances.get(key, 0))
            if quantity == 0:
                return 0
        self.balances[key] += quantity
        self.entries.append(
            Entry(
                holder=holder,
                item=item,
                kind=kind,
                quantity=quantity,
                balance_after=self.balances[key],
                occurred_on=day,
                voucher_no=voucher,
                counterparty=counterparty[:200],
                counterparty_holder=counterparty_holder,
                handler=handler,
                reason=reason,
                transfer=transfer,
            )
        )
        return quantity


def seed(seeder: Seeder) -> None:
    """Add the supplies demo data inside the seeding transaction."""
    rng = seeder.rng
    today = timezone.localdate()
    start = today - datetime.timedelta(days=DAYS - 1)
    manager = seeder.users.get("wg_supplies")
    cadre = seeder.users.get("cadre_aixi")
    items = {
        i.name: i
        for i in Item.objects.bulk_create(
            [Item(name=n, unit=u, specification=s, category=c) for n, u, s, c in ITEMS]
        )
    }
    store = Holder.objects.create(
        kind=HolderKind.DISTRICT_STORE, name="高新区物资储备库", area=seeder.root
    )
    group = seeder.working_groups.get("物资保障组")
    if group is not None:
        Holder.objects.create(
            kind=HolderKind.WORKING_GROUP, name=group.name, area=seeder.root, org_unit=group
        )
    holders_sync()
    sites = Holder.objects.bulk_create(
        [
            Holder(kind=HolderKind.QUARANTINE_SITE, name=name, area=town)
            for name, town in zip(QUARANTINE_SITES, seeder.towns, strict=False)
        ]
    )
    checkpoint_holders = list(Holder.objects.filter(kind=HolderKind.CHECKPOINT).order_by("pk"))
    # Villages with a checkpoint, the persona's, and a share of the others are the front line.
    others = [v.pk for v in seeder.villages if v.pk != seeder.persona_village.pk]
    extra = rng.sample(others, min(len(others), max(6, len(others) // 10)))
    front_area_ids = {h.area_id for h in checkpoint_holders} | {seeder.persona_village.pk}
    front_area_ids |= set(extra)
    Holder.objects.filter(kind=HolderKind.VILLAGE, area_id__in=front_area_ids).update(
        front_line=True
    )
    towns = list(Holder.objects.filter(kind=HolderKind.TOWN).order_by("area__code"))
    front_villages = list(
        Holder.objects.filter(kind=HolderKind.VILLAGE, front_line=True).order_by("area__code")
    )

    books = _Books()
    transfers: list[Transfer] = []
    lines: list[TransferLine] = []

    def send(
        destination: Holder,
        amounts: dict[str, int],
        day: datetime.date,
        received_day: datetime.date | None,
        short: tuple[str, int, str] | None = None,
    ) -> None:
        voucher = books.voucher("DB", day)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        transfer = Transfer(
            voucher_no=voucher,
            source=store,
            destination=destination,
            sent_on=day,
            sent_at=moment,
            sent_by=manager,
            status=TransferStatus.IN_TRANSIT,
        )
        sent: dict[str, int] = {}
        for name, amount in amounts.items():
            got = -books.post(
                store,
                items[name],
                EntryKind.TRANSFER_OUT,
                -amount,
                day,
                voucher,
                manager,
                destination.name,
                destination,
                transfer,
            )
            if got:
                sent[name] = got
        if not sent:
            return
        transfers.append(transfer)
        for name, amount in sent.items():
            line = TransferLine(transfer=transfer, item=items[name], quantity_sent=amount)
            lines.append(line)
            if received_day is None:
                continue
            books.post(
                destination,
                items[name],
                EntryKind.TRANSFER_IN,
                amount,
                received_day,
                voucher,
                cadre,
                store.name,
                store,
                transfer,
            )
            line.quantity_received = amount
            if short and short[0] == name:
                missing = min(short[1], amount)
                books.post(
                    destination,
                    items[name],
                    EntryKind.SHORTFALL,
                    -missing,
                    received_day,
                    voucher,
                    cadre,
                    store.name,
                    store,
                    transfer,
                    short[2],
                )
                line.quantity_received = amount - missing
                line.shortfall_reason = short[2]
        if received_day is not None:
            transfer.status = TransferStatus.RECEIVED
            transfer.received_by = cadre
            transfer.received_at = moment + datetime.timedelta(
                days=(received_day - day).days, hours=3
            )

    # Day 1: the store is filled by purchases and donations: what the allocations below will
    # take, and a reserve.
    need: dict[str, int] = defaultdict(int)
    for name in ("一次性医用口罩", "84消毒液", "医用检查手套", "红外额温枪"):
        need[name] += {"一次性医用口罩": 240, "84消毒液": 10, "医用检查手套": 100, "红外额温枪": 2}[
            name
        ] * len(checkpoint_holders)
    for name, amount in (("N95口罩", 700), ("医用防护服", 170), ("84消毒液", 50)):
        need[name] += amount * len(sites)
    need["医用外科口罩"] += 500 * len(towns) + 200 * len(front_villages)
    need["75%酒精"] += 30 * len(towns)
    need["84消毒液"] += 10 * len(front_villages)
    for name, item in items.items():
        total = max(100, need[name] * 13 // 10)
        bought = int(total * 0.6)
        books.post(
            store,
            item,
            EntryKind.PURCHASE,
            bought,
            start,
            books.voucher("RK", start),
            manager,
            rng.choice(SUPPLIERS),
        )
        books.post(
            store,
            item,
            EntryKind.DONATION,
            total - bought,
            start,
            books.voucher("JZ", start),
            manager,
            rng.choice(DONORS),
        )
    # Day 1–2: allocations down to every checkpoint, quarantine site, town and front village.
    low = {h.pk for h in checkpoint_holders[:LOW_ON_MASKS]}
    for holder in checkpoint_holders:
        masks = 20 if holder.pk in low else rng.randint(180, 240)
        send(
            holder,
            {"一次性医用口罩": masks, "84消毒液": 10, "医用检查手套": 100, "红外额温枪": 2},
            start,
            start + datetime.timedelta(days=1),
        )
    for holder in sites:
        send(
            holder,
            {"N95口罩": 500, "医用防护服": 120, "84消毒液": 50},
            start,
            start + datetime.timedelta(days=1),
        )
    for index, holder in enumerate(towns):
        # The one short delivery: ten masks' worth of boxes arrived crushed.
        short = ("医用外科口罩", 20, "运输途中包装破损，短少20只") if index == 0 else None
        send(
            holder,
            {"医用外科口罩": 500, "75%酒精": 30},
            start,
            start + datetime.timedelta(days=1),
            short,
        )
    low_villages = {h.pk for h in front_villages[:LOW_ON_MASKS]}
    for holder in front_villages:
        masks = 100 if holder.pk in low_villages else 200
        send(
            holder,
            {"医用外科口罩": masks, "84消毒液": 10},
            start,
            start + datetime.timedelta(days=1),
        )
    # Days 2–14: daily consumption.
    for offset in range(1, DAYS):
        day = start + datetime.timedelta(days=offset)
        for holder in checkpoint_holders:
            for name, (low_use, high_use) in CHECKPOINT_USE.items():
                amount = rng.randint(low_use, high_use)
                if amount:
                    books.post(
                        holder,
                        items[name],
                        EntryKind.CONSUMPTION,
                        -amount,
                        day,
                        books.voucher("LY", day),
                        cadre,
                        "卡点值守",
                    )
        for holder in front_villages:
            books.post(
                holder,
                items["医用外科口罩"],
                EntryKind.CONSUMPTION,
                -rng.randint(6, 10),
                day,
                books.voucher("LY", day),
                cadre,
                "入户排查",
            )
        for holder in sites:
            for name, (low_use, high_use) in QUARANTINE_USE.items():
                books.post(
                    holder,
                    items[name],
                    EntryKind.CONSUMPTION,
                    -rng.randint(low_use, high_use),
                    day,
                    books.voucher("LY", day),
                    cadre,
                    "隔离点工作人员",
                )
    # Day 8: a second round for the quarantine sites, the last still in transit.
    mid = start + datetime.timedelta(days=7)
    for index, holder in enumerate(sites):
        received = None if index == len(sites) - 1 else mid + datetime.timedelta(days=1)
        send(holder, {"N95口罩": 200, "医用防护服": 50}, mid, received)

    Transfer.objects.bulk_create(transfers, batch_size=BATCH)
    TransferLine.objects.bulk_create(lines, batch_size=BATCH)
    Entry.objects.bulk_create(books.entries, batch_size=BATCH)
    Balance.objects.bulk_create(
        [Balance(holder_id=h, item_id=i, quantity=q) for (h, i), q in books.balances.items()],
        batch_size=BATCH,
    )
    requests_made = _requests(seeder, checkpoint_holders[: 2 * LOW_ON_MASKS], sites, items)
    seeder.counts["supply_holders"] = Holder.objects.count()
    seeder.counts["supply_entries"] = len(books.entries)
    seeder.counts["supply_transfers"] = len(transfers)
    seeder.counts["supply_requests"] = requests_made
    seeder.say(
        f"supplies: {seeder.counts['supply_holders']} holders, {len(books.entries)} ledger "
        f"entries, {len(transfers)} transfers, {requests_made} requests"
    )


def _requests(
    seeder: Seeder, checkpoints: list[Holder], sites: list[Holder], items: dict[str, Item]
) -> int:
    """Open requests: the low checkpoints ask for masks (some approved, awaiting allocation)."""
    author = seeder.users.get("cadre_aixi") or seeder.users["admin"]
    manager = seeder.users.get("wg_supplies") or seeder.users["admin"]
    made = []
    for index, holder in enumerate([*checkpoints, *sites]):
        approved = index % 2 == 0
        staff, shifts, days = 3, 3, 7
        request = SupplyRequest(
            holder=holder,
            status=RequestStatus.APPROVED if approved else RequestStatus.PENDING,
            justification="口罩即将用完，按值守人数申请一周用量",
            staff=staff if holder.kind == HolderKind.CHECKPOINT else None,
            shifts=shifts if holder.kind == HolderKind.CHECKPOINT else None,
            days=days if holder.kind == HolderKind.CHECKPOINT else None,
            created_by=author,
            decided_by=manager if approved else None,
            decided_at=timezone.now() if approved else None,
        )
        made.append(request)
    SupplyRequest.objects.bulk_create(made)
    lines = []
    for request in made:
        name = "一次性医用口罩" if request.holder.kind == HolderKind.CHECKPOINT else "N95口罩"
        need = 3 * 3 * 7 * 2 if request.staff else 300
        lines.append(
            RequestLine(
                request=request,
                item=items[name],
                quantity_requested=need,
                quantity_approved=need if request.status == RequestStatus.APPROVED else None,
            )
        )
    RequestLine.objects.bulk_create(lines)
    return len(made)
