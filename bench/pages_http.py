"""The pages benchmark's browser (bench/pages.py): a signed-in session against the server, and
the routes found from the URL patterns and the links of the persona's own pages."""

from __future__ import annotations

import html
import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass, field

# Not pages: the API (its one route here is the baseline), the Django admin, signing in and out,
# and the Prometheus scrape (`/metrics`: no persona's page; it answers the benchmark only
# because the benchmark's clients come from loopback, which METRICS_ALLOWED_IPS lets in).
SKIPPED_PREFIXES = ("api/", "admin/", "login/", "logout/", "metrics")
LINK = re.compile(r'(?:href|hx-get|action|data-url)="(/[^"#]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    body: str
    seconds: float
    location: str = ""


@dataclass
class Session:
    """One signed-in user's cookies against 127.0.0.1:``port`` (a new connection a request, as
    gunicorn's sync workers close each one)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        headers = {"Host": "127.0.0.1", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        text = data.decode("utf-8", "replace") if _is_text(response) else ""
        return Answer(response.status, text, seconds, response.getheader("Location") or "")

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/login/")
        token = CSRF.search(page.body)
        if token is None:
            raise RuntimeError("no CSRF token on /login/")
        answer = self.request(
            "POST",
            "/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in as {username} failed: {answer.status}")


def _is_text(response: http.client.HTTPResponse) -> bool:
    kind = response.getheader("Content-Type") or ""
    return kind.startswith(("text/", "application/json"))


# --- Routes ------------------------------------------------------------------------------------


def _join(prefix: str, route: str) -> str:
    return route if not prefix else prefix + route.removeprefix("^")


def walk_routes() -> list[str]:
    """Every page route of the URL patterns, as ResolverMatch.route spells it."""
    from django.urls import URLPattern, URLResolver, get_resolver

    out: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            route = _join(prefix, str(pattern.pattern))
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                out.append(route)

    walk(get_resolver().url_patterns, "")
    return list(dict.fromkeys(out))


def plain_path(route: str) -> str | None:
    """The path of a route that takes no parameter; None for one that does."""
    if "<" in route or any(c in route for c in "^$()[]?*+\\"):
        return None
    return "/" + route


def route_of(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        return resolve(urllib.parse.urlsplit(path).path).route
    except Resolver404:
        return None


def links(body: str) -> list[str]:
    """The same-site paths a page links to or asks htmx for (without their query)."""
    found = []
    for raw in LINK.findall(body):
        path = urllib.parse.urlsplit(html.unescape(raw)).path
        if not path.startswith("/static/"):
            found.append(path)
    return found


@dataclass
class Discovery:
    pages: dict[str, str]  # route -> the path measured for it
    refused: dict[str, int]  # route -> the status a GET answered (403, 404, 405: a POST route)
    unreached: list[str]  # routes with parameters no page of the persona's linked to


def discover(session: Session, routes: list[str], depth: int = 3) -> Discovery:
    """GET every route without parameters; fill the others from the links of the pages that
    answered (the persona's own lists and details), ``depth`` links deep."""
    wanted = set(routes)
    pages: dict[str, str] = {}
    refused: dict[str, int] = {}
    frontier = [(r, p) for r in routes if (p := plain_path(r)) is not None]
    for _ in range(depth + 1):
        found: list[tuple[str, str]] = []
        for route, path in frontier:
            if route in pages or route in refused:
                continue
            answer = session.get(path)
            if answer.status != 200:
                refused[route] = answer.status
                continue
            pages[route] = path
            for link in links(answer.body):
                linked = route_of(link)
                if linked in wanted and linked not in pages and linked not in refused:
                    found.append((linked, link))
        first: dict[str, str] = {}
        for route, link in found:
            first.setdefault(route, link)
        frontier = list(first.items())
        if not frontier:
            break
    unreached = [r for r in routes if r not in pages and r not in refused]
    return Discovery(pages, refused, unreached)
