"""The scaling benchmark on Citus (bench/scaling.py --citus-url): the register distributed as
docs/scaling.md says, the same statements timed on the single server and on the coordinator.

Citus must be installed by the operator (a coordinator with its workers added, the extension
created in the database of --citus-url); nothing here installs it. The database's tables of the
register are dropped and made again on each run.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import time
from typing import Any
from urllib.parse import urlsplit

from checkpoints_setup import say
from scaling_data import DataSet, ciphertexts, copy_dataset

BY_CHECKPOINT = ("checkpoints_passage", "checkpoints_alert", "checkpoints_dailyfigure")
REFERENCE = ("areas_area",)
# What a distributed table's unique constraints must hold: its distribution column.
KEY = {"checkpoints_checkpoint": "id", **dict.fromkeys(BY_CHECKPOINT, "checkpoint_id")}
# The register page's join to its alert, as the ORM writes it and with the gate added (a
# co-located join must equate the distribution columns: docs/scaling.md).
ALERT_JOIN = '("checkpoints_passage"."id" = "checkpoints_alert"."passage_id")'
ALERT_JOIN_BY_GATE = (
    '("checkpoints_passage"."id" = "checkpoints_alert"."passage_id" AND '
    '"checkpoints_passage"."checkpoint_id" = "checkpoints_alert"."checkpoint_id")'
)


def _pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _schema(url: str) -> tuple[list[str], list[str]]:
    """The single server's tables of the register (pg_dump): the CREATE TABLE statements, and
    the constraints and indexes to add after the load — each unique constraint with the
    distribution column, no foreign key (Citus takes none from a local table, and the
    register's to its residents cannot hold across nodes)."""
    parts = urlsplit(url)
    dump = subprocess.run(
        [
            "pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-h",
            parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U",
            parts.username or "postgres", *(f"-t{t}" for t in (*KEY, *REFERENCE)),
            parts.path.lstrip("/"),
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    # Comments and psql's meta-commands (pg_dump's \\restrict) are not SQL.
    dump = re.sub(r"(?m)^(--|\\).*$", "", dump)
    statements = [s.strip() for s in dump.split(";\n") if s.strip()]
    tables, after = [], []
    for statement in statements:
        if statement.startswith(("SET ", "SELECT pg_catalog")) or "FOREIGN KEY" in statement:
            continue
        if statement.startswith(("CREATE TABLE", "CREATE SEQUENCE")) or re.search(
            r"IDENTITY|OWNED BY|SET DEFAULT", statement
        ):
            tables.append(statement)
        elif "ATTACH PARTITION" not in statement:
            # pg_dump gives the parent's (ON ONLY, its partitions' own attached later): made on
            # the parent, Citus makes them on every partition of every shard.
            statement = re.sub(r"\b(ON|TABLE) ONLY\b", r"\1", statement)
            table = re.search(r"(?:ON|TABLE)(?: ONLY)? (?:public\.)?(\w+)", statement)
            key = KEY.get(table.group(1)) if table else None
            unique = re.search(r"(PRIMARY KEY|UNIQUE) \(([^)]*)\)", statement)
            if key and unique and key not in unique.group(2).split(", "):
                statement = statement.replace(
                    unique.group(0), f"{unique.group(1)} ({key}, {unique.group(2)})"
                )
            after.append(statement)
    return tables, after


def setup(url: str, citus_url: str, sets: list[DataSet]) -> dict[str, Any]:
    import psycopg

    from dualtrack.core.partitions import add_months, month_begins

    tables, after = _schema(url)
    with psycopg.connect(_pg(citus_url), autocommit=True) as citus:
        for table in (*BY_CHECKPOINT, *KEY, *REFERENCE):
            citus.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        for statement in tables:
            citus.execute(statement)
        for data in sets:
            citus.execute(
                f"CREATE TABLE checkpoints_passage_p{data.month:%Y%m} PARTITION OF "
                f"checkpoints_passage FOR VALUES FROM ('{month_begins(data.month).isoformat()}') "
                f"TO ('{month_begins(add_months(data.month, 1)).isoformat()}')"
            )
        citus.execute("SELECT create_reference_table('areas_area')")
        citus.execute("SELECT create_distributed_table('checkpoints_checkpoint', 'id')")
        for table in BY_CHECKPOINT:
            citus.execute(
                "SELECT create_distributed_table(%s, 'checkpoint_id', "
                "colocate_with => 'checkpoints_checkpoint')",
                [table],
            )
        with psycopg.connect(_pg(url)) as single:
            for table in ("areas_area", "checkpoints_checkpoint"):
                with (
                    single.cursor().copy(f"COPY {table} TO STDOUT") as source,
                    citus.cursor().copy(f"COPY {table} FROM STDIN") as target,
                ):
                    for block in source:
                        target.write(block)
            gate_ids = [
                g for (g,) in single.execute("SELECT id FROM checkpoints_checkpoint ORDER BY id")
            ]
            first_ids = {
                label: first
                for label, first in single.execute(
                    "SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYYMM'), min(id) "
                    "FROM checkpoints_passage GROUP BY 1"
                )
            }
        sealed = ciphertexts(2000)
        loads = {}
        for data in sets:
            first = first_ids[f"{data.month:%Y%m}"]
            with psycopg.connect(_pg(citus_url)) as conn:
                loads[data.label] = copy_dataset(conn, data, first, gate_ids, sealed)
        started = time.perf_counter()
        # One connection a node for the DDL: in parallel over the shards of a partitioned table
        # it ran into distributed deadlocks here.
        citus.execute("SET citus.multi_shard_modify_mode TO 'sequential'")
        for statement in after:
            citus.execute(statement)
        citus.execute("ANALYZE")
        say(f"Citus: constraints and indexes in {time.perf_counter() - started:.0f} s")
        return {
            "loads": loads,
            "workers": citus.execute(
                "SELECT count(*) FROM citus_get_active_worker_nodes()"
            ).fetchone()[0],
        }


def _timed(url: str, statement: str, runs: int) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(_pg(url), autocommit=True) as conn:
        try:
            conn.execute(statement).fetchall()
        except psycopg.Error as error:
            return {"error": str(error).splitlines()[0]}
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            conn.execute(statement).fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples), "p95": samples[int(0.95 * (len(samples) - 1))]}


def _per_node(citus_url: str, statement: str) -> dict[str, Any]:
    """The distributed plan: how many tasks, and per worker the tasks' summed execution time."""
    import psycopg

    with psycopg.connect(_pg(citus_url), autocommit=True) as conn:
        conn.execute("SET citus.explain_all_tasks = on")
        try:
            plan = "\n".join(r[0] for r in conn.execute(f"EXPLAIN (ANALYZE) {statement}"))
        except psycopg.Error as error:
            return {"error": str(error).splitlines()[0]}
    tasks = sum(int(n) for n in re.findall(r"Task Count: (\d+)", plan))
    nodes: dict[str, float] = {}
    for host, ms in re.findall(
        r"Node: host=\S+ port=(\d+) dbname=\S+\n(?:.*\n)*?\s+Execution Time: ([\d.]+) ms", plan
    ):
        nodes[host] = nodes.get(host, 0.0) + float(ms)
    return {"tasks": tasks, "ms_per_node": nodes}


def compare(
    url: str, citus_url: str, sets: list[DataSet], results: dict[str, Any], runs: int
) -> dict[str, Any]:
    """Each SELECT the selectors sent for these data sets, and a 10-row COPY at a gate, on the
    single server and on Citus."""
    import psycopg

    out: dict[str, Any] = {"setup": setup(url, citus_url, sets)}
    single = psycopg.connect(_pg(url), autocommit=True)
    for data in sets:
        per_query: dict[str, Any] = {}
        for name, figures in results[data.label].items():
            rows = []
            for logged in figures["statements"]:
                statement = _runnable(logged, single)
                if not statement.lstrip("( ").upper().startswith("SELECT"):
                    continue
                variants = {"as sent": statement}
                if ALERT_JOIN in statement:
                    variants["gate in the join"] = statement.replace(ALERT_JOIN, ALERT_JOIN_BY_GATE)
                for variant, text in variants.items():
                    rows.append(
                        {
                            "statement": text[:160],
                            "variant": variant,
                            "single": _timed(url, text, runs),
                            "citus": _timed(citus_url, text, runs),
                            "plan": _per_node(citus_url, text),
                        }
                    )
            per_query[name] = rows
        per_query["COPY of 10 rows, one gate"] = _copy_10(url, citus_url, data, runs)
        out[data.label] = per_query
        for name, rows in per_query.items():
            say(f"Citus {data.label} {name}: {rows}")
    single.close()
    return out


def _runnable(logged: str, conn: Any) -> str:
    """A statement as Django logged it, with its parameters in it: core.sql binds them on the
    server, and its statements are logged as QUERY = '…' - PARAMS = (…)."""
    import ast
    import datetime
    import zoneinfo

    import psycopg

    found = re.fullmatch(r"QUERY = ('.*') - PARAMS = (\(.*\))", logged, re.S)
    if not found:
        return logged
    query = ast.literal_eval(found.group(1))
    params = eval(found.group(2), {"datetime": datetime, "zoneinfo": zoneinfo})  # our own log
    return psycopg.ClientCursor(conn).mogrify(query, params)


def _copy_10(url: str, citus_url: str, data: DataSet, runs: int) -> dict[str, Any]:
    """COPY of 10 rows at one gate and commit (the sync's write) into the data set's month."""
    import datetime
    import uuid

    import psycopg
    from checkpoints_sync import PASSAGE_COLUMNS

    columns = ", ".join(PASSAGE_COLUMNS)
    client, when = PASSAGE_COLUMNS.index("client_id"), PASSAGE_COLUMNS.index("occurred_at")
    out = {}
    for side, target in (("single", url), ("citus", citus_url)):
        with psycopg.connect(_pg(target)) as conn:
            template = conn.execute(
                f"SELECT {columns} FROM checkpoints_passage "
                "WHERE occurred_at >= %s AND occurred_at < %s LIMIT 1",
                [data.start(), data.end()],
            ).fetchone()
            samples = []
            for run in range(runs + 1):
                started = time.perf_counter()
                with conn.cursor().copy(f"COPY checkpoints_passage ({columns}) FROM STDIN") as cp:
                    for n in range(10):
                        row = list(template)
                        row[client] = uuid.uuid4()
                        row[when] = data.end() - datetime.timedelta(seconds=run * 10 + n + 1)
                        cp.write_row(row)
                conn.commit()
                if run:
                    samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        out[side] = {"p50": statistics.median(samples), "p95": samples[int(0.95 * (runs - 1))]}
    return out


def summary(report: dict[str, Any]) -> None:
    """One line a statement: p50 ms on each side, the tasks and the time on each node."""
    for label, queries in report.items():
        if label == "setup":
            continue
        for name, rows in queries.items():
            if isinstance(rows, dict):  # the COPY
                rows = [{"variant": "", "statement": "", "plan": {}, **rows}]
            for row in rows:
                citus = row["citus"].get("error") or f"{row['citus']['p50']:.2f} ms"
                plan = row["plan"]
                nodes = ", ".join(f":{p} {ms:.2f}" for p, ms in plan.get("ms_per_node", {}).items())
                print(
                    f"{label} | {name} {row['variant']} | single {row['single']['p50']:.2f} ms | "
                    f"Citus {citus} | tasks {plan.get('tasks', '-')} | per node ms {nodes} | "
                    f"{row['statement'][:70]}"
                )
