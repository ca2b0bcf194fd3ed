"""pytest set-up shared by tests/ and the nbval runs over solutions/ and course/."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

SOLUTIONS = Path(__file__).resolve().parent / "solutions"

# nbgrader runs helper programs (alembic) from the environment's bin/, even when pytest is started directly.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
# Checks run by the tests keep their progress in a scratch file, never in the developer's own ~/.chainlab.
os.environ["CHAINLAB_PROGRESS_FILE"] = str(Path(tempfile.mkdtemp(prefix="chainlab-progress-")) / "progress.json")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Instructor notebooks run strict (a wrong solution fails its check); learner releases and every other test run as
    a learner would, whatever ran before them on this worker (a test that needs strict checks sets it itself)."""
    if item.path.suffix == ".ipynb" and SOLUTIONS in item.path.parents:
        os.environ["CHAINLAB_STRICT"] = "1"
    else:
        os.environ.pop("CHAINLAB_STRICT", None)
