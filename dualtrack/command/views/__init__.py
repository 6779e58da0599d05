"""The command app's pages, by subtopic."""
