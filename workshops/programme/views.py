"""Routes of the programme capability."""

from flask import Blueprint

bp = Blueprint("programme", __name__)
