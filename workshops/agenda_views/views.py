"""Routes of the agenda_views capability."""

from flask import Blueprint

bp = Blueprint("agenda_views", __name__, url_prefix="/agenda")
