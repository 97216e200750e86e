from django.urls import path

from . import views, views_availability

app_name = "scheduling"

urlpatterns = [
    path("history/", views.history, name="history"),
    path("history/<int:pk>/", views.history_preview, name="history_preview"),
    path("forecasts/", views.forecast_list, name="forecast_list"),
    path("forecasts/new/", views.forecast_create, name="forecast_create"),
    path("forecasts/<int:pk>/", views.forecast_detail, name="forecast_detail"),
    path("forecasts/<int:pk>/cancel/", views.forecast_cancel, name="forecast_cancel"),
    path("forecasts/<int:pk>/adjust/", views.forecast_adjust, name="forecast_adjust"),
    path("forecasts/<int:pk>/forecast.csv", views.forecast_csv, name="forecast_csv"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing.csv", views.staffing_csv, name="staffing_csv"),
    path("targets/", views.targets, name="targets"),
    path("what-if/", views.scenario, name="scenario"),
    path("availability/", views_availability.my_availability, name="my_availability"),
    path(
        "availability/windows/<int:pk>/remove/",
        views_availability.my_availability_remove_window,
        name="my_availability_remove_window",
    ),
    path(
        "availability/exceptions/<int:pk>/remove/",
        views_availability.my_availability_remove_exception,
        name="my_availability_remove_exception",
    ),
    path(
        "availability/periods/<int:pk>/submit/",
        views_availability.my_availability_submit,
        name="my_availability_submit",
    ),
    path(
        "availability/overview/",
        views_availability.availability_overview,
        name="availability_overview",
    ),
    path(
        "availability/periods/<int:pk>/availability.csv",
        views_availability.availability_csv,
        name="availability_csv",
    ),
    path("roster-periods/", views_availability.roster_periods, name="roster_periods"),
]
