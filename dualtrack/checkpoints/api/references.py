"""What the checkpoints' routes share: the problems a read documents, and the records a
route names by id, looked up through the user's scope."""

from __future__ import annotations

from dualtrack.checkpoints.models import Checkpoint
from dualtrack.checkpoints.selectors.checkpoints import (
    checkpoint_get_for,
)
from dualtrack.core.api import problems
from dualtrack.core.models import User

READ = problems(401, 403, 404, 422)


def checkpoint_of(user: User, checkpoint_id: int) -> Checkpoint:
    return checkpoint_get_for(user=user, checkpoint_id=checkpoint_id)
