"""The persona logins the demo creates, as ``demo_logins`` and ``seed_demo`` print them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from dualtrack.areas.models import RoleGrant
from dualtrack.demo.district import PERSONAS
from dualtrack.demo.enterprises.registry import ENTERPRISE_LOGIN
from dualtrack.demo.seeder import demo_password
from dualtrack.enterprises.models import EnterpriseMember


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str
    password: str


# Persona logins a later step of the demo creates with its app (the policy working group: the
# subsidies step), listed after the working groups of the district's own personas.
LATER_PERSONAS = {"wg_enterprise": ("wg_policy",)}


def persona_usernames() -> list[str]:
    """The usernames of the persona logins the demo creates, in the order it lists them."""
    out: list[str] = []
    for p in PERSONAS:
        out += [p.username, *LATER_PERSONAS.get(p.username, ())]
    return out


def demo_logins() -> list[DemoLogin]:
    """The persona logins present in the database, with the demo password."""
    wanted = persona_usernames()
    grants = RoleGrant.objects.filter(user__username__in=wanted).select_related(
        "user", "area", "org_unit"
    )
    by_user = {g.user.username: g for g in grants}
    password = demo_password()
    logins = []
    for username in wanted:
        grant = by_user.get(username)
        if grant is None:
            continue
        scope = grant.area.name
        if grant.org_unit is not None:
            scope += f" · {grant.org_unit.name}"
        logins.append(DemoLogin(username, grant.role, scope, password))
    return logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _enterprise_logins() -> list[DemoLogin]:
    """The enterprise persona: no role grant, its login belongs to one enterprise."""
    member = (
        EnterpriseMember.objects.filter(user__username=ENTERPRISE_LOGIN)
        .select_related("enterprise__area")
        .first()
    )
    if member is None:
        return []
    scope = f"{member.enterprise.area.name} · {member.enterprise.name}"
    return [DemoLogin(ENTERPRISE_LOGIN, "enterprise", scope, demo_password())]


def format_logins(logins: list[DemoLogin]) -> str:
    """The logins as a plain-text table, aligned for CJK text in a terminal."""
    logins = [*logins, *_enterprise_logins()]
    rows = [("username", "role", "scope", "password")]
    rows += [(x.username, x.role, x.scope, x.password) for x in logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
