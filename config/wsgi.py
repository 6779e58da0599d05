import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The URLconf builds the API's request and response models (django-ninja makes some 2,400
# pydantic models): seconds of a process's time. Loaded as the process starts — a gunicorn worker
# takes requests once its application is loaded — not on some user's first request.
get_resolver().url_patterns  # noqa: B018
