"""The only code that writes the front line's records; import the submodule you need."""
