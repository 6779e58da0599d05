"""What the filings' list costs does not grow with the filings: as many statements with many
as with one, and on PostgreSQL a page of them is read along an index, not sorted whole."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dualtrack.enterprises import selectors
from dualtrack.enterprises.models import ResumptionFiling
from dualtrack.enterprises.services.filings import filing_submit

from .conftest import CODES, filing_data, make_enterprise

pytestmark = pytest.mark.django_db


def _statements(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_filings_list_reads_as_many_statements_with_more_filings(
    client, personas, district, enterprise
):
    filing_submit(actor=personas.town_officer, enterprise=enterprise, data=filing_data())
    client.force_login(personas.town_officer)
    before = _statements(client, reverse("enterprise_filings"))
    for n, code in enumerate(CODES[2:5]):
        other = make_enterprise(personas.district_admin, district.town, code, f"昌东企业{n}")
        filing_submit(actor=personas.town_officer, enterprise=other, data=filing_data())
    assert _statements(client, reverse("enterprise_filings")) == before


@pytest.mark.parametrize("persona", ["district_admin", "town_officer"])
def test_a_page_of_filings_is_read_along_an_index(personas, persona):
    """At scale 10 the list sorted every filing in sight with its enterprise for each page
    (30 ms of the page's statement); an index on (submitted_at, id) gives the order, newest
    first for the list and oldest first for the queue. PostgreSQL's plan is checked; SQLite
    plans its small tables otherwise, and there the index is checked to exist."""
    with connection.cursor() as cursor:
        table = ResumptionFiling._meta.db_table
        found = connection.introspection.get_constraints(cursor, table)
    assert found["filing_submitted_idx"]["columns"] == ["submitted_at", "id"]
    if connection.vendor != "postgresql":
        return
    user = getattr(personas, persona)
    for qs in (
        selectors.filing_list_for(user=user)[:100],
        selectors.filing_queue_for(user=user)[:201],
    ):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            # Sorting and reading whole tables priced out: the plan keeps them only if no
            # index gives the order.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "filing_submitted_idx" in plan, plan
        assert "Sort" not in plan, plan


@pytest.mark.parametrize(
    ("who", "route"),
    [("ent_user", "home"), ("ent_user", "portal_home"), ("town_officer", "enterprise_filings")],
)
def test_a_page_asks_once_whose_enterprise_the_user_is(request, client, personas, who, route):
    """The menu, the home page and every app's sight ask whether the user is an enterprise's
    login; the membership is read once a request, for the enterprise's login and for staff."""
    user = request.getfixturevalue("ent_user") if who == "ent_user" else personas.town_officer
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(reverse(route)).status_code
    assert status in (200, 302)
    reads = [q["sql"] for q in queries if "enterprises_enterprisemember" in q["sql"]]
    assert len(reads) == 1, reads
