"""The wall screen's pages."""
