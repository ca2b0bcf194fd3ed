"""environment.yml (conda) asks for exactly what pyproject.toml asks for."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _normalise(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [requirement for extra in project["optional-dependencies"].values() for requirement in extra]
    wanted = dict(_normalise(r) for r in project["dependencies"] + extras)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {}
    for entry in env["dependencies"]:
        for requirement in entry["pip"] if isinstance(entry, dict) else [entry]:
            if requirement.startswith("-e") or requirement.split(">")[0] in ("python", "pip"):
                continue
            listed.update([_normalise(requirement)])
    assert listed == wanted, (
        f"environment.yml and pyproject.toml disagree: only in environment.yml {set(listed.items()) - set(wanted.items())}, only in pyproject.toml {set(wanted.items()) - set(listed.items())}"
    )


def test_python_floor_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python{project['requires-python']}" in env["dependencies"]
