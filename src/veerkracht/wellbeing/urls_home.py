"""URLs for personal circumstances and the home workplace (added to wellbeing/urls.py)."""

from django.urls import path

from . import views_home

urlpatterns = [
    path("circumstances/", views_home.circumstances, name="circumstances"),
    path("circumstances/delete/", views_home.circumstances_delete, name="circumstances_delete"),
    path(
        "employees/<int:pk>/circumstances/",
        views_home.circumstances_detail,
        name="circumstances_detail",
    ),
    path("home-workplace/", views_home.home_workplace, name="home_workplace"),
    path("home-workplace/checklist/", views_home.home_checklist, name="home_checklist"),
    path(
        "home-workplace/requests/new/",
        views_home.home_request_create,
        name="home_request_create",
    ),
    path("home-workplace/requests/", views_home.home_requests, name="home_requests"),
    path(
        "home-workplace/requests/<int:pk>/",
        views_home.home_request_detail,
        name="home_request_detail",
    ),
    path(
        "home-workplace/requests/<int:pk>/transition/",
        views_home.home_request_transition,
        name="home_request_transition",
    ),
]
