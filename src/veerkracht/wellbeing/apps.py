from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "veerkracht.wellbeing"
    label = "wellbeing"
    verbose_name = _("Wellbeing")
