"""Background tasks (django-tasks). A task is an API: it takes ids and calls a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def run_forecast(forecast_id: int) -> str:
    """Compute a queued Forecast row (see services.compute_forecast); returns the outcome."""
    return services.compute_forecast(forecast_id=forecast_id)


@task()
def run_roster(run_id: int) -> str:
    """Solve a queued RosterRun (see roster_runs.compute_roster_run); returns the outcome."""
    from . import roster_runs

    return roster_runs.compute_roster_run(run_id=run_id)
