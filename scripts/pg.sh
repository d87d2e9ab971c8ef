# Sourced by scripts/test.sh and scripts/bench.sh: `start_pg` starts a throwaway PostgreSQL server
# on 127.0.0.1 (temporary data directory, fsync off), creates the database "gongkai", exports
# GONGKAI_DATABASE_URL pointing at it, and stops the server and removes the directory on exit.
# Extra arguments are passed to the server as -c settings, e.g. start_pg -c shared_buffers=256MB
start_pg() {
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PGBIN" ]; then
    echo "未找到 PostgreSQL 服务器程序：请安装 Debian 的 postgresql 软件包（apt-get install postgresql）。" >&2
    exit 1
  fi
  PGDATA=$(mktemp -d /tmp/gongkai-pg.XXXXXX)
  PGPORT_CHOSEN=$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  [ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA"
  trap _stop_pg EXIT
  _as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  local extra="" setting
  for setting in "$@"; do extra="$extra $setting"; done
  _as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT_CHOSEN -k $PGDATA -c fsync=off -c max_connections=200$extra" \
    start >/dev/null
  _as_pg "$PGBIN/createdb" -h "$PGDATA" -p "$PGPORT_CHOSEN" -U postgres gongkai
  export GONGKAI_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT_CHOSEN/gongkai"
}

_as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

_stop_pg() {
  _as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
