"""Page forms of the areas app, one module per subject."""
