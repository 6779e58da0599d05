"""The first middleware's own cost (issue 19): request id, JSON request log line, metrics and
database timing, in CPU microseconds a request.

    .venv/bin/python bench/middleware.py [--requests 20000]

A trivial view (no database) is called through RequestFactory requests with and without
``RequestObservabilityMiddleware`` around it, in alternating rounds, and the medians compared;
then again with the request log off (REQUEST_LOG=0 in the settings). The log line goes to
/dev/null. CPU time, not wall time: the machine may be busy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    from dualtrack.ops.middleware import RequestObservabilityMiddleware

    factory = RequestFactory()
    match = resolve("/healthz")

    def view(request):
        request.resolver_match = match
        return HttpResponse(b"ok")

    def per_request(handler) -> float:
        started = time.process_time()
        for _ in range(args.requests):
            handler(factory.post("/api/checkpoints/checkpoints/1/passages"))
        return (time.process_time() - started) / args.requests * 1e6

    import logging

    results = {}
    devnull = open(os.devnull, "w")  # noqa: SIM115  (the request log's stream, for the run)
    for handler in logging.getLogger("dualtrack.requests").handlers:
        handler.setStream(devnull)  # type: ignore[attr-defined]
    for log in (True, False):
        settings.REQUEST_LOG = log
        middleware = RequestObservabilityMiddleware(view)
        bare, wrapped = [], []
        for _ in range(5):
            bare.append(per_request(view))
            wrapped.append(per_request(middleware))
        results[log] = (statistics.median(bare), statistics.median(wrapped))
    for log, (bare, wrapped) in results.items():
        print(
            f"request log {'on ' if log else 'off'}: view alone {bare:.1f} µs, with the "
            f"middleware {wrapped:.1f} µs: the middleware costs {wrapped - bare:.1f} µs CPU"
        )


if __name__ == "__main__":
    main()
