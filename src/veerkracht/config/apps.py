from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "veerkracht.config"
    label = "config"
    verbose_name = "Veerkracht"
