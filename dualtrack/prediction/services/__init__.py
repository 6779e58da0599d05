"""The early warning's writes: the recomputation (``recompute``), the stored results it writes
(``results``) and the signals (``signals``)."""
