from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from veerkracht.api.api import api
from veerkracht.scheduling.views_shifts import calendar_feed

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("people/", include("veerkracht.people.urls")),
    path("planning/", include("veerkracht.scheduling.urls")),
    path("wellbeing/", include("veerkracht.wellbeing.urls")),
    path("pulse/", include("veerkracht.pulses.urls")),
    # The private ICS feed of one employee's shifts: no login, the token in the URL is the key.
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]
