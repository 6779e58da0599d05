"""Where a signed-in user lands, and what waits for them there.

The district's home page (areas) serves staff. An enterprise's login, say, belongs on the
enterprise portal instead; the enterprises app registers a resolver for it in its ``ready()``,
so that the home page need not know the apps above it.

Likewise what waits for a user (the open alerts they may handle, say) is counted by the app that
owns it, registered with ``register_waiting``; the home page and the menu's badge (``/waiting/``)
show every registered count without importing the apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dualtrack.core.models import User

HomeResolver = Callable[[User], str | None]
_resolvers: list[HomeResolver] = []


def register_home(resolver: HomeResolver) -> None:
    """``resolver(user)`` gives the URL of that user's home, or None when it is not theirs."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def home_url_for(user: User) -> str | None:
    """The first registered home that claims the user; None: the district's home page."""
    for resolver in _resolvers:
        url = resolver(user)
        if url:
            return url
    return None


@dataclass(frozen=True)
class Waiting:
    """A count of things waiting for the user, with where to deal with them."""

    key: str  # stable, for pages and tests: "alerts"
    label: str
    count: int
    url: str
    urgent: int = 0  # of which overdue (escalated alerts, say)
    urgent_label: str = ""


WaitingResolver = Callable[[User], Waiting | None]
_waiting: list[WaitingResolver] = []


def register_waiting(resolver: WaitingResolver) -> None:
    """``resolver(user)`` counts what waits for that user, or None when nothing of its kind can."""
    if resolver not in _waiting:
        _waiting.append(resolver)


def waiting_for(user: User) -> list[Waiting]:
    """Every registered count that applies to the user, in registration order."""
    counts = [resolver(user) for resolver in _waiting]
    return [count for count in counts if count is not None]
