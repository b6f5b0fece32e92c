"""Routes of the outcomes capability."""

from flask import Blueprint

bp = Blueprint("outcomes", __name__)
