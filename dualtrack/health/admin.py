"""Health's Django admin (core.scoped_admin.ScopedModelAdmin)."""
