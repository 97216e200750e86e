"""Organisation management (admins) and the employee list (leads, managers, planners, admins)."""

from django.urls import path

from . import views_org

urlpatterns = [
    path("sites/", views_org.site_list, name="site_list"),
    path("sites/new/", views_org.site_create, name="site_create"),
    path("sites/<int:pk>/edit/", views_org.site_edit, name="site_edit"),
    path("teams/", views_org.team_list, name="team_list"),
    path("teams/new/", views_org.team_create, name="team_create"),
    path("teams/<int:pk>/edit/", views_org.team_edit, name="team_edit"),
    path("employees/", views_org.employee_list, name="employee_list"),
    path("employees/new/", views_org.employee_create, name="employee_create"),
    path("employees/import/", views_org.employee_import, name="employee_import"),
    path(
        "employees/import/template.csv",
        views_org.employee_import_template,
        name="employee_import_template",
    ),
    path("employees/<int:pk>/", views_org.employee_detail, name="employee_detail"),
    path("employees/<int:pk>/edit/", views_org.employee_edit, name="employee_edit"),
    path(
        "employees/<int:pk>/deactivate/", views_org.employee_deactivate, name="employee_deactivate"
    ),
    path(
        "employees/<int:pk>/reactivate/", views_org.employee_reactivate, name="employee_reactivate"
    ),
    path("employees/<int:pk>/erase/", views_org.employee_erase, name="employee_erase"),
]
