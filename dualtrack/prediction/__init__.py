"""Prediction and early warning (预测预警), issue 14.

``methods`` holds the computations — EARS C1/C2/C3 aberration detection, the time-varying
reproduction number (EpiEstim's estimate, Cori et al. 2013) and the renewal-equation projection —
as plain functions over numpy arrays, with no Django import. The app around them (the daily
series per area, the stored results, the panel, the notifications, the recomputation task) builds
on them.
"""
