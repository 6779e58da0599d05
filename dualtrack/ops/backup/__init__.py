"""Consistent backups and restores into an empty database: ``pg_dump``/``pg_restore`` on
PostgreSQL (``postgres``), SQLite's online backup API on the embedded database (``sqlite``), and
what both share (``common``: the emptiness check, the migrations a backup holds, the keys)."""
