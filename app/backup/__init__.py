"""Backups: a consistent copy of the database, its restore, and a portable export."""
