"""Health forms, by subtopic."""
