"""`make lab`, the learner's command, starts JupyterLab on the course (the browser test starts JupyterLab itself)."""

from __future__ import annotations

import json
import urllib.request

import pytest

from .lab_server import LabServer
from .notebook_tools import ROOT

pytestmark = pytest.mark.slow  # starts a server through make (about 30 s)

FIRST_NOTEBOOK = "course/00_getting_started/00_getting_started.ipynb"


def test_make_lab_serves_the_course_and_opens_the_first_notebook(tmp_path):
    server = LabServer(root=ROOT, settings=tmp_path / "settings", log_path=tmp_path / "make_lab.log", via_make=True)
    server.start()
    try:
        with urllib.request.urlopen(server.url(f"api/contents/{FIRST_NOTEBOOK}"), timeout=30) as response:
            assert json.load(response)["type"] == "notebook", "the server's root is the repository, so the course is in it"
        with urllib.request.urlopen(server.url(""), timeout=30) as response:  # the address `make lab` prints
            assert response.geturl().split("?")[0].endswith(f"/lab/tree/{FIRST_NOTEBOOK}"), "JupyterLab opens module 00 first"
            assert "<title>JupyterLab</title>" in response.read().decode()
    finally:
        server.stop()
