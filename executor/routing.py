from django.urls import path

from executor import consumers

websocket_urlpatterns = [
    path("ws/executions/<str:execution_id>/", consumers.ExecutionConsumer.as_asgi()),
]
