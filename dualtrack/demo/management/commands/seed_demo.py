"""``manage.py seed_demo [--scale N] [--seed S] [--if-empty]``: build the demo district."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dualtrack.areas.models import Area
from dualtrack.core.models import User
from dualtrack.demo.logins import demo_logins, format_logins, persona_usernames
from dualtrack.demo.seed import seed_district
from dualtrack.demo.seeder import DEFAULT_SEED, MAX_SCALE, MIN_SCALE


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from exc
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise argparse.ArgumentTypeError(
            f"the scale must lie between {MIN_SCALE:g} and {MAX_SCALE:g}"
        )
    return scale


class Command(BaseCommand):
    help = (
        "Build the demo district (the Nanchang High-tech Zone at the report's size: 100,000 "
        "residents, 2,805 cadres at scale 1) in an empty database, with one login per persona."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help=f"size relative to the report ({MIN_SCALE:g}–{MAX_SCALE:g}; fractions allowed)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="random seed; the same seed gives the same district",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) if the database already holds a district",
        )

    def handle(self, *args: Any, scale: float, seed: int, if_empty: bool, **options: Any) -> None:
        if Area.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds a district; nothing seeded.")
                return
            raise CommandError(
                "The database already holds a district; seed_demo only fills an empty database. "
                "Use a fresh database, or pass --if-empty to leave an existing district alone."
            )
        taken = sorted(
            User.objects.filter(username__in=persona_usernames()).values_list("username", flat=True)
        )
        if taken:
            raise CommandError(
                f"The demo logins {', '.join(taken)} already exist; remove them or use a fresh "
                "database."
            )
        verbose = options["verbosity"] >= 1
        result = seed_district(
            scale=scale, seed=seed, progress=self.stdout.write if verbose else lambda m: None
        )
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the demo district at scale {scale:g} (seed {seed}) "
                f"in {result.seconds:.1f} s: "
                f"{counts['residents']:,} residents in {counts['households']:,} households, "
                f"{counts['areas']:,} areas, {counts['cadres']:,} cadres "
                f"({result.rows:,} rows, {result.rows / result.seconds:,.0f} rows/s)."
            )
        )
        if verbose:
            self.stdout.write("\nDemo logins:\n" + format_logins(demo_logins()))
