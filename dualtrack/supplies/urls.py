from __future__ import annotations

from django.urls import path

from dualtrack.supplies.views import holders, index, ledger, requests, transfers

urlpatterns = [
    path("supplies/", index.index, name="supplies_index"),
    path("supplies/holders/new/", index.holder_new, name="supplies_holder_new"),
    path("supplies/holders/sync/", index.holders_sync, name="supplies_holders_sync"),
    path("supplies/holders/<int:pk>/", holders.holder_detail, name="supplies_holder"),
    path(
        "supplies/holders/<int:pk>/receipts/",
        holders.receipt_create,
        name="supplies_holder_receipt",
    ),
    path(
        "supplies/holders/<int:pk>/consumption/",
        holders.consumption_create,
        name="supplies_holder_consumption",
    ),
    path(
        "supplies/holders/<int:pk>/adjustments/",
        holders.adjustment_create,
        name="supplies_holder_adjustment",
    ),
    path(
        "supplies/holders/<int:pk>/transfers/",
        holders.transfer_create,
        name="supplies_holder_transfer",
    ),
    path(
        "supplies/holders/<int:pk>/destinations/",
        holders.holder_destinations,
        name="supplies_destinations",
    ),
    path("supplies/holders/<int:pk>/ledger.xlsx", ledger.ledger_export, name="supplies_ledger"),
    path("supplies/holders/<int:pk>/import/", ledger.opening_import, name="supplies_import"),
    path("supplies/entries/<int:pk>/reverse/", ledger.entry_reverse, name="supplies_reverse"),
    path(
        "supplies/adjustments/<int:pk>/decide/",
        ledger.adjustment_decide,
        name="supplies_adjustment_decide",
    ),
    path("supplies/transfers/<int:pk>/", transfers.transfer_detail, name="supplies_transfer"),
    path(
        "supplies/transfers/<int:pk>/receipt.pdf",
        transfers.transfer_receipt,
        name="supplies_transfer_receipt",
    ),
    path("supplies/requests/", requests.request_list, name="supplies_requests"),
    path("supplies/requests/new/", requests.request_new, name="supplies_request_new"),
    path("supplies/requests/<int:pk>/decide/", requests.request_decide, name="supplies_decide"),
    path("supplies/allocation/", requests.allocation, name="supplies_allocation"),
    path("supplies/items/", index.item_list, name="supplies_items"),
]
