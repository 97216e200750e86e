from django.contrib import admin

from .models import AuditEvent, Employee, ModuleApproval, Organisation, Site, Team


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "anonymity_threshold"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "organisation"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "site"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "team", "is_active"]
    search_fields = ["last_name", "first_name", "email"]
    list_filter = ["is_active", "team__site"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ModuleApproval)
class ModuleApprovalAdmin(admin.ModelAdmin):
    list_display = ["module", "organisation", "approved_on", "withdrawn_on"]
