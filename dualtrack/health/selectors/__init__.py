"""Reads of health, by subtopic (screening, quarantine, cases); every selector takes the user."""
