"""The only code of the subsidies app that writes."""
