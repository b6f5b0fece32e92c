"""The one pipeline of every HTML page that changes something: load the
objects (404), check the right (403), then act in one edit round.

    @bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
    @guarded(lambda network_id: db.get_or_404(Network, network_id), may=is_admin)
    def network_edit(network):
        form = NetworkForm(data=...)
        return edit_round(form, lambda: operations.update_network(...), record=network,
                          render=lambda **c: render_template("…", form=form, **c),
                          saved="Network saved.", then=url_for(".network", network_id=network.id))

An id too large for an INTEGER column never reaches a loader: the `int`
URL converter answers 404 for it (workshops/__init__.py ColumnInteger,
db.MAX_INTEGER), so `db.get_or_404` / `db.first_or_404` are the loaders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from flask import abort, flash, redirect
from flask_login import login_required

from ..errors import Conflict, Invalid
from ..extensions import db
from .forms import show_errors, show_problems

INVALID, CONFLICT = 422, 409


def guarded(load: Callable[..., Any] | None = None, *, may: Callable[..., bool]):
    """A page for logged-in users that loads its objects and checks the
    right before the view runs: `load(**url_values)` returns the object
    (or a tuple of objects) or aborts with 404; `may(*objects)` is the access
    rule (auth/access.py), 403 when false. The view is called with the
    objects instead of the URL values. `may` is required, so a page cannot
    forget its access rule."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(**url_values):
            loaded = load(**url_values) if load is not None else ()
            targets = loaded if isinstance(loaded, tuple) else (loaded,)
            if not may(*targets):
                abort(403)
            return view(*targets)

        return wrapped

    return decorator


def _value(value, result):
    return value(result) if callable(value) else value


def refresh_version(form, record) -> None:
    """After a conflict the form carries the version now saved, so that
    saving again (after reading what changed) goes through; the user's
    other values are kept."""
    if record is None or getattr(record, "id", None) is None:
        return
    db.session.refresh(record)
    if hasattr(form, "version"):
        form.version.data = record.version
        form.version.raw_data = [str(record.version)]


def edit_round(
    form,
    save: Callable[[], Any],
    *,
    render: Callable[..., str],
    then: str | Callable[[Any], str],
    saved: str | Callable[[Any], str] | None = None,
    notes: Callable[[Any], list[tuple[str, str]]] | None = None,
    record=None,
    problems: Callable[[], dict[str, str]] | None = None,
    refusals: Mapping[type[Exception], Callable[[Exception], dict]] | None = None,
    conflict_note: tuple[str | None, str] | None = None,
    invalid_status: int = INVALID,
    submitted: Callable[[], bool] | None = None,
):
    """One round of an edit (or create, or confirm-and-delete) form.

    GET renders the form (200). A submit that the form refuses renders it
    again with 422, with the domain rules' refusals for the other fields
    too when `problems()` gives them (core.forms.show_problems: every error
    in one round). Otherwise `save()` calls the operation:

    - `Invalid`: its messages at their fields, 422 (`invalid_status`);
      an exception listed in `refusals` (EmailTaken, SimilarPeople…) adds
      what its hook returns to the page's context;
    - `Conflict`: the page says what changed meanwhile (`conflict`, the
      audit entries since the version the user saw, or `conflict_note`'s
      message at a field), the form carries the version now saved, 409;
    - success: flash `saved` (and `notes(result)`), redirect to `then`.

    `render(**context)` returns the page; context holds `conflict` (None
    or the changes) and any refusal hook's values. `submitted()` replaces
    `form.validate_on_submit()` where a submit may skip the form's checks
    (a one-click choice among suggestions)."""
    context: dict[str, Any] = {"conflict": None}
    status = 200
    if submitted() if submitted is not None else form.validate_on_submit():
        try:
            result = save()
        except Conflict as exc:
            refresh_version(form, record)
            if conflict_note is not None:
                field, message = conflict_note
                target = getattr(form, field).errors if field else form.form_errors
                target.append(message)
            else:
                context["conflict"] = exc.changes_since()
            status = CONFLICT
        except Invalid as exc:
            show_errors(form, exc)
            for kind, hook in (refusals or {}).items():
                if isinstance(exc, kind):
                    context.update(hook(exc))
                    break
            status = invalid_status
        else:
            message = _value(saved, result)
            if message:
                flash(message, "success")
            for note, category in (notes(result) if notes is not None else ()):
                flash(note, category)
            return redirect(_value(then, result))
    elif form.is_submitted():
        if problems is not None:
            show_problems(form, problems())
        status = invalid_status if form.errors else 200
    return render(**context), status
