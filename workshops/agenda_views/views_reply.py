"""The participant's own page behind their personal link: the reply to the
invitation (coming or not, consents, needs, the zone of their mails) and
the unsubscribe link of the "agenda changed" digests.

    /agenda/<slug>/p/<token>/reply         GET the form, POST the answer
    /agenda/<slug>/p/<token>/unsubscribe   GET a one-button page, POST stops the digests

The link is checked as the agenda's is (access.open_agenda: a revoked or
replaced link answers the same clear 404); the answer's rules and its audit
entry are people/operations_reply.py's. These pages carry a CSRF token, so
they are never cached (the agenda page itself stays cacheable and links here).
"""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for

from ..core import zones
from ..core.pages import edit_round
from ..people import operations as people_ops
from .access import Access, open_agenda
from .forms import ReplyForm, UnsubscribeForm
from .viewer_zone import viewer_zone, zone_options
from .views import bp


def _personal(slug: str, token: str) -> Access:
    access = open_agenda(slug, "p", token)
    if access.me is None:
        abort(404)
    return access


def _private(response: Response | str, status: int = 200) -> Response:
    response = response if isinstance(response, Response) else Response(response, status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/<slug>/p/<token>/reply", methods=["GET", "POST"])
def reply(slug: str, token: str):
    access = _personal(slug, token)
    me = access.me
    workshop = access.workshop
    form = ReplyForm(obj=me if request.method == "GET" else None)
    if request.method == "GET":
        form.reply.data = me.status if me.status in people_ops.REPLIES else None
        form.timezone.data = me.timezone or viewer_zone(workshop.timezone).chosen
        if me.responded_at is None:
            form.agenda_mail.data = True
    chosen_zone = form.timezone.data or ""

    def render(**context) -> str:
        return render_template(
            "agenda_views/reply.html", workshop=workshop, me=me, form=form, access=access,
            refusal=people_ops.reply_refusal(me), agenda_url=access.url("agenda"),
            zone_options=zone_options(chosen_zone if zones.is_zone(chosen_zone) else ""),
            **context)

    answer = edit_round(
        form, lambda: people_ops.reply_to_invitation(me, form.reply_data()),
        render=render, record=None,
        conflict_note=(None, "The organisers changed your registration at the same moment; "
                             "check your answer and send it again."),
        saved=lambda p: ("Thank you: your answer is saved. You can change it here at any time."
                         if p.status == "confirmed" else
                         "Thank you for letting us know; your answer is saved. You can change it here."),
        then=access.url("agenda") + "#reply")
    if isinstance(answer, Response):  # saved: back to the agenda
        return _private(answer)
    return _private(*answer)


@bp.route("/<slug>/p/<token>/unsubscribe", methods=["GET", "POST"])
def unsubscribe(slug: str, token: str):
    """The List-Unsubscribe address of the agenda change mails: a page with
    one button (a mail client's link check must not unsubscribe anyone)."""
    access = _personal(slug, token)
    form = UnsubscribeForm()
    done = False
    if form.validate_on_submit():
        people_ops.unsubscribe_agenda_mail(access.me)
        done = True
    return _private(render_template(
        "agenda_views/unsubscribe.html", workshop=access.workshop, me=access.me, form=form, done=done,
        agenda_url=access.url("agenda"), reply_url=url_for("agenda_views.reply", slug=slug, token=token)))
