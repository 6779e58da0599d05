"""Keyset paging of the organisation's lists: the ``after`` of the page asked for, and the links
to the next page and back to the first."""

from __future__ import annotations

from typing import Any

from dualtrack.core.views import AuthenticatedRequest, query_id

PAGE_SIZE = 50


def after_param(request: AuthenticatedRequest) -> int:
    return query_id(request, "after") or 0


def next_page_url(request: AuthenticatedRequest, after: Any) -> str:
    params = request.GET.copy()
    params["after"] = str(after)
    return "?" + params.urlencode()


def first_page_url(request: AuthenticatedRequest) -> str:
    params = request.GET.copy()
    params.pop("after", None)
    return "?" + params.urlencode() if params else request.path
