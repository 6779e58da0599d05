"""Health's figures for the command board and the daily briefing (core.platform)."""

from __future__ import annotations

import datetime

from dualtrack.core.models import User
from dualtrack.core.platform import Figure


def board_figures(*, user: User, day: datetime.date) -> list[Figure]:
    """Health's figures within the user's sight on ``day``: none yet."""
    return []
