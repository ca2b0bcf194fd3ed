"""nbgrader for Chain Investigations Lab: the course root is this folder.

Instructor notebooks live in solutions/, learners' releases in course/, and a
cohort's submissions, grades and feedback under grading/ (git-ignored).
"""

from pathlib import Path

root = Path(__file__).resolve().parent
c = get_config()  # noqa: F821 (nbgrader supplies get_config)

c.CourseDirectory.root = str(root)
c.CourseDirectory.course_id = "chainlab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"
c.CourseDirectory.submitted_directory = "grading/submitted"
c.CourseDirectory.autograded_directory = "grading/autograded"
c.CourseDirectory.feedback_directory = "grading/feedback"
c.CourseDirectory.db_url = f"sqlite:///{root / 'grading' / 'gradebook.db'}"

# A blank the learner fills in, instead of nbgrader's `raise NotImplementedError()`,
# so that Run All on an unfinished notebook goes on to the next section.
c.ClearSolutions.code_stub = {"python": "____  # <- replace ____ with your answer"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

c.Execute.timeout = 120

# Feedback pages: hidden tests removed, each exercise named by its title, error text wrapped.
from chainlab.grading import feedback  # noqa: E402

feedback.configure(c)

# Module 10 writes its evidence pack beside the notebook: never part of a release or a submission.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "evidence_pack"]
