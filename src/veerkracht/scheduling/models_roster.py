"""Rosters in the app: solver runs, shifts (draft and published), publications, change notices,
calendar feeds, swaps and intraday quick tasks.

Writes go through the services (`roster_runs.py`, `shifts.py`, `swaps.py`, `feeds.py`,
`intraday.py`); reads through `people/access.py`. Times are aware datetimes (stored in UTC,
shown in Europe/Amsterdam).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from veerkracht.config.jobs import JobRow
from veerkracht.people.models import Channel, Employee, Organisation

from .models_availability import RosterPeriod

__all__ = [
    "CalendarFeed",
    "ExtraHoursOffer",
    "QuickTask",
    "QuickTaskAssignment",
    "RosterPublication",
    "RosterRun",
    "Shift",
    "ShiftChange",
    "ShiftChangeKind",
    "ShiftSource",
    "ShiftState",
    "SwapEvent",
    "SwapKind",
    "SwapRequest",
    "SwapStatus",
]

MIN_TIME_LIMIT_S = 10
MAX_TIME_LIMIT_S = 1800


class RosterRun(JobRow):
    """One solver run for a roster period (tasks.run_roster).

    The problem is built and frozen when the run is queued (`problem`, the JSON of a
    `RosterProblem`, with published and fixed shifts as fixed shifts). While it runs, the best
    objective and bound are appended to `trace`. The solution and its shifts are written only
    when the run ends, in one transaction: a crash or cancel leaves the current draft as it was.
    """

    max_attempts = 1  # a solver run is not retried by itself: the planner starts a new one

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="roster_runs"
    )
    period = models.ForeignKey(
        RosterPeriod, on_delete=models.CASCADE, related_name="runs", verbose_name=_("period")
    )
    forecast = models.ForeignKey(
        "scheduling.Forecast",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forecast"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    time_limit_s = models.PositiveIntegerField(
        _("time limit (seconds)"),
        default=60,
        validators=[MinValueValidator(MIN_TIME_LIMIT_S), MaxValueValidator(MAX_TIME_LIMIT_S)],
    )
    problem = models.JSONField(_("problem"), default=dict)
    # problem employee id (str) -> Employee pk; ids in the problem are the pks as strings.
    trace = models.JSONField(_("progress"), default=list, blank=True)
    best_objective = models.FloatField(_("best objective"), null=True, blank=True)
    best_bound = models.FloatField(_("best bound"), null=True, blank=True)
    solver_status = models.CharField(_("solver status"), max_length=12, blank=True)
    solution = models.JSONField(_("solution"), null=True, blank=True)
    kpis = models.JSONField(_("key figures"), default=dict, blank=True)
    violations = models.JSONField(_("rule check"), default=list, blank=True)
    applied_at = models.DateTimeField(_("made the draft at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster run")
        verbose_name_plural = _("roster runs")

    def __str__(self) -> str:
        return f"roster run {self.pk} for period {self.period_id} ({self.status})"

    def requeue(self) -> None:
        from .tasks import run_roster

        run_roster.enqueue(self.pk)


class ShiftState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class ShiftSource(models.TextChoices):
    SOLVER = "solver", _("roster run")
    MANUAL = "manual", _("by hand")
    SWAP = "swap", _("swap")
    EXTRA = "extra", _("extra hours")


class Shift(models.Model):
    """A shift of one employee: work from `start` to `end` with breaks and channel assignments.

    `breaks` is a list of {"start", "end"} and `assignments` a list of {"start", "end",
    "channel"} (local ISO datetimes, as in the roster format). Draft shifts are the planner's;
    publishing turns them into published shifts, which agents see. A re-run keeps published
    shifts and draft shifts marked `fixed`.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        RosterPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("period"),
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("employee")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    breaks = models.JSONField(_("breaks"), default=list, blank=True)
    assignments = models.JSONField(_("channels"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ShiftState.choices, default=ShiftState.DRAFT
    )
    fixed = models.BooleanField(
        _("fixed"), default=False, help_text=_("A new roster run keeps this shift as it is.")
    )
    source = models.CharField(
        _("made by"), max_length=10, choices=ShiftSource.choices, default=ShiftSource.SOLVER
    )
    run = models.ForeignKey(
        RosterRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    explanation = models.CharField(_("why this shift"), max_length=500, blank=True)
    # The same reason as data ({"code": "shift_reason", "params": {...}} from the solver, or
    # {"code": "extra_hours"}), so pages show it in the reader's language (`why`); the text
    # above is the solver's English sentence or a planner's own words.
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "employee_id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        indexes = [
            models.Index(fields=["employee", "start"], name="shift_employee_start"),
            models.Index(fields=["period", "state"], name="shift_period_state"),
            models.Index(fields=["organisation", "state", "start"], name="shift_org_state_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="shift_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"shift {self.pk} of {self.employee_id} {self.start:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def why(self) -> str:
        """Why this shift, in the active language (the stored text when there is no reason)."""
        from .shifts import reason_text

        return reason_text(self.reason) or self.explanation


class RosterPublication(models.Model):
    """A moment a period's draft was published; kept for the record (publication times)."""

    period = models.ForeignKey(RosterPeriod, on_delete=models.CASCADE, related_name="publications")
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    days_ahead = models.IntegerField(_("days ahead"))
    late = models.BooleanField(_("later than the required days ahead"), default=False)
    shifts = models.PositiveIntegerField(_("shifts"), default=0)
    changes = models.PositiveIntegerField(_("changes"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("roster publication")

    def __str__(self) -> str:
        return f"period {self.period_id} published {self.published_at:%Y-%m-%d %H:%M}"


class ShiftChangeKind(models.TextChoices):
    ADDED = "added", _("new shift")
    CHANGED = "changed", _("changed shift")
    REMOVED = "removed", _("removed shift")
    SWAPPED_AWAY = "swapped_away", _("shift given to a colleague")
    SWAPPED_IN = "swapped_in", _("shift taken over")


class ShiftChange(models.Model):
    """A change to a published shift the employee is told about (page and e-mail)."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="shift_changes")
    shift = models.ForeignKey(
        Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=14, choices=ShiftChangeKind.choices)
    before = models.JSONField(_("before"), null=True, blank=True)  # {"start", "end"}
    after = models.JSONField(_("after"), null=True, blank=True)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notified_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("shift change")
        indexes = [models.Index(fields=["employee", "at"], name="shift_change_employee_at")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.employee_id} at {self.at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A private ICS feed URL of one employee's published shifts. Only a hash of the token is
    kept: the URL is shown once; revoking it (or making a new one) stops the old URL at once."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(_("ends in"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar feed")

    def __str__(self) -> str:
        return f"calendar feed of {self.employee_id} …{self.token_hint}"


class SwapKind(models.TextChoices):
    GIVE_AWAY = "give_away", _("give away")
    SWAP = "swap", _("swap")


class SwapStatus(models.TextChoices):
    OPEN = "open", _("open")
    PENDING = "pending", _("waiting for the team lead")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")


class SwapRequest(models.Model):
    """An agent offers a published shift; a colleague takes it (optionally giving a shift back);
    the rule checker runs; the team lead approves or rejects."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swap_requests")
    offered_by = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="swaps_offered")
    kind = models.CharField(
        _("kind"), max_length=10, choices=SwapKind.choices, default=SwapKind.GIVE_AWAY
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    taken_by = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="swaps_taken",
    )
    return_shift = models.ForeignKey(
        Shift,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shift given back"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.OPEN
    )
    check_result = models.JSONField(_("rule check"), default=list, blank=True)
    decided_by = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")

    def __str__(self) -> str:
        return f"swap {self.pk} of shift {self.shift_id} ({self.status})"


class SwapEvent(models.Model):
    """The full history of a swap: every step, by whom, when."""

    swap = models.ForeignKey(SwapRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20)
    status_after = models.CharField(_("status"), max_length=10, choices=SwapStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("swap step")

    def __str__(self) -> str:
        return f"swap {self.swap_id}: {self.action}"


class QuickTask(models.Model):
    """Prepared work for quiet moments: a training module, a knowledge article, follow-ups."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("training module")
        KNOWLEDGE = "knowledge", _("knowledge article")
        FOLLOW_UP = "follow_up", _("follow-ups")
        OTHER = "other", _("other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    channel = models.CharField(
        _("for agents of channel"), max_length=10, choices=Channel.choices, blank=True
    )
    link = models.URLField(_("link"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("quick task")
        verbose_name_plural = _("quick tasks")

    def __str__(self) -> str:
        return self.title


class QuickTaskAssignment(models.Model):
    """A quick task given to an agent for a quiet moment of a day."""

    task = models.ForeignKey(QuickTask, on_delete=models.CASCADE, related_name="assignments")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="quick_tasks")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("quick task for an agent")

    def __str__(self) -> str:
        return f"{self.task_id} for {self.employee_id} at {self.start:%Y-%m-%d %H:%M}"


class ExtraHoursOffer(models.Model):
    """Voluntary extra hours offered to an available agent on a busy day (intraday).

    Accepting adds a published shift (after the rule check); declining is fine and final."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("offered")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="extra_hours_offers"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    shift = models.ForeignKey(
        Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-offered_at"]
        verbose_name = _("extra hours offer")

    def __str__(self) -> str:
        return f"extra hours for {self.employee_id} {self.start:%Y-%m-%d %H:%M} ({self.status})"
