"""The front line's pages, by subtopic."""
