from django.urls import path

from awsapi import rest, rest_map_runs

urlpatterns = [
    path("state-machines/<str:name>/aliases/", rest.aliases, name="api-aliases"),
    path("state-machines/<str:name>/aliases/<str:alias>/", rest.alias, name="api-alias"),
    path(
        "state-machines/<str:name>/aliases/<str:alias>/executions/",
        rest.alias_executions,
        name="api-alias-executions",
    ),
    path(
        "state-machines/<str:name>/published-versions/",
        rest.published_versions,
        name="api-published-versions",
    ),
    path(
        "state-machines/<str:name>/published-versions/<int:number>/",
        rest.published_version,
        name="api-published-version",
    ),
    path("state-machines/<str:name>/tags/", rest.machine_tags, name="api-machine-tags"),
    path(
        "executions/<str:execution_id>/map-runs/",
        rest_map_runs.execution_map_runs,
        name="api-execution-map-runs",
    ),
    # A Map Run's ARN holds '/' (MACHINE/LABEL): its routes end in a word, not at the ARN.
    path(
        "map-runs/<path:arn>/executions/",
        rest_map_runs.map_run_executions,
        name="api-map-run-executions",
    ),
    path("map-runs/<path:arn>/", rest_map_runs.map_run, name="api-map-run"),
    path(
        "child-executions/<path:arn>/history/",
        rest_map_runs.child_execution_history,
        name="api-child-execution-history",
    ),
    path("activities/", rest.activities, name="api-activities"),
    path("activities/<str:name>/", rest.activity, name="api-activity"),
    path("activities/<str:name>/tags/", rest.activity_tags, name="api-activity-tags"),
]
