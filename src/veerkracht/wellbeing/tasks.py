"""Background tasks of the wellbeing app (django-tasks). A task is an API: it calls a service."""

from __future__ import annotations

from django_tasks import task

from . import checkins


@task()
def send_checkin_reminders() -> int:
    """E-mail leads about the people they have not spoken for a while; returns how many leads."""
    sent = checkins.send_nudges()
    checkins.purge_expired()
    return len(sent)
