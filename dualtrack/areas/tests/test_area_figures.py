"""The maintained household and resident figures per area (``AreaFigure``) equal a recount of
the registers after every kind of write — services, bulk import, bulk_create, COPY or raw SQL,
moves and deletes — and the home and area pages read them."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dualtrack.areas.figures import area_summary_for, district_headline_counts
from dualtrack.areas.models import AreaFigure, Household, Resident
from dualtrack.areas.selectors import coverage_for
from dualtrack.areas.services.people import resident_delete, resident_update
from dualtrack.areas.tests.factories import make_household, make_resident
from dualtrack.areas.tests.test_services_import import import_rows, person

MIGRATION = "0008_area_figures"


def recounted() -> dict[int, tuple[int, int]]:
    households = Counter(Household.objects.values_list("area_id", flat=True))
    residents = Counter(Resident.objects.values_list("area_id", flat=True))
    return {a: (households[a], residents[a]) for a in households.keys() | residents.keys()}


def empty_recounted() -> dict[int, int]:
    empty = Household.objects.filter(residents__isnull=True).values_list("area_id", flat=True)
    return dict(Counter(empty))


def maintained() -> dict[int, tuple[int, int]]:
    """The figures, leaving out areas counted down to nothing."""
    rows = AreaFigure.objects.values_list("area_id", "households", "residents")
    return {area: (h, r) for area, h, r in rows if h or r}


def assert_figures_exact() -> None:
    assert maintained() == recounted()
    empty = AreaFigure.objects.filter(empty_households__gt=0)
    assert dict(empty.values_list("area_id", "empty_households")) == empty_recounted()
    assert not AreaFigure.objects.filter(empty_households__lt=0).exists()


@pytest.fixture
def register(district, personas):
    """Two households in ``district.group`` and one in ``far_group``, with five residents."""
    admin = personas.district_admin
    near = [make_household(actor=admin, area=district.group) for _ in range(2)]
    far = make_household(actor=admin, area=district.far_group)
    people = [make_resident(actor=admin, household=h) for h in (*near, near[0], far, far)]
    return near, far, people


def test_creates_through_the_services_are_counted(district, register):
    assert maintained() == {district.group.pk: (2, 3), district.far_group.pk: (1, 2)}
    assert_figures_exact()


def test_a_resident_moved_to_another_area_leaves_one_figure_for_the_other(
    district, personas, register
):
    _near, far, people = register
    moved = people[0]
    resident_update(
        actor=personas.district_admin,
        resident=moved,
        name=moved.name,
        id_number=moved.id_number,
        household=far,
    )
    assert maintained() == {district.group.pk: (2, 2), district.far_group.pk: (1, 3)}
    # An update that keeps the area moves nothing.
    resident_update(
        actor=personas.district_admin,
        resident=people[2],
        name="李四",
        id_number=people[2].id_number,
    )
    assert_figures_exact()
    # The only resident of a household moving out leaves it empty.
    resident_update(
        actor=personas.district_admin,
        resident=people[1],
        name=people[1].name,
        id_number=people[1].id_number,
        household=far,
    )
    assert AreaFigure.objects.get(area=district.group).empty_households == 1
    assert_figures_exact()


def test_deleted_residents_and_households_are_counted_out(district, personas, register):
    _near, far, people = register
    resident_delete(actor=personas.district_admin, resident=people[1])
    Resident.objects.filter(household=far).delete()  # several rows in one statement
    far.delete()
    assert maintained() == {district.group.pk: (2, 2)}
    assert_figures_exact()


def test_a_bulk_import_is_counted(district, personas, register):
    rows = [person(district.group, number="901"), person(district.group, number="901")]
    rows.append(person(district.sibling_village, number="7"))
    assert import_rows(personas.town_officer, rows).committed
    assert maintained()[district.group.pk] == (3, 5)
    assert maintained()[district.sibling_village.pk] == (1, 1)
    assert_figures_exact()


def test_bulk_create_copy_and_raw_sql_are_counted(district, personas, register):
    near, _far, people = register
    household, empty, _third = Household.objects.bulk_create(
        [Household(area=district.sibling_village, number=f"B{n}", address="x") for n in range(3)]
    )
    template = Resident.objects.get(pk=people[0].pk)
    columns = [
        f.column
        for f in Resident._meta.concrete_fields
        if f.column not in ("id", "household_id", "area_id", "id_number_digest")
    ]
    values = [getattr(template, f.attname) for f in Resident._meta.concrete_fields]
    by_column = dict(zip([f.column for f in Resident._meta.concrete_fields], values, strict=True))
    # The stored (encrypted) values, as a bulk load would copy them.
    stored = {
        f.column: f.get_db_prep_value(by_column[f.column], connection)
        for f in Resident._meta.concrete_fields
        if f.column in columns
    }
    rows = [
        [household.pk, district.sibling_village.pk, f"{n:064d}", *(stored[c] for c in columns)]
        for n in range(4)
    ]
    names = ", ".join(["household_id", "area_id", "id_number_digest", *columns])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY areas_resident ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(f"INSERT INTO areas_resident ({names}) VALUES ({marks})", rows)  # noqa: S608
        assert maintained()[district.sibling_village.pk] == (3, 4)
        # Raw SQL moving several rows at once between areas, and deleting some.
        cursor.execute(
            "UPDATE areas_resident SET area_id = %s WHERE household_id = %s",
            [district.far_group.pk, near[0].pk],
        )
        cursor.execute(
            "DELETE FROM areas_resident WHERE id IN "
            "(SELECT id FROM areas_resident WHERE area_id = %s ORDER BY id LIMIT 2)",
            [district.sibling_village.pk],
        )
    assert maintained()[district.far_group.pk] == (1, 4)
    assert maintained()[district.sibling_village.pk] == (3, 2)
    assert_figures_exact()
    # Residents swapped between two households in one statement, and an empty household's
    # first residents arriving in one statement.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE areas_resident SET household_id = CASE WHEN household_id = %s THEN %s "
            "ELSE %s END WHERE household_id IN (%s, %s)",
            [near[0].pk, near[1].pk, near[0].pk, near[0].pk, near[1].pk],
        )
        assert_figures_exact()
        cursor.execute(
            "UPDATE areas_resident SET household_id = %s WHERE household_id = %s",
            [empty.pk, household.pk],
        )
    assert_figures_exact()


def test_the_home_and_area_pages_read_the_figures(district, personas, register):
    counts = district_headline_counts(user=personas.commander)
    assert counts is not None
    assert (counts.households, counts.residents) == (3, 5)
    summary = area_summary_for(user=personas.commander, area=district.root)
    assert (summary.households, summary.residents) == (3, 5)
    by_child = {c.area: (c.households, c.residents) for c in summary.children}
    assert by_child == {district.town: (2, 3), district.other_town: (1, 2)}
    # What the pages show is the figure itself, not a recount.
    AreaFigure.objects.filter(area=district.far_group).update(residents=40)
    counts = district_headline_counts(user=personas.commander)
    assert counts is not None and counts.residents == 43
    summary = area_summary_for(user=personas.town_officer, area=district.town)
    assert (summary.households, summary.residents) == (2, 3)
    by_child = {c.area: (c.households, c.residents) for c in summary.children}
    assert by_child == {district.village: (2, 3), district.sibling_village: (0, 0)}


def test_the_area_page_reads_its_counts_in_a_bounded_number_of_queries(
    district, personas, register, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the children, the subtree with its figures
        area_summary_for(user=personas.district_admin, area=district.root)


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_rows_already_registered(district, personas, register):
    _near, far, _people = register
    MigrationExecutor(connection).migrate([("areas", "0007_role_service_clerk")])
    # Registered while there is neither the table nor its triggers.
    make_resident(actor=personas.district_admin, household=far)
    executor = MigrationExecutor(connection)
    executor.migrate([("areas", MIGRATION)])
    assert maintained() == {district.group.pk: (2, 3), district.far_group.pk: (1, 3)}
    # The triggers are in place again: a new resident is counted.
    make_resident(actor=personas.district_admin, household=far)
    assert maintained()[district.far_group.pk] == (1, 4)
    assert_figures_exact()


def test_the_coverage_report_counts_households_from_the_figures(district, personas, register):
    """The per-town household counts are the maintained figures, and only areas whose figure
    holds an empty household are searched for it."""
    admin = personas.district_admin
    empty = make_household(actor=admin, area=district.far_group)
    report = coverage_for(user=admin)
    by_town = {row.town: row for row in report.towns}
    assert (by_town[district.town].households, by_town[district.other_town].households) == (2, 2)
    assert by_town[district.other_town].households_without_resident == 1
    assert report.households_without_resident == [empty]
    AreaFigure.objects.filter(area=district.group).update(households=40, empty_households=3)
    report = coverage_for(user=admin)
    by_town = {row.town: row for row in report.towns}
    assert by_town[district.town].households == 40
    assert by_town[district.town].households_without_resident == 3
    assert report.households_without_resident == [empty]  # the list is of real households
