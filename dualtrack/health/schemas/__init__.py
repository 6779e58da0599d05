"""The health API's schemas, by subtopic."""
