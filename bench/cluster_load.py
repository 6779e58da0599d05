"""Load test of the cluster (``make cluster``): a bounded mix through nginx, two app servers and
the replica, against the same mix on one app server without the replica, in the same run.

    .venv/bin/python bench/cluster_load.py [--seconds 20] [--clients 8]

The cluster must run (deploy/cluster.sh start, default ports). The baseline is a third gunicorn
started here on 8443 with as many workers as ONE of the cluster's app servers, on the same
database through the same PgBouncer, without DATABASE_REPLICA_URL; it is stopped at the end.
Each client (a thread with its own keep-alive connection) runs the mix in order until the time
is up or it has sent 5,000 requests, whichever comes first: of every 20 requests, 8
registrations (POST, one passage), 2 syncs (POST, 10 offline rows), 5 figure reads (GET
/api/checkpoints/figures), 5 page views (GET the register page, signed in by a session).
Loopback only. Prints requests/s, p50/p95/p99 and errors per target, and the ratios.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLUSTER = os.environ.get("CLUSTER_DIR", "/tmp/dualtrack-cluster")
PRIMARY = "postgres://postgres@127.0.0.1:5440/dualtrack"
POOLED = "postgres://postgres@127.0.0.1:6440/dualtrack"
REPLICA = "postgres://postgres@127.0.0.1:5441/dualtrack"
NGINX, BASELINE = 8440, 8443
MAX_REQUESTS = 5000
MIX = ["register"] * 8 + ["sync"] * 2 + ["figures"] * 5 + ["page"] * 5


def _setup() -> dict[str, Any]:
    """A token of the demo's administrator, one open checkpoint, the demo password."""
    os.environ["DATABASE_URL"] = PRIMARY
    os.environ.pop("DATABASE_REPLICA_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from dualtrack.checkpoints.models import Checkpoint
    from dualtrack.core.models import User
    from dualtrack.core.services import api_token_create
    from dualtrack.demo.seeder import demo_password

    admin = User.objects.get(username="admin")
    token = api_token_create(actor=admin, name=f"load-{uuid.uuid4().hex[:8]}").raw
    checkpoint = Checkpoint.objects.filter(status="open").order_by("pk").first()
    assert checkpoint is not None, "the demo has no open checkpoint"
    return {
        "token": token,
        "checkpoint": checkpoint.pk,
        "password": demo_password(),
        "name": f"负载{uuid.uuid4().hex[:6]}",  # this run's rows, to count them
    }


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]


def _session(port: int, password: str) -> dict[str, str]:
    """Sign the administrator in through the login form: the session and CSRF cookies."""
    jar: dict[str, str] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/login/")
    response = connection.getresponse()
    page = response.read().decode()
    _cookies(response, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no login form"
    body = f"username=admin&password={password}&csrfmiddlewaretoken={token.group(1)}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "Referer": f"http://127.0.0.1:{port}/login/",
    }
    connection.request("POST", "/login/", body, headers)
    response = connection.getresponse()
    response.read()
    _cookies(response, jar)
    assert response.status == 302 and "sessionid" in jar, f"login failed: {response.status}"
    # The sign-in pins this browser's reads to the primary for some seconds (it wrote): a
    # browser drops the cookie when it expires; this client drops it now.
    jar.pop("dualtrack_primary", None)
    return jar


def _passage(checkpoint: int, client_id: bool, name: str) -> dict[str, Any]:
    row: dict[str, Any] = {
        "direction": "in", "temperature": "36.6", "name": name,
        "phone": f"139{uuid.uuid4().int % 10**8:08d}", "origin_code": "360111",
        "purpose": "回家", "notice_given": True,
    }  # fmt: skip
    if client_id:
        row |= {"checkpoint_id": checkpoint, "client_id": str(uuid.uuid4())}
    return row


def _client(
    port: int, setup: dict[str, Any], jar: dict[str, str], until: float, out: list[Any]
) -> None:
    checkpoint = setup["checkpoint"]
    api = {"Authorization": f"Bearer {setup['token']}", "Content-Type": "application/json"}
    page = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(MAX_REQUESTS):
        if time.monotonic() >= until:
            break
        kind = MIX[i % len(MIX)]
        if kind == "register":
            one = json.dumps(_passage(checkpoint, False, setup["name"]))
            path = f"/api/checkpoints/checkpoints/{checkpoint}/passages"
            request = ("POST", path, one, api, 201)
        elif kind == "sync":
            rows = [_passage(checkpoint, True, setup["name"]) for _ in range(10)]
            request = (
                "POST",
                "/api/checkpoints/passages/sync",
                json.dumps({"rows": rows}),
                api,
                200,
            )
        elif kind == "figures":
            request = ("GET", "/api/checkpoints/figures", None, api, 200)
        else:
            request = ("GET", f"/checkpoints/{checkpoint}/register/", None, page, 200)
        method, path, body, headers, expected = request
        started = time.perf_counter()
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            answer = response.read()
            ok = response.status == expected
            status = response.status
            if ok and kind == "register":
                stored = 1
            elif ok and kind == "sync":
                stored = len(json.loads(answer)["accepted"])
            else:
                stored = 0
        except (OSError, http.client.HTTPException) as exc:
            ok, status, stored = False, type(exc).__name__, 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out.append((kind, time.perf_counter() - started, ok, status, stored))


def run_load(port: int, setup: dict[str, Any], seconds: float, clients: int) -> dict[str, Any]:
    jar = _session(port, setup["password"])
    results: list[tuple[str, float, bool, Any, int]] = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_client, args=(port, setup, jar, until, results))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return summarise(results, wall)


def summarise(results: list[tuple[str, float, bool, Any, int]], wall: float) -> dict[str, Any]:
    def percentiles(values: list[float]) -> dict[str, float]:
        if len(values) < 2:
            return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
        cuts = statistics.quantiles(values, n=100)
        return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}

    errors: dict[str, int] = {}
    for _kind, _seconds, ok, status, _stored in results:
        if not ok:
            errors[str(status)] = errors.get(str(status), 0) + 1
    by_kind = {kind: percentiles([r[1] for r in results if r[0] == kind]) for kind in set(MIX)}
    return {
        "requests": len(results),
        "rps": len(results) / wall,
        **percentiles([r[1] for r in results]),
        "stored": sum(r[4] for r in results),
        "errors": errors,
        "by_kind": by_kind,
    }


def start_baseline(workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": POOLED, "DB_PREPARE_THRESHOLD": "off", "DEBUG": "0",
        "SECURE_COOKIES": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": f"{CLUSTER}/media", "REQUEST_LOG": "0",
    }  # fmt: skip
    env.pop("DATABASE_REPLICA_URL", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{BASELINE}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(150):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", BASELINE, timeout=2)
            probe.request("GET", "/healthz")
            if probe.getresponse().status in (200, 503):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the baseline app server did not start")


def line(name: str, r: dict[str, Any]) -> str:
    return (
        f"{name:<42} {r['requests']:>6} req  {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  "
        f"p95 {r['p95']:7.1f} ms  p99 {r['p99']:7.1f} ms  errors {sum(r['errors'].values())} "
        f"{r['errors'] or ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("APP_WORKERS", "2")))
    args = parser.parse_args()
    setup = _setup()
    print(f"mix of 20: {', '.join(f'{MIX.count(k)} {k}' for k in dict.fromkeys(MIX))}; "
          f"{args.clients} clients, {args.seconds:.0f} s each target (machine shared)")  # fmt: skip
    cluster = run_load(NGINX, setup, args.seconds, args.clients)
    baseline_server = start_baseline(args.workers)
    try:
        baseline = run_load(BASELINE, setup, args.seconds, args.clients)
    finally:
        baseline_server.send_signal(signal.SIGTERM)
        baseline_server.wait(timeout=30)
    print(line("nginx + 2 app servers + replica", cluster))
    print(line("1 app server, no replica (baseline)", baseline))
    print(
        f"ratio cluster/baseline: req/s x{cluster['rps'] / baseline['rps']:.2f}, "
        f"p95 x{cluster['p95'] / baseline['p95']:.2f}"
    )
    for kind in dict.fromkeys(MIX):
        c, b = cluster["by_kind"][kind], baseline["by_kind"][kind]
        print(f"  {kind:<9} p95 cluster {c['p95']:7.1f} ms, baseline {b['p95']:7.1f} ms")


if __name__ == "__main__":
    main()
