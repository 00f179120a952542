"""Readable at any size: at the zoom that shows a big machine, every name is at least 11 px on
screen; arrow labels cover neither each other nor a card; the legend covers no state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import api_call, node, open_designer, shoot
from tests.browser.nesting import DEEP, thirty_states

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
SHOTS = Path("/tmp/shots/drafts")
VIEWPORTS = [(1440, 900), (1280, 720)]
SHAPES = {"thirty": thirty_states, "deep": lambda: DEEP}

# The on-screen boxes of what the canvas draws: cards, containers, arrow labels, the legend and
# the buttons on containers; and each state name's size in screen pixels (its CSS font size
# times the zoom it is drawn at).
MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
  const pane = document.querySelector('.react-flow').getBoundingClientRect();
  const onScreen = (b) => b.right > pane.left && b.left < pane.right &&
    b.bottom > pane.top && b.top < pane.bottom;
  // What of a node shows: the canvas clips the rest.
  const clip = (b) => ({ left: Math.max(b.left, pane.left), top: Math.max(b.top, pane.top),
    right: Math.min(b.right, pane.right), bottom: Math.min(b.bottom, pane.bottom) });
  const names = [...document.querySelectorAll('.state-node-name, .container-name')].map((el) => {
    const scale = el.getBoundingClientRect().width / el.offsetWidth;
    return { text: el.textContent, px: parseFloat(getComputedStyle(el).fontSize) * scale,
      visible: onScreen(box(el)) };
  });
  return {
    cards: [...document.querySelectorAll('.react-flow__node-state')].map((el) =>
      ({ id: el.dataset.id, ...box(el) })),
    nodes: [...document.querySelectorAll('.react-flow__node:not(.react-flow__node-lane)')]
      .map((el) => ({ id: el.dataset.id, ...box(el) })).filter(onScreen)
      .map((n) => ({ ...n, ...clip(n) })),
    labels: [...document.querySelectorAll('[data-testid="edge-label"]')].map((el) =>
      ({ text: el.textContent, title: el.title, ...box(el) })),
    buttons: [...document.querySelectorAll('.react-flow__node .node-button')]
      .map((el) => ({ id: el.dataset.testid, ...box(el) })).filter(onScreen)
      .map((b) => ({ ...b, ...clip(b) })),
    legend: box(document.querySelector('.legend')),
    minimap: document.querySelectorAll('.react-flow__minimap').length,
    names,
  };
}"""


def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


def open_at(page: Page, create_machine: CreateMachine, shape: str, size: tuple[int, int]) -> Any:
    machine = create_machine(SHAPES[shape]())
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_designer(page, machine)
    page.wait_for_timeout(400)  # the first fit and label placement settle
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"designer-{shape}-{size[0]}x{size[1]}.png"))
    return machine


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_thirty_state_machine_shows_every_name_at_11_px_or_more(
    page: Page, create_machine: CreateMachine, size: tuple[int, int]
) -> None:
    open_at(page, create_machine, "thirty", size)
    seen = page.evaluate(MEASURE)
    assert len(seen["names"]) == 30
    assert sum(name["visible"] for name in seen["names"]) >= 6  # a real part of the machine
    too_small = [(n["text"], round(n["px"], 1)) for n in seen["names"] if n["px"] < 11]
    assert too_small == []
    assert seen["minimap"] == 1  # where the rest of the machine is, to pan to


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("shape", SHAPES)
def test_arrow_labels_cover_neither_each_other_nor_a_card(
    page: Page, create_machine: CreateMachine, size: tuple[int, int], shape: str
) -> None:
    open_at(page, create_machine, shape, size)
    seen = page.evaluate(MEASURE)
    labels = seen["labels"]
    if shape == "thirty":  # five Choice rules, a Default and two Catches
        assert len(labels) == 8
    crossing = [
        (a["text"], b["text"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if overlap(a, b)
    ]
    assert crossing == []
    covering = [
        (label["text"], card["id"])
        for label in labels
        for card in seen["cards"]
        if overlap(label, card)
    ]
    assert covering == []


def test_a_long_label_is_shortened_with_the_whole_text_on_hover(
    page: Page, create_machine: CreateMachine
) -> None:
    long_rule = "$.customer.loyalty.programme.tier"
    machine = create_machine(
        {
            "StartAt": "Pick",
            "States": {
                "Pick": {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": long_rule, "StringEquals": "platinum", "Next": "Gold"}
                    ],
                    "Default": "Plain",
                },
                "Gold": {"Type": "Succeed"},
                "Plain": {"Type": "Succeed"},
            },
        }
    )
    open_designer(page, machine)
    label = page.get_by_test_id("edge-label").filter(has_text="…")
    expect(label).to_have_count(1)
    # The label reads the path as the rule form does, without its "$.".
    full = f'{long_rule.removeprefix("$.")} = "platinum"'
    expect(label).to_have_attribute("title", full)
    assert len(label.inner_text()) < len(full)


def test_a_long_state_name_covers_no_card_and_shows_whole_on_hover(
    page: Page, create_machine: CreateMachine
) -> None:
    # AWS allows state names of up to 80 characters (states-language.net: "MUST be unique
    # ... and MUST NOT exceed 80 Unicode characters").
    names = [
        "Validate the customer shipping address with the postal service before packing it",
        "Reserve every item of the order in the nearest warehouse: it has all of them",
        "Send the customer an email that says when the parcel will arrive at the address",
    ]
    assert all(len(name) <= 80 for name in names)
    states: dict[str, Any] = {
        name: {"Type": "Pass", "Next": after} for name, after in zip(names, names[1:], strict=False)
    }
    states[names[-1]] = {"Type": "Succeed"}
    machine = create_machine({"StartAt": names[0], "States": states})
    open_designer(page, machine)
    page.wait_for_timeout(400)
    cards = page.evaluate(MEASURE)["cards"]
    assert len(cards) == 3
    assert [
        (a["id"], b["id"]) for i, a in enumerate(cards) for b in cards[i + 1 :] if overlap(a, b)
    ] == []
    for name in names:
        expect(node(page, name).locator(".state-node-name")).to_have_attribute("title", name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "designer-long-names.png"))


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("shape", SHAPES)
def test_the_legend_covers_no_state_and_no_button(
    page: Page, create_machine: CreateMachine, size: tuple[int, int], shape: str
) -> None:
    open_at(page, create_machine, shape, size)
    seen = page.evaluate(MEASURE)
    assert [n["id"] for n in seen["nodes"] if overlap(n, seen["legend"])] == []
    assert [b["id"] for b in seen["buttons"] if overlap(b, seen["legend"])] == []
    if shape == "deep":
        # The outer Map's fold button is on screen and can be clicked (nothing lies over it).
        node(page, "Each order").get_by_test_id("collapse-Each order").click()
        expect(page.get_by_test_id("expand-Each order")).to_be_visible()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_run_view_of_deep_nesting_is_readable(
    page: Page, create_machine: CreateMachine, size: tuple[int, int]
) -> None:
    machine = create_machine(DEEP)
    run = api_call(
        page,
        "POST",
        f"/api/v1/state-machines/{machine}/executions/",
        {"input": {"items": [{"items": [1, 2]}, {"items": [3]}]}},
    )
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"/executions/{run['id']}/")
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded", timeout=20_000)
    page.wait_for_timeout(400)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"run-deep-{size[0]}x{size[1]}.png"))
    seen = page.evaluate(MEASURE)
    assert [n["text"] for n in seen["names"] if n["px"] < 11] == []
    assert [n["id"] for n in seen["nodes"] if overlap(n, seen["legend"])] == []


VIEW = """() => ({
  transform: document.querySelector('.react-flow__viewport').style.transform,
  mask: document.querySelector('.react-flow__minimap-mask').getAttribute('d'),
  map: (() => { const r = document.querySelector('.react-flow__minimap').getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; })(),
})"""


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_minimap_follows_a_pan_and_pans_the_canvas_back(
    page: Page, create_machine: CreateMachine, size: tuple[int, int]
) -> None:
    """The zoom floor leaves most of a 30-state machine off screen: the minimap shows where the
    view is, follows it when the canvas is dragged, and moves the view when it is dragged."""
    open_at(page, create_machine, "thirty", size)
    start = page.evaluate(VIEW)
    pane = page.locator(".react-flow__pane").bounding_box()
    assert pane is not None
    # Drag the canvas up by its empty left margin, as a person pans to see the end.
    x, y = pane["x"] + 15, pane["y"] + pane["height"] - 120
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - 400, steps=10)
    page.mouse.up()
    panned = page.evaluate(VIEW)
    assert panned["transform"] != start["transform"]
    assert panned["mask"] != start["mask"], "the minimap's window follows the view"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"designer-thirty-panned-{size[0]}x{size[1]}.png"))
    # Nothing is drawn over the minimap, and it covers neither the legend nor the controls.
    seen = page.evaluate(MEASURE)
    assert not overlap(panned["map"], seen["legend"])
    controls = page.locator(".react-flow__controls").bounding_box()
    assert controls is not None
    assert not overlap(
        panned["map"],
        {
            "left": controls["x"],
            "top": controls["y"],
            "right": controls["x"] + controls["width"],
            "bottom": controls["y"] + controls["height"],
        },
    )
    # Dragging inside the minimap moves the view back toward the start.
    m = panned["map"]
    centre = ((m["left"] + m["right"]) / 2, (m["top"] + m["bottom"]) / 2)
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0], centre[1] - 30, steps=6)
    page.mouse.up()
    back = page.evaluate(VIEW)
    assert back["transform"] != panned["transform"]
    assert back["mask"] != panned["mask"]


def test_a_long_run_name_is_cut_in_the_run_views_header_and_shown_whole_on_hover(
    page: Page, create_machine: CreateMachine
) -> None:
    # An execution name may be 80 characters (API_StartExecution.html, "name": length 1-80).
    name = "invoice-2026-12-03-customer-000042-reminder-after-thirty-days-second-attempt-001"
    assert len(name) == 80
    machine = create_machine({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})
    run = api_call(
        page, "POST", f"/api/v1/state-machines/{machine}/executions/", {"input": {}, "name": name}
    )
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"/executions/{run['id']}/")
    expect(page.get_by_test_id("execution-status")).to_have_text("Succeeded", timeout=20_000)
    title = page.locator(".studio-title h1")
    expect(title).to_have_attribute("title", name)
    box, pill = title.bounding_box(), page.get_by_test_id("execution-status").bounding_box()
    assert box is not None and pill is not None
    assert box["x"] + box["width"] <= pill["x"] + 0.5, "the name stops before its status"
    shoot(page, SHOTS, "run-long-name")
