"""Whose audit history of the government services' records a user may read: by the area of the
department that answers them."""

from __future__ import annotations

from dualtrack.areas.audit_scopes import scoped_by_area
from dualtrack.services.models import Booking, Counter, Department, Matter, ServiceRequest, Slot

AUDIT_SCOPES = (
    scoped_by_area(Department, "area"),
    scoped_by_area(Matter, "department__area"),
    scoped_by_area(Counter, "department__area"),
    scoped_by_area(Slot, "counter__department__area"),
    scoped_by_area(ServiceRequest, "matter__department__area"),
    scoped_by_area(Booking, "slot__counter__department__area"),
)
