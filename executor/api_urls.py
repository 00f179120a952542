from django.urls import path

from executor import (
    api,
    approvals_api,
    callbacks_api,
    graph_status_api,
    heatmap_api,
    listing_api,
    map_iterations_api,
    reruns_api,
    teststate_api,
)

urlpatterns = [
    path("state-machines/<str:name>/executions/", api.executions, name="api-executions"),
    path(
        "state-machines/<str:name>/executions/<str:execution_name>/",
        api.execution_by_name,
        name="api-execution-by-name",
    ),
    path(
        "state-machines/<str:name>/sync-executions/",
        api.sync_executions,
        name="api-sync-executions",
    ),
    path("state-machines/<str:name>/heat-map/", heatmap_api.heat_map, name="api-heat-map"),
    # Before executions/<id>/: "counts" and "bulk" are not ids.
    path("executions/", listing_api.executions, name="api-all-executions"),
    path("executions/counts/", listing_api.counts, name="api-execution-counts"),
    path("executions/bulk/", listing_api.bulk, name="api-executions-bulk"),
    path("executions/<str:execution_id>/", api.execution, name="api-execution"),
    path(
        "executions/<str:execution_id>/choice-traces/",
        listing_api.choice_traces,
        name="api-choice-traces",
    ),
    path(
        "executions/<str:execution_id>/graph-status/",
        graph_status_api.graph_status_view,
        name="api-graph-status",
    ),
    path("executions/<str:execution_id>/stop/", api.stop, name="api-stop"),
    path(
        "executions/<str:execution_id>/pending-tasks/",
        api.pending_tasks,
        name="api-pending-tasks",
    ),
    path("executions/<str:execution_id>/rerun/", reruns_api.rerun, name="api-rerun"),
    path(
        "executions/<str:execution_id>/state-visits/",
        reruns_api.state_visits,
        name="api-state-visits",
    ),
    path("executions/<str:execution_id>/redrive/", api.redrive, name="api-redrive"),
    path("executions/<str:execution_id>/history/", api.history, name="api-history"),
    path(
        "executions/<str:execution_id>/map-iterations/",
        map_iterations_api.iterations,
        name="api-map-iterations",
    ),
    path(
        "executions/<str:execution_id>/map-iterations/<int:map_event_id>/<int:index>/events/",
        map_iterations_api.iteration_events,
        name="api-map-iteration-events",
    ),
    path(
        "executions/<str:execution_id>/task-answers/",
        approvals_api.task_answers,
        name="api-task-answers",
    ),
    path("pending-tasks/", approvals_api.inbox, name="api-inbox"),
    path("pending-tasks/count/", approvals_api.inbox_count, name="api-inbox-count"),
    path("task-tokens/approve/", approvals_api.approve, name="api-task-approve"),
    path("task-tokens/reject/", approvals_api.reject, name="api-task-reject"),
    path("task-tokens/success/", callbacks_api.task_success, name="api-task-success"),
    path("task-tokens/failure/", callbacks_api.task_failure, name="api-task-failure"),
    path("task-tokens/heartbeat/", callbacks_api.task_heartbeat, name="api-task-heartbeat"),
    path("test-state/", teststate_api.test_state, name="api-test-state"),
    path("activities/<str:name>/tasks/", callbacks_api.activity_tasks, name="api-activity-tasks"),
]
