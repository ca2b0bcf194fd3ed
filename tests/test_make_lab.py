"""`make lab`, the learner's command, starts JupyterLab on the course (the browser test starts JupyterLab itself)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from .lab_server import LabServer
from .notebook_tools import ROOT

pytestmark = pytest.mark.slow  # starts a server through make (about 30 s)

HOME = "course_home.ipynb"
FIRST_MODULE = "00_getting_started/00_getting_started.ipynb"


def _status(server: LabServer, path: str) -> int:
    try:
        with urllib.request.urlopen(server.url(path), timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_make_lab_serves_the_learners_copy_and_opens_the_course_home(tmp_path):
    server = LabServer(root=ROOT, settings=tmp_path / "settings", log_path=tmp_path / "make_lab.log", via_make=True)
    server.start()
    try:
        with urllib.request.urlopen(server.url(f"api/contents/{FIRST_MODULE}"), timeout=30) as response:
            assert json.load(response)["type"] == "notebook", (
                "the server's root is my-course/, which holds every module"
            )
        assert _status(server, "api/contents/solutions") == 404, (
            "a learner's server does not show the instructor's solutions"
        )
        with urllib.request.urlopen(server.url(""), timeout=30) as response:  # the address `make lab` prints
            assert response.geturl().split("?")[0].endswith(f"/lab/tree/{HOME}"), (
                "JupyterLab opens the course home first"
            )
            page = response.read().decode()
        assert "<title>JupyterLab</title>" in page
        assert "@jupyter/nbgrader:formgrader" in page and "disabledExtensions" in page, (
            "instructor tools are hidden from learners"
        )
    finally:
        server.stop()
