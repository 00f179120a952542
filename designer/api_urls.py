from django.urls import path

from designer import api, api_drafts, api_import, versions_api

urlpatterns = [
    path("templates/", api.templates, name="api-templates"),
    path("state-machines/", api.state_machines, name="api-state-machines"),
    path("state-machines/<str:name>/", api.state_machine, name="api-state-machine"),
    path("state-machines/<str:name>/draft/", api_drafts.draft, name="api-draft"),
    path("state-machines/<str:name>/versions/", versions_api.versions, name="api-versions"),
    path(
        "state-machines/<str:name>/versions/<int:number>/",
        versions_api.version,
        name="api-version",
    ),
    path("state-machines/<str:name>/validate/", api.validate, name="api-validate"),
    path("state-machines/<str:name>/read-file/", api_import.read_file, name="api-read-file"),
    path("state-machines/<str:name>/layout/", api.auto_layout, name="api-layout"),
    path("state-machines/<str:name>/data-shapes/", api.shapes, name="api-data-shapes"),
    path("state-machines/<str:name>/sample-input/", api.sample, name="api-sample-input"),
    path("state-machines/<str:name>/graph.svg", api.graph_svg, name="api-graph-svg"),
    path(
        "state-machines/<str:name>/approver-groups/",
        api.approver_groups,
        name="api-approver-groups",
    ),
    path("state-machines/<str:name>/grants/", api.grants, name="api-grants"),
    path("state-machines/<str:name>/grants/<int:grant_id>/", api.grant, name="api-grant"),
]
