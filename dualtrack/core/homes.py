"""Where a signed-in user lands: apps whose users are not district staff register their own home.

The district's home page (areas) serves staff. An enterprise's login, say, belongs on the
enterprise portal instead; the enterprises app registers a resolver for it in its ``ready()``,
so that the home page need not know the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable

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
