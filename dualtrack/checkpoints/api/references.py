"""What the checkpoints' routes share: the problems a read documents, and the records a
route names by id, looked up through the user's scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dualtrack.areas.models import Area, Cadre
from dualtrack.checkpoints.models import Checkpoint
from dualtrack.checkpoints.selectors.checkpoints import (
    checkpoint_get_for,
)
from dualtrack.checkpoints.selectors.references import (
    area_for_write,
    cadre_for_write,
)
from dualtrack.core.api import problems
from dualtrack.core.errors import NotFound
from dualtrack.core.models import User

READ = problems(401, 403, 404, 422)


def checkpoint_of(user: User, checkpoint_id: int) -> Checkpoint:
    return checkpoint_get_for(user=user, checkpoint_id=checkpoint_id)


def referenced[T](field: str, lookup: Callable[..., T], **kwargs: Any) -> T:
    """Look up a record the body names by id; NotFound says which field named it."""
    try:
        return lookup(**kwargs)
    except NotFound as exc:
        raise NotFound(errors=[{"field": field, "message": str(exc.message)}]) from exc


def area_of(user: User, area_id: int) -> Area:
    return area_for_write(user=user, area_id=area_id, field="area_id")


def cadre_of(user: User, cadre_id: int | None, current: Cadre | None = None) -> Cadre | None:
    if cadre_id is None:
        return None
    return cadre_for_write(user=user, cadre=cadre_id, field="person_in_charge_id", current=current)
