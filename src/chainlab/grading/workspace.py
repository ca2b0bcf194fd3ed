"""Where a course's grading files live: the layout nbgrader_config.py sets up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import course


class GradingError(RuntimeError):
    """A grading step cannot go on; the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class Workspace:
    """A course root: solutions/ (nbgrader source), course/ (release) and grading/ (a cohort's files)."""

    root: Path

    @property
    def config_file(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def course(self) -> Path:
        return self.root / "course"

    @property
    def grading(self) -> Path:
        return self.root / "grading"

    @property
    def submitted(self) -> Path:
        return self.grading / "submitted"

    @property
    def autograded(self) -> Path:
        return self.grading / "autograded"

    @property
    def feedback(self) -> Path:
        return self.grading / "feedback"

    @property
    def gradebook(self) -> Path:
        return self.grading / "gradebook.db"

    @property
    def cohort(self) -> Path:
        """The cohort's settings and hashed keys, in the same layout as a release's chainlab_cohort/."""
        return self.grading / "cohort"

    @property
    def releases(self) -> Path:
        return self.grading / "release"

    @property
    def status(self) -> Path:
        return self.grading / "status"

    @property
    def reports(self) -> Path:
        return self.grading / "reports"

    @property
    def lock_file(self) -> Path:
        return self.grading / ".grading.lock"

    def nbgrader_config(self):
        """The course's nbgrader configuration (traitlets Config), as nbgrader itself would load it."""
        from traitlets.config.loader import PyFileConfigLoader

        return PyFileConfigLoader(self.config_file.name, path=str(self.root)).load_config()

    def check(self) -> "Workspace":
        """Fail with a clear message unless this looks like a course root."""
        if not self.config_file.is_file() or not self.solutions.is_dir():
            raise GradingError(f"{self.root} is not a course root: it needs nbgrader_config.py and solutions/. Run from the repository or pass --root.")
        return self

    def slug(self, module: str) -> str:
        """The assignment name of a module given by number or slug; it must have a solution notebook."""
        slug = course.module(module).slug
        if not (self.solutions / slug / f"{slug}.ipynb").is_file():
            raise GradingError(f"{self.solutions / slug / (slug + '.ipynb')} does not exist yet: module {slug} has no solution notebook.")
        return slug
