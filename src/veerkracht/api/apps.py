from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "veerkracht.api"
    label = "api"
    verbose_name = "API"
