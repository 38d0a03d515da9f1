#!/usr/bin/env bash
# Start one of the small reference Django projects under tests/projects/ the way the oracle's
# serve.sh starts its own: a fresh SQLite database, migrations, the staff superuser
# admin / admin-pass-123, then gunicorn in the foreground. It runs in the oracle's virtual
# environment (../shared/oracle/setup.sh creates it).
#
#   scripts/serve-django-project.sh NAME [PORT]
#
# NAME is a folder of tests/projects/ whose django/ holds manage.py and a `project` package
# (settings, urls, wsgi). PORT defaults to 8001. The database lives in a temporary folder
# (PROJECT_DB overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."
NAME="${1:?usage: scripts/serve-django-project.sh NAME [PORT]}"
PORT="${2:-8001}"
SHARED="${SHARED:-$PWD/../shared}"
source "$SHARED/oracle/paths.sh"
[ -x "$VENV/bin/python" ] || "$SHARED/oracle/setup.sh"
DIR="$PWD/tests/projects/$NAME/django"
[ -f "$DIR/manage.py" ] || { echo "no $DIR/manage.py" >&2; exit 2; }
export PROJECT_DB="${PROJECT_DB:-$(mktemp -d)/$NAME.sqlite3}"
rm -f "$PROJECT_DB" "$PROJECT_DB-journal" "$PROJECT_DB-wal" "$PROJECT_DB-shm"
cd "$DIR"
export DJANGO_SETTINGS_MODULE=project.settings
"$VENV/bin/python" manage.py migrate --noinput -v 0
# createsuperuser --noinput reads USERNAME_FIELD and REQUIRED_FIELDS from these variables, so the
# same lines serve Django's User and a custom user model that logs in with its email.
DJANGO_SUPERUSER_PASSWORD='admin-pass-123' DJANGO_SUPERUSER_USERNAME=admin \
  DJANGO_SUPERUSER_EMAIL=admin@example.com DJANGO_SUPERUSER_FIRST_NAME=Admin \
  DJANGO_SUPERUSER_LAST_NAME=User "$VENV/bin/python" manage.py createsuperuser --noinput >/dev/null
echo "reference project $NAME on http://127.0.0.1:$PORT" >&2
exec "$VENV/bin/gunicorn" project.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --worker-class sync --error-logfile - --log-level warning
