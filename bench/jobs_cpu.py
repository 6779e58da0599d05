"""The CPU an application costs, in one process: the load-independent figure behind bench/jobs.py.

    .venv/bin/python bench/jobs_cpu.py [--database-url URL] [--applications 300] [--runs 3]
                                       [--skip-setup] [--profile FILE]

The requests bench/jobs.py sends through gunicorn (a job seeker's form, then the one-time code;
``GET /api/account/me`` with a token) are handed to Django's WSGI handler in this process, as a
gunicorn worker hands them (DEBUG off, the request log on, a persistent connection). For each run:
the process's CPU time (``time.process_time``) and its PostgreSQL backend's (``/proc/<pid>/stat``)
over ``--applications`` new job seekers after 20 to fill the caches, and over as many pairs of
``/me``; the statements each request sends. Medians of the runs. CPU time is what a saturated
machine divides among requests, so it moves much less with other load than requests per second.
``--profile FILE`` writes a cProfile of the applications (one run) to FILE.

The database is a throwaway PostgreSQL database whose name contains "bench" (dropped, recreated
and seeded as bench/jobs.py does, unless ``--skip-setup``). The public routes' rate limits are
lifted (every request comes from 127.0.0.1). Nothing asserts timings.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import checkpoints_setup as cs  # noqa: E402
from jobs import _identities, _setup  # noqa: E402
from run import _fresh_database, _machine  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dt_bench_employment_cpu"
WARM = 20
TICKS = os.sysconf("SC_CLK_TCK")


def _environ(method: str, path: str, body: bytes = b"", **headers: str) -> dict[str, Any]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "Python-urllib/3.13",
        "HTTP_ACCEPT_ENCODING": "identity",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers.items():
        environ[f"HTTP_{name.upper()}"] = value
    return environ


class Served:
    """Requests through the WSGI handler, as a gunicorn sync worker runs them."""

    def __init__(self) -> None:
        from config.wsgi import application

        self.application = application
        self.status = ""

    def _start(self, status: str, headers: Any, exc_info: Any = None) -> None:
        self.status = status

    def request(self, environ: dict[str, Any], expect: int) -> bytes:
        result = self.application(environ, self._start)
        try:
            body = b"".join(result)
        finally:
            result.close()  # request_finished, as gunicorn calls it
        if not self.status.startswith(str(expect)):
            raise RuntimeError(f"{environ['PATH_INFO']}: {self.status} {body[:300]!r}")
        return body

    def apply(self, posting: int, id_number: str, mobile: str) -> None:
        body = json.dumps({"name": "张三", "id_number": id_number, "mobile": mobile}).encode()
        issued = self.request(
            _environ("POST", f"/api/employment/public/postings/{posting}/applications", body),
            202,
        )
        self.request(_environ("POST", "/api/employment/public/applications/verify", issued), 200)

    def me(self, token: str) -> None:
        self.request(_environ("GET", "/api/account/me", AUTHORIZATION=f"Bearer {token}"), 200)


def _backend_cpu() -> float:
    from django.db import connection

    fields = Path(f"/proc/{connection.connection.info.backend_pid}/stat").read_text()
    after = fields.rsplit(")", 1)[1].split()
    return (int(after[11]) + int(after[12])) / TICKS  # utime, stime


def _cpu(action: Any, n: int) -> tuple[float, float]:
    """Python and PostgreSQL CPU seconds of ``n`` calls of ``action(i)``."""
    process, backend = time.process_time(), _backend_cpu()
    for i in range(n):
        action(i)
    return time.process_time() - process, _backend_cpu() - backend


def _statements(action: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def _profile(apply: Any, n: int, path: str) -> None:
    """Where ``n`` applications spend their CPU: a sampling profile on the CPU-time timer
    (SIGPROF every 0.5 ms of CPU), each function's share of the samples it is on the stack of
    (inclusive) and on top of (its own), written to ``path``. Sampling does not inflate small
    functions as cProfile's cost per call does."""
    import collections
    import signal

    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    samples = 0

    def sample(_signum: int, frame: Any) -> None:
        nonlocal samples
        samples += 1
        seen = set()
        top = True
        while frame is not None:
            code = frame.f_code
            where = code.co_filename.split("site-packages/")[-1]
            name = f"{where}:{code.co_firstlineno} {code.co_qualname}"
            if top:
                own[name] += 1
                top = False
            if name not in seen:
                seen.add(name)
                inclusive[name] += 1
            frame = frame.f_back

    signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
    for i in range(n):
        apply(i)
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    lines = [f"{samples} samples of 0.5 ms CPU over {n} applications", "", "inclusive %:"]
    lines += [f"{100 * c / samples:6.2f} {k}" for k, c in inclusive.most_common(200)]
    lines += ["", "own %:"]
    lines += [f"{100 * c / samples:6.2f} {k}" for k, c in own.most_common(80)]
    Path(path).write_text("\n".join(lines) + "\n")


def measure(applications: int, runs: int, profile: str | None) -> dict[str, Any]:
    from dualtrack.jobs.models import Applicant, Posting

    served = Served()
    token = cs._token()
    postings = list(Posting.objects.values_list("pk", flat=True).order_by("pk")[:2000])
    done = Applicant.objects.count()  # people of earlier runs (--skip-setup) apply no more
    people = _identities(done + WARM + 2 + runs * applications)[done:][::-1]

    def apply(i: int) -> None:
        id_number, mobile = people.pop()
        served.apply(postings[(len(people) + i) % len(postings)], id_number, mobile)

    for i in range(WARM):
        apply(i)
        served.me(token)
    counted = {
        "application": _statements(lambda: apply(0)),
        "me_pair": _statements(lambda: (served.me(token), served.me(token))),
    }
    if profile:
        _profile(apply, applications, profile)
        return {"statements": counted, "profile": profile}
    rows = []
    for _ in range(runs):
        app_py, app_pg = _cpu(apply, applications)
        me_py, me_pg = _cpu(lambda i: (served.me(token), served.me(token)), applications)
        rows.append(
            {
                "application_python_ms": 1000 * app_py / applications,
                "application_postgresql_ms": 1000 * app_pg / applications,
                "me_pair_python_ms": 1000 * me_py / applications,
                "me_pair_postgresql_ms": 1000 * me_pg / applications,
            }
        )
        cs.say(f"run: {rows[-1]}")
    medians = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    medians["application_ms"] = (
        medians["application_python_ms"] + medians["application_postgresql_ms"]
    )
    medians["me_pair_ms"] = medians["me_pair_python_ms"] + medians["me_pair_postgresql_ms"]
    medians["ratio_me_pair_to_application"] = medians["me_pair_ms"] / medians["application_ms"]
    return {"statements": counted, "runs": rows, "median": medians}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--applications", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--profile")
    args = parser.parse_args()
    os.environ.update(
        {
            "JOBS_PUBLIC_RATE": "100000000/m",
            "JOBS_CODES_PER_MOBILE": "100000000/h",
            "JOBS_CODE_SENDER": "shown",
            "DB_CONN_MAX_AGE": "600",
        }
    )
    if not args.skip_setup:
        _fresh_database(args.database_url)
    cs._django(args.database_url)
    if not args.skip_setup:
        cs.say(f"setup: {_setup(args.postings)}")
    report = {"machine": _machine(), **measure(args.applications, args.runs, args.profile)}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
