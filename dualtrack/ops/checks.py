"""System checks of the operations settings."""
