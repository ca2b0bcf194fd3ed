"""Collecting submissions: a folder per learner, Moodle and Canvas zips, hostile names, re-collecting."""

from __future__ import annotations

import json
import zipfile

import nbformat
import pytest

from chainlab.grading import collect, status
from chainlab.grading.workspace import GradingError, Workspace

from .notebook_tools import copy_course_root

SLUG = "00_getting_started"


@pytest.fixture
def ws(tmp_path):
    copy_course_root(tmp_path, (SLUG,))
    return Workspace(tmp_path)


@pytest.fixture
def release_text(ws):
    return (ws.course / SLUG / f"{SLUG}.ipynb").read_text()


def _zip(path, files: dict[str, str]):
    with zipfile.ZipFile(path, "w") as zipped:
        for name, text in files.items():
            zipped.writestr(name, text)
    return path


def submitted(ws, student):
    return (ws.submitted / student / SLUG / f"{SLUG}.ipynb").read_text()


def test_moodle_zip_uses_participant_ids_and_keeps_names(ws, release_text, tmp_path):
    archive = _zip(
        tmp_path / "moodle.zip",
        {
            "Ada Officer_1001_assignsubmission_file_/00_getting_started.ipynb": release_text,
            "Bo Detective_1002_assignsubmission_file_/lab.ipynb": release_text,
        },
    )
    records, unowned = collect.collect(ws, SLUG, archive)
    assert records["1001"]["name"] == "Ada Officer" and records["1001"]["status"] == status.COLLECTED
    assert records["1002"]["notes"] == [f"notebook renamed from lab.ipynb to {SLUG}.ipynb"]
    assert submitted(ws, "1002") == release_text and unowned == []
    assert (ws.submitted / "1001" / SLUG / "timestamp.txt").read_text().endswith("UTC")


def test_canvas_flat_zip_uses_logins(ws, release_text, tmp_path):
    archive = _zip(
        tmp_path / "canvas.zip",
        {
            "officerada_12_345_00_getting_started.ipynb": release_text,
            "detectivebo_LATE_13_346_00_getting_started-1.ipynb": release_text,
            "readme.ipynb": release_text,
        },
    )
    records, unowned = collect.collect(ws, SLUG, archive)
    assert set(records) == {"officerada", "detectivebo"}
    assert unowned == ["readme.ipynb"]


def test_hostile_zip_names_stay_inside_submitted(ws, release_text, tmp_path):
    archive = _zip(
        tmp_path / "evil.zip", {"../../escape/00_getting_started.ipynb": release_text, "/abs/x.ipynb": release_text}
    )
    records, _ = collect.collect(ws, SLUG, archive)
    assert set(records) == {"escape", "abs"}
    assert not (tmp_path.parent / "escape").exists()
    assert all(path.resolve().is_relative_to(ws.submitted.resolve()) for path in ws.submitted.rglob("*"))


def test_several_notebooks_pick_the_one_with_the_module_tests(ws, release_text, tmp_path):
    other = nbformat.writes(nbformat.v4.new_notebook())
    folder = tmp_path / "inbox" / "carol"
    folder.mkdir(parents=True)
    (folder / "scratch.ipynb").write_text(other)
    (folder / "final version.ipynb").write_text(release_text)
    records, _ = collect.collect(ws, SLUG, tmp_path / "inbox")
    assert submitted(ws, "carol") == release_text
    assert any("left out carol/scratch.ipynb" in note for note in records["carol"]["notes"])


def test_missing_notebook_is_recorded_not_fatal(ws, tmp_path):
    (tmp_path / "inbox" / "dan").mkdir(parents=True)
    (tmp_path / "inbox" / "dan" / "notes.txt").write_text("sorry")
    records, _ = collect.collect(ws, SLUG, tmp_path / "inbox")
    assert records["dan"]["status"] == status.MISSING


def test_recollecting_is_idempotent_and_keeps_replaced_versions(ws, release_text, tmp_path):
    inbox = tmp_path / "inbox" / "erin"
    inbox.mkdir(parents=True)
    (inbox / f"{SLUG}.ipynb").write_text(release_text)
    first, _ = collect.collect(ws, SLUG, tmp_path / "inbox")
    again, _ = collect.collect(ws, SLUG, tmp_path / "inbox")
    assert again == first and not (ws.grading / "replaced").exists()
    changed = json.loads(release_text) | {"metadata": {"changed": True}}
    (inbox / f"{SLUG}.ipynb").write_text(json.dumps(changed))
    records, _ = collect.collect(ws, SLUG, tmp_path / "inbox")
    assert json.loads(submitted(ws, "erin"))["metadata"] == {"changed": True}
    kept = list((ws.grading / "replaced" / "erin").rglob("*.ipynb"))
    assert len(kept) == 1 and kept[0].read_text() == release_text
    assert any("replaced an earlier submission" in note for note in records["erin"]["notes"])


def test_a_source_without_learners_or_not_a_zip_says_how_to_fix_it(ws, tmp_path):
    (tmp_path / "flat").mkdir()
    (tmp_path / "flat" / "lab.ipynb").write_text("{}")
    with pytest.raises(GradingError, match="name no learner: lab.ipynb"):
        collect.collect(ws, SLUG, tmp_path / "flat")
    (tmp_path / "broken.zip").write_bytes(b"not a zip")
    with pytest.raises(GradingError, match="not a readable zip file"):
        collect.collect(ws, SLUG, tmp_path / "broken.zip")


def test_a_folder_in_nbgraders_layout_keeps_the_hand_in_time(ws, release_text, tmp_path):
    """`nbgrader collect` (the course server's exchange) writes timestamp.txt beside each notebook: that time is kept."""
    handed_in = "2026-11-30 09:15:02.123456 UTC"
    folder = tmp_path / "from_exchange" / "learner1" / SLUG
    folder.mkdir(parents=True)
    (folder / f"{SLUG}.ipynb").write_text(release_text)
    (folder / "timestamp.txt").write_text(handed_in)
    collect.collect(ws, SLUG, tmp_path / "from_exchange")
    assert (ws.submitted / "learner1" / SLUG / "timestamp.txt").read_text() == handed_in
