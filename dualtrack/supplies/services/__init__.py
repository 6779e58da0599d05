"""The only code that writes supplies: catalogue, ledger, transfers, requests, allocation."""
