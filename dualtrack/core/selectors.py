"""Reads of the shared kernel."""

from __future__ import annotations

from django.db.models import QuerySet

from dualtrack.core.models import ApiToken, User


def api_token_list_for(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")
