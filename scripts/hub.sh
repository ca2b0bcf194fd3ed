#!/bin/sh
# Start the course server (`make hub`; docs/course-server.md). HUB_MODE=server (default: PAM, system users) or
# classroom (a trial: LEARNERS="a b c" INSTRUCTORS="t", two shared passwords made up here unless given).
set -eu

export CHAINLAB_HUB_MODE="${HUB_MODE:-server}"
if [ "$CHAINLAB_HUB_MODE" = classroom ]; then
    export CHAINLAB_LEARNERS="${LEARNERS:-}" CHAINLAB_INSTRUCTORS="${INSTRUCTORS:-instructor}"
    if [ -z "$CHAINLAB_LEARNERS" ]; then
        echo 'hub: name the learners, e.g. make hub HUB_MODE=classroom LEARNERS="officer1 officer2" INSTRUCTORS="trainer"' >&2
        exit 2
    fi
    CHAINLAB_LEARNER_PASSWORD="${CHAINLAB_LEARNER_PASSWORD:-$(python -c 'import secrets; print(secrets.token_urlsafe(9))')}"
    CHAINLAB_INSTRUCTOR_PASSWORD="${CHAINLAB_INSTRUCTOR_PASSWORD:-$(python -c 'import secrets; print(secrets.token_urlsafe(32))')}"
    export CHAINLAB_LEARNER_PASSWORD CHAINLAB_INSTRUCTOR_PASSWORD
    echo "hub: learners ($CHAINLAB_LEARNERS) log in with the password: $CHAINLAB_LEARNER_PASSWORD"
    echo "hub: instructors ($CHAINLAB_INSTRUCTORS) log in with the password: $CHAINLAB_INSTRUCTOR_PASSWORD"
fi
if [ -n "${HUB_IP:-}" ]; then export CHAINLAB_HUB_IP="$HUB_IP"; fi
if [ -n "${HUB_PORT:-}" ]; then export CHAINLAB_HUB_PORT="$HUB_PORT"; fi
exec jupyterhub -f deploy/jupyterhub_config.py
