"""The WSGI entry point: gunicorn 'wsgi:app', flask --app wsgi …"""

from workshops import create_app

app = create_app()
