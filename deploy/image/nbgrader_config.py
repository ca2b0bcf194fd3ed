"""nbgrader in the course image (deploy/Dockerfile): the course's id and the exchange every pod mounts (deploy/z2jh/values.yaml)."""

c = get_config()  # noqa: F821 (nbgrader supplies get_config)
c.CourseDirectory.course_id = "chainlab"
c.Exchange.root = "/srv/nbgrader/exchange"
# Every pod runs as the image's one user (jovyan, uid 1000), so a submission's owner cannot name its learner;
# nbgrader files it under the hub's user name (JUPYTERHUB_USER) instead.
c.ExchangeCollect.check_owner = False
