"""Jobs are rows: long work (forecasts, roster runs, imports) keeps its state in a domain row.

A domain model inherits `JobRow` and a task (django-tasks) loads the row by id and calls a service
that reports progress through `JobRow.heartbeat`. A worker that crashes (killed, out of memory,
machine gone) stops sending heartbeats; every running worker reaps such rows periodically: they are
queued again while attempts remain, else marked failed with a clear message. Results are written
only when a job finishes, so a crash never leaves anything half-published.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, ClassVar

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=2)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("finished")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class JobCancelled(Exception):
    """Raised inside a job when someone asked to cancel it."""


class JobRow(models.Model):
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # 0–100
    message = models.CharField(_("message"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # How many times a job is tried before it is marked failed; subclasses may change it.
    max_attempts: ClassVar[int] = 2

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}

    def requeue(self) -> None:
        """Hand the job to the task queue again (subclasses enqueue their own task)."""
        raise NotImplementedError

    # --- called by the worker and by the person who started the job -----------------------
    @classmethod
    def claim(cls, pk: int) -> bool:
        """Take a queued job for this worker. A conditional update, so two workers never run
        the same job, and a job cancelled while it waited is not started."""
        now = timezone.now()
        return bool(
            cls.objects.filter(pk=pk, status=JobStatus.QUEUED, cancel_requested=False).update(
                status=JobStatus.RUNNING,
                started_at=now,
                heartbeat_at=now,
                attempts=models.F("attempts") + 1,
                progress=0,
                message="",
            )
        )

    def request_cancel(self) -> None:
        """Queued: cancelled at once. Running: asked to stop; the job stops at its next
        heartbeat and stores nothing. Finished jobs are left as they are."""
        stopped = (
            type(self)
            .objects.filter(pk=self.pk, status=JobStatus.QUEUED)
            .update(
                status=JobStatus.CANCELLED,
                cancel_requested=True,
                finished_at=timezone.now(),
                message=str(_("Cancelled before it started.")),
            )
        )
        if not stopped:
            type(self).objects.filter(pk=self.pk, status=JobStatus.RUNNING).update(
                cancel_requested=True
            )
        self.refresh_from_db()

    # --- called from inside the job -------------------------------------------------------
    def heartbeat(self, progress: int | None = None, message: str | None = None) -> None:
        """Record that the job is alive; raise JobCancelled when a cancel was requested."""
        fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if progress is not None:
            fields["progress"] = max(0, min(100, int(progress)))
        if message is not None:
            fields["message"] = message[:500]
        type(self).objects.filter(pk=self.pk).update(**fields)
        if type(self).objects.filter(pk=self.pk, cancel_requested=True).exists():
            raise JobCancelled

    def mark_finished(self, status: str = JobStatus.SUCCEEDED, message: str = "") -> None:
        type(self).objects.filter(pk=self.pk).update(
            status=status,
            finished_at=timezone.now(),
            message=message[:500],
            progress=100 if status == JobStatus.SUCCEEDED else models.F("progress"),
        )
        self.refresh_from_db()


def job_models() -> list[type[JobRow]]:
    return [m for m in apps.get_models() if issubclass(m, JobRow)]


def reap_stale_jobs(*, now: Any = None, stale_after: timedelta = STALE_AFTER) -> int:
    """Requeue or fail running jobs whose worker stopped sending heartbeats. Returns how many."""
    now = now or timezone.now()
    reaped = 0
    for model in job_models():
        stale = model.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - stale_after)
        for job in stale:
            with transaction.atomic():
                # Claim with a conditional update so two reaping workers do not both act.
                claimed = model.objects.filter(
                    pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at
                )
                if job.attempts < job.max_attempts and not job.cancel_requested:
                    if claimed.update(
                        status=JobStatus.QUEUED,
                        message=str(_("The worker stopped; the job was queued again.")),
                    ):
                        transaction.on_commit(job.requeue)
                        reaped += 1
                elif claimed.update(
                    status=JobStatus.FAILED,
                    finished_at=now,
                    message=str(
                        _("The worker stopped while running this job; it was not completed.")
                    ),
                ):
                    reaped += 1
    _fail_orphaned_task_rows(now=now, stale_after=stale_after)
    if reaped:
        logger.warning("Reaped %d stale job(s)", reaped)
    return reaped


def _fail_orphaned_task_rows(*, now: Any, stale_after: timedelta) -> None:
    """django-tasks-db leaves a crashed worker's task row RUNNING; mark long-stale ones failed."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover
        return
    DBTaskResult.objects.filter(
        status="RUNNING", started_at__lt=now - max(stale_after, timedelta(hours=6))
    ).update(status="FAILED", finished_at=now)
