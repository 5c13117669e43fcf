from django.urls import path

app_name = "membership"
urlpatterns: list = []
