from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "veerkracht.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Each app's privacy.py registers its data categories, my-data sections and erasure hooks;
        # load them all at start-up so erasure and exports never miss an app.
        from .privacy_register import autodiscover

        autodiscover()
