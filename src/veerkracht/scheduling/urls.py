from django.urls import path

from . import views

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
]
