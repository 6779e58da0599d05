"""The subsidies' pages, by subtopic."""
