from django.urls import path

from . import views_privacy as views

urlpatterns = [
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/export/", views.my_data_export, name="my_data_export"),
    path("me/tokens/", views.api_tokens, name="api_tokens"),
    path("me/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_log_export, name="audit_log_export"),
    path("governance/", views.governance_register, name="governance"),
    path("governance/<int:pk>/withdraw/", views.governance_withdraw, name="governance_withdraw"),
    path("privacy/", views.privacy_statement, name="privacy_statement"),
]
