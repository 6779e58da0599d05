"""core.sql, the hand-written SQL of the hot paths: the statements it prepares, the values it
converts both ways exactly as the ORM does, and how it talks to each database."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualtrack.core import sql
from dualtrack.core.models import Job, JobState, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> User:
    return User.objects.create_user(username="owner", password="x", display_name="Owner")


def _job(owner: User) -> Job:
    return Job(
        owner=owner,
        kind="export",
        label="出入登记导出",
        state=JobState.RUNNING,
        params={"from": "2020-02-01", "areas": [1, 2], "全部": True},
        upload=b"\x00\x01binary\xff",
        problems=[{"row": 3, "message": "身份证号无效"}],
        done=2,
        total=5,
        started_at=datetime.datetime(2020, 2, 1, 8, 30, tzinfo=datetime.UTC),
    )


# --- statements ---------------------------------------------------------------------------------


def test_the_insert_statement_names_every_column_but_the_key_and_returns_the_key():
    statement, fields = sql._insert_statement(Job)
    qn = connection.ops.quote_name
    assert "id" not in [f.column for f in fields]
    assert [f.column for f in fields] == [
        f.column for f in Job._meta.concrete_fields if not f.primary_key
    ]
    assert statement.startswith(f"INSERT INTO {qn('core_job')} (")
    assert statement.count("%s") == len(fields)
    assert statement.endswith(f"RETURNING {qn('id')}")
    assert sql._insert_statement(Job) is sql._insert_statement(Job)  # built once


def test_a_loader_selects_every_column_under_its_alias_once_per_model_and_alias():
    loader = sql.loader(User, "u")
    qn = connection.ops.quote_name
    assert loader.columns.split(", ") == [f"u.{qn(f.column)}" for f in User._meta.concrete_fields]
    assert loader.width == len(User._meta.concrete_fields)
    assert sql.loader(User, "u") is loader
    assert sql.loader(User, "v") is not loader


# --- values: written as the ORM writes them, read as the ORM reads them -----------------------


def test_insert_stores_what_save_would_and_sends_no_signal(owner):
    sent = []

    def receiver(**kwargs):
        sent.append(kwargs["instance"])

    post_save.connect(receiver, sender=Job)
    try:
        job = _job(owner)
        before = timezone.now()
        sql.insert(job)
    finally:
        post_save.disconnect(receiver, sender=Job)
    assert sent == []
    assert job.pk is not None
    assert not job._state.adding
    assert job._state.db == connection.alias
    assert before <= job.created_at <= timezone.now()  # auto_now_add ran, as in save()
    stored = Job.objects.get(pk=job.pk)
    for field in Job._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(job, field.attname), field.name
    assert stored.params["全部"] is True
    assert bytes(stored.upload) == b"\x00\x01binary\xff"


def test_insert_all_stores_each_row_as_insert_would_in_one_statement_on_postgresql(owner):
    from dualtrack.core.audit import audit_entry
    from dualtrack.core.models import AuditAction, AuditEntry

    first, second = _job(owner), _job(owner)
    second.label = "第二个"
    before = timezone.now()
    sql.insert(first)
    entry = audit_entry(actor=owner, action=AuditAction.CREATE, instance=first, note="批量")
    with CaptureQueriesContext(connection) as captured:
        sql.insert_all(second, entry)
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)
    for instance, model in ((second, Job), (entry, AuditEntry)):
        assert instance.pk is not None and not instance._state.adding
        assert instance._state.db == connection.alias
        stored = model.objects.get(pk=instance.pk)
        for field in model._meta.concrete_fields:
            assert getattr(stored, field.attname) == getattr(instance, field.attname), field.name
    assert before <= second.created_at <= timezone.now()
    assert AuditEntry.objects.get(pk=entry.pk).target_id == str(first.pk)
    shapes = ((Job, (), ()), (AuditEntry, (), ()))
    assert sql._insert_all_statement(shapes) is sql._insert_all_statement(shapes)  # built once


def test_insert_all_takes_earlier_rows_keys_upserts_and_runs_a_first_statement(owner):
    """A row refers to one before it (a foreign key to its instance, a ``KeyText`` naming it),
    an ``Upsert`` finds the stored row, and ``first`` runs before them: one statement on
    PostgreSQL; in order, one statement each, elsewhere."""
    from dualtrack.core.audit import audit_entry
    from dualtrack.core.models import AuditAction, AuditEntry

    earlier = _job(owner)
    sql.insert(earlier)
    renamed = User(username="owner", password="unused", display_name="改名")  # owner's row
    job = _job(renamed)
    entry = audit_entry(actor=None, action=AuditAction.CREATE, instance=job, note="新")
    entry.target_id = sql.KeyText(job)
    qn = connection.ops.quote_name
    update = f"UPDATE {qn('core_job')} SET {qn('done')} = %s WHERE {qn('id')} = %s"  # noqa: S608
    first = (update, [4, earlier.pk])
    with CaptureQueriesContext(connection) as captured:
        sql.insert_all(
            sql.Upsert(renamed, on=("username",), update=("display_name",)),
            job,
            entry,
            first=first,
        )
    assert len(captured) == (1 if connection.vendor == "postgresql" else 4)
    assert renamed.pk == owner.pk and not renamed._state.adding
    stored_owner = User.objects.get(pk=owner.pk)
    assert stored_owner.display_name == "改名"
    assert stored_owner.password == owner.password  # only the columns named are updated
    assert User.objects.filter(username="owner").count() == 1
    assert job.owner_id == owner.pk and job.owner is renamed  # the relation's instance kept
    assert Job.objects.get(pk=job.pk).owner_id == owner.pk
    assert entry.target_id == str(job.pk)
    assert AuditEntry.objects.get(pk=entry.pk).target_id == str(job.pk)
    assert Job.objects.get(pk=earlier.pk).done == 4


def test_a_key_text_naming_no_earlier_row_is_refused(owner):
    from dualtrack.core.audit import audit_entry
    from dualtrack.core.models import AuditAction

    job = _job(owner)
    entry = audit_entry(actor=None, action=AuditAction.CREATE, instance=job)
    entry.target_id = sql.KeyText(job)
    with pytest.raises(ValueError, match="target_id"):
        sql.insert_all(entry, job)


def test_a_loader_builds_the_instance_the_orm_builds(owner):
    job = _job(owner)
    job.save()
    loader = sql.loader(Job, "j")
    row = sql.fetch_one(
        f"SELECT {loader.columns} FROM {Job._meta.db_table} j WHERE j.id = %s",  # noqa: S608
        [job.pk],
    )
    assert row is not None
    loaded = loader(row)
    expected = Job.objects.get(pk=job.pk)
    assert isinstance(loaded, Job)
    assert not loaded._state.adding
    for field in Job._meta.concrete_fields:
        value, wanted = getattr(loaded, field.attname), getattr(expected, field.attname)
        if isinstance(wanted, memoryview | bytes):
            value, wanted = bytes(value), bytes(wanted)
        assert value == wanted, field.name
        assert type(value) is type(wanted), field.name
    assert loaded.started_at.tzinfo is not None
    assert loaded.params == {"from": "2020-02-01", "areas": [1, 2], "全部": True}


def test_fetch_binds_its_parameters_and_answers_none_for_no_row(owner):
    rows = sql.fetch_all(
        f"SELECT username FROM {User._meta.db_table} WHERE username IN (%s, %s) ORDER BY id",  # noqa: S608
        ["owner", "x' OR '1'='1"],
    )
    assert rows == [("owner",)]
    assert (
        sql.fetch_one(
            f"SELECT id FROM {User._meta.db_table} WHERE username = %s",  # noqa: S608
            ["nobody"],
        )
        is None
    )


def test_a_datetime_read_by_hand_is_made_aware_as_utc(owner):
    job = _job(owner)
    job.save()
    (raw,) = sql.fetch_one(f"SELECT started_at FROM {Job._meta.db_table} WHERE id = %s", [job.pk])  # noqa: S608
    if connection.vendor == "sqlite":
        assert raw.tzinfo is None  # SQLite hands back naive UTC
    else:
        assert raw.tzinfo is not None
    assert sql.aware(raw) == datetime.datetime(2020, 2, 1, 8, 30, tzinfo=datetime.UTC)
    assert sql.aware(raw).utcoffset() == datetime.timedelta(0)
    shanghai = timezone.get_current_timezone()
    local = datetime.datetime(2020, 2, 1, 16, 30, tzinfo=shanghai)
    assert sql.aware(local) is local
    assert sql.aware(None) is None


@pytest.mark.parametrize(
    ("value", "fits"),
    [
        (1, True),
        (0, True),
        (2**63 - 1, True),
        (-(2**63), True),
        (2**63, False),
        (-(2**63) - 1, False),
        ("1", False),
        (1.0, False),
        (None, False),
    ],
)
def test_is_key_accepts_only_integers_that_fit_a_bigint_column(value, fits):
    assert sql.is_key(value) is fits


# --- the connection -----------------------------------------------------------------------------


def test_statements_are_logged_like_the_orms(owner):
    with CaptureQueriesContext(connection) as queries:
        sql.fetch_one(f"SELECT id FROM {User._meta.db_table} WHERE username = %s", ["owner"])  # noqa: S608
    assert len(queries.captured_queries) == 1
    assert "WHERE username" in queries.captured_queries[0]["sql"]


def test_the_cursor_binds_on_the_server_on_postgresql_and_is_the_orms_elsewhere():
    with sql.cursor() as c:
        raw = c.cursor
        if connection.vendor == "postgresql":
            import psycopg

            # Not psycopg's ClientCursor (which Django uses with server_side_binding off): the
            # parameters go to the server, so that the statement can be prepared.
            assert type(raw) is psycopg.Cursor
            assert raw.connection is connection.connection
        else:
            with connection.cursor() as orm:
                assert type(raw) is type(orm.cursor)


def test_a_reused_statement_answers_each_time_and_is_prepared_on_postgresql():
    cast = "::int" if connection.vendor == "postgresql" else ""
    statement = f"SELECT %s{cast} + 1 AS core_sql_prepared"
    for n in range(3):
        assert sql.fetch_one(statement, [n]) == (n + 1,)
    if connection.vendor != "postgresql":
        return  # SQLite keeps its own statement cache; there is nothing to prepare by hand
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    prepared = sql.fetch_all(
        "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
        ["%core_sql_prepared%"],
    )
    if threshold is None:  # DB_PREPARE_THRESHOLD=off: psycopg never prepares
        assert prepared == []
    else:
        assert len(prepared) == 1
        assert "$1" in prepared[0][0]  # bound on the server, not interpolated
