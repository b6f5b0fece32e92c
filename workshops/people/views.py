"""Routes of the people capability."""

from flask import Blueprint

bp = Blueprint("people", __name__)
