"""The pages open without an account are a reviewed list, like the API's operations
(core/tests/test_api_problems.py): every page without a parameter in its address is requested
without signing in, and those that answer anything but a way to the login page are exactly these.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Each a deliberate choice, reviewed here.
OPEN_PAGES = {
    "login/": "the sign-in page itself",
    "language/": "choosing the language before signing in",
    "healthz": "the load balancers' health check: no personal data, a few milliseconds",
    "metrics": "Prometheus; answers only METRICS_ALLOWED_IPS or METRICS_TOKEN (here: loopback)",
    "checkpoints/regions/": "the region picker of the public QR form: GB/T 2260 reference data",
    "checkpoints/sw.js": "the checkpoint page's offline service worker (a static script)",
    "portal/signup/": "an enterprise asks for an account, as POST /api/enterprises/signups",
    "fairs/": "the online job fairs' public list: fairs and postings, no personal data",
    "fairs/introducers/register/": "an introducer registers, verified by a one-time code",
    "services/": "the catalogue of government matters and the service counters: no personal data",
    "subsidies/policies/": "the subsidy policies' texts and parameters: public by nature",
    "subsidies/calculator/": "the subsidy calculator: an enterprise's own figures, nothing stored, "
    "rate-limited per address",
    "health/screening/sw.js": "the screening phone page's offline service worker (a script)",
    "public/": "the public portal: published briefings, HQ's notices, the risk-area list",
    "volunteers/join/": "a volunteer signs up (no account; rate-limited; the village reviews it)",
}


def _routes(patterns, prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route:
            routes.append(route.lstrip("^").rstrip("$"))
    return routes


PAGES = sorted(
    r for r in _routes(get_resolver().url_patterns) if not r.startswith(("api/", "admin/"))
)


def test_there_are_pages_to_check():
    assert len(PAGES) > 20
    assert set(OPEN_PAGES) <= set(PAGES)


@pytest.mark.parametrize("route", PAGES)
def test_a_page_answers_without_an_account_only_if_reviewed(client, route):
    response = client.get("/" + route)
    to_login = response.status_code == 302 and response.url.startswith(reverse("login"))
    refused = response.status_code in {401, 403, 404, 405}
    assert to_login or refused or route in OPEN_PAGES, (route, response.status_code)
