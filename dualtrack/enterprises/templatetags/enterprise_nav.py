"""What the enterprises' navigation offers a user: only what they may open."""

from __future__ import annotations

from typing import Any

from django import template

from dualtrack.enterprises.access import may_inspect

register = template.Library()


@register.simple_tag(takes_context=True)
def may_inspect_enterprises(context: dict[str, Any]) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and may_inspect(user))
