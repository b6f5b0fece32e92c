"""Routes of the search capability."""

from flask import Blueprint

bp = Blueprint("search", __name__)
