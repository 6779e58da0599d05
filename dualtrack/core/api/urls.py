"""The API's URL patterns nested by their leading path segments.

django-ninja gives one flat list of some 320 patterns, one per path, router after router, and
Django tries them in order: a request to the employment routes (mounted after most apps) was
matched against some 210 patterns first, a millisecond of CPU per request. Nested under one
resolver per leading segment (``employment/``, then ``public/``, ...), a request tries a few
dozen prefixes instead.

Only consecutive patterns are nested together, so the order in which Django tries them is the
flat list's order exactly: the same path resolves to the same view with the same arguments. A
nested resolver has no namespace or app name, so the patterns' names reverse as before, and
``ResolverMatch.route`` (the request log's and the metrics' label) joins the prefixes back into
the same route.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RoutePattern

# Fewer patterns than this under one segment stay flat: a resolver of its own would cost more
# than trying them.
MIN_NESTED = 4


def _leading_segment(url: URLPattern | URLResolver) -> str | None:
    """``"employment/"`` for a pattern ``employment/...`` without converters in that segment;
    None for any other (a resolver, a regular expression, a single segment, a converter)."""
    if not isinstance(url, URLPattern) or not isinstance(url.pattern, RoutePattern):
        return None
    route = str(url.pattern)
    head, slash, rest = route.partition("/")
    if not slash or not rest or "<" in head:
        return None
    return head + slash


def _strip(url: URLPattern, prefix: str) -> URLPattern:
    """``url`` without the leading ``prefix`` of its route (a pattern's route is an endpoint)."""
    old = url.pattern
    assert isinstance(old, RoutePattern)
    pattern = RoutePattern(str(old).removeprefix(prefix), name=old.name, is_endpoint=True)
    return URLPattern(pattern, url.callback, url.default_args, url.name)


def nested(urls: Sequence[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """``urls`` with each run of consecutive patterns that share a leading segment put under one
    resolver of that segment, recursively."""
    result: list[URLPattern | URLResolver] = []
    for segment, group in itertools.groupby(urls, key=_leading_segment):
        run = list(group)
        if segment is None or len(run) < MIN_NESTED:
            result.extend(run)
            continue
        inner = nested([_strip(url, segment) for url in run])  # type: ignore[arg-type]
        result.append(URLResolver(RoutePattern(segment), inner))
    return result
