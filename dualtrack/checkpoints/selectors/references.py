"""What a write may refer to: every record a write names by id is found through the acting
user's scope; out of it, it is not found (404), with the same answer as an id that does not
exist."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dualtrack.areas.models import VILLAGE_KINDS, Area, AreaKind, Cadre
from dualtrack.areas.scoping import scope_for
from dualtrack.areas.selectors import area_options_for, cadre_get_for
from dualtrack.checkpoints.access import (
    CREATE_PERMISSION,
    Ability,
    require_checkpoint,
    staff_candidates,
    visible_checkpoints_q,
)
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.checkpoints.selectors.checkpoints import checkpoint_get_for
from dualtrack.core import sql
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User


def _not_found(field: str, message: str | None = None) -> NotFound:
    text = str(message or NotFound.default_message)
    return NotFound(text, errors=[{"field": field, "message": text}])


def area_for_write(*, user: User, area_id: int, field: str) -> Area:
    """An area the user can see, to register a checkpoint in; NotFound otherwise (whether the
    role may register there is the service's 403)."""
    area = Area.objects.filter(pk=area_id).first() if sql.is_key(area_id) else None
    if area is None or not scope_for(user).covers(area):
        raise _not_found(field)
    return area


def figures_area_for(*, user: User, area_id: int, field: str) -> Area:
    """An area whose figures the user may read: in their scope, or holding a checkpoint they see
    (a gate's staff, their gate's village and town); NotFound otherwise, the same answer as for
    an id that exists nowhere."""
    area = Area.objects.filter(pk=area_id).first() if sql.is_key(area_id) else None
    if area is not None and (
        scope_for(user).covers(area)
        or Checkpoint.objects.filter(
            visible_checkpoints_q(user), area__code__startswith=area.code
        ).exists()
    ):
        return area
    raise _not_found(field)


def cadre_choices_for(*, user: User, checkpoint: Checkpoint | None = None) -> QuerySet[Cadre]:
    """The cadres a person-in-charge select offers: those the user can see, and the checkpoint's
    current person in charge (shown on its page already), so that saving keeps them."""
    visible = scope_for(user).filter_by_area(Cadre.objects.all())
    if checkpoint is not None and checkpoint.person_in_charge_id is not None:
        visible = visible | Cadre.objects.filter(pk=checkpoint.person_in_charge_id)
    return visible.select_related("area").order_by("area__code", "name")


def cadre_for_write(
    *, user: User, cadre: Cadre | int, field: str, current: Cadre | None = None
) -> Cadre:
    """A cadre the user can see (the areas' scope of cadres), to be a checkpoint's person in
    charge, or the ``current`` one kept as it is; NotFound otherwise."""
    pk = cadre.pk if isinstance(cadre, Cadre) else cadre
    if current is not None and pk == current.pk:
        return current
    if sql.is_key(pk) and not isinstance(pk, bool):
        with contextlib.suppress(NotFound):
            return cadre_get_for(user=user, cadre_id=pk)
    raise _not_found(field)


def _users_among(
    candidates: QuerySet[User], users: Iterable[User | int], field: str, message: str
) -> list[User]:
    wanted = {u.pk if isinstance(u, User) else u for u in users}
    if not all(sql.is_key(pk) and not isinstance(pk, bool) for pk in wanted):
        raise _not_found(field, message)
    found = list(candidates.filter(pk__in=wanted)) if wanted else []
    if len(found) != len(wanted):
        raise _not_found(field, message)
    return sorted(found, key=lambda u: u.pk)


def staff_for_write(
    *, user: User, checkpoint: Checkpoint, users: Iterable[User | int], field: str
) -> list[User]:
    """The people a manager puts on a gate's staff, each among ``staff_candidates``; any other
    id (another town's, the district's, none at all) is not found."""
    require_checkpoint(user, checkpoint, Ability.MANAGE)
    return _users_among(
        staff_candidates(checkpoint),
        users,
        field,
        _("No such person among those who may work at this checkpoint."),
    )


def shift_staff_for_write(
    *, user: User, checkpoint: Checkpoint, users: Iterable[User | int], field: str
) -> list[User]:
    """The people a manager puts on a shift, each on the gate's staff; any other id is not
    found."""
    require_checkpoint(user, checkpoint, Ability.MANAGE)
    return _users_among(
        User.objects.filter(pk__in=checkpoint.staff.values("pk")),
        users,
        field,
        _("No such person on this checkpoint's staff."),
    )


def town_options_for(*, user: User) -> QuerySet[Area]:
    """The towns a filter offers: those the user can see."""
    return area_options_for(user=user).filter(kind=AreaKind.TOWN)


def checkpoint_area_options_for(*, user: User) -> QuerySet[Area]:
    """The villages and communities a checkpoint may be registered in by the user."""
    return (
        area_options_for(user=user, permission=CREATE_PERMISSION)
        .filter(kind__in=VILLAGE_KINDS)
        .select_related("parent")
    )


def person_in_charge_for_write(
    *, user: User, cadre_id: int | None, current: Cadre | None = None
) -> Cadre | None:
    """``cadre_for_write`` for the optional person in charge a body names (none: None)."""
    if cadre_id is None:
        return None
    return cadre_for_write(user=user, cadre=cadre_id, field="person_in_charge_id", current=current)


def figures_target_for(
    *, user: User, checkpoint_id: int | None, area_id: int | None
) -> tuple[Checkpoint | None, Area | None]:
    """The checkpoint or area whose figures a request names, each found through the user's
    scope; NotFound names the parameter (``checkpoint``, ``area``)."""
    checkpoint = None
    if checkpoint_id is not None:
        try:
            checkpoint = checkpoint_get_for(user=user, checkpoint_id=checkpoint_id)
        except NotFound as exc:
            raise _not_found("checkpoint", str(exc.message)) from exc
    area = None
    if area_id is not None:
        area = figures_area_for(user=user, area_id=area_id, field="area")
    return checkpoint, area
