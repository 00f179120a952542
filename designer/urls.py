from django.urls import path

from designer import views

urlpatterns = [
    path("", views.index, name="index"),
    path("designer/<str:name>/", views.designer, name="designer"),
]
