"""The enterprises' pages: the district's registry and workflow, and the enterprise portal."""
