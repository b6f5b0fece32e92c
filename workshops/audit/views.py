"""Routes of the audit capability."""

from flask import Blueprint

bp = Blueprint("audit", __name__)
