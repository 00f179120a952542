from django.urls import path

from executor import api

urlpatterns = [
    path("state-machines/<str:name>/executions/", api.executions, name="api-executions"),
    path("executions/<str:execution_id>/", api.execution, name="api-execution"),
    path("executions/<str:execution_id>/history/", api.history, name="api-history"),
]
