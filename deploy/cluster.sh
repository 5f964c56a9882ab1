#!/usr/bin/env bash
# A cluster on one machine, with production settings: two gunicorn app nodes, two
# workers (RQ) and one scheduler against one PostgreSQL and one Redis, behind
# Debian's nginx as the load balancer.
#
#   DATABASE_URL=postgres://... deploy/cluster.sh up     # prints the address
#   deploy/cluster.sh down
#
# Settings: DATABASE_URL (required, PostgreSQL), REDIS_URL (redis://127.0.0.1:6379/11),
# CLUSTER_DIR (var/cluster), CLUSTER_PORT (8180, nginx), CLUSTER_NODE1_PORT and
# CLUSTER_NODE2_PORT (the next two ports), CLUSTER_STATIC_DIR (var/cluster-static,
# kept between runs), PYTHON (.venv/bin/python). DJANGO_SECRET_KEY, MEDCONNECT_* and
# EMAIL_* variables set by the caller are kept.
#
# Every process runs in its own session with its pid in CLUSTER_DIR/*.pid: `down`
# (and a failed or interrupted `up`) stops every process of each session, a worker's
# forked job included.
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER_DIR="$(realpath -m "${CLUSTER_DIR:-var/cluster}")"
CLUSTER_PORT="${CLUSTER_PORT:-8180}"
NODE1="${CLUSTER_NODE1_PORT:-$((CLUSTER_PORT + 1))}"
NODE2="${CLUSTER_NODE2_PORT:-$((CLUSTER_PORT + 2))}"
STATIC_DIR="$(realpath -m "${CLUSTER_STATIC_DIR:-var/cluster-static}")"
PYTHON="${PYTHON:-.venv/bin/python}"

stop_all() {
  # Each process started here leads its own session. A worker's job runs in a process
  # RQ forks into a group of its own, but in the same session: so every process of
  # each session is stopped, TERM first, KILL for what still runs 15 seconds later.
  local members=()
  for pidfile in "$CLUSTER_DIR"/*.pid; do
    [ -e "$pidfile" ] || continue
    members+=($(ps -o pid= -s "$(cat "$pidfile")" 2>/dev/null || true))
    rm -f "$pidfile"
  done
  [ ${#members[@]} -gt 0 ] || return 0
  kill -TERM "${members[@]}" 2>/dev/null || true
  for _ in $(seq 1 30); do
    # Still running: listed and not a zombie left for its parent to collect.
    ps -o stat= -p "$(IFS=,; echo "${members[*]}")" 2>/dev/null | grep -qv '^Z' || return 0
    sleep 0.5
  done
  kill -KILL "${members[@]}" 2>/dev/null || true
}

case "${1:-}" in
  down)
    stop_all
    echo "cluster stopped"
    exit 0
    ;;
  up | start-worker) ;;
  *)
    echo "usage: $0 up|down|start-worker N" >&2
    exit 2
    ;;
esac

: "${DATABASE_URL:?set DATABASE_URL=postgres://... (the cluster needs PostgreSQL)}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if [ ! -x "$NGINX" ]; then
  echo "nginx is missing: apt-get install -y nginx (Debian's package)" >&2
  exit 1
fi

mkdir -p "$CLUSTER_DIR/var" "$CLUSTER_DIR/nginx-tmp"
if [ "$1" = up ]; then
  stop_all
  # A failed start (migrations, a node that never answers, Ctrl-C) leaves nothing running.
  trap 'status=$?; [ "$status" -eq 0 ] || stop_all; exit "$status"' EXIT
  trap 'exit 130' INT TERM
fi
[ -f "$CLUSTER_DIR/secret" ] || "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$CLUSTER_DIR/secret"
[ -f "$CLUSTER_DIR/key" ] || "$PYTHON" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$CLUSTER_DIR/key"

export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(cat "$CLUSTER_DIR/secret")}"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_SECURE_HSTS_SECONDS=0
export DJANGO_SECURE_PROXY_SSL_HEADER=1
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/11}"
export MEDCONNECT_TASKS_BACKEND="${MEDCONNECT_TASKS_BACKEND:-rq}"
export MEDCONNECT_ENCRYPTION_KEYS="${MEDCONNECT_ENCRYPTION_KEYS:-$(cat "$CLUSTER_DIR/key")}"
# One shared folder stands in for the object storage every node would use.
export MEDCONNECT_VAR_DIR="$CLUSTER_DIR/var"
export MEDCONNECT_STATIC_ROOT="$STATIC_DIR"
export MEDCONNECT_LOG_LEVEL="${MEDCONNECT_LOG_LEVEL:-INFO}"
export MEDCONNECT_SCHEDULER_TICK_SECONDS="${MEDCONNECT_SCHEDULER_TICK_SECONDS:-2}"
export MEDCONNECT_SITE_URL="http://127.0.0.1:$CLUSTER_PORT"
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-2}" GUNICORN_THREADS="${GUNICORN_THREADS:-4}"

start() {  # start NAME COMMAND...: in its own process group, logging to NAME.log
  local name="$1"
  shift
  setsid "$@" >>"$CLUSTER_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$CLUSTER_DIR/$name.pid"
}

if [ "$1" = start-worker ]; then  # (re)start worker N, e.g. after stopping its node
  start "worker-$2" "$PYTHON" manage.py worker --name "worker-$2-$(date +%s)"
  exit 0
fi

"$PYTHON" manage.py migrate --noinput -v0 < /dev/null
# Collecting (copy, hash and compress some 2,300 files) takes a while on a busy
# machine, so it runs only when the static sources changed since the last run:
# their paths, sizes and times, and the installed packages' versions, make a stamp.
"$PYTHON" manage.py collectstatic_if_changed -v0 < /dev/null

for node in 1 2; do
  port="$NODE1"
  [ "$node" = 2 ] && port="$NODE2"
  GUNICORN_BIND="127.0.0.1:$port" PROMETHEUS_MULTIPROC_DIR="$CLUSTER_DIR/metrics-$node" \
    start "node-$node" "$PYTHON" -m gunicorn -c deploy/gunicorn.conf.py medconnect.wsgi
  start "worker-$node" "$PYTHON" manage.py worker --name "worker-$node"
done
start scheduler "$PYTHON" manage.py scheduler

sed -e "s|@DIR@|$CLUSTER_DIR|g" -e "s|@PORT@|$CLUSTER_PORT|g" -e "s|@USER@|$(id -un)|g" \
    -e "s|@NODE1@|$NODE1|g" -e "s|@NODE2@|$NODE2|g" -e "s|@STATIC@|$STATIC_DIR|g" \
    deploy/nginx/cluster.conf.template > "$CLUSTER_DIR/nginx.conf"
start nginx "$NGINX" -c "$CLUSTER_DIR/nginx.conf" -g "daemon off;"

# Up when both nodes and nginx answer /health/; a busy machine may take a minute or two
# to start seven Python processes.
deadline=$(($(date +%s) + ${CLUSTER_START_TIMEOUT:-240}))
while [ "$(date +%s)" -lt "$deadline" ]; do
  if "$PYTHON" - "$NODE1" "$NODE2" "$CLUSTER_PORT" <<'PY'
import sys, urllib.request
try:
    for port in sys.argv[1:]:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5)
except Exception:
    sys.exit(1)
PY
  then
    echo "cluster up on http://127.0.0.1:$CLUSTER_PORT (nodes $NODE1, $NODE2; logs in $CLUSTER_DIR)"
    exit 0
  fi
  for name in node-1 node-2 worker-1 worker-2 scheduler nginx; do
    if ! kill -0 "$(cat "$CLUSTER_DIR/$name.pid")" 2>/dev/null; then
      echo "$name exited; see $CLUSTER_DIR/$name.log" >&2
      tail -n 20 "$CLUSTER_DIR/$name.log" >&2
      exit 1
    fi
  done
  sleep 1
done
echo "the cluster did not answer; see $CLUSTER_DIR/*.log" >&2
exit 1
