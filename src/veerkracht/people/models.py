"""Organisation, sites, teams, employees, roles; audit log; governance register; API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social media / webcare")


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    TEAM_LEAD = "team_lead", _("Team lead")
    SITE_MANAGER = "site_manager", _("Site manager")
    PLANNER = "planner", _("Planner")
    ADMIN = "admin", _("Admin")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=5,
        validators=[MinValueValidator(3)],
        help_text=_("Smallest group for which survey results are shown (never below 3)."),
    )
    comment_threshold = models.PositiveSmallIntegerField(
        _("comment threshold"), default=5, validators=[MinValueValidator(3)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    managers = models.ManyToManyField(
        "Employee", blank=True, related_name="managed_sites", verbose_name=_("site managers")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    leads = models.ManyToManyField(
        "Employee", blank=True, related_name="led_teams", verbose_name=_("team leads")
    )

    class Meta:
        ordering = ["site__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="team_unique_name_per_site")
        ]

    def __str__(self) -> str:
        return self.name


def validate_channels(value: object) -> None:
    if not isinstance(value, list) or any(item not in Channel.values for item in value):
        raise ValidationError(
            _("Choose channels from: %(choices)s."), params={"choices": ", ".join(Channel.values)}
        )


class EmployeeQuerySet(models.QuerySet["Employee"]):
    def active(self) -> EmployeeQuerySet:
        return self.filter(is_active=True)


class Employee(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employees"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("work e-mail"), unique=True)
    employment_start = models.DateField(_("employment start date"))
    employment_end = models.DateField(_("employment end date"), null=True, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    celebrate_birthday = models.BooleanField(
        _("celebrate my birthday"),
        default=False,
        help_text=_("Opt-in: colleagues may see and celebrate it."),
    )
    contract_hours = models.DecimalField(
        _("contract hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    channels = models.JSONField(
        _("trained channels"), default=list, blank=True, validators=[validate_channels]
    )
    address_line = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def role_set(self) -> set[str]:
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = {r.role for r in self.roles.all()}
            self._role_cache = cache
        return cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.channels]

    def years_of_service(self, on: date | None = None) -> int:
        on = on or timezone.localdate()
        start = self.employment_start
        return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


class EmployeeRole(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "role"], name="employee_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.get_role_display()}"


class AuditAction(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    ERASE = "erase", _("erased")
    IMPORT = "import", _("imported")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")


class AuditEvent(models.Model):
    """Who read or changed what, when. Append-only: written through veerkracht.people.audit."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    subject = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("about employee"),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"


class Module(models.TextChoices):
    """Product modules that need a recorded works-council decision (WOR art. 27) before use."""

    PER_AGENT_KPIS = "per_agent_kpis", _("Per-agent KPIs (AHT, adherence)")
    QUALITY_EVALUATIONS = "quality_evaluations", _("Quality evaluations of conversations")
    ABSENCE = "absence", _("Sickness absence administration")
    ROSTERING = "rostering", _("Rostering and working times")
    PULSE_SURVEYS = "pulse_surveys", _("Pulse surveys")


# Modules that monitor individual behaviour or performance stay off until approval is recorded.
MONITORING_MODULES = frozenset({Module.PER_AGENT_KPIS, Module.QUALITY_EVALUATIONS})


class ModuleApproval(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="approvals"
    )
    module = models.CharField(_("module"), max_length=40, choices=Module.choices)
    body = models.CharField(
        _("approved by"),
        max_length=120,
        default="",
        help_text=_("Works council or staff representation."),
    )
    approved_on = models.DateField(_("approved on"))
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["module", "-approved_on"]
        verbose_name = _("module approval")
        verbose_name_plural = _("module approvals")

    def __str__(self) -> str:
        return f"{self.get_module_display()} ({self.approved_on})"

    @property
    def is_current(self) -> bool:
        """In force today: approved on or before today and not (yet) withdrawn."""
        today = timezone.localdate()
        return self.approved_on <= today and (
            self.withdrawn_on is None or self.withdrawn_on > today
        )


class ApiToken(models.Model):
    """A per-user token for integrations. Only a SHA-256 hash is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: object, name: str) -> tuple[ApiToken, str]:
        key = "vk_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[3:11], key_hash=cls.hash_key(key)
        )
        return token, key
