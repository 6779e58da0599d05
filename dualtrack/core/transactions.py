"""A service's transaction without a savepoint, for services that refuse before they write.

A service opens ``transaction.atomic()``; called inside another transaction (every write
through the API runs in one, ``core.api``), that is a savepoint, two more round trips and a
subtransaction for the server, so that a refusal (a ``DomainError``) undoes only what the
service wrote and leaves what the caller wrote before: an operation open without an account
keeps its rate count and a used one-time code when it refuses. A service that decides every
refusal before its first write needs no savepoint for that: nothing of its own is to be undone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from dualtrack.core.errors import DomainError


class Checked:
    """Says when the block's checks are done and its writes begin (``writing()``)."""

    __slots__ = ("_writing",)

    def __init__(self) -> None:
        self._writing = False

    def writing(self) -> None:
        self._writing = True


@contextmanager
def atomic_checked() -> Iterator[Checked]:
    """``transaction.atomic()`` with no savepoint inside another transaction. A ``DomainError``
    raised before ``writing()`` leaves the block rolling nothing back: what the caller wrote
    stays, and so does what the block wrote before it on purpose (a wrong code's counted
    attempt); the checks write nothing else. Any exception after ``writing()`` marks the outer
    transaction for rollback with the block's writes, as an error inside
    ``atomic(savepoint=False)`` does: from there on, the block must not refuse (an API write
    answering with an error rolls back then anyway, except the operations open without an
    account, which keep what they wrote before a refusal and so must refuse before
    ``writing()``)."""
    checked = Checked()
    refusal: DomainError | None = None
    with transaction.atomic(savepoint=False):
        try:
            yield checked
        except DomainError as exc:
            if checked._writing:
                raise
            refusal = exc
    if refusal is not None:
        raise refusal
