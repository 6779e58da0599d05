"""The early warning's pages: the panel, a signal with its charts, the recomputation form."""
