"""Our corrections to Django's locale formats (FORMAT_MODULE_PATH); the rest is Django's."""
