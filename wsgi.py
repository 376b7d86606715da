"""WSGI entry point: ``gunicorn wsgi:app``."""

from rongrian import create_app

app = create_app()
