"""WSGI entry point: `gunicorn partnerhub.wsgi` (see docs/operations.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerhub.settings.prod")

application = get_wsgi_application()
