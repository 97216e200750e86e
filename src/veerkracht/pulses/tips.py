"""Practical tips on the personal wellbeing check: static, translated, the same for everyone
(they never depend on someone's answers, which the server never sees)."""

from django.utils.translation import gettext_lazy as _

TIPS = [
    (
        _("Energy"),
        _(
            "Take a real break away from your screen every two hours: walk, get some daylight, "
            "drink water. Plan your breaks in your schedule like a call."
        ),
    ),
    (
        _("Exhaustion"),
        _(
            "Difficult conversations drain you. After a tough contact, take a minute before the "
            "next one, and tell your team lead when it keeps happening."
        ),
    ),
    (
        _("Stress"),
        _(
            "Write down what weighs on you and what you can influence. Talking helps: with a "
            "colleague, your team lead, or the company doctor, in confidence."
        ),
    ),
    (
        _("Sleep"),
        _(
            "Keep regular times, also around late or early shifts. Stop looking at screens an hour "
            "before bed and keep work out of the bedroom when you work from home."
        ),
    ),
]

# Short column and legend labels for the personal trend.
HEALTH_LABELS = {
    "health_energy": _("Energy"),
    "health_exhaustion": _("Exhaustion"),
    "health_stress": _("Stress"),
    "health_sleep": _("Sleep"),
}
