from django.urls import path

from executor import approvals_consumer, consumers

websocket_urlpatterns = [
    path("ws/executions/<str:execution_id>/", consumers.ExecutionConsumer.as_asgi()),
    path("ws/state-machines/<str:name>/", consumers.StateMachineConsumer.as_asgi()),
    path("ws/approvals/", approvals_consumer.ApprovalsConsumer.as_asgi()),
    path("ws/executions/", consumers.AllExecutionsConsumer.as_asgi()),
]
