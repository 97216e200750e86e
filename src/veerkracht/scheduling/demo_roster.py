"""Demo roster: the current and next week rostered by the solver and published, so agents have
shifts today (`veerkracht demo`). The open period of the availability demo stays unrostered for
the planner to run.

The publication is usually "late" (fewer than 28 days before the period starts): that is what
happens when a demo starts today, and the review page shows it as such.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from veerkracht.planning.calendar import TZ

from . import roster_runs
from .models_availability import RosterPeriod
from .models_roster import RosterPublication, RosterRun

DEMO_TIME_LIMIT_S = 12


def load_roster_demo(
    organisation: Any, *, today: date, by: Any = None, time_limit_s: int = DEMO_TIME_LIMIT_S
) -> tuple[RosterPeriod, RosterRun, RosterPublication | None]:
    """Create a two-week period from this Monday, solve it and publish the roster."""
    monday = today - timedelta(days=today.weekday())
    period = RosterPeriod.objects.create(
        organisation=organisation,
        start=monday,
        weeks=2,
        # Availability was due before the period started.
        deadline=datetime.combine(monday - timedelta(days=3), time(23, 59), TZ),
        created_by=by,
    )
    run = roster_runs.start_roster_run(period=period, by=by, time_limit_s=time_limit_s)
    roster_runs.compute_roster_run(run_id=run.pk)
    run.refresh_from_db()
    publication = None
    if run.applied_at is not None:
        try:
            publication = roster_runs.publish_period(
                period=period, by=by, confirm_late=True, note="demo"
            )
        except Exception:  # noqa: BLE001 - a demo without a published roster still works
            publication = None
    return period, run, publication
