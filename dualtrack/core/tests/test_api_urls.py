"""The API's URL patterns nested by leading segment (``core.api.urls``) resolve and reverse
exactly as ninja's flat list does."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    path,
    reverse,
)
from django.urls.resolvers import RoutePattern
from ninja import NinjaAPI

from dualtrack.core.api.urls import MIN_NESTED, nested


def _api() -> NinjaAPI:
    """The API the root URLconf mounts (core does not import config)."""
    urlconf = vars(import_module(settings.ROOT_URLCONF))
    return next(value for value in urlconf.values() if isinstance(value, NinjaAPI))


def _view(request: object) -> HttpResponse:
    return HttpResponse()


def _resolved(resolver: URLResolver, url: str) -> tuple[object, ...] | None:
    try:
        match = resolver.resolve(url)
    except Resolver404:
        return None
    return (match.url_name, match.kwargs, match.route)


def test_every_api_path_resolves_as_in_the_flat_list() -> None:
    api = _api()
    flat = NinjaAPI._get_urls(api)  # ninja's own list, before the nesting
    flat_root = URLResolver(RoutePattern("/"), [URLResolver(RoutePattern("api/"), flat)])
    root = get_resolver()
    assert any(isinstance(url, URLResolver) for url in api.urls[0])  # nested: fewer to try
    checked = 0
    for url in flat:
        assert isinstance(url, URLPattern)
        route = str(url.pattern)
        for value in ("1", "x", "verify", "manifest.pdf"):
            for suffix in ("", "/", "/x"):
                address = "/api/" + re.sub(r"<[^>]+>", value, route) + suffix
                assert _resolved(root, address) == _resolved(flat_root, address), address
                checked += 1
    assert checked > 1000


def test_names_reverse_through_the_nesting() -> None:
    assert reverse("api:public_apply", args=[5]) == "/api/employment/public/postings/5/applications"
    assert reverse("api:me") == "/api/account/me"
    with pytest.raises(NoReverseMatch):
        reverse("public_apply", args=[5])  # still inside the API's namespace


def test_only_consecutive_patterns_are_nested_and_the_order_is_kept() -> None:
    urls = [
        path("a/one", _view, name="a1"),
        path("a/<int:pk>", _view, name="a-int"),
        path("a/two", _view, name="a2"),
        path("a/three", _view, name="a3"),
        path("<str:slug>/two", _view, name="any-two"),  # a converter first: never nested
        path("a/four", _view, name="a4"),
        path("b", _view, name="b"),  # one segment: stays a pattern
    ]
    result = nested(urls)
    assert [type(url) for url in result] == [URLResolver, URLPattern, URLPattern, URLPattern]
    first = result[0]
    assert isinstance(first, URLResolver)
    assert str(first.pattern) == "a/"
    assert len(first.url_patterns) == MIN_NESTED
    resolver = URLResolver(RoutePattern("/"), result)
    flat = URLResolver(RoutePattern("/"), urls)
    for address in ("/a/one", "/a/7", "/a/two", "/a/four", "/z/two", "/b", "/a/five", "/a/"):
        assert _resolved(resolver, address) == _resolved(flat, address), address
    assert _resolved(resolver, "/a/two") == ("a2", {}, "a/two")  # tried before "any-two"
    assert _resolved(resolver, "/z/two") == ("any-two", {"slug": "z"}, "<str:slug>/two")
