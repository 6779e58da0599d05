"""The checkpoints benchmark, parts 2 and 3: single registrations under gunicorn against a bare
INSERT, and today's figures against GROUP BY (see bench/checkpoints.py)."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from typing import Any

from checkpoints_setup import (
    CONCURRENCY,
    FIGURE_RUNS,
    GUNICORN_WORKERS,
    REQUESTS_PER_CLIENT,
    _gunicorn,
    _identities,
    _ms,
    _pool_map,
    _token,
    say,
)

# --- 2. Single registration under gunicorn -------------------------------------------------------


def _http_worker(args: tuple[int, str, str, str, list[str], int, int]) -> list[float]:
    """``per_client`` requests, one after another on one connection; their latencies. A body's
    CLIENT-ID is replaced by a fresh UUID each time."""
    import http.client

    port, token, method, path, bodies, per_client, expected = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    samples = []
    for i in range(per_client):
        body = bodies[i % len(bodies)].replace("CLIENT-ID", str(uuid.uuid4())) if bodies else None
        started = time.perf_counter()
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        response.read()
        samples.append(time.perf_counter() - started)
        if response.status != expected:
            raise RuntimeError(f"{method} {path}: status {response.status}")
    conn.close()
    return samples


def _insert_worker(args: tuple[str, int, int]) -> list[float]:
    import datetime as dt

    import psycopg

    url, per_client, checkpoint_id = args
    samples = []
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        for _ in range(per_client):
            now = dt.datetime.now(dt.UTC)
            started = time.perf_counter()
            conn.execute(
                "INSERT INTO bench_passage_insert (checkpoint_id, client_id, occurred_at, "
                "received_at, direction, temperature, name, id_number, id_digest, phone, "
                "phone_digest, origin_code, origin_name, purpose, notice_given, source, "
                "is_fever, from_risk_area) VALUES (%s, %s, %s, %s, 'in', 36.5, '张三', "
                "'x', '', '', '', '360111', '', '', true, 'staff', false, false)",
                [checkpoint_id, uuid.uuid4(), now, now],
            )
            conn.commit()
            samples.append(time.perf_counter() - started)
    return samples


def bench_register(url: str) -> dict[str, Any]:
    from django.db import connection

    from dualtrack.checkpoints.models import Checkpoint

    token = _token()
    checkpoint = Checkpoint.objects.filter(status="open").order_by("pk").first()
    assert checkpoint is not None
    people = _identities(500)
    bodies = [
        json.dumps(
            {
                "client_id": "CLIENT-ID",
                "direction": "in",
                "temperature": "36.6",
                "name": "李四",
                "id_number": id_number,
                "phone": phone,
                "origin_code": "360111",
                "purpose": "回家",
                "notice_given": True,
            }
        )
        for id_number, phone in people
    ]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_passage_insert")
        cursor.execute("CREATE TABLE bench_passage_insert (LIKE checkpoints_passage INCLUDING ALL)")
    results: dict[str, Any] = {"workers": GUNICORN_WORKERS, "cpu": _cpu_per_registration(token)}
    register = f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages"
    with _gunicorn(url) as port:
        # Warm every worker up.
        _pool_map(
            _http_worker, [(port, token, "POST", register, bodies, 20, 201)] * GUNICORN_WORKERS
        )
        for concurrency in CONCURRENCY:
            per_client = REQUESTS_PER_CLIENT[concurrency]
            parts, seconds = _pool_map(
                _http_worker,
                [(port, token, "POST", register, bodies, per_client, 201)] * concurrency,
            )
            samples = [s for part in parts for s in part]
            # The stack's floor: a token, the scope, a JSON answer, nothing written.
            me_parts, me_seconds = _pool_map(
                _http_worker,
                [(port, token, "GET", "/api/account/me", [], per_client, 200)] * concurrency,
            )
            me = [s for part in me_parts for s in part]
            base_parts, base_seconds = _pool_map(
                _insert_worker, [(url, per_client, checkpoint.pk)] * concurrency
            )
            base = [s for part in base_parts for s in part]
            results[str(concurrency)] = {
                "requests": len(samples),
                "req_per_s": len(samples) / seconds,
                "latency_ms": _ms(samples),
                "me_per_s": len(me) / me_seconds,
                "me_ms": _ms(me),
                "baseline_per_s": len(base) / base_seconds,
                "baseline_ms": _ms(base),
            }
            say(f"registration at {concurrency}: {results[str(concurrency)]}")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_passage_insert")
    return results


# --- 3. Today's figures --------------------------------------------------------------------------


def _raw_figures(checkpoint_ids: Any, day: Any) -> dict[str, Any]:
    """The same figures from the raw rows: GROUP BY over today's passages and their alerts."""
    import statistics as st

    from django.db.models import Count, Q

    from dualtrack.checkpoints.models import Alert, Passage
    from dualtrack.checkpoints.selectors.register import day_bounds

    start, end = day_bounds(day)
    passages = Passage.objects.filter(
        checkpoint_id__in=checkpoint_ids, occurred_at__gte=start, occurred_at__lt=end
    )
    counts = passages.aggregate(
        people_in=Count("id", filter=Q(direction="in")),
        people_out=Count("id", filter=Q(direction="out")),
        fevers=Count("id", filter=Q(is_fever=True)),
        risk=Count("id", filter=Q(from_risk_area=True)),
    )
    alerts = list(Alert.objects.filter(passage__in=passages).values_list("raised_at", "handled_at"))
    handled = [(h - r).total_seconds() / 60 for r, h in alerts if h]
    counts["alerts_open"] = sum(1 for _, h in alerts if h is None)
    counts["median"] = st.median(handled) if handled else None
    return counts


def _raw_figures_by_hand(checkpoint_ids: Any, day: Any) -> tuple[Any, ...]:
    """The same GROUP BY in hand-written, prepared SQL (as the rollups are read), so that the
    comparison is of the rollups against the rows, not of hand-written SQL against the ORM."""
    import statistics as st

    from dualtrack.checkpoints.selectors.register import day_bounds
    from dualtrack.core import sql

    start, end = day_bounds(day)
    marks = ", ".join(["%s"] * len(checkpoint_ids))
    where = f"p.checkpoint_id IN ({marks}) AND p.occurred_at >= %s AND p.occurred_at < %s"
    params = [*checkpoint_ids, start, end]
    counts = sql.fetch_one(
        "SELECT count(*) FILTER (WHERE p.direction = 'in'), "
        "count(*) FILTER (WHERE p.direction = 'out'), count(*) FILTER (WHERE p.is_fever), "
        f"count(*) FILTER (WHERE p.from_risk_area) FROM checkpoints_passage p WHERE {where}",
        params,
    )
    alerts = sql.fetch_all(
        "SELECT a.raised_at, a.handled_at FROM checkpoints_alert a "
        f"JOIN checkpoints_passage p ON p.id = a.passage_id WHERE {where}",
        params,
    )
    handled = [(h - r).total_seconds() / 60 for r, h in alerts if h]
    return (*(counts or ()), st.median(handled) if handled else None)


def bench_figures() -> dict[str, Any]:
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from dualtrack.areas.models import Area, AreaKind
    from dualtrack.checkpoints.figures import figures_for
    from dualtrack.checkpoints.models import Checkpoint, Passage
    from dualtrack.core.models import User

    admin = User.objects.get(username="admin")
    today = timezone.localdate()
    busiest = (
        Passage.objects.filter(occurred_at__gte=timezone.now() - datetime.timedelta(hours=12))
        .values("checkpoint_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    checkpoint = Checkpoint.objects.select_related("area").get(pk=busiest["checkpoint_id"])
    town = Area.objects.get(code=checkpoint.area.code[:4], kind=AreaKind.TOWN)
    town_ids = list(
        Checkpoint.objects.filter(area__code__startswith=town.code).values_list("pk", flat=True)
    )
    out: dict[str, Any] = {}
    for label, kwargs, ids in (
        ("checkpoint", {"checkpoint": checkpoint}, [checkpoint.pk]),
        ("town", {"area": town}, town_ids),
    ):
        rolled = figures_for(user=admin, **kwargs)
        raw = _raw_figures(ids, today)
        assert (rolled.people_in, rolled.people_out, rolled.fevers) == (
            raw["people_in"],
            raw["people_out"],
            raw["fevers"],
        ), (rolled, raw)
        assert _raw_figures_by_hand(ids, today)[:3] == (
            raw["people_in"],
            raw["people_out"],
            raw["fevers"],
        )
        fast, again, slow, by_hand = [], [], [], []
        for _ in range(FIGURE_RUNS):
            user = User.objects.get(pk=admin.pk)  # a fresh request: the scope is rebuilt
            started = time.perf_counter()
            figures_for(user=user, **kwargs)
            fast.append(time.perf_counter() - started)
            # A further read in the same request (a figures page reads one a town or gate).
            started = time.perf_counter()
            figures_for(user=user, **kwargs)
            again.append(time.perf_counter() - started)
            started = time.perf_counter()
            _raw_figures(ids, today)
            slow.append(time.perf_counter() - started)
            started = time.perf_counter()
            _raw_figures_by_hand(ids, today)
            by_hand.append(time.perf_counter() - started)
        out[label] = {
            "name": str(kwargs.get("checkpoint") or kwargs.get("area")),
            "passages_today": raw["people_in"] + raw["people_out"],
            "rollup_ms": _ms(fast),
            "rollup_again_ms": _ms(again),
            "group_by_ms": _ms(slow),
            "group_by_by_hand_ms": _ms(by_hand),
            "speedup_p95": _ms(slow)["p95"] / _ms(fast)["p95"],
            "speedup_by_hand_p95": _ms(by_hand)["p95"] / _ms(fast)["p95"],
        }
        say(f"figures {label}: {out[label]}")
    return out


def _cpu_per_registration(token: str) -> dict[str, float]:
    """CPU seconds the Django process spends on one registration (in-process, test client):
    less sensitive to a busy machine than wall time."""
    from django.test import Client

    from dualtrack.checkpoints.models import Checkpoint

    checkpoint = Checkpoint.objects.filter(status="open").order_by("pk").first()
    assert checkpoint is not None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    people = _identities(100)
    url = f"/api/checkpoints/checkpoints/{checkpoint.pk}/passages"
    cpu, wall = [], []
    for i in range(220):
        body = json.dumps(
            {
                "client_id": str(uuid.uuid4()),
                "direction": "in",
                "temperature": "36.6",
                "name": "王五",
                "id_number": people[i % 100][0],
                "phone": people[i % 100][1],
                "origin_code": "360111",
            }
        )
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        c1, w1 = time.process_time(), time.perf_counter()
        assert response.status_code == 201, response.content
        if i >= 20:
            cpu.append(c1 - c0)
            wall.append(w1 - w0)
    return {"cpu_ms": statistics.fmean(cpu) * 1000, "wall_ms": _ms(wall)["p50"]}
