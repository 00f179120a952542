"""The executions page's API: every run the caller may view, across machines, filtered,
searched inside its input, counted per status, paged by cursor, stopped or redriven in bulk,
and each Choice's decision trace.

Executions are advanced by the durable runner itself, in this process: the runner is the code
under test, only the Celery message that would call it is left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from designer import roles
from executor import actions, runner
from executor.models import Execution, HistoryEvent
from tests.executor.definitions import APPROVAL, ORDER_DEFINITION, pass_chain

pytestmark = pytest.mark.django_db

PAUSE = {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def run(machine: Any, name: str, input: Any = None, minutes_ago: float = 0) -> Execution:
    execution = actions.start_execution(machine, input or {}, name=name, enqueue=False)
    if minutes_ago:
        execution.start_date = timezone.now() - dt.timedelta(minutes=minutes_ago)
        execution.save(update_fields=["start_date"])
    return execution


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [e["name"] for e in response.json()["executions"]]


def test_it_lists_runs_of_every_machine_newest_first_by_name(api: Any, make_machine: Any) -> None:
    orders, hello = make_machine("Orders"), make_machine("Hello", pass_chain(1))
    run(orders, "first-order", minutes_ago=3)
    run(hello, "greeting", minutes_ago=2)
    run(orders, "second-order", minutes_ago=1)

    body = api.get("/api/v1/executions/").json()
    assert [e["name"] for e in body["executions"]] == ["second-order", "greeting", "first-order"]
    assert [e["state_machine"] for e in body["executions"]] == ["Orders", "Hello", "Orders"]
    assert body["next_cursor"] is None


def test_it_never_lists_runs_of_machines_the_caller_may_not_view(
    api: Any, outsider_api: Any, outsider: Any, make_machine: Any
) -> None:
    secret, shared = make_machine("Secret"), make_machine("Shared", pass_chain(1))
    run(secret, "secret-run")
    run(shared, "shared-run")
    roles.grant("viewer", user=outsider, machine=shared)

    assert names(outsider_api.get("/api/v1/executions/")) == ["shared-run"]
    assert names(outsider_api.get("/api/v1/executions/?search=secret")) == []
    assert names(outsider_api.get("/api/v1/executions/?data_path=$.x&data_value=1")) == []
    refused = outsider_api.get("/api/v1/executions/?machine=Secret")
    assert refused.status_code == 404
    assert refused.json()["field"] == "machine"
    counts = outsider_api.get("/api/v1/executions/counts/").json()["counts"]
    assert counts["RUNNING"] == {"count": 1, "more": False}
    assert sorted(names(api.get("/api/v1/executions/"))) == ["secret-run", "shared-run"]


def test_it_filters_by_status_machine_version_and_time(api: Any, make_machine: Any) -> None:
    orders, other = make_machine("Orders"), make_machine("Other", pass_chain(1))
    small = run(orders, "small", {"quantity": 2}, minutes_ago=50)
    big = run(orders, "big", {"quantity": 50}, minutes_ago=40)
    runner.advance(small.pk)  # waits in Pack: still running
    runner.advance(big.pk)  # out of stock: failed
    api.put("/api/v1/state-machines/Orders/", {"definition": pass_chain(2)}, format="json")
    orders.refresh_from_db()
    newer = run(orders, "on-version-2", minutes_ago=30)
    run(other, "elsewhere", minutes_ago=20)

    assert names(api.get("/api/v1/executions/?status=FAILED")) == ["big"]
    assert names(api.get("/api/v1/executions/?status=RUNNING&machine=Orders")) == [
        "on-version-2",
        "small",
    ]
    assert names(api.get("/api/v1/executions/?machine=Orders&version=2")) == [newer.name]
    after = (timezone.now() - dt.timedelta(minutes=45)).isoformat()
    before = (timezone.now() - dt.timedelta(minutes=25)).isoformat()
    window = api.get("/api/v1/executions/", {"started_after": after, "started_before": before})
    assert names(window) == ["on-version-2", "big"]


def test_it_finds_a_run_by_name_prefix_id_and_arn(api: Any, make_machine: Any) -> None:
    orders = make_machine("Orders")
    wanted = run(orders, "invoice-2026-0042")
    run(orders, "invoice-2026-0043")
    run(orders, "refund-7")

    assert sorted(names(api.get("/api/v1/executions/?search=invoice-2026"))) == [
        "invoice-2026-0042",
        "invoice-2026-0043",
    ]
    assert names(api.get(f"/api/v1/executions/?search={wanted.pk}")) == ["invoice-2026-0042"]
    arn = runner.execution_arn(wanted)
    assert names(api.get("/api/v1/executions/", {"search": arn})) == ["invoice-2026-0042"]
    bad = api.get("/api/v1/executions/", {"search": "arn:aws:states:nowhere"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "search"


def test_it_searches_inside_the_input_by_a_path_and_a_value(api: Any, make_machine: Any) -> None:
    orders = make_machine("Orders")
    run(orders, "numeric", {"customer": {"id": 42}, "items": [{"sku": "A"}, {"sku": "B"}]})
    run(orders, "textual", {"customer": {"id": "42"}})
    run(orders, "other", {"customer": {"id": 7}, "items": [{"sku": "B"}]})
    run(orders, "keyword", {"contains": True, "order id": "x y"})

    def found(path: str, value: str) -> list[str]:
        return sorted(
            names(api.get("/api/v1/executions/", {"data_path": path, "data_value": value}))
        )

    # 42 means the number, and the string a person may have meant.
    assert found("$.customer.id", "42") == ["numeric", "textual"]
    assert found("$.customer.id", '"42"') == ["textual"]
    assert found("$.customer['id']", "7") == ["other"]
    # An index names one element, not "some element".
    assert found("$.items[1].sku", "B") == ["numeric"]
    assert found("$.items[0].sku", "B") == ["other"]
    assert found("$.contains", "true") == ["keyword"]
    assert found("$['order id']", "x y") == ["keyword"]
    assert found("$.customer.id", "43") == []
    # Numbers JSON does not have are searched for as the text typed.
    assert found("$.customer.id", "1e999") == []
    assert found("$.customer.id", "NaN") == []


@pytest.mark.parametrize(
    "path", ["$..id", "$.items[*].sku", "$.items[?(@.sku)]", "customer.id", "$", "$.a[1:2]"]
)
def test_it_refuses_paths_it_cannot_compare_naming_the_field(api: Any, path: str) -> None:
    response = api.get("/api/v1/executions/", {"data_path": path, "data_value": "1"})
    assert response.status_code == 400
    assert response.json()["field"] == "data_path"
    assert path in response.json()["message"]


@pytest.mark.parametrize(
    "query, field",
    [
        ({"status": "SLEEPING"}, "status"),
        ({"started_after": "yesterday"}, "started_after"),
        ({"version": "2"}, "version"),
        ({"data_value": "1"}, "data_path"),
        ({"data_path": "$.a"}, "data_value"),
        ({"cursor": "forged"}, "cursor"),
        ({"search": "a\x00b"}, "search"),
        ({"machine": "Orders", "version": "99999999999999999999"}, "version"),
    ],
)
def test_it_answers_bad_filters_with_a_400_naming_the_field(
    api: Any, make_machine: Any, query: dict[str, str], field: str
) -> None:
    make_machine("Orders")
    response = api.get("/api/v1/executions/", query)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_it_pages_by_cursor_without_repeating_or_missing_runs_while_new_ones_start(
    api: Any, make_machine: Any
) -> None:
    orders = make_machine("Orders")
    older = [run(orders, f"run-{n:02}", minutes_ago=100 - n) for n in range(25)]
    # Runs of the same instant are told apart by their id.
    same = timezone.now() - dt.timedelta(minutes=50)
    Execution.objects.filter(pk__in=[e.pk for e in older[10:16]]).update(start_date=same)

    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        body = api.get("/api/v1/executions/", query).json()
        seen += [e["name"] for e in body["executions"]]
        run(orders, f"new-{pages}")  # a run starts between every two pages
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(e.name for e in older)
    assert len(seen) == len(set(seen)) == 25
    assert pages == 7


def test_a_viewer_of_several_machines_pages_through_exactly_their_runs_in_order(
    outsider_api: Any, outsider: Any, make_machine: Any
) -> None:
    """A viewer's list is read machine by machine and merged (executor/listing.page): pages
    must still be the one newest-first order, with runs started at the same moment on
    different machines neither repeated nor missed at a page's edge."""
    machines = [make_machine(f"Seen-{i}", pass_chain(1)) for i in range(3)]
    hidden = make_machine("Hidden", pass_chain(1))
    for machine in machines:
        roles.grant("viewer", user=outsider, machine=machine)
    moment = timezone.now() - dt.timedelta(hours=1)
    expected = []
    for step in range(5):
        for i, machine in enumerate([*machines, hidden]):
            execution = run(machine, f"run-{step}-{i}")
            # Two machines' runs start together: the page order falls back to the id.
            execution.start_date = moment + dt.timedelta(minutes=step * 2 + (i == 2))
            execution.save(update_fields=["start_date"])
            if machine is not hidden:
                expected.append(execution)
    expected.sort(key=lambda e: (e.start_date, e.pk), reverse=True)

    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = outsider_api.get("/api/v1/executions/", query).json()
        assert len(body["executions"]) <= 2
        seen += [e["name"] for e in body["executions"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [e.name for e in expected]


def test_it_pages_a_machines_list_past_the_first_hundred(api: Any, make_machine: Any) -> None:
    orders = make_machine("Orders")
    for n in range(105):
        run(orders, f"run-{n:03}", minutes_ago=200 - n)
    first = api.get("/api/v1/state-machines/Orders/executions/").json()
    assert len(first["executions"]) == 100
    rest = api.get("/api/v1/state-machines/Orders/executions/", {"cursor": first["next_cursor"]})
    assert [e["name"] for e in rest.json()["executions"]] == [
        f"run-{n:03}" for n in range(4, -1, -1)
    ]
    assert rest.json()["next_cursor"] is None


def test_it_counts_runs_per_status_including_those_waiting_for_approval(
    api: Any, make_machine: Any
) -> None:
    orders, approvals = make_machine("Orders"), make_machine("Approvals", APPROVAL)
    for n, quantity in enumerate([1, 2, 50]):
        runner.advance(run(orders, f"order-{n}", {"quantity": quantity}).pk)
    waiting = run(approvals, "needs-a-yes")
    runner.advance(waiting.pk)

    counts = api.get("/api/v1/executions/counts/").json()["counts"]
    assert counts["RUNNING"]["count"] == 3
    assert counts["FAILED"]["count"] == 1
    assert counts["WAITING_FOR_APPROVAL"]["count"] == 1
    assert names(api.get("/api/v1/executions/?status=WAITING_FOR_APPROVAL")) == ["needs-a-yes"]
    listed = api.get("/api/v1/executions/?machine=Approvals").json()["executions"]
    assert listed[0]["waiting_for_approval"] is True
    only_orders = api.get("/api/v1/executions/counts/?machine=Orders").json()["counts"]
    assert only_orders["WAITING_FOR_APPROVAL"]["count"] == 0


def test_it_stops_many_runs_at_once_reporting_each(
    api: Any, outsider: Any, make_machine: Any
) -> None:
    paused = make_machine("Paused", PAUSE)
    first, second = run(paused, "first"), run(paused, "second")
    finished = run(make_machine("Quick", pass_chain(1)), "finished")
    for execution in (first, second, finished):
        runner.advance(execution.pk)
    from designer.actions import create_state_machine

    theirs = create_state_machine("Theirs", PAUSE, owner=outsider)
    hidden = run(theirs, "hidden")

    ids = [str(first.pk), str(second.pk), str(finished.pk), str(hidden.pk), "not-an-id"]
    response = api.post("/api/v1/executions/bulk/", {"action": "stop", "ids": ids}, format="json")
    assert response.status_code == 200
    results = {r["id"]: r for r in response.json()["results"]}
    assert results[str(first.pk)] == {"id": str(first.pk), "ok": True, "status": "ABORTED"}
    assert results[str(second.pk)]["ok"] is True
    assert results[str(finished.pk)]["ok"] is False
    assert "already ended" in results[str(finished.pk)]["message"]
    assert results[str(hidden.pk)]["code"] == "ExecutionDoesNotExist"
    assert results["not-an-id"]["ok"] is False
    assert Execution.objects.get(pk=hidden.pk).status == "RUNNING"
    assert set(
        Execution.objects.filter(name__in=["first", "second"]).values_list("status", flat=True)
    ) == {"ABORTED"}


def test_it_redrives_many_runs_at_once(api: Any, make_machine: Any) -> None:
    paused = make_machine("Paused", PAUSE)
    stopped = [run(paused, f"stopped-{n}") for n in range(2)]
    for execution in stopped:
        runner.advance(execution.pk)
    ids = [str(e.pk) for e in stopped]
    api.post("/api/v1/executions/bulk/", {"action": "stop", "ids": ids}, format="json")
    response = api.post(
        "/api/v1/executions/bulk/", {"action": "redrive", "ids": ids}, format="json"
    )
    assert [r["ok"] for r in response.json()["results"]] == [True, True]
    assert {e.status for e in Execution.objects.filter(pk__in=ids)} == {"RUNNING"}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"action": "delete", "ids": ["x"]}, "action"),
        ({"action": "stop", "ids": []}, "ids"),
        ({"action": "stop", "ids": [1]}, "ids"),
        ({"action": "stop", "ids": ["x"] * 101}, "ids"),
    ],
)
def test_it_refuses_bad_bulk_requests(api: Any, body: dict[str, Any], field: str) -> None:
    response = api.post("/api/v1/executions/bulk/", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_a_viewer_cannot_stop_in_bulk(outsider_api: Any, outsider: Any, make_machine: Any) -> None:
    paused = make_machine("Paused", PAUSE)
    roles.grant("viewer", user=outsider, machine=paused)
    execution = run(paused, "watched")
    runner.advance(execution.pk)
    response = outsider_api.post(
        "/api/v1/executions/bulk/", {"action": "stop", "ids": [str(execution.pk)]}, format="json"
    )
    assert response.json()["results"][0]["ok"] is False
    assert Execution.objects.get(pk=execution.pk).status == "RUNNING"


def test_it_records_why_each_choice_went_its_way_beside_the_history(
    api: Any, make_machine: Any
) -> None:
    orders = make_machine("Orders", ORDER_DEFINITION)
    small, big = run(orders, "small", {"quantity": 3}), run(orders, "big", {"quantity": 50})
    runner.advance(small.pk)
    runner.advance(big.pk)

    traces = api.get(f"/api/v1/executions/{small.pk}/choice-traces/").json()["choice_traces"]
    assert len(traces) == 1
    trace = traces[0]
    assert trace["state_name"] == "In stock?"
    entered = HistoryEvent.objects.get(execution=small, event_id=trace["event_id"])
    assert entered.type == "ChoiceStateEntered"
    rule = trace["trace"]["rules"][0]
    assert rule["variable"] == "$.quantity"
    assert (rule["actual"], rule["symbol"], rule["expected"], rule["result"]) == (3, "≤", 10, True)
    assert trace["trace"]["matched"] == 0
    assert trace["trace"]["next"] == "Pack"

    other = api.get(f"/api/v1/executions/{big.pk}/choice-traces/").json()["choice_traces"][0]
    assert other["trace"]["rules"][0]["actual"] == 50
    assert other["trace"]["rules"][0]["result"] is False
    assert other["trace"]["matched"] is None
    assert other["trace"]["next"] == "Out of stock"
    # The AWS history holds no trace.
    history = api.get(f"/api/v1/executions/{big.pk}/history/").json()["events"]
    assert not any("trace" in str(e).lower() for e in history)


def test_an_outsider_cannot_read_a_choice_trace(outsider_api: Any, make_machine: Any) -> None:
    execution = run(make_machine("Orders", ORDER_DEFINITION), "private", {"quantity": 1})
    runner.advance(execution.pk)
    response = outsider_api.get(f"/api/v1/executions/{execution.pk}/choice-traces/")
    assert response.status_code == 404
