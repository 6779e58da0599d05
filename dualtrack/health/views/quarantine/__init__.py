"""Quarantine's pages, under /health/quarantine/ (and the person's own /qc/<token>/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from dualtrack.health.views.quarantine import actions, orders, public, sites

_ORDER = "health/quarantine/orders/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path("health/quarantine/", orders.order_list, name="quarantine_order_list"),
    path("health/quarantine/orders/new/", orders.order_new, name="quarantine_order_new"),
    path("health/quarantine/export/", orders.order_export, name="quarantine_order_export"),
    path(_ORDER, orders.order_detail, name="quarantine_order_detail"),
    path(f"{_ORDER}reveal/", orders.order_reveal, name="quarantine_order_reveal"),
    path(f"{_ORDER}notice.pdf", orders.order_notice, name="quarantine_order_notice"),
    path(f"{_ORDER}checks/", actions.check_create, name="quarantine_check_create"),
    path(f"{_ORDER}move/", actions.order_move, name="quarantine_order_move"),
    path(f"{_ORDER}extend/", actions.order_extend, name="quarantine_order_extend"),
    path(f"{_ORDER}end-early/", actions.order_end_early, name="quarantine_order_end_early"),
    path(f"{_ORDER}hospital/", actions.order_to_hospital, name="quarantine_order_hospital"),
    path(f"{_ORDER}release/", actions.order_release, name="quarantine_order_release"),
    path(f"{_ORDER}link/", actions.order_link, name="quarantine_order_link"),
    path("health/quarantine/sites/", sites.site_list, name="quarantine_site_list"),
    path("health/quarantine/sites/new/", sites.site_new, name="quarantine_site_new"),
    path("health/quarantine/sites/<int:pk>/", sites.site_detail, name="quarantine_site_detail"),
    path("health/quarantine/sites/<int:pk>/edit/", sites.site_edit, name="quarantine_site_edit"),
    path("health/quarantine/sites/<int:pk>/staff/", sites.site_staff, name="quarantine_site_staff"),
    *public.urlpatterns,
]
