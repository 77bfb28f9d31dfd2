"""Settings of the corpus's Django project; CORPUS_VARIANT picks the document (`VARIANTS`).

Each variant is a drf-spectacular setting set and a URLconf, so one project emits every document the
corpus covers: OpenAPI 3.0 and 3.1, split request components on and off, a binary response, a document
with no paths.
"""

import os
from typing import Any

# A variant: (URLconf module, SPECTACULAR_SETTINGS beyond the common ones).
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "split-3.0": ("tests.corpus.drf_app.urls", {"COMPONENT_SPLIT_REQUEST": True, "OAS_VERSION": "3.0.3"}),
    "split-3.1": ("tests.corpus.drf_app.urls", {"COMPONENT_SPLIT_REQUEST": True, "OAS_VERSION": "3.1.0"}),
    "unsplit-3.0": ("tests.corpus.drf_app.urls", {"COMPONENT_SPLIT_REQUEST": False, "OAS_VERSION": "3.0.3"}),
    "files-3.0": ("tests.corpus.drf_app.urls_files", {"COMPONENT_SPLIT_REQUEST": True, "OAS_VERSION": "3.0.3"}),
    "no-paths": ("tests.corpus.drf_app.urls_empty", {"OAS_VERSION": "3.0.3"}),
}
VARIANT = os.environ.get("CORPUS_VARIANT", "split-3.0")
ROOT_URLCONF, _SPECTACULAR = VARIANTS[VARIANT]

SECRET_KEY = "corpus-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "tests.corpus.drf_app.shop",
]
MIDDLEWARE: list[str] = []
# In memory: the live server migrates and seeds it at start (`serve.py`).
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Uploads: the runner points this into its temporary folder.
MEDIA_ROOT = os.environ.get("CORPUS_MEDIA_ROOT", "media")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"drf-spectacular corpus ({VARIANT})",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    **_SPECTACULAR,
}
