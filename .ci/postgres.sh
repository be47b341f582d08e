# Sourced by .ci/run: a throwaway PostgreSQL cluster for the registry tests (docs/registry.md, "Tests").
# initdb runs as the unprivileged user nobody (CI runs as root; PostgreSQL refuses root) in a temporary folder; the
# server listens on 127.0.0.1 only, on a free port, with password (SCRAM) authentication; an owner role (creates the
# per-test databases and runs migrations) and an app role (what the app connects as) are created. The trap stops the
# server and removes the folder however the run ends.
case " ${need:-} " in
  *" postgresql "*)
    # Just installed: Debian's package may have started its default cluster; this run does not use it, so stop it.
    if command -v pg_lsclusters >/dev/null; then
      pg_lsclusters -h | awk '$4 == "online" {print $1, $2}' | while read -r v c; do pg_ctlcluster "$v" "$c" stop || true; done
    fi ;;
esac
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; exit 1; }
pg_dir=$(mktemp -d /tmp/sarcostat-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
pg_secret() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
pg_super=$(pg_secret); pg_owner=$(pg_secret); pg_app=$(pg_secret)
printf '%s\n' "$pg_super" > "$pg_dir/pwfile"
chown -R nobody "$pg_dir"
pg_stop() {
  runuser -u nobody -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap pg_stop EXIT
runuser -u nobody -- "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --pwfile="$pg_dir/pwfile" --auth=scram-sha-256 -E UTF8 --locale=C >/dev/null
runuser -u nobody -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off" start >/dev/null
PGPASSWORD="$pg_super" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE sarcostat_owner LOGIN CREATEDB PASSWORD '$pg_owner'" \
  -c "CREATE ROLE sarcostat_app LOGIN PASSWORD '$pg_app'"
export SARCOSTAT_POSTGRES="Host=127.0.0.1;Port=$pg_port;Database=postgres;Username=sarcostat_owner;Password=$pg_owner"
export SARCOSTAT_POSTGRES_APP="Host=127.0.0.1;Port=$pg_port;Database=postgres;Username=sarcostat_app;Password=$pg_app"
export SARCOSTAT_REQUIRE_POSTGRES=1
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (owner sarcostat_owner, app sarcostat_app)"
