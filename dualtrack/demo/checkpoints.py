"""The demo district's checkpoints (issue 3): built on top of the seeded district."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dualtrack.demo.district import _Seeder


def seed(seeder: _Seeder) -> None:
    """Add the checkpoints demo data inside the seeding transaction."""
