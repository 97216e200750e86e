from django.urls import path

from . import (
    views,
    views_availability,
    views_intraday,  # issue 4: intraday
    views_roster,
    views_swaps,  # issue 4: swaps
)
from .views_shifts import my_shifts, team_roster  # issue 4

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
    # Roster runs, review, hand edits and publishing (planner; views_roster.py)
    path("roster/", views_roster.roster_list, name="roster_list"),
    path("roster/periods/<int:pk>/", views_roster.roster_review, name="roster_review"),
    path("roster/periods/<int:pk>/run/", views_roster.roster_run_start, name="roster_run_start"),
    path(
        "roster/periods/<int:pk>/shifts/new/",
        views_roster.roster_shift_add,
        name="roster_shift_add",
    ),
    path("roster/periods/<int:pk>/publish/", views_roster.roster_publish, name="roster_publish"),
    path("roster/runs/<int:pk>/", views_roster.roster_run, name="roster_run"),
    path("roster/runs/<int:pk>/cancel/", views_roster.roster_run_cancel, name="roster_run_cancel"),
    path("roster/shifts/<int:pk>/", views_roster.roster_shift_edit, name="roster_shift_edit"),
    path(
        "roster/shifts/<int:pk>/remove/",
        views_roster.roster_shift_remove,
        name="roster_shift_remove",
    ),
    path("roster/shifts/<int:pk>/fix/", views_roster.roster_shift_fix, name="roster_shift_fix"),
    path("shifts/", my_shifts, name="my_shifts"),
    path("team-roster/", team_roster, name="team_roster"),
    # Swaps and giving shifts away (views_swaps.py)
    path("swaps/", views_swaps.swaps, name="swaps"),
    path("swaps/offer/<int:pk>/", views_swaps.swap_offer, name="swap_offer"),
    path("swaps/<int:pk>/", views_swaps.swap_detail, name="swap_detail"),
    path("swaps/<int:pk>/take/", views_swaps.swap_take, name="swap_take"),
    path("swaps/<int:pk>/approve/", views_swaps.swap_approve, name="swap_approve"),
    path("swaps/<int:pk>/reject/", views_swaps.swap_reject, name="swap_reject"),
    path("swaps/<int:pk>/withdraw/", views_swaps.swap_withdraw, name="swap_withdraw"),
    # Intraday (planner) and extra hours / quick tasks (agent) (views_intraday.py)
    path("intraday/", views_intraday.intraday_day, name="intraday"),
    path("intraday/actuals/upload/", views_intraday.intraday_upload, name="intraday_upload"),
    path("intraday/actuals/", views_intraday.intraday_actuals, name="intraday_actuals"),
    path("intraday/move/", views_intraday.intraday_move, name="intraday_move"),
    path("intraday/offer/", views_intraday.intraday_offer, name="intraday_offer"),
    path("intraday/assign/", views_intraday.intraday_assign, name="intraday_assign"),
    path(
        "intraday/offers/<int:pk>/withdraw/",
        views_intraday.intraday_withdraw,
        name="intraday_withdraw",
    ),
    path("intraday/quick-tasks/", views_intraday.quick_tasks, name="quick_tasks"),
    path(
        "intraday/quick-tasks/<int:pk>/toggle/",
        views_intraday.quick_task_toggle,
        name="quick_task_toggle",
    ),
    path("extra-hours/", views_intraday.extra_hours, name="extra_hours"),
    path(
        "extra-hours/<int:pk>/answer/",
        views_intraday.extra_hours_answer,
        name="extra_hours_answer",
    ),
    path(
        "extra-hours/tasks/<int:pk>/done/", views_intraday.quick_task_done, name="quick_task_done"
    ),
]
