from django.urls import path

from . import views

app_name = "beoordeling"

urlpatterns = [
    path("herinneringen/", views.reminder_preferences, name="herinneringen"),
]
