"""The only code that writes supplies, one module per subtopic: catalogue, ledger, stocktakes,
transfers, requests, allocations, imports and exports. Callers import from the submodule
(``from dualtrack.supplies.services.ledger import receipt_record``); nothing is re-exported
here."""
