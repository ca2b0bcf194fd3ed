"""The instructor workflow on top of nbgrader: one `chainlab grade` step per job.

release → collect → autograde → feedback → export / report, on a course root laid
out as nbgrader_config.py says (submissions, grades and feedback under grading/).
Each module has one purpose: `workspace` (paths), `release` (cohort seed and keys),
`collect` (folder or LMS zip), `limits` (kernel time and memory limits),
`integrity` (tampering checks), `autograde` (the parallel runner), `gradebook`
(the single writer of gradebook.db), `status` (per-submission verdicts),
`feedback`, `export`, `report`, and `cli` (the `chainlab grade` parser).
"""
