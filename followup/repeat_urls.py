from django.urls import path

from followup import repeat_views

urlpatterns: list = [
    path("staf/pelanggar-berulang/", repeat_views.repeat_list, name="repeat_list"),
]
