from django.urls import path

from executor import views

urlpatterns = [
    path("executions/", views.executions, name="executions"),
    path("executions/<uuid:execution_id>/", views.execution, name="execution"),
    path("approvals/", views.approvals, name="approvals"),
]
