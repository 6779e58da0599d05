"""Failure drills on the cluster (``make cluster``), each under the load of bench/cluster_load.py
through nginx: requests lost (answers that were errors) and rows lost (registrations the server
acknowledged — 201, or accepted in a sync's answer — that are not in the database afterwards).

    .venv/bin/python bench/cluster_drills.py [--seconds 12] [--clients 6]

1. kill -9 one app server's gunicorn master and its workers during the load (nginx retries
   what it can on the other one); the server is started again afterwards.
2. Restart the PostgreSQL primary (pg_ctl restart -m fast) during the load's syncs.
3. Stop the replica during the load (reads go back to the primary); started again afterwards.
The client does not retry: every error it meets is counted. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster_load

ROOT = cluster_load.ROOT
CLUSTER = cluster_load.CLUSTER
PGBIN = Path(f"/usr/lib/postgresql/{os.environ.get('PG_MAJOR', '15')}/bin")


def _pg(node: str, *action: str) -> None:
    owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(
        [*owner, str(PGBIN / "pg_ctl"), "-D", f"{CLUSTER}/{node}", "-w", *action],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def _app_server_pids(port: int) -> list[int]:
    master = int(Path(f"{CLUSTER}/run/app-{port}.pid").read_text())
    children = subprocess.run(
        ["/usr/bin/pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    ).stdout.split()
    return [master, *map(int, children)]


def _kill_app_server() -> str:
    for pid in _app_server_pids(8441):
        os.kill(pid, 9)
    return "kill -9 of app server 8441 (master and workers)"


def _restart_primary() -> str:
    _pg("primary", "-m", "fast", "restart", "-l", f"{CLUSTER}/log/primary.log")
    return "pg_ctl restart -m fast of the primary"


def _stop_replica() -> str:
    _pg("replica", "-m", "fast", "stop")
    return "pg_ctl stop -m fast of the replica"


def _rows_with(name: str) -> int:
    from dualtrack.checkpoints.models import Passage

    return Passage.objects.filter(name=name).count()


def drill(name: str, action: Any, setup: dict[str, Any], seconds: float, clients: int) -> None:
    setup = {**setup, "name": f"{setup['name']}-{name}"}
    done: dict[str, Any] = {}

    def load() -> None:
        done["result"] = cluster_load.run_load(cluster_load.NGINX, setup, seconds, clients)

    thread = threading.Thread(target=load)
    thread.start()
    time.sleep(seconds / 3)
    what = action()
    thread.join()
    result = done["result"]
    from django.db import connection

    connection.close()  # the primary may have restarted under it
    stored = _rows_with(setup["name"])
    errors = sum(result["errors"].values())
    print(
        f"{name:<16} {what}: {result['requests']} requests, {errors} errors "
        f"{result['errors'] or ''}; rows acknowledged {result['stored']}, in the database "
        f"{stored}, lost {max(result['stored'] - stored, 0)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--clients", type=int, default=6)
    args = parser.parse_args()
    setup = cluster_load._setup()
    start = [str(ROOT / "deploy" / "cluster.sh"), "start"]
    env = {**os.environ, "PY": sys.executable, "SEED": "0"}
    try:
        drill("app-server-kill", _kill_app_server, setup, args.seconds, args.clients)
    finally:
        subprocess.run(start, env=env, check=True, capture_output=True)
    drill("primary-restart", _restart_primary, setup, args.seconds, args.clients)
    try:
        drill("replica-stop", _stop_replica, setup, args.seconds, args.clients)
    finally:
        _pg("replica", "start", "-l", f"{CLUSTER}/log/replica.log")
    print("partition boundary at midnight: not run (the registers are not partitioned yet)")


if __name__ == "__main__":
    main()
