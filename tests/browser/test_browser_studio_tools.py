"""The designer's tools, against a real server and its worker: a machine from each template of
the gallery runs as the template says; the canvas exports to PNG and SVG; a YAML file imports by
the picker and by a drop; states and whole containers copy, paste and duplicate; several states
are selected, moved and deleted together; `?` shows the shortcuts."""

from __future__ import annotations

import json
import re
import struct
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import api_call, node, open_designer, shoot, type_run_input

pytestmark = pytest.mark.browser

CreateMachine = Callable[[dict[str, Any]], str]
SHOTS = Path("/tmp/shots/studio-tools")
RUN_TIMEOUT_MS = 60_000

# What each template promises of a run from its own sample input (see its description).
PROMISES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "approval-with-timeout": lambda out: out["approval"] == {"approved": True}
    and out["orderId"] == "A-1001",
    "fan-out-map": lambda out: out["processed"] == 3,
    "parallel-enrichment": lambda out: out["customer"]
    == {"customerId": "C-42", "tier": "gold", "orders": 12},
    "retry-with-backoff": lambda out: "answer" in out,
    "saga": lambda out: "payment" in out,
    "polling-loop": lambda out: out["checks"] == 3,
    "scheduled-batch": lambda out: out == {"batches": 3},
    "error-notification": lambda out: "result" in out,
}

ORDERS = {
    "Comment": "Orders with a Map of inner steps",
    "StartAt": "Receive order",
    "States": {
        "Receive order": {"Type": "Pass", "Next": "Process orders"},
        "Process orders": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Charge card",
                "States": {
                    "Charge card": {"Type": "Pass", "Next": "Send receipt"},
                    "Send receipt": {"Type": "Pass", "End": True},
                },
            },
            "Next": "Check the whole order for fraud before shipping",
        },
        "Check the whole order for fraud before shipping": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}
ALL_NAMES = [
    "Receive order",
    "Process orders",
    "Charge card",
    "Send receipt",
    "Check the whole order for fraud before shipping",
    "Done",
]

IMPORTED_YAML = """\
Comment: Shipping, written in YAML
StartAt: Pick parcel
States:
  Pick parcel:
    Type: Pass
    Next: Label parcel
  Label parcel:
    Type: Pass
    Result: {carrier: post}
    ResultPath: $.label
    Next: Hand to carrier
  Hand to carrier:
    Type: Succeed
"""


def saved_definition(page: Page, machine: str) -> dict[str, Any]:
    shown = api_call(page, "GET", f"/api/v1/state-machines/{machine}/")
    definition = shown["definition"]
    return json.loads(definition) if isinstance(definition, str) else definition


def run_id(page: Page) -> str:
    page.wait_for_url(re.compile(r"\?run="))
    return page.url.split("?run=")[1]


def test_a_machine_from_each_template_runs_as_the_template_promises(page: Page) -> None:
    templates = api_call(page, "GET", "/api/v1/templates/")["templates"]
    assert {t["id"] for t in templates} == set(PROMISES)
    for template in templates:
        page.goto("/")
        page.locator("details.gallery").evaluate("d => { d.open = true; }")
        page.locator(f"[data-template='{template['id']}'] input").check()
        name = f"{template['id']}-{uuid.uuid4().hex[:6]}"
        page.get_by_label("Name of a new state machine").fill(name)
        page.get_by_role("button", name="New state machine").click()
        page.wait_for_url(f"**/designer/{name}/")
        expect(page.get_by_test_id("canvas")).to_be_visible()
        first = next(iter(template["definition"]["States"]))
        expect(node(page, first)).to_be_visible()
        page.get_by_test_id("tab-run").click()
        type_run_input(page, json.dumps(template["input"]))
        page.get_by_test_id("run-button").click()
        execution = run_id(page)
        if template["id"] == "approval-with-timeout":
            # The person's answer, as the approvals page would send it.
            deadline = time.monotonic() + 30
            tasks: list[Any] = []
            while not tasks and time.monotonic() < deadline:
                tasks = api_call(page, "GET", f"/api/v1/executions/{execution}/pending-tasks/")[
                    "pending_tasks"
                ]
                page.wait_for_timeout(200)
            assert tasks, "the approval never waited for an answer"
            api_call(
                page,
                "POST",
                "/api/v1/task-tokens/success/",
                {"taskToken": tasks[0]["task_token"], "output": {"approved": True}},
            )
        expect(page.get_by_test_id("execution-status")).to_have_text(
            "Succeeded", timeout=RUN_TIMEOUT_MS
        )
        finished = api_call(page, "GET", f"/api/v1/executions/{execution}/")
        output = finished["output"]
        output = json.loads(output) if isinstance(output, str) else output
        assert PROMISES[template["id"]](output), (template["id"], output)


def test_the_canvas_exports_as_png_and_svg_with_every_state_name(
    page: Page, create_machine: CreateMachine, tmp_path: Path
) -> None:
    machine = create_machine(ORDERS)
    open_designer(page, machine)
    page.get_by_test_id("file-menu").click()
    shoot(page, SHOTS, "file-menu")
    with page.expect_download() as png_download:
        page.get_by_test_id("menu-export-png").click()
    png = tmp_path / "canvas.png"
    png_download.value.save_as(png)
    assert png_download.value.suggested_filename == f"{machine}.png"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert len(data) > 10_000 and width >= 600 and height >= 600, (len(data), width, height)

    page.get_by_test_id("file-menu").click()
    with page.expect_download() as svg_download:
        page.get_by_test_id("menu-export-svg").click()
    svg = tmp_path / "canvas.svg"
    svg_download.value.save_as(svg)
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [" ".join(t.itertext()).split() for t in root.iter("{http://www.w3.org/2000/svg}text")]
    shown = {" ".join(words) for words in texts}
    for name in ALL_NAMES:
        assert name in shown, (name, shown)
    # The long name wraps onto lines that each fit across its card, so none is cut off.
    lines = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}tspan")]
    assert len(lines) > len(ALL_NAMES) and all(len(line) <= 24 for line in lines), lines
    # Kept where the screenshots are, to be looked at.
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "exported-canvas.png").write_bytes(data)
    (SHOTS / "exported-canvas.svg").write_bytes(svg.read_bytes())


def drop_file(page: Page, name: str, text: str) -> None:
    """Drops a file on the canvas, as dragging one from the desktop does."""
    transfer = page.evaluate_handle(
        """([name, text]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], name, { type: "application/yaml" }));
            return transfer;
        }""",
        [name, text],
    )
    pane = page.locator(".react-flow").first
    pane.dispatch_event("dragover", {"dataTransfer": transfer})
    expect(page.locator(".canvas-drop-hint")).to_be_visible()
    shoot(page, SHOTS, "drop-hint")
    pane.dispatch_event("drop", {"dataTransfer": transfer})


def test_a_yaml_file_imports_into_the_draft_by_the_picker_and_by_a_drop(
    page: Page, create_machine: CreateMachine, tmp_path: Path
) -> None:
    machine = create_machine(ORDERS)
    open_designer(page, machine)
    path = tmp_path / "shipping.yaml"
    path.write_text(IMPORTED_YAML)
    page.get_by_test_id("file-menu").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("menu-import").click()
    chooser.value.set_files(str(path))
    for name in ["Pick parcel", "Label parcel", "Hand to carrier"]:
        expect(node(page, name)).to_be_visible()
    expect(node(page, "Process orders")).to_have_count(0)
    expect(page.get_by_test_id("notice")).to_contain_text('Imported "shipping.yaml" (3 states)')
    # Nothing saved is lost: the version is as it was, the import is in the draft.
    assert saved_definition(page, machine)["States"].keys() == ORDERS["States"].keys()
    deadline = time.monotonic() + 10
    draft: Any = None
    while time.monotonic() < deadline:
        draft = api_call(page, "GET", f"/api/v1/state-machines/{machine}/draft/")["draft"]
        if draft and draft["definition"] and "Pick parcel" in draft["definition"]["States"]:
            break
        page.wait_for_timeout(200)
    assert draft and "Pick parcel" in draft["definition"]["States"], draft
    # Undo takes the import back.
    page.get_by_test_id("undo").click()
    expect(node(page, "Process orders")).to_be_visible()

    # A drop does the same; a second file with a mistake says on which line.
    drop_file(page, "broken.yaml", "StartAt: A\nStates:\n  A:\n    Type: Pass\n   End: true\n")
    expect(page.get_by_test_id("notice")).to_contain_text("Line 5, column 4")
    expect(node(page, "Process orders")).to_be_visible()
    drop_file(
        page, "shipping.yaml", IMPORTED_YAML.replace("Next: Hand to carrier", "Next: Nowhere")
    )
    expect(node(page, "Label parcel")).to_be_visible()
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("2 problems")
    expect(notice).to_contain_text("in \"Label parcel\": State 'Label parcel' goes to 'Nowhere'")
    expect(notice).to_contain_text('in "Hand to carrier"')
    shoot(page, SHOTS, "import-problem")


def test_a_container_copies_and_pastes_with_its_insides_under_new_names(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDERS)
    open_designer(page, machine)
    node(page, "Process orders").locator(".container-head").first.click()
    page.keyboard.press("Control+c")
    expect(page.get_by_test_id("notice")).to_contain_text('Copied "Process orders"')
    page.keyboard.press("Control+v")
    for name in ["Process orders 2", "Charge card 2", "Send receipt 2"]:
        expect(node(page, name)).to_be_visible()
    for name in ["Process orders", "Charge card", "Send receipt"]:
        expect(node(page, name)).to_have_count(1)
    shoot(page, SHOTS, "pasted-container")
    # Before any other edit: the copy's arrow to the fraud check led out of what was copied,
    # so the copy ends instead; its inner arrow stays, renamed.
    pasted = code(page)["States"]["Process orders 2"]
    assert "Next" not in pasted and pasted["End"] is True
    assert pasted["ItemProcessor"]["States"]["Charge card 2"]["Next"] == "Send receipt 2"
    # The Edit menu duplicates too: a third copy, which is then deleted again.
    node(page, "Process orders 2").locator(".container-head").first.click()
    page.get_by_test_id("edit-menu").click()
    shoot(page, SHOTS, "edit-menu")
    page.get_by_test_id("menu-duplicate").click()
    expect(node(page, "Process orders 3")).to_be_visible()
    expect(node(page, "Charge card 3")).to_be_visible()
    page.keyboard.press("Delete")
    expect(node(page, "Process orders 3")).to_have_count(0)
    # Put the copy in the run, after the original, so the machine is valid to save.
    page.get_by_role("button", name="Show the machine at a size you can read").click()
    page.wait_for_timeout(300)
    node(page, "Process orders").locator(".container-head").first.click()
    page.get_by_test_id("tab-state").click()
    page.get_by_test_id("field-next").select_option("Process orders 2")
    node(page, "Process orders 2").locator(".container-head").first.click()
    page.get_by_test_id("field-next").select_option(
        "Check the whole order for fraud before shipping"
    )
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Saved as version 2")
    states = saved_definition(page, machine)["States"]
    assert "Process orders 3" not in states
    copy = states["Process orders 2"]
    assert copy["ItemProcessor"] == {
        "ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "Charge card 2",
        "States": {
            "Charge card 2": {"Type": "Pass", "Next": "Send receipt 2"},
            "Send receipt 2": {"Type": "Pass", "End": True},
        },
    }
    assert copy["ItemsPath"] == "$.items"
    assert states["Process orders"]["Next"] == "Process orders 2"
    assert states["Process orders"]["ItemProcessor"]["StartAt"] == "Charge card"


def code(page: Page) -> dict[str, Any]:
    page.get_by_test_id("tab-code").click()
    return json.loads(page.get_by_test_id("code-view").input_value())


def card_position(page: Page, name: str) -> tuple[float, float]:
    box = node(page, name).bounding_box()
    assert box is not None
    return box["x"], box["y"]


def test_several_states_select_move_copy_and_delete_together(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDERS)
    open_designer(page, machine)
    node(page, "Receive order").click()
    node(page, "Done").click(modifiers=["Shift"])
    expect(page.locator(".react-flow__node.selected")).to_have_count(2)
    before = {n: card_position(page, n) for n in ["Receive order", "Done", "Process orders"]}
    # Dragging one of them moves both; the others stay.
    box = node(page, "Receive order").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 30, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 130, box["y"] + 60, steps=8)
    page.mouse.up()
    after = {n: card_position(page, n) for n in before}
    for name in ["Receive order", "Done"]:
        assert after[name][0] - before[name][0] == pytest.approx(100, abs=25), (name, after)
    assert after["Process orders"] == before["Process orders"]
    # Copy and paste both: arrows between them would stay, the ones out are cleared.
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(node(page, "Receive order 2")).to_be_visible()
    expect(node(page, "Done 2")).to_be_visible()
    expect(page.locator(".react-flow__node.selected")).to_have_count(2)
    # The pasted pair is selected: Delete takes both away at once.
    page.keyboard.press("Delete")
    expect(node(page, "Receive order 2")).to_have_count(0)
    expect(node(page, "Done 2")).to_have_count(0)
    expect(node(page, "Receive order")).to_be_visible()

    # A box drawn with Shift selects every state inside it.
    page.get_by_role("button", name="Show the machine at a size you can read").click()
    page.wait_for_timeout(300)
    pane = page.locator(".react-flow__pane").bounding_box()
    assert pane is not None
    page.keyboard.down("Shift")
    page.mouse.move(pane["x"] + 5, pane["y"] + 5)
    page.mouse.down()
    page.mouse.move(pane["x"] + pane["width"] - 5, pane["y"] + pane["height"] - 5, steps=10)
    page.mouse.up()
    page.keyboard.up("Shift")
    expect(page.locator(".react-flow__node.selected")).to_have_count(6)


def test_question_mark_shows_the_keyboard_shortcuts(
    page: Page, create_machine: CreateMachine
) -> None:
    machine = create_machine(ORDERS)
    open_designer(page, machine)
    page.locator(".react-flow__pane").click()
    page.keyboard.press("?")
    help_panel = page.get_by_test_id("shortcuts-help")
    expect(help_panel).to_be_visible()
    for text in ["Copy the selected states", "Duplicate", "Shift", "Draw a box"]:
        expect(help_panel).to_contain_text(text)
    shoot(page, SHOTS, "shortcuts-help")
    page.keyboard.press("Escape")
    expect(help_panel).to_have_count(0)
    # Typing a ? into a field is only a character.
    page.get_by_test_id("tab-run").click()
    type_run_input(page, "")
    page.get_by_test_id("run-input").type("?")
    expect(help_panel).to_have_count(0)
