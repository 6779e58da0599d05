"""Reads of the shared kernel."""

from __future__ import annotations

from django.db.models import QuerySet

from dualtrack.core.models import ApiToken, User

# The most rows one page of a list answers, on the pages and through the API.
MAX_PAGE_SIZE = 200


def page_size(limit: int) -> int:
    """The rows a page asking for ``limit`` gets: at least one, at most MAX_PAGE_SIZE."""
    return max(1, min(limit, MAX_PAGE_SIZE))


def api_token_list_for(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")
