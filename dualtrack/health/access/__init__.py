"""The access rule of health, by subtopic: ``screening`` (campaigns, visits, coverage),
``quarantine`` (sites, orders, checks) and ``cases`` (the line list, contacts, searches).

Each module holds the one definition for its records from which every representation is
derived (queryset filter, per-object check, ``require_*``), built on the area scope
(``areas.scoping``) and its health permissions: MANAGE_CAMPAIGNS, SCREEN_HOUSEHOLDS,
MANAGE_QUARANTINE, RECORD_CHECKS (a site staff grant counts only at the sites the user is on the
staff of) and MANAGE_CASES; unmasked numbers need VIEW_PERSONAL_DATA, as everywhere.
"""
