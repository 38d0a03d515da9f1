"""The reference project's settings with the benchmark's changes, and nothing else.

- Django's own Argon2PasswordHasher (argon2id at Django's costs: 100 MiB, 2 passes, 8 lanes), as
  the issue's reference measured it; Portcullis keeps its own costs (19 MiB, 2 passes, 1 lane);
- Django's local-memory cache for DRF's throttles (the issue's reference setup);
- throttle rates that cannot trip during a run (the same classes as the reference);
- the database named by the environment: BENCH_DJANGO_SQLITE (a file) or BENCH_DJANGO_PG_* (a
  PostgreSQL database, through psycopg, with persistent connections as a deployment would use).
"""
import os

from refproject.settings import *  # noqa: F401,F403 -- the reference is the baseline
from refproject.settings import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min", "login": "1000000/min"},
}

if os.environ.get("BENCH_DJANGO_PG_NAME"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ["BENCH_DJANGO_PG_NAME"],
            "USER": os.environ.get("BENCH_DJANGO_PG_USER", "postgres"),
            "HOST": os.environ.get("BENCH_DJANGO_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("BENCH_DJANGO_PG_PORT", "5432"),
            # One connection per worker kept between requests, not one per request.
            "CONN_MAX_AGE": 600,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["BENCH_DJANGO_SQLITE"],
            # The reference's own option: four workers share one file and wait on its locks.
            "OPTIONS": {"timeout": 20},
        }
    }
