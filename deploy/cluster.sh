#!/usr/bin/env bash
# The whole deployment on one machine, on its own ports: a PostgreSQL primary (a new cluster),
# a streaming replica made by pg_basebackup, PgBouncer in transaction mode in front of the
# primary, two gunicorn app servers, nginx balancing them, and the task worker.
#
#   deploy/cluster.sh start    (make cluster)       start everything; the data is kept between runs
#   deploy/cluster.sh stop     (make cluster-stop)  stop everything started here
#   deploy/cluster.sh status                        what runs, and /healthz through nginx
#   deploy/cluster.sh clean                         stop, then delete the data directory
#
# Settings (environment): CLUSTER_DIR (default /tmp/dualtrack-cluster), PY (the virtualenv's
# python, default .venv/bin/python), PRIMARY_PORT 5440, REPLICA_PORT 5441, PGBOUNCER_PORT 6440,
# NGINX_PORT 8440, APP_PORTS "8441 8442", APP_WORKERS 2, SEED 1 (seed the demo on a new
# database). PostgreSQL refuses to run as root: as root, its processes run as `postgres`.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${CLUSTER_DIR:-/tmp/dualtrack-cluster}
PY=${PY:-.venv/bin/python}
PRIMARY_PORT=${PRIMARY_PORT:-5440}
REPLICA_PORT=${REPLICA_PORT:-5441}
PGBOUNCER_PORT=${PGBOUNCER_PORT:-6440}
NGINX_PORT=${NGINX_PORT:-8440}
APP_PORTS=${APP_PORTS:-"8441 8442"}
APP_WORKERS=${APP_WORKERS:-2}
SEED=${SEED:-1}
DB=dualtrack
PG_MAJOR=${PG_MAJOR:-$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)}
PGBIN=${PGBIN:-/usr/lib/postgresql/$PG_MAJOR/bin}
VENV_BIN=$(dirname "$PY")

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_owner() { if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$@"; fi; }
say() { echo "== $*"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "$1 is missing: $2" >&2; exit 1; }; }

# The app servers' and the worker's environment.
app_env() {
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/$DB"
  export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB"
  export DB_PREPARE_THRESHOLD=off   # PgBouncer 1.18 in transaction mode
  export DEBUG=${DEBUG:-0} SECURE_COOKIES=${SECURE_COOKIES:-0}
  export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
  export MEDIA_ROOT="$DIR/media"
}

start_primary() {
  if [ ! -f "$DIR/primary/PG_VERSION" ]; then
    say "primary: initdb in $DIR/primary"
    mkdir -p "$DIR/primary"; pg_owner "$DIR/primary"; chmod 700 "$DIR/primary"
    as_pg "$PGBIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DIR/primary/postgresql.conf" <<EOF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR/run'
wal_level = replica
max_wal_senders = 5
hot_standby_feedback = on
shared_buffers = 128MB
max_connections = 100
EOF
    echo "host replication all 127.0.0.1/32 trust" >>"$DIR/primary/pg_hba.conf"
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$DIR/primary" status >/dev/null 2>&1; then
    say "primary: starting on $PRIMARY_PORT"
    as_pg "$PGBIN/pg_ctl" -D "$DIR/primary" -l "$DIR/log/primary.log" -w start >/dev/null
  fi
  "$PGBIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
    || "$PGBIN/createdb" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres "$DB"
}

migrate_and_seed() {
  say "migrations (directly on the primary)"
  (app_env; export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
   unset DATABASE_REPLICA_URL
   "$PY" manage.py migrate --no-input -v0
   "$PY" manage.py createcachetable
   if [ "$SEED" = 1 ]; then say "demo seeding (if empty)"; "$PY" manage.py seed_demo --if-empty; fi
   "$PY" manage.py collectstatic --no-input -v0)
}

start_replica() {
  if [ ! -f "$DIR/replica/PG_VERSION" ]; then
    say "replica: pg_basebackup of the primary into $DIR/replica"
    mkdir -p "$DIR/replica"; pg_owner "$DIR/replica"; chmod 700 "$DIR/replica"
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR/replica" \
      -X stream -R -c fast
    cat >>"$DIR/replica/postgresql.auto.conf" <<EOF
port = $REPLICA_PORT
hot_standby = on
EOF
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$DIR/replica" status >/dev/null 2>&1; then
    say "replica: starting on $REPLICA_PORT"
    as_pg "$PGBIN/pg_ctl" -D "$DIR/replica" -l "$DIR/log/replica.log" -w start >/dev/null
  fi
}

start_pgbouncer() {
  mkdir -p "$DIR/pgbouncer"
  cat >"$DIR/pgbouncer/pgbouncer.ini" <<EOF
[databases]
$DB = host=127.0.0.1 port=$PRIMARY_PORT dbname=$DB
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/pgbouncer/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
ignore_startup_parameters = extra_float_digits
logfile = $DIR/log/pgbouncer.log
pidfile = $DIR/run/pgbouncer.pid
EOF
  echo '"postgres" ""' >"$DIR/pgbouncer/userlist.txt"
  pg_owner "$DIR/pgbouncer" "$DIR/log" "$DIR/run"
  if [ ! -s "$DIR/run/pgbouncer.pid" ] || ! kill -0 "$(cat "$DIR/run/pgbouncer.pid")" 2>/dev/null; then
    say "pgbouncer (transaction mode): $PGBOUNCER_PORT -> primary"
    as_pg pgbouncer -d "$DIR/pgbouncer/pgbouncer.ini"
  fi
}

start_apps() {
  app_env
  for port in $APP_PORTS; do
    pidfile="$DIR/run/app-$port.pid"
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then continue; fi
    say "app server: gunicorn on $port ($APP_WORKERS workers)"
    rm -rf "$DIR/metrics-$port"; mkdir -p "$DIR/metrics-$port"
    PROMETHEUS_MULTIPROC_DIR="$DIR/metrics-$port" "$VENV_BIN/gunicorn" config.wsgi:application \
      --bind "127.0.0.1:$port" --workers "$APP_WORKERS" --daemon --pid "$pidfile" \
      --error-logfile "$DIR/log/app-$port.log" --log-level warning --capture-output
  done
  local pidfile="$DIR/run/worker.pid"
  if [ ! -s "$pidfile" ] || ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    say "task worker"
    nohup "$PY" manage.py run_worker >>"$DIR/log/worker.log" 2>&1 &
    echo $! >"$pidfile"
  fi
}

start_nginx() {
  local upstream=""
  for port in $APP_PORTS; do upstream+="    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'; done
  mkdir -p "$DIR/nginx/tmp"; chmod 777 "$DIR/nginx/tmp"
  sed -e "s#@UPSTREAM@#${upstream//$'\n'/\\n}#" -e "s#@PORT@#$NGINX_PORT#" -e "s#@DIR@#$DIR#g" \
    -e "s#@STATIC@#$PWD/staticfiles#" deploy/nginx/cluster.conf.in >"$DIR/nginx/nginx.conf"
  if [ ! -s "$DIR/run/nginx.pid" ] || ! kill -0 "$(cat "$DIR/run/nginx.pid")" 2>/dev/null; then
    say "nginx on $NGINX_PORT balancing $APP_PORTS"
    nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx"
  fi
}

stop_pidfile() {
  local file=$1
  if [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null; then
    local pid; pid=$(cat "$file")
    kill -TERM "$pid"
    # gunicorn lets its workers finish their requests (30 s at most) before it exits.
    for _ in $(seq 350); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$file"
}

stop_all() {
  if [ -s "$DIR/run/nginx.pid" ]; then
    say "nginx"; nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" -s quit 2>/dev/null || true
    for _ in $(seq 50); do [ -s "$DIR/run/nginx.pid" ] || break; sleep 0.1; done
  fi
  say "task worker, app servers"
  stop_pidfile "$DIR/run/worker.pid"
  for file in "$DIR"/run/app-*.pid; do [ -e "$file" ] && stop_pidfile "$file"; done
  say "pgbouncer"; [ -e "$DIR/run/pgbouncer.pid" ] && stop_pidfile "$DIR/run/pgbouncer.pid"
  for node in replica primary; do
    if [ -f "$DIR/$node/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/$node" status >/dev/null 2>&1; then
      say "$node"; as_pg "$PGBIN/pg_ctl" -D "$DIR/$node" -m fast -w stop >/dev/null
    fi
  done
}

status() {
  for node in primary replica; do
    printf '%-10s ' "$node"; as_pg "$PGBIN/pg_ctl" -D "$DIR/$node" status 2>/dev/null | head -1 || echo "stopped"
  done
  for file in "$DIR"/run/*.pid; do
    [ -e "$file" ] || continue
    printf '%-10s ' "$(basename "$file" .pid)"
    kill -0 "$(cat "$file")" 2>/dev/null && echo "running (pid $(cat "$file"))" || echo "stopped"
  done
  echo "healthz via nginx: $(curl -s "http://127.0.0.1:$NGINX_PORT/healthz" || echo unreachable)"
}

case "${1:-start}" in
  start)
    need pgbouncer "apt-get install pgbouncer"; need nginx "apt-get install nginx"
    [ -x "$PGBIN/pg_ctl" ] || { echo "PostgreSQL server binaries not found in $PGBIN" >&2; exit 1; }
    [ -x "$PY" ] || { echo "no python at $PY: run make first, or set PY" >&2; exit 1; }
    mkdir -p "$DIR/log" "$DIR/run" "$DIR/media"; chmod 755 "$DIR"; pg_owner "$DIR/log" "$DIR/run"
    start_primary; migrate_and_seed; start_replica; start_pgbouncer; start_apps; start_nginx
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$NGINX_PORT/healthz" >/dev/null && break; sleep 0.2; done
    status
    echo "dualtrack: http://127.0.0.1:$NGINX_PORT/   (logs in $DIR/log; stop: make cluster-stop)"
    ;;
  stop) stop_all ;;
  status) status ;;
  clean) stop_all; rm -rf "$DIR" ;;
  *) echo "usage: $0 start|stop|status|clean" >&2; exit 2 ;;
esac
