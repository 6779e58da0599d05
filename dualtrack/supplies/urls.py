from __future__ import annotations

from django.urls import path

from dualtrack.supplies import views

urlpatterns = [
    path("supplies/", views.index, name="supplies_index"),
    path("supplies/holders/new/", views.holder_new, name="supplies_holder_new"),
    path("supplies/holders/<int:pk>/", views.holder_detail, name="supplies_holder"),
    path(
        "supplies/holders/<int:pk>/destinations/",
        views.holder_destinations,
        name="supplies_destinations",
    ),
    path("supplies/holders/<int:pk>/ledger.xlsx", views.ledger_export, name="supplies_ledger"),
    path("supplies/holders/<int:pk>/import/", views.opening_import, name="supplies_import"),
    path("supplies/entries/<int:pk>/reverse/", views.entry_reverse, name="supplies_reverse"),
    path(
        "supplies/adjustments/<int:pk>/decide/",
        views.adjustment_decide,
        name="supplies_adjustment_decide",
    ),
    path("supplies/transfers/<int:pk>/", views.transfer_detail, name="supplies_transfer"),
    path(
        "supplies/transfers/<int:pk>/receipt.pdf",
        views.transfer_receipt,
        name="supplies_transfer_receipt",
    ),
    path("supplies/requests/", views.request_list, name="supplies_requests"),
    path("supplies/requests/new/", views.request_new, name="supplies_request_new"),
    path("supplies/requests/<int:pk>/decide/", views.request_decide, name="supplies_decide"),
    path("supplies/allocation/", views.allocation, name="supplies_allocation"),
    path("supplies/items/", views.item_list, name="supplies_items"),
]
