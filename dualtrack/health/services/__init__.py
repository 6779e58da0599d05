"""Writes of health, by subtopic; import from the submodule (services.screening, …)."""
