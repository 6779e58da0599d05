"""Pages of the areas app, one module per subject; each module defines its urlpatterns."""
