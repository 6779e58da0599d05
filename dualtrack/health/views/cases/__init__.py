"""Pages of the line list (病例) and of the possible contacts (密接排查)."""
