"""The test suite: fast hashing, mail kept in memory, no rate limits in the way."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False
SIGNUP_ANSWER_SECONDS = 0  # the test of the pacing sets its own
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Benchmark tools (``generate_synthetic``): tests use them; production never installs them.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# Tasks run at once inside the test (after commit); tests of the worker and its
# retries switch to the database backend explicitly.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email"],
    }
}
SITE_URL = "http://testserver"

# The matching caches rebuild in the request that needs it, not in a background thread
# (which could not see the test's uncommitted rows).
MATCHING_REBUILD_IN_BACKGROUND = False
