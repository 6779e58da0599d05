"""The subsidies' figures read the claims and the ledger once each, grouped by clause, town and
month together, and add the three breakdowns up from them: a few statements whatever the
claims, and the same figures as a grouped statement per breakdown gave."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dualtrack.subsidies.figures import subsidy_figures
from dualtrack.subsidies.models import Claim, ClaimStatus, LedgerEntry
from dualtrack.subsidies.services.claims import offer_confirm
from dualtrack.subsidies.services.offers import offers_compute
from dualtrack.subsidies.services.payments import batch_create, batch_mark_paid
from dualtrack.subsidies.services.review import claim_approve
from dualtrack.subsidies.tests.conftest import hire

pytestmark = pytest.mark.django_db

FIELDS = ("applied", "offered", "approved", "paid", "claims")


@pytest.fixture
def paid_offers(policy, enterprise, far_enterprise, ent_user, personas):
    """Offers in two towns; the near one's approved and paid."""
    hire(ent_user, enterprise, 1)
    hire(ent_user, enterprise, 2)
    hire(personas.district_admin, far_enterprise, 3)
    offers_compute(actor=policy.group)
    near = Claim.objects.get(enterprise=enterprise, status=ClaimStatus.OFFERED)
    offer_confirm(actor=ent_user, claim=near, bank_name="工行", bank_account="6222000011112222")
    claim_approve(actor=policy.group, claim=Claim.objects.get(pk=near.pk))
    batch_mark_paid(actor=policy.group, batch=batch_create(actor=policy.group), voucher_no="V1")
    assert LedgerEntry.objects.exists()
    assert Claim.objects.filter(enterprise=far_enterprise).exists()
    return policy


def _totals(rows) -> dict[str, Decimal]:
    return {name: sum((getattr(r, name) for r in rows), Decimal(0)) for name in FIELDS}


def test_the_breakdowns_add_up_to_the_claims_and_the_ledger(paid_offers, district):
    figures = subsidy_figures(user=paid_offers.group)
    claims = Claim.objects.aggregate(offered=Sum("computed_amount"))["offered"]
    paid = LedgerEntry.objects.aggregate(s=Sum("amount"))["s"]
    for rows in (figures.by_clause, figures.by_town, figures.by_month):
        totals = _totals(rows)
        assert totals["offered"] == claims and totals["paid"] == paid
        assert totals["claims"] == Claim.objects.count()
        assert totals["approved"] > 0
    towns = {r.label: r for r in figures.by_town}
    assert towns[district.town.name].paid == paid
    assert towns[district.other_town.name].paid == 0
    assert towns[district.other_town.name].claims == 1


def test_the_figures_page_and_export_read_a_few_statements(client, paid_offers):
    """Six grouped statements (two per breakdown) and an enterprise lookup per each made 14 a
    page at scale 10: now one grouped statement for the claims and one for the ledger."""
    client.force_login(paid_offers.group)
    for name in ("subsidies_figures", "subsidies_figures_export"):
        client.get(reverse(name))  # the session and the user's scope, as on any page
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        grouped = [q for q in queries if "GROUP BY" in q["sql"]]
        assert len(grouped) == 2, [q["sql"] for q in grouped]
        assert len(queries) <= 8, [q["sql"] for q in queries]


def test_the_figures_are_in_yuan_to_the_fen(client, paid_offers):
    """Every amount of the breakdowns to two places, as money is: SQLite adds decimals up as
    floats, and the page showed 589743.2300000000 yuan."""
    figures = subsidy_figures(user=paid_offers.group)
    for rows in (figures.by_clause, figures.by_town, figures.by_month):
        for row in rows:
            for name in ("applied", "offered", "approved", "paid"):
                amount = getattr(row, name)
                assert amount.as_tuple().exponent == -2, (row.label, name, amount)
    client.force_login(paid_offers.group)
    page = client.get(reverse("subsidies_figures")).content.decode()
    paid = LedgerEntry.objects.aggregate(s=Sum("amount"))["s"]
    assert f'<td class="num">{paid.quantize(Decimal("0.01"))}</td>' in page
