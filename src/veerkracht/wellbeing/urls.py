from django.urls import path

from . import views_checkins

app_name = "wellbeing"

urlpatterns: list = [
    path("week/", views_checkins.week_board, name="week_board"),
    path("attention/", views_checkins.attention, name="attention"),
    path("1on1/", views_checkins.my_checkins, name="my_checkins"),
    path("1on1/plan/", views_checkins.checkin_plan, name="checkin_plan"),
    path("1on1/plan/<int:pk>/now/", views_checkins.checkin_quick_plan, name="checkin_quick_plan"),
    path("1on1/<int:pk>/", views_checkins.checkin_detail, name="checkin_detail"),
    path("1on1/<int:pk>/invite.ics", views_checkins.checkin_ics, name="checkin_ics"),
]

# Personal circumstances and the home workplace.
try:
    from .urls_home import urlpatterns as _home
except ImportError:  # pragma: no cover - built separately
    _home = []

urlpatterns += _home
