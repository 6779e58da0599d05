"""The end of a transactional test empties what the test wrote and keeps the reference data."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from dualtrack.core.models import AuditEntry
from dualtrack.core.tests import emptying

pytestmark = pytest.mark.django_db(transaction=True)
# Reference data the migrations put in (read by name: core's tests import no other app).
IndustryDivision = apps.get_model("enterprises", "IndustryDivision")
IndustrySector = apps.get_model("areas", "IndustrySector")


def _rows() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _reference() -> tuple[list, list, list]:
    return (
        list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model")),
        list(Permission.objects.order_by("pk").values_list("pk", "codename")),
        list(IndustryDivision.objects.order_by("pk").values_list("pk", "code")),
    )


def test_what_a_test_wrote_is_emptied_and_the_reference_data_kept(personas, district):
    before = _reference()
    assert _rows()[AuditEntry._meta.db_table] > 0  # the district was built through the services

    assert emptying._emptied(connection)

    left = {table: n for table, n in _rows().items() if n}
    assert set(left) == {
        ContentType._meta.db_table,
        Permission._meta.db_table,
        IndustryDivision._meta.db_table,
        IndustrySector._meta.db_table,
    }
    assert _reference() == before


def test_rows_a_trigger_puts_back_are_emptied_by_another_pass(personas):
    # Deleting a user puts another back (once), as a trigger keeping a figure might.
    if connection.vendor == "postgresql":
        statements = [
            "CREATE FUNCTION test_put_back() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO core_user (password, username, first_name, last_name, email, "
            "display_name, language, is_superuser, is_staff, is_active, date_joined) "
            "SELECT '', 'again-' || OLD.username, '', '', '', '', 'zh-hans', false, false, true, "
            "now() "
            "WHERE OLD.username NOT LIKE 'again-%'; RETURN OLD; END $$",
            "CREATE TRIGGER test_put_back AFTER DELETE ON core_user "
            "FOR EACH ROW EXECUTE FUNCTION test_put_back()",
        ]
        drop = ["DROP TRIGGER test_put_back ON core_user", "DROP FUNCTION test_put_back()"]
    else:
        statements = [
            "CREATE TRIGGER test_put_back AFTER DELETE ON core_user "
            "WHEN OLD.username NOT LIKE 'again-%' BEGIN "
            "INSERT INTO core_user (password, username, first_name, last_name, email, "
            "display_name, language, is_superuser, is_staff, is_active, date_joined) "
            "VALUES ('', 'again-' || OLD.username, '', '', '', '', 'zh-hans', 0, 0, 1, "
            "datetime('now')); END"
        ]
        drop = ["DROP TRIGGER test_put_back"]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    try:
        assert emptying._emptied(connection)
        assert not any(_rows()[table] for table in ("core_user", AuditEntry._meta.db_table))
    finally:
        with connection.cursor() as cursor:
            for statement in drop:
                cursor.execute(statement)


def test_changed_reference_data_is_put_back_as_it_was(personas):
    before = _reference()
    content_type = ContentType.objects.get_for_model(AuditEntry)
    Permission.objects.create(codename="test_extra", name="extra", content_type=content_type)
    IndustryDivision.objects.filter(pk=before[2][0][0]).delete()

    assert emptying._emptied(connection)
    assert _reference() == before
    assert _rows()["core_user"] == 0
