"""Command-line commands: flask --app wsgi <command>."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from .extensions import db
from .vocab import USER_ROLES


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(deactivate_user)
    app.cli.add_command(reactivate_user)
    app.cli.add_command(create_token_command)
    app.cli.add_command(load_demo)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from .demo.synthetic import generate_data

    app.cli.add_command(generate_data)
    from .outcomes.progress_facts import rebuild_progress

    app.cli.add_command(rebuild_progress)
    from .people.attendance_facts import rebuild_attendance

    app.cli.add_command(rebuild_attendance)
    from .archive.commands import import_archive_command

    app.cli.add_command(import_archive_command)
    app.cli.add_command(send_mail)
    app.cli.add_command(send_digests)
    app.cli.add_command(send_follow_up_digests_command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(USER_ROLES), default="viewer", show_default=True)
@click.option("--name", default="", help="Display name (defaults to the part of the email before @).")
@click.option("--network", "networks", multiple=True, help="Network acronym an organiser works in (repeatable).")
def create_user(email: str, role: str, name: str, networks: tuple[str, ...]) -> None:
    """Create a user; the password is read from standard input."""
    from .auth.models import User
    from .auth.operations import create_user as create
    from .programme.models import Network

    email = email.strip().lower()
    if "@" not in email:
        raise click.UsageError(f"{email!r} is not an email address.")
    if db.session.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"A user with the email {email} already exists.")
    found = []
    for acronym in networks:
        network = db.session.scalar(select(Network).where(func.lower(Network.acronym) == acronym.lower()))
        if network is None:
            raise click.ClickException(f"There is no network {acronym!r}.")
        found.append(network)
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        create(email, name or email.split("@")[0], password, role, found)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {role} {email}.")


def _account(email: str):
    from .auth.models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"There is no user with the email {email.strip().lower()}.")
    return user


@click.command("deactivate-user")
@click.argument("email")
def deactivate_user(email: str) -> None:
    """Deactivate an account: logged out everywhere, API tokens revoked, no more logins."""
    from .audit.operations import Invalid
    from .auth.operations import deactivate_user as deactivate

    user = _account(email)
    try:
        revoked = deactivate(None, user)
    except Invalid as exc:
        raise click.ClickException(" ".join(exc.errors.values())) from exc
    click.echo(f"Deactivated {user.email}: logged out everywhere, {revoked} API token"
               f"{'s' if revoked != 1 else ''} revoked.")


@click.command("reactivate-user")
@click.argument("email")
def reactivate_user(email: str) -> None:
    """Let a deactivated account log in again (its revoked API tokens stay revoked)."""
    from .audit.operations import Invalid
    from .auth.operations import reactivate_user as reactivate

    user = _account(email)
    try:
        reactivate(None, user)
    except Invalid as exc:
        raise click.ClickException(" ".join(exc.errors.values())) from exc
    click.echo(f"Reactivated {user.email}: they can log in again.")


@click.command("create-token")
@click.argument("email")
@click.option("--name", required=True, help="What will use the token, e.g. “Archive import script”.")
def create_token_command(email: str, name: str) -> None:
    """Print a new API token of this user, for a script (shown once: only its digest is kept)."""
    from .api.operations import create_token
    from .audit.operations import Actor, Invalid

    user = _account(email)
    if not user.active:
        raise click.ClickException(f"The account {user.email} is deactivated; its tokens would not work "
                                   "(reactivate-user first).")
    try:
        token, secret = create_token(Actor(system="create-token"), user, name)
    except Invalid as exc:
        raise click.ClickException(" ".join(exc.errors.values())) from exc
    click.echo(f"Created the API token “{token.name}” of {user.email}; it is shown once, below.", err=True)
    click.echo(secret)


@click.command("load-demo")
def load_demo() -> None:
    """Load the demo data (CSCAP, NADI, ASEAN-ISIS…) into an empty database."""
    from flask import current_app

    from .demo import database_is_empty, load

    if current_app.config.get("PRODUCTION"):
        # The demo accounts share a password printed in the README: in
        # production anyone could log in with it (an admin among them).
        raise click.ClickException(
            "The demo data is not loaded in production (WORKSHOPS_ENV=production): its accounts share "
            "a published password, so anyone could log in with them; nothing was changed."
        )
    if not database_is_empty():
        click.echo("The database already holds data; the demo data was not loaded and nothing changed.")
        return
    summary = load()
    click.echo("Loaded the demo data: " + ", ".join(f"{n} {what}" for what, n in summary.items()) + ".")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH, while the app runs."""
    from flask import current_app

    from .core.backup import BackupError, backup, describe

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        backup(url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up the {describe(url)} to {path} ({path.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the data without asking.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace everything in the database with the backup at PATH."""
    from flask import current_app

    from .core.backup import BackupError, describe, restore
    from .core.health import expected_revision

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not yes:
        click.confirm(f"Replace everything in the {describe(url)} with the backup {path}?", abort=True)
    try:
        revision = restore(url, path)
    except BackupError as exc:
        raise click.ClickException(f"{exc} Nothing was changed.") from exc
    click.echo(f"Restored the {describe(url)} from {path}.")
    if revision != expected_revision():
        click.echo(f"The backup is at migration {revision}; run: flask --app wsgi db upgrade")


@click.command("send-mail")
@click.option("--once", "mode", flag_value="once", default=True, help="Send what is waiting, then exit (the default).")
@click.option("--loop", "mode", flag_value="loop", help="Keep sending: a pass every MAIL_POLL_SECONDS.")
def send_mail(mode: str) -> None:
    """Send the outbox: through MAIL_URL, or into the log when it is unset."""
    from flask import current_app

    from .mail.sender import send_loop, send_waiting, transport_from_config

    try:
        transport = transport_from_config()
    except Exception as exc:  # noqa: BLE001  (a MAIL_URL that cannot be read)
        raise click.ClickException(str(exc)) from exc
    if mode == "loop":
        send_loop(current_app.config.get("MAIL_POLL_SECONDS", 10))
        return
    result = send_waiting(transport)
    click.echo(f"Mail through {transport.name}: {result}.")
    for line in result.errors:
        click.echo(f"  {line}", err=True)


SITE_URL_HELP = ("The site's address for the links in the mails (https://workshops.example.org); "
                 "default: SITE_URL, else https://SERVER_NAME.")


def _site_url(site_url: str | None) -> str:
    import os

    url = (site_url or os.environ.get("SITE_URL", "")).strip()
    if not url and os.environ.get("SERVER_NAME", "").strip():
        url = "https://" + os.environ["SERVER_NAME"].strip()
    if not url.startswith(("http://", "https://")):
        raise click.ClickException("Say where the site is, for the links in the mails: "
                                   "--site-url https://workshops.example.org (or set SITE_URL).")
    return url.rstrip("/")


def _site_context(app, url: str):
    """A request context at the site's address: the links in the mails are
    built from it, and the templates read what a page reads. The host must be
    one the site answers to (TRUSTED_HOSTS)."""
    context = app.test_request_context("/", base_url=url)
    if context.url_adapter is None:
        raise click.ClickException(f"{url} is not an address this site answers to: "
                                   "add its host to TRUSTED_HOSTS, or give --site-url another address.")
    return context


@click.command("send-digests")
@click.option("--site-url", help=SITE_URL_HELP)
def send_digests(site_url: str | None) -> None:
    """Queue "the agenda changed" digests: one a day at most to each
    confirmed participant of a published workshop whose agenda changed
    (agenda_views/digests.py). Run it hourly or daily; send-mail sends them."""
    from flask import current_app

    from .agenda_views.digests import send_agenda_digests

    with _site_context(current_app, _site_url(site_url)):
        run = send_agenda_digests()
    click.echo(f"Agenda change digests queued: {run.sent}; waiting for tomorrow (one a day): {run.waiting}; "
               f"skipped (no address or link): {run.skipped}.")


@click.command("send-follow-up-digests")
@click.option("--site-url", help=SITE_URL_HELP)
def send_follow_up_digests_command(site_url: str | None) -> None:
    """Queue this week's follow-up digest to each owner with recommendations
    due for a check (outcomes/digests.py); once a week, however often it runs."""
    from flask import current_app

    from .outcomes.digests import send_follow_up_digests

    with _site_context(current_app, _site_url(site_url)):
        run = send_follow_up_digests()
    click.echo(f"Follow-up digests queued: {run.sent}; already sent this week: {run.already}.")

