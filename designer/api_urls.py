from django.urls import path

from designer import api, api_drafts

urlpatterns = [
    path("state-machines/", api.state_machines, name="api-state-machines"),
    path("state-machines/<str:name>/", api.state_machine, name="api-state-machine"),
    path("state-machines/<str:name>/draft/", api_drafts.draft, name="api-draft"),
    path("state-machines/<str:name>/validate/", api.validate, name="api-validate"),
    path("state-machines/<str:name>/layout/", api.auto_layout, name="api-layout"),
    path("state-machines/<str:name>/graph.svg", api.graph_svg, name="api-graph-svg"),
    path("state-machines/<str:name>/grants/", api.grants, name="api-grants"),
    path("state-machines/<str:name>/grants/<int:grant_id>/", api.grant, name="api-grant"),
]
