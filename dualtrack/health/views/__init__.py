"""Health pages, by subtopic."""
