"""Local development: debug on, mail printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key")  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Benchmark tools (``generate_synthetic``): development and tests only, never production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
