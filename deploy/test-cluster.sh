#!/usr/bin/env bash
# make test-cluster: operations/tests/test_cluster.py against a cluster of
# deploy/cluster.sh (two gunicorn nodes, two RQ workers, a scheduler, nginx) on free
# loopback ports, its own PostgreSQL database and its own redis-server.
#
# Settings: DATABASE_URL (postgres://postgres@127.0.0.1:5432/medconnect_cluster; the
# test database is test_<that name>), CLUSTER_TEST_TIMEOUT (600 seconds).
# Whatever way it ends (pass, failure, the time limit, Ctrl-C) every process it
# started is stopped: the cluster's by their pid files, the test's by its group.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/medconnect_cluster}"
case "$DATABASE_URL" in
  postgres*) ;;
  *) echo "the cluster needs PostgreSQL: DATABASE_URL=postgres://..." >&2; exit 2 ;;
esac
limit="${CLUSTER_TEST_TIMEOUT:-600}"
work="$(mktemp -d "${TMPDIR:-/tmp}/medconnect-cluster.XXXXXX")"

cleanup() {
  status=$?
  trap - EXIT INT TERM
  [ "$status" -ne 124 ] || echo "the cluster test ran past ${limit}s: stopped" >&2
  if [ -n "${test_pid:-}" ]; then
    kill -TERM -- "-$test_pid" 2>/dev/null || true
  fi
  CLUSTER_DIR="$work/cluster" deploy/cluster.sh down >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export MEDCONNECT_CLUSTER_TESTS=1 MEDCONNECT_FAST_PASSWORD_HASHER=1
export MEDCONNECT_CLUSTER_DIR="$work/cluster"
started=$(date +%s)
# Its own session and process group: the time limit and the cleanup reach the test's
# redis-server and SMTP sink too.
setsid timeout --signal=TERM --kill-after=20 "$limit" \
  .venv/bin/python -m pytest -q -p no:randomly -p no:cacheprovider \
  operations/tests/test_cluster.py &
test_pid=$!
wait "$test_pid"
echo "cluster test passed in $(($(date +%s) - started))s"
