"""Personal circumstances (opt-in) and the home workplace: requests for equipment and a checklist.

Writes go through `wellbeing/home.py`; reads are scoped by `people/access.py`
(`can_see_circumstances`, `home_requests_for`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.people.models import Employee

__all__ = [
    "CHECKLIST_ITEMS",
    "Circumstances",
    "HomeChecklist",
    "HomeItem",
    "HomeRequestEvent",
    "HomeRequestStatus",
    "HomeWorkplaceRequest",
]


class Circumstances(models.Model):
    """An employee's own, opt-in description of their situation at home. One row per employee;
    deleting it removes the row (nothing is kept)."""

    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="circumstances"
    )
    living_alone = models.BooleanField(_("I live alone"), default=False)
    cares_for_children = models.BooleanField(_("I care for children"), default=False)
    cares_for_others = models.BooleanField(
        _("I care for someone else (a parent, partner or other)"), default=False
    )
    quiet_workplace = models.BooleanField(_("I have a quiet workplace at home"), default=True)
    preferred_contact_moments = models.CharField(
        _("Preferred moments for contact"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example: mornings before 10:00, not on Wednesday afternoons. "
            "Do not write anything about your health."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("personal circumstances")
        verbose_name_plural = _("personal circumstances")

    def __str__(self) -> str:
        return f"circumstances of employee {self.employee_id}"


class HomeItem(models.TextChoices):
    CHAIR = "chair", _("Office chair")
    DESK = "desk", _("Desk")
    MONITOR = "monitor", _("Monitor")
    KEYBOARD_MOUSE = "keyboard_mouse", _("Keyboard and mouse")
    HEADSET = "headset", _("Headset")
    LAPTOP = "laptop", _("Laptop")
    INTERNET = "internet", _("Internet connection")


class HomeRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class HomeWorkplaceRequest(models.Model):
    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="home_requests",
        verbose_name=_("employee"),
    )
    item = models.CharField(_("item"), max_length=20, choices=HomeItem.choices)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=HomeRequestStatus.choices,
        default=HomeRequestStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.CharField(_("note from the team lead"), max_length=300, blank=True)
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    reference = models.CharField(_("carrier and tracking reference"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("home-workplace request")
        verbose_name_plural = _("home-workplace requests")

    def __str__(self) -> str:
        return f"{self.get_item_display()} for employee {self.employee_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = (
    HomeRequestStatus.REQUESTED,
    HomeRequestStatus.APPROVED,
    HomeRequestStatus.SHIPPED,
)


class HomeRequestEvent(models.Model):
    """One status change of a request: the full history, append-only."""

    request = models.ForeignKey(
        HomeWorkplaceRequest, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=HomeRequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=HomeRequestStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("home-workplace request change")
        verbose_name_plural = _("home-workplace request changes")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


# The checklist for a good home workplace: (key, label, tip). Static content; only the keys an
# employee ticks are stored.
CHECKLIST_ITEMS: tuple[tuple[str, str, str], ...] = (
    (
        "desk_height",
        _("A desk at the right height"),
        _("Elbows at a right angle, shoulders relaxed; about 72 cm for most people."),
    ),
    (
        "chair",
        _("An adjustable office chair"),
        _("Feet flat on the floor, back supported, seat height adjustable."),
    ),
    (
        "screen_eye_height",
        _("Screen at eye height"),
        _("The top of the screen at or just below eye height, an arm's length away."),
    ),
    (
        "daylight",
        _("Daylight"),
        _("Work near a window, with the light from the side rather than behind the screen."),
    ),
    (
        "quiet",
        _("A quiet place"),
        _("Somewhere you can take calls without being disturbed, with a door if possible."),
    ),
    (
        "headset",
        _("A good headset"),
        _("Noise-cancelling microphone, comfortable for a whole shift."),
    ),
    (
        "internet",
        _("Stable internet (at least 10 Mbit/s upload)"),
        _("Preferably a cable to the router; test your upload speed at the start of a shift."),
    ),
    (
        "breaks",
        _("Regular breaks"),
        _("Stand up and move every hour; take your lunch away from your desk."),
    ),
)
CHECKLIST_KEYS = tuple(key for key, _label, _tip in CHECKLIST_ITEMS)


class HomeChecklist(models.Model):
    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="home_checklist"
    )
    items = models.JSONField(_("what I have"), default=list, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("home-workplace checklist")
        verbose_name_plural = _("home-workplace checklists")

    def __str__(self) -> str:
        return f"checklist of employee {self.employee_id}"
