"""The register of processing: which personal data this installation stores, why, on what legal
ground, for how long, and who may see it. The privacy statement page is generated from it.

Every concrete model of a Veerkracht app is either described here, field by field, or declared
to hold no personal data; tests/people/test_privacy_statement.py fails for a model or field that
is neither. People's own entries are below. Other apps put theirs in `veerkracht/<app>/privacy.py`,
which `autodiscover()` imports::

    from veerkracht.people.privacy_register import Audience, LegalGround, Retention, register_category

    register_category(
        "shifts", _("Shifts"), fields=["scheduling.Shift.employee", "scheduling.Shift.start", ...],
        purpose=_("..."), legal_ground=LegalGround.CONTRACT, retention=Retention.WORKING_TIME,
        audiences=[Audience.SELF, Audience.TEAM_LEAD, ...],
    )

Who may see what must match `people/access.py`; the tests compare the audiences of the
categories that have a rule there (address, birthday, employee records) with those functions.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise, lazy
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

Text = str | Promise


class Audience(models.TextChoices):
    """Who may see a category of data about a person. The order is the order shown on the page."""

    SELF = "self", _("You")
    TEAM = "team", _("Colleagues in your team")
    OPTED_IN = "opted_in", _("Colleagues, only if you opt in")
    TEAM_LEAD = "team_lead", _("Your team lead(s)")
    SITE_MANAGER = "site_manager", _("Managers of your site")
    PLANNER = "planner", _("Planners")
    ADMIN = "admin", _("Administrators")
    NOBODY = "nobody", _("Nobody: stored as a one-way hash")


class LegalGround(models.TextChoices):
    """GDPR art. 6(1). Consent is not a valid ground for most data between employer and employee."""

    CONTRACT = "contract", _("Needed to carry out the employment contract (GDPR art. 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation of the employer (GDPR art. 6(1)(c))")
    LEGITIMATE_INTEREST = (
        "legitimate_interest",
        _("Legitimate interest of the employer, weighed against yours (GDPR art. 6(1)(f))"),
    )
    OPT_IN = "opt_in", _("Your own choice, which you can change at any time (GDPR art. 6(1)(a))")


def _session_retention() -> str:
    hours = max(1, settings.SESSION_COOKIE_AGE // 3600)
    return ngettext(
        "Until you log out, at most %(hours)d hour.",
        "Until you log out, at most %(hours)d hours.",
        hours,
    ) % {"hours": hours}


class Retention:
    """Retention terms (domain/privacy.md). Apps reuse these so the statement names each term once."""

    EMPLOYMENT = _(
        "During employment. After it ends, an administrator erases the record, at the latest "
        "2 years after the end date; figures that contain no names are kept."
    )
    WORKING_TIME = _("At least 52 weeks (Working Hours Act), then removed.")
    ABSENCE = _(
        "2 years after employment ends (5 years when the employer carries its own sickness-benefit risk)."
    )
    REINTEGRATION = _("2 years after the reintegration ends.")
    ACCOUNT = _("As long as you have a login; removed when you are erased.")
    AUDIT = _(
        "Kept to account for who read or changed what. When you are erased, the summaries of "
        "entries about you are emptied and your login name is replaced."
    )
    SESSION = lazy(_session_retention, str)()

    @classmethod
    def all(cls) -> list[Text]:
        return [
            cls.EMPLOYMENT,
            cls.WORKING_TIME,
            cls.ABSENCE,
            cls.REINTEGRATION,
            cls.ACCOUNT,
            cls.AUDIT,
        ]


@dataclass(frozen=True)
class DataCategory:
    """One kind of personal data: the fields that hold it (`app_label.Model.field`) and the rules."""

    key: str
    label: Text
    fields: tuple[str, ...]
    purpose: Text
    legal_ground: LegalGround
    retention: Text
    audiences: tuple[Audience, ...]
    note: Text = ""

    @property
    def models(self) -> list[str]:
        seen: dict[str, None] = {}
        for path in self.fields:
            seen[path.rsplit(".", 1)[0]] = None
        return list(seen)

    def field_labels(self) -> list[str]:
        """The fields as people read them: the verbose names of the model fields."""
        labels = []
        for path in self.fields:
            model_label, name = path.rsplit(".", 1)
            try:
                field = apps.get_model(model_label)._meta.get_field(name)
            except (LookupError, FieldDoesNotExist):  # the coverage test reports these
                labels.append(name)
                continue
            labels.append(str(getattr(field, "verbose_name", name)))
        return labels

    def audience_labels(self) -> list[str]:
        return [str(a.label) for a in Audience if a in self.audiences]


_CATEGORIES: dict[str, DataCategory] = {}
_NO_PERSONAL_DATA: dict[str, Text] = {}
_NOT_PERSONAL_FIELDS: dict[str, frozenset[str]] = {}


def register_category(
    key: str,
    label: Text,
    *,
    fields: Iterable[str],
    purpose: Text,
    legal_ground: LegalGround,
    retention: Text,
    audiences: Iterable[Audience],
    note: Text = "",
) -> DataCategory:
    if key in _CATEGORIES:
        raise ValueError(f"Privacy category {key!r} is already registered")
    fields = tuple(fields)
    if not fields or any(path.count(".") != 2 for path in fields):
        raise ValueError(f"Privacy category {key!r}: name fields as 'app_label.Model.field'")
    category = DataCategory(
        key=key,
        label=label,
        fields=fields,
        purpose=purpose,
        legal_ground=legal_ground,
        retention=retention,
        audiences=tuple(audiences),
        note=note,
    )
    _CATEGORIES[key] = category
    return category


def declare_no_personal_data(model_label: str, reason: Text) -> None:
    """A model that holds nothing about a person (say why, so a reviewer can check it)."""
    _NO_PERSONAL_DATA[model_label] = reason


def declare_not_personal_fields(model_label: str, fields: Iterable[str]) -> None:
    """Fields of a model with personal data that are themselves not about a person (ids, links, names of teams)."""
    _NOT_PERSONAL_FIELDS[model_label] = _NOT_PERSONAL_FIELDS.get(
        model_label, frozenset()
    ) | frozenset(fields)


_discovered = False


def autodiscover() -> None:
    """Import `<app>.privacy` for every installed Veerkracht app, so their entries are registered."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    for config in apps.get_app_configs():
        if config.name.startswith("veerkracht.") and module_has_submodule(config.module, "privacy"):
            importlib.import_module(f"{config.name}.privacy")


def categories() -> list[DataCategory]:
    autodiscover()
    return list(_CATEGORIES.values())


def category(key: str) -> DataCategory:
    if key not in _CATEGORIES:
        autodiscover()
    return _CATEGORIES[key]


def no_personal_data() -> dict[str, Text]:
    autodiscover()
    return dict(_NO_PERSONAL_DATA)


def not_personal_fields(model_label: str) -> frozenset[str]:
    autodiscover()
    return _NOT_PERSONAL_FIELDS.get(model_label, frozenset())


def category_for_field(model_label: str, field_name: str) -> DataCategory | None:
    path = f"{model_label}.{field_name}"
    return next((c for c in categories() if path in c.fields), None)


def audiences_text(audiences: Iterable[Audience]) -> str:
    wanted = set(audiences)
    return ", ".join(str(a.label) for a in Audience if a in wanted)


def audiences_of(key: str) -> Promise:
    """Who may see a category, as lazy text (translated when shown, in the reader's language)."""
    return lazy(lambda: audiences_text(category(key).audiences), str)()


# --- People: entries for the models in people/models.py ------------------------------------
# Keep these next to the models: a new field on Employee needs a line here or the tests fail.

_EVERYONE_WHO_SEES_YOUR_RECORD = (
    Audience.SELF,
    Audience.TEAM_LEAD,
    Audience.SITE_MANAGER,
    Audience.PLANNER,
    Audience.ADMIN,
)

register_category(
    "name",
    _("Name"),
    fields=["people.Employee.first_name", "people.Employee.last_name"],
    purpose=_("To know who works where: rosters, teams and conversations with your team lead."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.TEAM, *_EVERYONE_WHO_SEES_YOUR_RECORD),
)
register_category(
    "work_email",
    _("Work e-mail address"),
    fields=["people.Employee.email"],
    purpose=_("To log in and to receive messages about your work, such as your roster."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=_EVERYONE_WHO_SEES_YOUR_RECORD,
)
register_category(
    "team_and_skills",
    _("Team, channels and start date"),
    fields=["people.Employee.team", "people.Employee.channels", "people.Employee.employment_start"],
    purpose=_("To plan who handles which channel and to show how long you have been with us."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.TEAM, *_EVERYONE_WHO_SEES_YOUR_RECORD),
)
register_category(
    "contract",
    _("Contract hours and employment status"),
    fields=[
        "people.Employee.contract_hours",
        "people.Employee.employment_end",
        "people.Employee.is_active",
    ],
    purpose=_("To plan rosters that fit your contract and to stop access when employment ends."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=_EVERYONE_WHO_SEES_YOUR_RECORD,
)
register_category(
    "home_address",
    _("Home address"),
    fields=["people.Employee.address_line", "people.Employee.postcode", "people.Employee.city"],
    purpose=_("To send equipment for working from home and to reach you when needed."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.SELF, Audience.TEAM_LEAD, Audience.ADMIN),
    note=_(
        "Planners and site managers never see it. Each time someone else opens it, that is logged."
    ),
)
register_category(
    "birthday",
    _("Date of birth"),
    fields=["people.Employee.birthday", "people.Employee.celebrate_birthday"],
    purpose=_(
        "To apply the stricter working-time rules for employees under 18 and, only if you opt in, "
        "to let colleagues celebrate your birthday."
    ),
    legal_ground=LegalGround.LEGAL_OBLIGATION,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.SELF, Audience.ADMIN, Audience.OPTED_IN),
    note=_("Whether colleagues may see it is your own choice (opt-in) and you can change it."),
)
register_category(
    "language",
    _("Language of the app"),
    fields=["people.Employee.language"],
    purpose=_("To show Veerkracht in the language you chose."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.SELF, Audience.ADMIN),
)
register_category(
    "roles",
    _("Roles and leadership"),
    fields=[
        "people.EmployeeRole.employee",
        "people.EmployeeRole.role",
        "people.Team.leads",
        "people.Site.managers",
    ],
    purpose=_("To decide what you may see and do in Veerkracht, and who leads which team or site."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.TEAM, *_EVERYONE_WHO_SEES_YOUR_RECORD),
)
register_category(
    "account",
    _("Login account"),
    fields=[
        "auth.User.username",
        "auth.User.email",
        "auth.User.first_name",
        "auth.User.last_name",
        "auth.User.last_login",
        "auth.User.date_joined",
        "auth.User.is_active",
    ],
    purpose=_("To let you log in securely."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.ACCOUNT,
    audiences=(Audience.SELF, Audience.ADMIN),
)
register_category(
    "password",
    _("Password"),
    fields=["auth.User.password"],
    purpose=_("To check that it is you who logs in."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.ACCOUNT,
    audiences=(Audience.NOBODY,),
)
register_category(
    "sessions",
    _("Login sessions"),
    fields=[
        "sessions.Session.session_key",
        "sessions.Session.session_data",
        "sessions.Session.expire_date",
    ],
    purpose=_("To keep you logged in between pages."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.SESSION,
    audiences=(Audience.SELF,),
)
register_category(
    "api_tokens",
    _("API tokens"),
    fields=[
        "people.ApiToken.user",
        "people.ApiToken.name",
        "people.ApiToken.prefix",
        "people.ApiToken.key_hash",
        "people.ApiToken.created_at",
        "people.ApiToken.last_used_at",
        "people.ApiToken.revoked_at",
    ],
    purpose=_("To let programs you connect act on your behalf, and to see when they last did."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.ACCOUNT,
    audiences=(Audience.SELF,),
    note=_("The key itself is shown once and stored only as a one-way hash."),
)
register_category(
    "audit_trail",
    _("Audit log"),
    fields=[
        "people.AuditEvent.at",
        "people.AuditEvent.actor",
        "people.AuditEvent.actor_label",
        "people.AuditEvent.action",
        "people.AuditEvent.object_type",
        "people.AuditEvent.object_id",
        "people.AuditEvent.subject",
        "people.AuditEvent.summary",
        "people.AuditEvent.changes",
        "people.AuditEvent.ip_address",
    ],
    purpose=_(
        "To account for who read sensitive records or changed anything, and to investigate a data breach."
    ),
    legal_ground=LegalGround.LEGAL_OBLIGATION,
    retention=Retention.AUDIT,
    audiences=(Audience.SELF, Audience.ADMIN),
    note=_("You see the entries about you and by you on your My data page."),
)
register_category(
    "governance_records",
    _("Who recorded works-council decisions"),
    fields=["people.ModuleApproval.recorded_by", "people.ModuleApproval.recorded_at"],
    purpose=_("To account for who entered an approval in the governance register."),
    legal_ground=LegalGround.LEGAL_OBLIGATION,
    retention=Retention.ACCOUNT,
    audiences=(Audience.SELF, Audience.ADMIN),
)

declare_no_personal_data("people.Organisation", _("Name and settings of the organisation."))
declare_not_personal_fields(
    "people.Employee", ["id", "user", "organisation", "erased_at", "created_at", "updated_at"]
)
declare_not_personal_fields("people.EmployeeRole", ["id"])
declare_not_personal_fields("people.Site", ["id", "organisation", "name", "city"])
declare_not_personal_fields("people.Team", ["id", "site", "name"])
declare_not_personal_fields("people.ApiToken", ["id"])
declare_not_personal_fields("people.AuditEvent", ["id"])
declare_not_personal_fields(
    "people.ModuleApproval",
    ["id", "organisation", "module", "body", "approved_on", "reference", "withdrawn_on"],
)
declare_not_personal_fields(
    "auth.User", ["id", "is_superuser", "is_staff", "groups", "user_permissions"]
)


def who_may_see(model_label: str, field_name: str) -> str:
    """The audiences for one field, as text, or '' when the field is not in the register."""
    found = category_for_field(model_label, field_name)
    return audiences_text(found.audiences) if found else ""


def fields_of(model_label: str) -> list[str]:
    """All field names of a model the register must account for: its own fields, links and
    many-to-many fields (not the reverse side of relations, which belong to the other model)."""
    model = apps.get_model(model_label)
    return [f.name for f in model._meta.get_fields() if not (f.auto_created and not f.concrete)]


# Convenience for callers that want the list of (label, retention) pairs the statement shows.
def retention_terms() -> list[tuple[Text, Text]]:
    return [
        (_("Personnel records"), Retention.EMPLOYMENT),
        (_("Working-time records (shifts and hours worked)"), Retention.WORKING_TIME),
        (_("Sickness-absence administration"), Retention.ABSENCE),
        (_("Reintegration file"), Retention.REINTEGRATION),
        (_("Login account and API tokens"), Retention.ACCOUNT),
        (_("Audit log"), Retention.AUDIT),
        (_("Login sessions"), Retention.SESSION),
    ]
