"""The early-warning computations, with no Django and no other dualtrack import.

Every function takes one area's daily series as a 1-D array, or many areas at once as a 2-D
array of areas × days (the last axis is always the day), and returns arrays of the same leading
shape; nothing loops over areas in Python except the projection's random draws.

- ``ears``: CDC EARS C1, C2, C3 (Fricker, Hegler & Dunfee, Stat Med 2008).
- ``serial_interval``: the serial interval discretised as in Cori et al. 2013, Web Appendix 11.
- ``rt``: the instantaneous reproduction number as ``EpiEstim::estimate_R`` computes it.
- ``projection``: daily incidence ahead from the renewal equation, as ``projections::project``.

The reference tests (``dualtrack/prediction/tests``) hold each against the R implementations.
"""
