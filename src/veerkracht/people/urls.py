from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("team/", views.my_team, name="my_team"),
]

# Organisation management (sites, teams, employees, import) and privacy (my data, audit log,
# governance register, privacy statement, API tokens) live in their own modules.
from .urls_org import urlpatterns as _org  # noqa: E402
from .urls_privacy import urlpatterns as _privacy  # noqa: E402

urlpatterns += _org + _privacy
