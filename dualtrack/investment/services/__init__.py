"""The writes of the investment pipeline and the signing ceremonies."""
