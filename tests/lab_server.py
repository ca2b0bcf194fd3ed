"""JupyterLab from this environment on a free localhost port, for tests (the browser test and `make lab`'s)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# User settings for the test's JupyterLab: render every cell (not only those in view), so the page holds all of
# the notebook; and no "Jupyter news?" pop-up over the page.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    """A localhost TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LabServer:
    """JupyterLab serving `root` on a free localhost port, with its own settings and a random token."""

    root: Path
    settings: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    via_make: bool = False  # start it as a learner does, with `make lab`, instead of calling jupyter directly
    process: subprocess.Popen | None = None

    def url(self, path: str = "lab") -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def start(self, timeout: float = 90) -> None:
        """Start JupyterLab and wait until it answers; raise with its log if it does not."""
        for name, values in LAB_SETTINGS.items():
            (self.settings / name).parent.mkdir(parents=True, exist_ok=True)
            (self.settings / name).write_text(json.dumps(values))
        bin_dir = Path(sys.executable).parent
        # Nothing a test set in its own process (strict checks, a cohort's seed or keys, a grading kernel's path)
        # reaches the learner's JupyterLab.
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("CHAINLAB_", "NBGRADER_", "JUPYTER_")) or name == "CHAINLAB_PROGRESS_FILE"
        }
        env = {
            **inherited,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",  # nbgrader runs alembic from here
            "JUPYTERLAB_SETTINGS_DIR": str(self.settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.settings / "workspaces"),
            "JUPYTER_CONFIG_DIR": str(self.settings / "config"),  # ignore the user's own ~/.jupyter
        }
        options = [
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
        ]
        if self.via_make:  # CI=false: under CI=true `make lab` would set up and exit
            command = ["make", "--no-print-directory", "lab", "CI=false", f"LAB_ARGS={' '.join(options)}"]
        else:
            command = [str(bin_dir / "jupyter"), "lab", *options, "--allow-root", f"--ServerApp.root_dir={self.root}"]
        with self.log_path.open("wb") as log:
            # cwd=root: nbgrader's validate handler reads nbgrader_config.py from the server's working folder.
            self.process = subprocess.Popen(
                command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer on port {self.port} within {timeout:.0f} s:\n{self.log_tail()}")

    def shut_down_kernels(self) -> None:
        """Shut down every kernel the server runs (the notebooks' kernels)."""
        with urllib.request.urlopen(self.url("api/kernels"), timeout=5) as response:
            for kernel in json.load(response):
                request = urllib.request.Request(self.url(f"api/kernels/{kernel['id']}"), method="DELETE")
                urllib.request.urlopen(request, timeout=30).close()

    def stop(self) -> None:
        """Shut down its kernels and the server, then kill what is left of its process group."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.shut_down_kernels()
        except OSError:
            pass  # the server is already going; SIGTERM below still stops it
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
