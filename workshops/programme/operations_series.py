"""A series and its lifecycle: create, change, and the dated steps of
its life (active, dormant, revived). Re-exported by operations.py."""

from __future__ import annotations

from ..audit.operations import Invalid, expect_version
from ..auth.access import can_edit, require_edit
from ..core.cleaning import column_limit
from ..extensions import db
from ..vocab import SERIES_KINDS, SERIES_STATUSES
from .models import Network, Series, SeriesStatusChange
from .operations_common import (
    _as_id,
    _checked_slug,
    _choice,
    _flush_or_invalid,
    _optional,
    _required,
    _work,
    as_date,
)

# ----------------------------------------------------------------- series


def create_series(actor, data: dict) -> Series:
    """A new series. data: network (id), name, slug, kind, description,
    active_since (optional date: records the first lifecycle step)."""
    network_id = _as_id(data.get("network"), "network", "Pick a network.")
    if network_id is None:
        raise Invalid({"network": "Pick the network that runs this series."})
    require_edit(network_id, actor)
    with _work(actor):
        network = db.session.get(Network, network_id)
        if network is None:
            raise Invalid({"network": "Pick a network from the list."})
        series = Series(network=network)
        _apply_series(series, data)
        if data.get("active_since") not in (None, ""):
            series.status_changes = [SeriesStatusChange(
                status="active", effective_on=as_date(data["active_since"], "active_since"),
                note="Series started.",
            )]
        db.session.add(series)
        _flush_or_invalid("slug", "This web address is already used; choose another.")
    return series


def update_series(actor, series: Series, data: dict, version: int | None) -> Series:
    """Change a series; moving it to another network needs the right in both."""
    require_edit(series, actor)
    with _work(actor):
        expect_version(series, version)
        network_id = _as_id(data.get("network"), "network", "Pick a network.") or series.network_id
        if network_id != series.network_id:
            if not can_edit(network_id, actor):
                raise Invalid({"network": "You can only move a series into a network you organise."})
            network = db.session.get(Network, network_id)
            if network is None:
                raise Invalid({"network": "Pick a network from the list."})
            series.network = network
        _apply_series(series, data)
        _flush_or_invalid("slug", "This web address is already used; choose another.")
    return series


def _apply_series(series: Series, data: dict) -> None:
    name = _required(data, "name", "Enter the series' name.", max_length=column_limit(Series.name))
    series.slug = _checked_slug(Series, data.get("slug"), generate_from=f"{series.network.acronym} {name}",
                                fallback="series", max_length=column_limit(Series.slug), exclude_id=series.id)
    series.name = name
    series.kind = _choice(data, "kind", SERIES_KINDS, "workshop_series")
    series.description = _optional(data, "description", max_length=10000, multiline=True)


def add_series_status(actor, series: Series, data: dict) -> SeriesStatusChange:
    """One dated step of the series' life. data: status (active, dormant,
    revived), effective_on (date), note. A series is revived only after a
    dormant spell, and has at most one step per day."""
    require_edit(series, actor)
    with _work(actor):
        status = _choice(data, "status", SERIES_STATUSES)
        effective_on = as_date(data.get("effective_on"), "effective_on")
        steps = list(series.status_changes)
        if any(s.effective_on == effective_on for s in steps):
            raise Invalid({"effective_on": "This series already has a step on that day; pick another date."})
        before = [s for s in steps if s.effective_on < effective_on]
        if status == "revived" and not any(s.status == "dormant" for s in before):
            raise Invalid({"status": "A series is revived after a dormant spell: record when it went "
                                     "dormant first (with an earlier date)."})
        step = SeriesStatusChange(series=series, status=status, effective_on=effective_on,
                                  note=_optional(data, "note", max_length=2000, multiline=True))
        db.session.add(step)
        _flush_or_invalid("effective_on", "This series already has a step on that day; pick another date.")
    return step

