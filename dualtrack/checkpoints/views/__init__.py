"""The checkpoints app's pages, one module a subject; ``urls.py`` gathers their urlpatterns."""
