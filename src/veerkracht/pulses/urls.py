from django.urls import path

from . import views

app_name = "pulses"

urlpatterns = [
    path("", views.my_pulses, name="my_pulses"),
    path("<int:pk>/", views.answer, name="answer"),
    path("wellbeing-check/", views.personal_check, name="personal_check"),
    path(
        "wellbeing-check/conversation/",
        views.request_conversation,
        name="request_conversation",
    ),
    path("conversations/", views.conversation_requests, name="conversation_requests"),
    path("results/", views.results, name="results"),
    path("results/export.csv", views.results_csv, name="results_csv"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.pulse_create, name="pulse_create"),
    path("manage/questions/new/", views.question_create, name="question_create"),
    path("manage/<int:pk>/close/", views.pulse_close, name="pulse_close"),
]
