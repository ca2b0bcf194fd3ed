"""JupyterHub for one course server: learners see only what is released to them; instructors grade.

Started by `make hub` (see docs/course-server.md). Settings come from the environment:

    CHAINLAB_HUB_MODE      "server" (default): PAM log-in with the machine's accounts, each server run as its
                           own system user under systemd (SystemdSpawner: memory and CPU limits per learner).
                           "classroom": a test on one machine: shared passwords, every server run as the
                           user who started the hub (nothing but this config separates learners: see below).
    CHAINLAB_COURSE_ROOT   the instructor's course root (nbgrader_config.py, solutions/, grading/); default: this repository
    CHAINLAB_HUB_STATE     the hub's own files: its database, the per-role Jupyter settings, the exchange, and in
                           classroom mode the learners' homes (default /srv/chainlab-hub, or hub-state/ in classroom mode)
    CHAINLAB_EXCHANGE      nbgrader's exchange, shared by all servers (default: <state>/exchange)
    CHAINLAB_HUB_IP, CHAINLAB_HUB_PORT         where the hub listens (default 127.0.0.1:8000; put TLS in front)
    CHAINLAB_LEARNER_MEMORY, CHAINLAB_LEARNER_CPU   per-learner limits (default 2G and 1.0 core; docs/course-server.md measures a learner)
    server mode:    CHAINLAB_INSTRUCTOR_GROUP, CHAINLAB_LEARNER_GROUP (Unix groups; default chainlab-instructors,
                    chainlab-learners): who may log in, and who is an instructor
    classroom mode: CHAINLAB_INSTRUCTORS, CHAINLAB_LEARNERS (space-separated user names),
                    CHAINLAB_LEARNER_PASSWORD, CHAINLAB_INSTRUCTOR_PASSWORD (at least 8 and 32 characters)

A learner's server opens on their home folder, where nbgrader's Assignment List fetches released modules;
its formgrader and create-assignment tools are switched off. An instructor's server opens on the course root,
with formgrader and a terminal for `chainlab grade`. The synthetic data is built once, in the course's
datasets/, and read by every kernel.
"""

import grp
import json
import os
import pwd
import resource
import shutil
import sys
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner

c = get_config()  # noqa: F821 (JupyterHub supplies get_config)

MODE = os.environ.get("CHAINLAB_HUB_MODE", "server")
if MODE not in ("server", "classroom"):
    sys.exit(
        f"CHAINLAB_HUB_MODE is {MODE!r}: use 'server' (PAM and system users) or 'classroom' (a test with shared passwords)."
    )
REPOSITORY = Path(__file__).resolve().parents[1]
COURSE_ROOT = Path(os.environ.get("CHAINLAB_COURSE_ROOT", REPOSITORY)).resolve()
STATE = Path(
    os.environ.get("CHAINLAB_HUB_STATE", REPOSITORY / "hub-state" if MODE == "classroom" else "/srv/chainlab-hub")
)
EXCHANGE = Path(os.environ.get("CHAINLAB_EXCHANGE", STATE / "exchange"))
LEARNER_MEMORY = os.environ.get("CHAINLAB_LEARNER_MEMORY", "2G")
LEARNER_CPU = float(os.environ.get("CHAINLAB_LEARNER_CPU", "1.0"))
# In classroom mode no cgroup is at hand: each process of a learner's server (the server, each kernel) may map
# at most this much memory (RLIMIT_AS; a kernel with the course's libraries maps about 1.6 to 2.3 GB).
CLASSROOM_PROCESS_MEMORY_BYTES = 4 * 2**30
COURSE_ID = "chainlab"
BIN = Path(sys.executable).parent
# nbgrader's instructor panels a learner never sees (their server extension is switched off too).
LEARNER_HIDDEN_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)

if not (COURSE_ROOT / "nbgrader_config.py").is_file():
    sys.exit(
        f"{COURSE_ROOT} is not a course root (no nbgrader_config.py). Set CHAINLAB_COURSE_ROOT to the instructor's copy of the course."
    )
try:
    EXCHANGE.mkdir(parents=True, exist_ok=True)
    EXCHANGE.chmod(0o777)  # every learner writes submissions here; nbgrader sets the modes of the course's own folders
    (STATE / "jupyterhub").mkdir(parents=True, exist_ok=True)
except OSError as problem:
    sys.exit(
        f"Cannot set up the hub's folders ({problem}). Set CHAINLAB_HUB_STATE (and CHAINLAB_EXCHANGE) to folders you can write."
    )


def write_role_settings(
    role: str, hidden_plugins: tuple[str, ...], server_extensions: dict, nbgrader_lines: str = ""
) -> Path:
    """A Jupyter config folder for one role (JUPYTER_CONFIG_PATH): nbgrader's exchange, JupyterLab's and the server's settings."""
    folder = STATE / "jupyter-config" / role
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(
        "# Written by deploy/jupyterhub_config.py: the course server's exchange.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(EXCHANGE)!r}\n" + nbgrader_lines
    )
    (folder / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {plugin: True for plugin in hidden_plugins}}, indent=1)
    )
    (folder / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": server_extensions}}, indent=1)
    )
    return folder


# In classroom mode every server runs as one system user, so a learner's submissions are filed under their hub name.
CLASSROOM_STUDENT_ID = 'import os\nc.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]\n'
ROLE_CONFIG = {
    "learner": write_role_settings(
        "learner",
        LEARNER_HIDDEN_PLUGINS,
        {"nbgrader.server_extensions.formgrader": False},
        CLASSROOM_STUDENT_ID if MODE == "classroom" else "",
    ),
    # In classroom mode one system user owns every submission, so nbgrader cannot check a submission's owner is its learner.
    "instructor": write_role_settings(
        "instructor", (), {}, "c.ExchangeCollect.check_owner = False\n" if MODE == "classroom" else ""
    ),
}
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub' / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub" / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub" / "jupyterhub.pid")
c.JupyterHub.ip = os.environ.get("CHAINLAB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("CHAINLAB_HUB_PORT", "8000"))
c.JupyterHub.hub_port = int(os.environ.get("CHAINLAB_HUB_API_PORT", str(c.JupyterHub.port + 81)))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{c.JupyterHub.port + 1}"
# JupyterHub's proxy, pinned in deploy/proxy/package-lock.json (scripts/install-proxy.sh, which `make hub` runs).
PROXY = REPOSITORY / "deploy" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
if not PROXY.exists():
    sys.exit(
        f"JupyterHub's proxy is not installed ({PROXY}). Run: sh scripts/install-proxy.sh (it needs Node.js 20 or newer and npm)."
    )
c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub" / "proxy.pid")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = LEARNER_MEMORY
c.Spawner.cpu_limit = LEARNER_CPU
c.Spawner.http_timeout = 90
c.Spawner.start_timeout = 120


def names(variable: str) -> set[str]:
    return set(os.environ.get(variable, "").split())


if MODE == "classroom":
    INSTRUCTORS = names("CHAINLAB_INSTRUCTORS") or {"instructor"}
    LEARNERS = names("CHAINLAB_LEARNERS")
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ.get("CHAINLAB_LEARNER_PASSWORD", "")
    c.SharedPasswordAuthenticator.admin_password = os.environ.get("CHAINLAB_INSTRUCTOR_PASSWORD", "")
    c.SharedPasswordAuthenticator.admin_users = INSTRUCTORS
    c.Authenticator.allowed_users = LEARNERS | INSTRUCTORS
    if (
        not LEARNERS
        or not c.SharedPasswordAuthenticator.user_password
        or len(c.SharedPasswordAuthenticator.admin_password) < 32
    ):
        sys.exit(
            "Classroom mode needs CHAINLAB_LEARNERS (user names, space-separated), CHAINLAB_LEARNER_PASSWORD (8 characters or more) "
            "and CHAINLAB_INSTRUCTOR_PASSWORD (32 characters or more). `make hub HUB_MODE=classroom` makes up both passwords."
        )

    def is_instructor(username: str) -> bool:
        return username in INSTRUCTORS

    class ClassroomSpawner(SimpleLocalProcessSpawner):
        """Every server as the hub's own user, in <state>/home/<name>; each of its processes capped in memory."""

        def make_preexec_fn(self, name):
            start_in = self.notebook_dir or self.home_dir
            home = self.home_dir

            def preexec():
                os.makedirs(home, 0o700, exist_ok=True)
                os.chdir(start_in)
                resource.setrlimit(resource.RLIMIT_AS, (CLASSROOM_PROCESS_MEMORY_BYTES, CLASSROOM_PROCESS_MEMORY_BYTES))

            return preexec

    c.JupyterHub.spawner_class = ClassroomSpawner
    c.ClassroomSpawner.home_dir_template = str(STATE / "home" / "{username}")
else:
    INSTRUCTOR_GROUP = os.environ.get("CHAINLAB_INSTRUCTOR_GROUP", "chainlab-instructors")
    LEARNER_GROUP = os.environ.get("CHAINLAB_LEARNER_GROUP", "chainlab-learners")
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.allowed_groups = {INSTRUCTOR_GROUP, LEARNER_GROUP}
    c.PAMAuthenticator.admin_groups = {INSTRUCTOR_GROUP}
    # An institution's single sign-on instead (docs/course-server.md): oauthenticator's GenericOAuthenticator,
    # or ltiauthenticator's LTI13Authenticator for a log-in from Moodle or Canvas.

    def is_instructor(username: str) -> bool:
        try:
            return (
                username in grp.getgrnam(INSTRUCTOR_GROUP).gr_mem
                or pwd.getpwnam(username).pw_gid == grp.getgrnam(INSTRUCTOR_GROUP).gr_gid
            )
        except KeyError:
            return False

    if shutil.which("systemctl") and Path("/run/systemd/system").is_dir():
        c.JupyterHub.spawner_class = "systemdspawner"
        c.SystemdSpawner.dynamic_users = False
        c.SystemdSpawner.isolate_tmp = True
        c.SystemdSpawner.isolate_devices = True
        c.SystemdSpawner.disable_user_sudo = True
        c.SystemdSpawner.readonly_paths = [str(COURSE_ROOT / "datasets")]
    else:
        print(
            "chainlab hub: no systemd here, so servers start with LocalProcessSpawner, WITHOUT memory or CPU limits.",
            file=sys.stderr,
        )
        c.JupyterHub.spawner_class = "localprocess"


def set_up_by_role(spawner) -> None:
    """Before a server starts: a learner's opens on their home folder, an instructor's on the course root."""
    role = "instructor" if is_instructor(spawner.user.name) else "learner"
    # Classroom mode runs every server as the hub's user, which in a container is often root.
    spawner.args = ["--allow-root"] if MODE == "classroom" and os.geteuid() == 0 else []
    spawner.environment.update(
        {
            "JUPYTER_CONFIG_PATH": str(ROLE_CONFIG[role]),
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",  # nbgrader runs alembic from here
            "CHAINLAB_ROLE": role,
            # A kernel's maths libraries keep to one thread each: many learners share the cores.
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MALLOC_ARENA_MAX": "2",
        }
    )
    if role == "instructor":
        spawner.notebook_dir = str(COURSE_ROOT)
        spawner.mem_limit = None
        spawner.cpu_limit = None
        if MODE == "server" and c.JupyterHub.spawner_class == "systemdspawner":
            spawner.readonly_paths = []
    else:
        spawner.notebook_dir = "~" if MODE == "server" else spawner.home_dir
        spawner.args.append("--ServerApp.terminals_enabled=False")
        if MODE == "server" and c.JupyterHub.spawner_class == "systemdspawner":
            spawner.unit_extra_properties = {
                "InaccessiblePaths": f"-{COURSE_ROOT / 'solutions'} -{COURSE_ROOT / 'grading'}"
            }


c.Spawner.pre_spawn_hook = set_up_by_role
c.JupyterHub.load_groups = (
    {} if MODE == "server" else {"instructors": {"users": sorted(INSTRUCTORS)}, "learners": {"users": sorted(LEARNERS)}}
)
