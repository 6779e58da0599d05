"""Where a signed-in user lands, and what waits for them there: read from the apps'
contributions (``core.platform``), so that the home page and the menu's badge (``/waiting/``)
need not know the apps above the kernel."""

from __future__ import annotations

from dualtrack.core.platform import Waiting, home_url_for, waiting_for

__all__ = ["Waiting", "home_url_for", "waiting_for"]
