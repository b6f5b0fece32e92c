"""The WSGI entry point: gunicorn 'wsgi:app', flask --app wsgi …

Before serving (gunicorn, flask run), a missing, malformed or unreachable
database, or one at another migration, stops start-up with one sentence."""

from workshops.startup import create_app_or_stop

app = create_app_or_stop()
