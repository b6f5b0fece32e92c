"""The themes page (admins): the themes with what carries them, a form to
create one, one to merge two, and a page to rename one (routes of the
programme blueprint)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from ..audit.queries import history_of
from ..core.forms import options
from ..core.pages import edit_round, guarded
from ..extensions import db
from . import operations
from .forms import MergeThemesForm, ThemeForm
from .models import Theme
from .queries_themes import taggings, themes_with_counts
from .views import bp, form_data


def _admin(*_) -> bool:
    operations.require_admin()
    return True


def _merge_form(rows) -> MergeThemesForm:
    form = MergeThemesForm(prefix="merge")
    pairs = [(row.theme.id, row.theme.name) for row in rows]
    form.theme.choices = options([(0, "— pick the theme that goes —"), *pairs])
    form.into.choices = options([(0, "— pick the theme that stays —"), *pairs])
    return form


def _page(create_form: ThemeForm, merge_form: MergeThemesForm | None = None, rows=None, **context) -> str:
    rows = rows if rows is not None else themes_with_counts()
    return render_template("programme/themes.html", rows=rows, nouns=[t.noun for t in taggings()],
                           create_form=create_form, merge_form=merge_form or _merge_form(rows), **context)


@bp.route("/themes")
@guarded(may=_admin)
def themes():
    return _page(ThemeForm(prefix="new", formdata=None))


@bp.route("/themes", methods=["POST"])
@guarded(may=_admin)
def theme_new():
    form = ThemeForm(prefix="new")
    return edit_round(
        form, lambda: operations.create_theme(current_user, form_data(form)),
        render=lambda **c: _page(form, **c),
        saved=lambda theme: f"Theme “{theme.name}” created.", then=url_for(".themes"))


@bp.route("/themes/merge", methods=["POST"])
@guarded(may=_admin)
def theme_merge():
    rows = themes_with_counts()
    form = _merge_form(rows)
    names = {row.theme.id: row.theme.name for row in rows}

    def saved(survivor: Theme) -> str:
        return f"Theme “{names.get(form.theme.data, '')}” merged into “{survivor.name}”."

    return edit_round(
        form, lambda: operations.merge_theme(current_user, form_data(form)),
        render=lambda **c: _page(ThemeForm(prefix="new", formdata=None), form, rows, **c),
        conflict_note=(None, "One of the two themes changed while you were merging; nothing was saved. "
                             "Check the list, then merge again."),
        saved=saved, then=url_for(".themes"))


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@guarded(lambda theme_id: db.get_or_404(Theme, theme_id), may=_admin)
def theme_edit(theme: Theme):
    form = ThemeForm(data={"name": theme.name, "non_traditional": theme.non_traditional, "version": theme.version})
    return edit_round(
        form, lambda: operations.update_theme(current_user, theme, form_data(form), form.version.data),
        record=theme,
        render=lambda **c: render_template("programme/theme_form.html", form=form, theme=theme,
                                           history=history_of(theme), **c),
        saved="Theme saved.", then=url_for(".themes"))
