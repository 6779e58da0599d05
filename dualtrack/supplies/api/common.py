"""What the supplies API's routes share: the ids a route names, read through the caller's
sight."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualtrack.core.errors import ValidationFailed
from dualtrack.core.views import AuthenticatedRequest
from dualtrack.supplies import selectors
from dualtrack.supplies.models import Holder, Item


def item_named(item_id: int, field: str = "item_id") -> Item:
    """The item a payload names, or a refusal naming the field."""
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        raise ValidationFailed.for_field(field, _("Unknown item."), code="item_unknown")
    return item


def holder_in_sight(request: AuthenticatedRequest, holder_id: int) -> Holder:
    return selectors.holder_get_for(user=request.user, holder_id=holder_id)
