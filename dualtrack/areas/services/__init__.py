"""The only code that writes areas, people and the organisation. See CONVENTIONS.md."""
