#!/usr/bin/env bash
# Healthmesh local stack without Docker: a real PostgreSQL and a real single-node Kafka (KRaft)
# on loopback. See deploy/local/README.md.
#
#   stack.sh up                  start both (idempotent), create roles/databases/schemas/topics
#   stack.sh down                stop what `up` started
#   stack.sh status              what runs; exit 0 when both answer
#   stack.sh env                 export lines for eval: eval "$(deploy/local/stack.sh env)"
#   stack.sh reset-test          drop and recreate the healthmesh_test database
#   stack.sh topics <prefix>     create the topics of topics.txt with a name prefix (tests)
#   stack.sh drop-topics <prefix> delete every topic whose name starts with <prefix>
#   stack.sh kafka-stop          stop only the running stack's Kafka broker (fault tests)
#   stack.sh kafka-start         start it again: same listeners, same data (topics, offsets)
#   stack.sh pg-stop             stop only the running stack's PostgreSQL (fault tests)
#   stack.sh pg-start            start it again: same port, same data
#
# Environment: PGHOST (127.0.0.1), PGPORT (5432), KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:9092),
# KAFKA_CONTROLLER_PORT (Kafka port + 1), HEALTHMESH_PG_MODE (auto|machine|embedded),
# HEALTHMESH_KAFKA_HEAP (512m), HEALTHMESH_PG_CLIENT (auto|psql|jdbc: how SQL reaches the
# embedded server), HEALTHMESH_STACK_TIMEOUT (60 s per wait).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
LOCAL="$ROOT/.local"
STATE_DIR="$LOCAL/state"
STATE_FILE="$STATE_DIR/stack.env"             # what the last `up` resolved (removed by `down`)
MACHINE_MARKER="$STATE_DIR/pg-machine-started" # "<ver> <name>" when `up` started the machine cluster
LOG_DIR="$LOCAL/logs"
KDIR="$LOCAL/kafka"
PG_LOCAL="$LOCAL/pg"          # embedded: jars, superuser password, server log
PG_BIN_DIR="$LOCAL/pgsql"     # embedded: extracted PostgreSQL install
PG_DATA="$LOCAL/pgdata"       # embedded: data directory

SERVICE_ROLES=(gateway preferences normalizer imports withings oura)
DATABASES=(healthmesh healthmesh_test)
ADMIN_ROLE=healthmesh
KAFKA_VERSION=4.1.2
TIMEOUT=${HEALTHMESH_STACK_TIMEOUT:-60}
KAFKA_HEAP=${HEALTHMESH_KAFKA_HEAP:-512m}

# ---------------------------------------------------------------------------------------------
# helpers

say() { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ $(id -u) -eq 0 ]]; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

port_open() { # host port
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

show_tail() { # file [lines] [byte offset: show only what was written after it]
    local f=$1 n=${2:-30} from=${3:-0}
    if [[ -f $f ]] && (($(stat -c %s "$f") > from)); then
        printf -- '----- last lines of %s -----\n' "$f" >&2
        tail -c +"$((from + 1))" "$f" | tail -n "$n" >&2
        printf -- '-----\n' >&2
    fi
}

# Daemons must not keep the caller's pipes (a `$(stack.sh up)` would wait for them) or the lock.
close_extra_fds() {
    local f fd
    for f in "/proc/$BASHPID/fd"/*; do
        fd=${f##*/}
        if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}

file_size() { if [[ -f $1 ]]; then stat -c %s "$1"; else echo 0; fi; }

lock() { # serialize up/down/... of concurrent callers
    mkdir -p "$LOCAL"
    if have flock; then
        exec 9>"$LOCAL/stack.lock"
        flock -w 300 9 || die "another stack.sh holds $LOCAL/stack.lock for more than 300 s"
    fi
}

mvn_cmd() {
    if [[ -x $ROOT/mvnw ]]; then echo "$ROOT/mvnw"; elif have mvn; then echo mvn; else die "neither $ROOT/mvnw nor mvn found"; fi
}

# Copies the dependencies of a standalone pom into a folder, only when the folder is missing or
# was made from another version of the pom (checksum kept in <dir>/.pom.sha256).
fetch_deps() { # pom dir what
    local pom=$1 dir=$2 what=$3 sum mvn log
    sum=$(sha256sum "$pom" | cut -d' ' -f1)
    if [[ -f $dir/.pom.sha256 && $(cat "$dir/.pom.sha256") == "$sum" ]]; then
        return 0
    fi
    mvn=$(mvn_cmd)
    log="$LOG_DIR/mvn-$(basename "$dir").log"
    mkdir -p "$LOG_DIR"
    say "downloading $what with Maven (once) ..."
    rm -rf "$dir.tmp"
    if ! (cd "$ROOT" && MAVEN_OPTS="-Xmx512m ${MAVEN_OPTS:-}" "$mvn" -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
            -DoutputDirectory="$dir.tmp") >"$log" 2>&1; then
        show_tail "$log" 40
        die "Maven could not fetch $what (pom $pom; full log $log)"
    fi
    echo "$sum" >"$dir.tmp/.pom.sha256"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
}

# ---------------------------------------------------------------------------------------------
# addresses

state_get() { # KEY -> value recorded in the state file
    sed -n "s/^$1=//p" "$STATE_FILE" | tr -d '"' | tail -1
}

load_state() {
    # shellcheck disable=SC1090
    [[ -f $STATE_FILE ]] && source "$STATE_FILE"
    return 0
}

# Sets PG_HOST PG_PORT KAFKA_BOOTSTRAP KAFKA_HOST KAFKA_PORT CONTROLLER_PORT.
# For `up`: the environment, else the running stack's state, else defaults; a request that
# contradicts a running stack fails. For the other commands: the running stack's state wins.
resolve_addresses() { # for-up?
    local for_up=${1:-no}
    local s_pghost="" s_pgport="" s_kafka="" s_ctrl="" s_mode=""
    if [[ -f $STATE_FILE ]]; then
        s_pghost=$(state_get ST_PGHOST)
        s_pgport=$(state_get ST_PGPORT)
        s_kafka=$(state_get ST_KAFKA)
        s_ctrl=$(state_get ST_CONTROLLER_PORT)
        s_mode=$(state_get ST_PG_MODE)
    fi
    if [[ $for_up == yes ]]; then
        PG_HOST=${PGHOST:-${s_pghost:-127.0.0.1}}
        PG_PORT=${PGPORT:-${s_pgport:-5432}}
        KAFKA_BOOTSTRAP=${KAFKA_BOOTSTRAP_SERVERS:-${s_kafka:-127.0.0.1:9092}}
        if [[ -n $s_pgport ]] && { [[ $PG_HOST != "$s_pghost" ]] || [[ $PG_PORT != "$s_pgport" ]] || [[ $KAFKA_BOOTSTRAP != "$s_kafka" ]]; }; then
            if stack_has_running_parts; then
                die "the stack is up with PGHOST=$s_pghost PGPORT=$s_pgport KAFKA_BOOTSTRAP_SERVERS=$s_kafka; run '$0 down' before asking for PGHOST=$PG_HOST PGPORT=$PG_PORT KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP"
            fi
            s_ctrl=""
        fi
        RUNNING_PG_MODE=""
        if [[ -n $s_mode ]] && stack_has_running_parts; then
            RUNNING_PG_MODE=$s_mode
            if [[ -n ${HEALTHMESH_PG_MODE:-} && $HEALTHMESH_PG_MODE != auto && $HEALTHMESH_PG_MODE != "$s_mode" ]]; then
                die "the stack is up with PostgreSQL mode '$s_mode'; run '$0 down' before asking for '$HEALTHMESH_PG_MODE'"
            fi
        fi
    else
        PG_HOST=${s_pghost:-${PGHOST:-127.0.0.1}}
        PG_PORT=${s_pgport:-${PGPORT:-5432}}
        KAFKA_BOOTSTRAP=${s_kafka:-${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}}
    fi
    KAFKA_BOOTSTRAP=${KAFKA_BOOTSTRAP#PLAINTEXT://}
    [[ $KAFKA_BOOTSTRAP =~ ^([^:,/]+):([0-9]+)$ ]] ||
        die "KAFKA_BOOTSTRAP_SERVERS must be one host:port for the local single broker, got '$KAFKA_BOOTSTRAP'"
    KAFKA_HOST=${BASH_REMATCH[1]}
    KAFKA_PORT=${BASH_REMATCH[2]}
    CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-${s_ctrl:-$((KAFKA_PORT + 1))}}
    [[ $PG_PORT =~ ^[0-9]+$ ]] || die "PGPORT must be a number, got '$PG_PORT'"
    [[ $CONTROLLER_PORT != "$KAFKA_PORT" ]] || die "the Kafka controller port must differ from $KAFKA_PORT"
}

write_state() {
    mkdir -p "$STATE_DIR"
    cat >"$STATE_FILE.tmp" <<EOF
# written by deploy/local/stack.sh up; removed by down
ST_PGHOST=$PG_HOST
ST_PGPORT=$PG_PORT
ST_KAFKA=$KAFKA_BOOTSTRAP
ST_CONTROLLER_PORT=$CONTROLLER_PORT
ST_PG_MODE=${PG_MODE:-}
ST_PG_CLUSTER="${PG_CLUSTER:-}"
ST_PG_MAJOR=${PG_MAJOR:-}
EOF
    mv "$STATE_FILE.tmp" "$STATE_FILE"
}

stack_has_running_parts() {
    [[ -n $(kafka_pids) ]] || embedded_running || [[ -f $MACHINE_MARKER ]]
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: mode selection

# Lines "ver name port status" of the machine's clusters (Debian postgresql-common).
machine_clusters() {
    have pg_lsclusters || return 0
    pg_lsclusters -h 2>/dev/null | awk '{ print $1, $2, $3, $4 }'
}

choose_pg_mode() {
    local mode=${HEALTHMESH_PG_MODE:-auto}
    # A running stack keeps its mode (an `up` after `HEALTHMESH_PG_MODE=embedded ... up`).
    if [[ $mode == auto && -n ${RUNNING_PG_MODE:-} ]]; then mode=$RUNNING_PG_MODE; fi
    case $mode in
        machine)
            is_root || die "HEALTHMESH_PG_MODE=machine needs root (psql as the postgres user, pg_ctlcluster); use HEALTHMESH_PG_MODE=embedded"
            [[ -n $(machine_clusters) ]] || ensure_machine_postgres_installed
            PG_MODE=machine ;;
        embedded)
            PG_MODE=embedded ;;
        auto)
            if [[ -n $(machine_clusters) ]]; then
                if is_root; then
                    PG_MODE=machine
                else
                    say "PostgreSQL: the machine's cluster needs root to manage; using an embedded server"
                    PG_MODE=embedded
                fi
            elif is_root && have apt-get; then
                ensure_machine_postgres_installed
                PG_MODE=machine
            else
                PG_MODE=embedded
            fi ;;
        *) die "HEALTHMESH_PG_MODE must be auto, machine or embedded, got '$mode'" ;;
    esac
}

ensure_machine_postgres_installed() {
    have apt-get || die "PostgreSQL is not installed and apt-get is missing; use HEALTHMESH_PG_MODE=embedded"
    local log="$LOG_DIR/apt-postgresql.log"
    mkdir -p "$LOG_DIR"
    say "PostgreSQL: not installed; apt-get install -y postgresql ..."
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >"$log" 2>&1; then
        say "PostgreSQL: apt-get update ..."
        DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >>"$log" 2>&1 ||
            { show_tail "$log"; die "apt-get install postgresql failed (log $log); use HEALTHMESH_PG_MODE=embedded"; }
    fi
    if [[ -z $(machine_clusters) ]]; then
        local ver
        ver=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/postgres' 2>/dev/null | sed -E 's#.*/postgresql/([0-9]+)/bin/postgres#\1#' | sort -n | tail -1)
        [[ -n $ver ]] || die "apt installed postgresql but no server binary was found under /usr/lib/postgresql"
        say "PostgreSQL: pg_createcluster $ver main"
        pg_createcluster "$ver" main >>"$log" 2>&1 || { show_tail "$log"; die "pg_createcluster $ver main failed"; }
    fi
    [[ -n $(machine_clusters) ]] || die "PostgreSQL was installed but pg_lsclusters shows no cluster"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: machine cluster

machine_cluster_ctl() { # version name start|stop: pg_ctlcluster outside systemd, its output in the log dir
    local ver=$1 name=$2 action=$3
    local args=("$action")
    [[ $action == stop ]] && args+=(-m fast)
    mkdir -p "$LOG_DIR"
    if ! (close_extra_fds && exec pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" "${args[@]}") </dev/null \
            >"$LOG_DIR/pg_ctlcluster.log" 2>&1; then
        show_tail "$LOG_DIR/pg_ctlcluster.log"
        [[ $action == start ]] && show_tail "/var/log/postgresql/postgresql-$ver-$name.log"
        die "pg_ctlcluster $ver $name $action failed"
    fi
}

machine_up() {
    local line ver name port status explicit_port=${PGPORT:-}
    line=$(machine_clusters | awk -v p="$PG_PORT" '$3 == p' | head -1)
    if [[ -z $line ]]; then
        if [[ -n $explicit_port ]]; then
            die "no machine PostgreSQL cluster on port $PG_PORT (pg_lsclusters: $(machine_clusters | awk '{printf "%s/%s:%s ", $1, $2, $3}')); unset PGPORT, or use HEALTHMESH_PG_MODE=embedded for a server of the stack on that port"
        fi
        line=$(machine_clusters | head -1)
    fi
    read -r ver name port status <<<"$line"
    PG_PORT=$port
    PG_CLUSTER="$ver/$name"
    write_state
    if [[ $status == online* ]]; then
        if [[ -f $MACHINE_MARKER ]]; then
            say "PostgreSQL: machine cluster $ver/$name already running (started by the stack)"
        else
            say "PostgreSQL: machine cluster $ver/$name already running (not the stack's: down leaves it running)"
        fi
    else
        say "PostgreSQL: starting machine cluster $ver/$name on port $port ..."
        # The marker comes first, so that a failed start is still stopped by down.
        mkdir -p "$STATE_DIR"
        echo "$ver $name" >"$MACHINE_MARKER"
        machine_cluster_ctl "$ver" "$name" start
    fi
    local t0=$SECONDS
    until pg_super_sql postgres "select 1" >/dev/null 2>&1; do
        ((SECONDS - t0 < TIMEOUT)) || { show_tail "/var/log/postgresql/postgresql-$ver-$name.log"; die "machine cluster $ver/$name does not answer psql within $TIMEOUT s"; }
        sleep 0.5
    done
    port_open "$PG_HOST" "$PG_PORT" ||
        die "machine cluster $ver/$name answers on its socket but not on $PG_HOST:$PG_PORT (listen_addresses in /etc/postgresql/$ver/$name/postgresql.conf)"
}

machine_down() {
    [[ -f $MACHINE_MARKER ]] || return 0
    local ver name
    read -r ver name <"$MACHINE_MARKER"
    if machine_clusters | awk -v v="$ver" -v n="$name" '$1 == v && $2 == n && $4 ~ /^online/' | grep -q .; then
        say "PostgreSQL: stopping machine cluster $ver/$name (the stack started it)"
        machine_cluster_ctl "$ver" "$name" stop
    fi
    rm -f "$MACHINE_MARKER"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: embedded server (zonky binaries from Maven Central)

pg_os_user() {
    if is_root; then echo "${HEALTHMESH_PG_OS_USER:-nobody}"; else id -un; fi
}

as_pg_user() {
    if is_root; then
        (cd / && close_extra_fds && exec runuser -u "$(pg_os_user)" -- "$@")
    else
        (cd / && close_extra_fds && exec "$@")
    fi
}

embedded_running() {
    [[ -f $PG_DATA/postmaster.pid && -x $PG_BIN_DIR/bin/pg_ctl ]] &&
        as_pg_user "$PG_BIN_DIR/bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

embedded_fetch() {
    [[ $(uname -m) == x86_64 ]] || die "embedded PostgreSQL: only linux x86_64 binaries are configured (deploy/local/postgres/pom.xml); this is $(uname -m)"
    fetch_deps "$SCRIPT_DIR/postgres/pom.xml" "$PG_LOCAL/lib" "embedded PostgreSQL binaries and JDBC driver"
    local jar
    jar=$(ls "$PG_LOCAL"/lib/embedded-postgres-binaries-*.jar 2>/dev/null | head -1)
    [[ -n $jar ]] || die "no embedded-postgres-binaries jar in $PG_LOCAL/lib"
    if [[ -f $PG_BIN_DIR/.source && $(cat "$PG_BIN_DIR/.source") == "$(basename "$jar")" ]]; then
        return 0
    fi
    say "PostgreSQL: extracting $(basename "$jar") into $PG_BIN_DIR ..."
    rm -rf "$PG_BIN_DIR.tmp" && mkdir -p "$PG_BIN_DIR.tmp"
    if have unzip; then
        unzip -p "$jar" 'postgres-linux-*.txz' | tar -xJ -C "$PG_BIN_DIR.tmp"
    else
        (cd "$PG_BIN_DIR.tmp" && jar xf "$jar" && tar -xJf postgres-linux-*.txz && rm -f postgres-linux-*.txz)
    fi
    [[ -x $PG_BIN_DIR.tmp/bin/postgres ]] || die "the archive in $jar has no bin/postgres"
    chmod -R a+rX "$PG_BIN_DIR.tmp"
    basename "$jar" >"$PG_BIN_DIR.tmp/.source"
    rm -rf "$PG_BIN_DIR"
    mv "$PG_BIN_DIR.tmp" "$PG_BIN_DIR"
}

embedded_up() {
    PG_CLUSTER="$PG_DATA"
    write_state
    embedded_fetch
    local user
    user=$(pg_os_user)
    mkdir -p "$PG_LOCAL"
    chmod a+rx "$LOCAL" "$PG_LOCAL"
    if ! as_pg_user test -x "$PG_BIN_DIR/bin/postgres"; then
        die "user '$user' cannot reach $PG_BIN_DIR (PostgreSQL refuses to run as root, so the stack runs it as '$user'): make the folders above $ROOT searchable (chmod o+x), or set HEALTHMESH_PG_OS_USER"
    fi
    mkdir -p "$PG_LOCAL"
    if [[ ! -f $PG_DATA/PG_VERSION ]]; then
        say "PostgreSQL: initdb $PG_DATA (as $user) ..."
        rm -rf "$PG_DATA" && mkdir -p "$PG_DATA"
        local pw pwfile
        pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
        (umask 077 && echo "$pw" >"$PG_LOCAL/superuser-password")
        pwfile="$PG_DATA.pw"
        (umask 077 && echo "$pw" >"$pwfile")
        if is_root; then chown "$user" "$PG_DATA" "$pwfile"; fi
        chmod 700 "$PG_DATA"
        if ! as_pg_user "$PG_BIN_DIR/bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
                -A scram-sha-256 -E UTF8 --locale=C >"$PG_LOCAL/initdb.log" 2>&1; then
            rm -f "$pwfile"
            show_tail "$PG_LOCAL/initdb.log"
            rm -rf "$PG_DATA"
            die "initdb failed (log $PG_LOCAL/initdb.log)"
        fi
        rm -f "$pwfile"
        echo "include_if_exists = 'healthmesh-local.conf'" >>"$PG_DATA/postgresql.conf"
    fi
    [[ -f $PG_LOCAL/superuser-password ]] || die "$PG_LOCAL/superuser-password is missing; remove $PG_DATA to start afresh"
    local data_major bin_major
    data_major=$(cut -d. -f1 <"$PG_DATA/PG_VERSION")
    bin_major=$("$PG_BIN_DIR/bin/postgres" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')
    [[ $data_major == "$bin_major" ]] || die "$PG_DATA was made by PostgreSQL $data_major but the binaries are $bin_major; remove $PG_DATA (its data is lost) and run up again"

    if embedded_running; then
        local running_port
        running_port=$(sed -n 4p "$PG_DATA/postmaster.pid")
        [[ $running_port == "$PG_PORT" ]] ||
            die "the embedded PostgreSQL runs on port $running_port, not $PG_PORT; run '$0 down' first"
        say "PostgreSQL: embedded server already running on port $PG_PORT"
    else
        port_open "$PG_HOST" "$PG_PORT" &&
            die "$PG_HOST:$PG_PORT is taken by another process; set PGPORT to a free port for the embedded PostgreSQL"
        cat >"$PG_DATA/healthmesh-local.conf" <<EOF
# written by deploy/local/stack.sh on every start
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = ''
EOF
        local log="$PG_LOCAL/postgres.log"
        touch "$log"
        if is_root; then chown "$user" "$PG_DATA/healthmesh-local.conf" "$log"; fi
        say "PostgreSQL: starting embedded server on $PG_HOST:$PG_PORT (as $user) ..."
        if ! as_pg_user "$PG_BIN_DIR/bin/pg_ctl" -D "$PG_DATA" -l "$log" -w -t "$TIMEOUT" start >/dev/null; then
            show_tail "$log"
            die "the embedded PostgreSQL did not start (log $log)"
        fi
    fi
    local t0=$SECONDS
    until port_open "$PG_HOST" "$PG_PORT"; do
        ((SECONDS - t0 < TIMEOUT)) || { show_tail "$PG_LOCAL/postgres.log"; die "embedded PostgreSQL does not listen on $PG_HOST:$PG_PORT"; }
        sleep 0.3
    done
}

embedded_down() {
    if embedded_running; then
        say "PostgreSQL: stopping the embedded server"
        as_pg_user "$PG_BIN_DIR/bin/pg_ctl" -D "$PG_DATA" -m fast -w -t "$TIMEOUT" stop >/dev/null ||
            die "pg_ctl stop failed for $PG_DATA (log $PG_LOCAL/postgres.log)"
    fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: SQL

pg_client() { # psql | jdbc
    case ${HEALTHMESH_PG_CLIENT:-auto} in
        psql) echo psql ;;
        jdbc) echo jdbc ;;
        *) if have psql; then echo psql; else echo jdbc; fi ;;
    esac
}

jdbc_tool_ready() {
    local classes="$PG_LOCAL/tools"
    if [[ ! -f $classes/PgSql.class || $SCRIPT_DIR/PgSql.java -nt $classes/PgSql.class ]]; then
        [[ -d $PG_LOCAL/lib ]] || fetch_deps "$SCRIPT_DIR/postgres/pom.xml" "$PG_LOCAL/lib" "the PostgreSQL JDBC driver"
        mkdir -p "$classes"
        javac -J-Xmx256m -nowarn -d "$classes" "$SCRIPT_DIR/PgSql.java" || die "cannot compile $SCRIPT_DIR/PgSql.java"
    fi
}

# Runs statements (one per argument) as a user over TCP; prints result rows like psql -At.
pg_sql_tcp() { # user password db stmt...
    local user=$1 pw=$2 db=$3
    shift 3
    if [[ $(pg_client) == psql ]]; then
        local args=() s
        for s in "$@"; do args+=(-c "$s"); done
        PGPASSWORD=$pw PGOPTIONS='-c client_min_messages=warning' PGCONNECT_TIMEOUT=10 \
            psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$user" -d "$db" "${args[@]}"
    else
        jdbc_tool_ready
        PGPASSWORD=$pw java -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$PG_LOCAL/tools:$PG_LOCAL/lib/*" \
            PgSql "jdbc:postgresql://$PG_HOST:$PG_PORT/$db" "$user" "$@"
    fi
}

# Runs statements as the superuser of the current mode.
pg_super_sql() { # db stmt...
    local db=$1
    shift
    if [[ ${PG_MODE:-} == machine ]]; then
        local args=() s
        for s in "$@"; do args+=(-c "$s"); done
        (cd / && PGOPTIONS='-c client_min_messages=warning' runuser -u postgres -- \
            psql -X -q -A -t -v ON_ERROR_STOP=1 -p "$PG_PORT" -d "$db" "${args[@]}")
    else
        pg_sql_tcp postgres "$(cat "$PG_LOCAL/superuser-password")" "$db" "$@"
    fi
}

sql_list() { # words -> 'a', 'b'
    local out="" w
    for w in "$@"; do out+="${out:+, }'$w'"; done
    echo "$out"
}

provision_roles() {
    local roles
    roles=$(sql_list "${SERVICE_ROLES[@]}")
    pg_super_sql postgres "$(cat <<SQL
DO \$\$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY[$roles] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I', r);
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', r, r);
    EXECUTE format('ALTER ROLE %I SET search_path = %I', r, r);
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ADMIN_ROLE') THEN
    CREATE ROLE $ADMIN_ROLE;
  END IF;
  ALTER ROLE $ADMIN_ROLE LOGIN CREATEDB NOSUPERUSER PASSWORD '$ADMIN_ROLE';
  FOREACH r IN ARRAY ARRAY[$roles] LOOP
    IF NOT pg_has_role('$ADMIN_ROLE', r, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO $ADMIN_ROLE', r);
    END IF;
  END LOOP;
  -- The read benchmark writes a load's dirty pages out before measuring (PostgreSQL 15 on).
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pg_checkpoint')
     AND NOT pg_has_role('$ADMIN_ROLE', 'pg_checkpoint', 'MEMBER') THEN
    GRANT pg_checkpoint TO $ADMIN_ROLE;
  END IF;
END
\$\$
SQL
)" || die "creating the roles failed"
}

provision_database() { # db
    local db=$1 r grants="" schemas=""
    if [[ -z $(pg_super_sql postgres "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
        pg_super_sql postgres "CREATE DATABASE $db OWNER $ADMIN_ROLE" || die "CREATE DATABASE $db failed"
    fi
    for r in "${SERVICE_ROLES[@]}"; do
        schemas+="CREATE SCHEMA IF NOT EXISTS $r AUTHORIZATION $r; ALTER SCHEMA $r OWNER TO $r; "
    done
    grants="ALTER DATABASE $db OWNER TO $ADMIN_ROLE; GRANT CONNECT, CREATE, TEMPORARY ON DATABASE $db TO $(IFS=,; echo "${SERVICE_ROLES[*]}")"
    pg_super_sql "$db" "$grants" "$schemas" || die "creating the schemas of $db failed"
}

pg_provision() {
    provision_roles
    local db
    for db in "${DATABASES[@]}"; do provision_database "$db"; done
    PG_MAJOR=$(pg_super_sql postgres "SELECT current_setting('server_version_num')::int / 10000") ||
        die "cannot read the server version"
    # The roles really log in over TCP with their passwords.
    local who
    who=$(pg_sql_tcp preferences preferences healthmesh_test "SELECT current_user || ' ' || current_schema()") ||
        die "role preferences cannot log in at $PG_HOST:$PG_PORT with its password (pg_hba.conf?)"
    [[ $who == "preferences preferences" ]] || die "unexpected login check result '$who'"
}

# ---------------------------------------------------------------------------------------------
# Kafka

kafka_pids() { # our broker: kafka.Kafka on our server.properties
    local p
    for p in /proc/[0-9]*; do
        [[ -r $p/cmdline ]] || continue
        if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "kafka.Kafka $KDIR/server.properties"; then
            echo "${p#/proc/}"
        fi
    done
}

foreign_kafka_pids() { # a broker of another checkout of this repository serving our listeners
    local p props
    for p in /proc/[0-9]*; do
        [[ -r $p/cmdline ]] || continue
        props=$(tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -A1 -x 'kafka.Kafka' | sed -n 2p)
        [[ -n $props && $props != "$KDIR/server.properties" && -r $props ]] || continue
        if grep -qx "listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$CONTROLLER_PORT" "$props"; then
            echo "${p#/proc/}"
        fi
    done
}

kafka_tool_java() { # extra java options come first, then the main class and arguments
    java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
        -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2-tools.properties" "$@"
}

topics_tool() { # [timeout] command args...
    local classes="$KDIR/tools"
    if [[ ! -f $classes/CreateTopics.class || $SCRIPT_DIR/CreateTopics.java -nt $classes/CreateTopics.class ]]; then
        mkdir -p "$classes"
        javac -J-Xmx256m -nowarn -cp "$KDIR/lib/*" -d "$classes" "$SCRIPT_DIR/CreateTopics.java" ||
            die "cannot compile $SCRIPT_DIR/CreateTopics.java"
    fi
    local t=$1
    shift
    kafka_tool_java -Dtimeout="$t" -cp "$classes:$KDIR/lib/*" CreateTopics "$@"
}

kafka_write_config() {
    mkdir -p "$KDIR/data" "$KDIR/logs"
    cat >"$KDIR/server.properties" <<EOF
# Written by deploy/local/stack.sh on every start: single-node KRaft broker on loopback.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KDIR/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=168
EOF
}

kafka_up() {
    fetch_deps "$SCRIPT_DIR/kafka/pom.xml" "$KDIR/lib" "the Kafka $KAFKA_VERSION broker jars"
    local pids
    pids=$(kafka_pids)
    if [[ -n $pids ]]; then
        if ! grep -qx "listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$CONTROLLER_PORT" "$KDIR/server.properties"; then
            die "the stack's Kafka runs with other listeners ($(grep '^listeners=' "$KDIR/server.properties")); run '$0 down' first"
        fi
        say "Kafka: broker already running (pid $pids)"
    elif [[ -n $(foreign_kafka_pids) ]]; then
        # Worktrees of one repository share the machine's ports: use the broker another one started
        # (down here leaves it running; its own checkout stops it).
        say "Kafka: using the broker another checkout started (pid $(echo $(foreign_kafka_pids)))"
    else
        port_open "$KAFKA_HOST" "$KAFKA_PORT" &&
            die "$KAFKA_HOST:$KAFKA_PORT is taken by another process; set KAFKA_BOOTSTRAP_SERVERS to a free host:port"
        port_open "$KAFKA_HOST" "$CONTROLLER_PORT" &&
            die "$KAFKA_HOST:$CONTROLLER_PORT (Kafka controller) is taken by another process; set KAFKA_CONTROLLER_PORT"
        kafka_write_config
        if [[ ! -f $KDIR/data/meta.properties ]]; then
            local id
            id=$(kafka_tool_java -cp "$KDIR/lib/*" kafka.tools.StorageTool random-uuid) || die "StorageTool random-uuid failed"
            say "Kafka: formatting storage (cluster id $id) ..."
            kafka_tool_java -cp "$KDIR/lib/*" kafka.tools.StorageTool format -t "$id" -c "$KDIR/server.properties" \
                >"$KDIR/format.log" 2>&1 || { show_tail "$KDIR/format.log"; die "Kafka storage format failed"; }
        fi
        local server_log_from broker_log_from
        server_log_from=$(file_size "$KDIR/logs/server.log")
        broker_log_from=$(file_size "$KDIR/broker.log")
        say "Kafka: starting broker on $KAFKA_HOST:$KAFKA_PORT (controller :$CONTROLLER_PORT, -Xmx$KAFKA_HEAP) ..."
        (
            cd "$KDIR"
            close_extra_fds
            exec setsid nohup java -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
                -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
                -Dkafka.logs.dir="$KDIR/logs" -Dlog4j2.shutdownHookEnabled=false \
                -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.properties" \
                -cp "$KDIR/lib/*" kafka.Kafka "$KDIR/server.properties" </dev/null >>"$KDIR/broker.log" 2>&1
        ) &
        echo $! >"$KDIR/kafka.pid"
        local pid t0=$SECONDS
        pid=$(cat "$KDIR/kafka.pid")
        until port_open "$KAFKA_HOST" "$KAFKA_PORT"; do
            if ! kill -0 "$pid" 2>/dev/null; then
                show_tail "$KDIR/logs/server.log" 30 "$server_log_from"
                show_tail "$KDIR/broker.log" 30 "$broker_log_from"
                die "the Kafka broker exited during start (logs $KDIR/logs/server.log, $KDIR/broker.log)"
            fi
            if ((SECONDS - t0 >= TIMEOUT)); then
                show_tail "$KDIR/logs/server.log" 30 "$server_log_from"
                die "Kafka does not listen on $KAFKA_HOST:$KAFKA_PORT after $TIMEOUT s (log $KDIR/logs/server.log)"
            fi
            sleep 0.3
        done
    fi
    local out
    if ! out=$(topics_tool "$TIMEOUT" ensure "$KAFKA_BOOTSTRAP" "$SCRIPT_DIR/topics.txt" 2>&1); then
        show_tail "$KDIR/logs/server.log"
        printf '%s\n' "$out" >&2
        die "Kafka at $KAFKA_BOOTSTRAP does not serve metadata or the topics could not be created"
    fi
    say "Kafka: $out"
}

kafka_down() {
    local pids p
    pids=$(kafka_pids)
    if [[ -n $pids ]]; then
        say "Kafka: stopping broker (pid $(echo $pids))"
        kill -TERM $pids 2>/dev/null || true
        local t0=$SECONDS
        while [[ -n $(kafka_pids) ]]; do
            if ((SECONDS - t0 >= 30)); then
                warn "Kafka did not stop within 30 s; killing it"
                for p in $(kafka_pids); do kill -KILL "$p" 2>/dev/null || true; done
                sleep 1
                break
            fi
            sleep 0.3
        done
    fi
    rm -f "$KDIR/kafka.pid"
}

# ---------------------------------------------------------------------------------------------
# commands

print_summary() {
    local jdbc="jdbc:postgresql://$PG_HOST:$PG_PORT"
    local where
    if [[ $PG_MODE == machine ]]; then where="machine cluster $PG_CLUSTER"; else where="embedded, data $PG_DATA"; fi
    cat <<EOF
PostgreSQL $PG_MAJOR at $PG_HOST:$PG_PORT ($where)
  JDBC:      $jdbc/healthmesh   tests: $jdbc/healthmesh_test
  reactive:  postgresql://$PG_HOST:$PG_PORT/healthmesh   (quarkus.datasource.db-version=$PG_MAJOR)
  roles:     ${SERVICE_ROLES[*]} (password = role name, schema = role name);
             admin $ADMIN_ROLE/$ADMIN_ROLE owns both databases (local only)
Kafka $KAFKA_VERSION at $KAFKA_BOOTSTRAP (KRaft, controller $KAFKA_HOST:$CONTROLLER_PORT, pid $(kafka_pids | xargs)$(foreign_kafka_pids | xargs))
Environment: PGHOST=$PG_HOST PGPORT=$PG_PORT KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP
  eval "\$($0 env)"
EOF
}

cmd_up() {
    local t0
    t0=$(now)
    lock
    mkdir -p "$LOCAL" "$STATE_DIR" "$LOG_DIR"
    resolve_addresses yes
    have java || die "java is not on PATH"
    [[ $KAFKA_HEAP =~ ^[0-9]+[mMgG]$ ]] || die "HEALTHMESH_KAFKA_HEAP must look like 256m or 1g, got '$KAFKA_HEAP'"
    [[ $TIMEOUT =~ ^[0-9]+$ ]] || die "HEALTHMESH_STACK_TIMEOUT must be a number of seconds, got '$TIMEOUT'"
    choose_pg_mode
    write_state
    if [[ $PG_MODE == machine ]]; then machine_up; else embedded_up; fi
    pg_provision
    say "PostgreSQL $PG_MAJOR at $PG_HOST:$PG_PORT: roles, databases ${DATABASES[*]} and schemas ready"
    write_state
    kafka_up
    write_state
    say "up in $(elapsed "$t0") s"
    print_summary
}

cmd_down() {
    lock
    resolve_addresses no
    kafka_down
    embedded_down
    machine_down
    rm -f "$STATE_FILE"
    say "down"
}

cmd_status() {
    resolve_addresses no
    load_state
    PG_MODE=${ST_PG_MODE:-}
    local ok=0 pids major
    if { [[ $(pg_client) == psql || -d $PG_LOCAL/lib ]]; } && major=$(pg_sql_tcp "$ADMIN_ROLE" "$ADMIN_ROLE" healthmesh \
            "SELECT current_setting('server_version_num')::int / 10000" 2>/dev/null); then
        local where="machine cluster ${ST_PG_CLUSTER:-}"
        [[ ${ST_PG_MODE:-} == machine ]] || where="embedded, data ${ST_PG_CLUSTER:-}"
        [[ -n ${ST_PG_MODE:-} ]] || where="not started by the stack"
        say "PostgreSQL $major answers at $PG_HOST:$PG_PORT ($where)"
    elif port_open "$PG_HOST" "$PG_PORT"; then
        say "PostgreSQL: something listens on $PG_HOST:$PG_PORT but the stack's roles cannot log in (run up)"
        ok=1
    else
        say "PostgreSQL: not running at $PG_HOST:$PG_PORT"
        ok=1
    fi
    pids=$(kafka_pids)
    local foreign
    foreign=$(foreign_kafka_pids)
    if [[ -n $pids ]] && [[ -d $KDIR/lib ]] && topics_tool 5 check "$KAFKA_BOOTSTRAP" >/dev/null 2>&1; then
        say "Kafka answers at $KAFKA_BOOTSTRAP (pid $(echo $pids))"
    elif [[ -z $pids && -n $foreign ]] && [[ -d $KDIR/lib ]] && topics_tool 5 check "$KAFKA_BOOTSTRAP" >/dev/null 2>&1; then
        say "Kafka answers at $KAFKA_BOOTSTRAP (pid $(echo $foreign), started by another checkout)"
    elif [[ -n $pids ]]; then
        say "Kafka: process $(echo $pids) runs but does not serve metadata at $KAFKA_BOOTSTRAP (log $KDIR/logs/server.log)"
        ok=1
    else
        say "Kafka: not running"
        ok=1
    fi
    return $ok
}

cmd_env() {
    resolve_addresses no
    load_state
    echo "export PGHOST=$PG_HOST"
    echo "export PGPORT=$PG_PORT"
    echo "export KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP"
    if [[ -n ${ST_PG_MAJOR:-} ]]; then echo "export HEALTHMESH_PG_MAJOR=$ST_PG_MAJOR"; fi
}

cmd_reset_test() {
    lock
    resolve_addresses no
    load_state
    [[ -n ${ST_PG_MODE:-} ]] || die "the stack is not up (run '$0 up')"
    PG_MODE=$ST_PG_MODE
    pg_super_sql postgres "DROP DATABASE IF EXISTS healthmesh_test WITH (FORCE)" || die "DROP DATABASE healthmesh_test failed"
    provision_database healthmesh_test
    say "healthmesh_test recreated at $PG_HOST:$PG_PORT"
}

cmd_topics() { # prefix
    local prefix=${1:-}
    [[ -n $prefix ]] || die "usage: $0 topics <prefix>   (e.g. t1a2b3.)"
    resolve_addresses no
    [[ -n $(kafka_pids) || -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]] || die "Kafka is not running (run '$0 up')"
    [[ -d $KDIR/lib ]] || die "no Kafka jars in $KDIR/lib (run '$0 up')"
    local out
    out=$(topics_tool "$TIMEOUT" ensure "$KAFKA_BOOTSTRAP" "$SCRIPT_DIR/topics.txt" "$prefix" 2>&1) ||
        { printf '%s\n' "$out" >&2; die "creating topics with prefix '$prefix' failed"; }
    say "Kafka: prefix '$prefix': $out"
}

cmd_drop_topics() { # prefix
    local prefix=${1:-}
    [[ -n $prefix ]] || die "usage: $0 drop-topics <prefix>"
    resolve_addresses no
    [[ -d $KDIR/lib ]] || die "no Kafka jars in $KDIR/lib (run '$0 up')"
    local out
    out=$(topics_tool "$TIMEOUT" delete "$KAFKA_BOOTSTRAP" "$prefix" 2>&1) ||
        { printf '%s\n' "$out" >&2; die "deleting topics with prefix '$prefix' failed"; }
    say "Kafka: $out"
}

# Stopping and starting one part of a running stack (the fault tests: a broker or a database that
# goes away under running services and comes back). Only what `up` recorded in the state file is
# touched, on the addresses it recorded, so the services find the part where it was, with its data.

running_stack_state() { # loads the state of the running stack into PG_MODE PG_CLUSTER PG_MAJOR
    resolve_addresses no
    load_state
    [[ -n ${ST_PG_MODE:-} ]] || die "the stack is not up (run '$0 up')"
    PG_MODE=$ST_PG_MODE
    PG_CLUSTER=${ST_PG_CLUSTER:-}
    PG_MAJOR=${ST_PG_MAJOR:-}
}

cmd_kafka_stop() {
    lock
    running_stack_state
    if [[ -z $(kafka_pids) && -n $(foreign_kafka_pids) ]]; then
        # Stopping it would take Kafka away from the checkout that started it (and its users).
        die "the broker at $KAFKA_BOOTSTRAP was started by another checkout (pid $(echo $(foreign_kafka_pids))); stop it there"
    fi
    kafka_down
    port_open "$KAFKA_HOST" "$KAFKA_PORT" && die "Kafka stopped, but $KAFKA_HOST:$KAFKA_PORT still answers"
    say "Kafka: stopped (data kept in $KDIR/data; '$0 kafka-start' brings it back)"
}

cmd_kafka_start() {
    lock
    running_stack_state
    # The same listeners and log dirs as before (kafka_write_config derives them from the state), so
    # topics, offsets and consumer groups are all still there.
    kafka_up
    say "Kafka: answers at $KAFKA_BOOTSTRAP"
}

cmd_pg_stop() {
    lock
    running_stack_state
    if [[ $PG_MODE == machine ]]; then
        local ver name
        IFS=/ read -r ver name <<<"$PG_CLUSTER"
        [[ -n $ver && -n $name ]] || die "no machine cluster recorded in $STATE_FILE"
        say "PostgreSQL: stopping machine cluster $ver/$name (fast: sessions are ended, data kept)"
        machine_cluster_ctl "$ver" "$name" stop
        # The marker (did `up` start it?) stays as it is: pg-start brings the cluster back to the
        # state `up` left, and `down` still stops it only when `up` had started it.
    else
        embedded_down
    fi
    local t0=$SECONDS
    while port_open "$PG_HOST" "$PG_PORT"; do
        ((SECONDS - t0 < TIMEOUT)) || die "PostgreSQL stopped, but $PG_HOST:$PG_PORT still answers after $TIMEOUT s"
        sleep 0.3
    done
    say "PostgreSQL: stopped ('$0 pg-start' brings it back)"
}

cmd_pg_start() {
    lock
    running_stack_state
    if [[ $PG_MODE == machine ]]; then
        local ver name
        IFS=/ read -r ver name <<<"$PG_CLUSTER"
        [[ -n $ver && -n $name ]] || die "no machine cluster recorded in $STATE_FILE"
        if machine_clusters | awk -v v="$ver" -v n="$name" '$1 == v && $2 == n && $4 ~ /^online/' | grep -q .; then
            say "PostgreSQL: machine cluster $ver/$name already running"
        else
            say "PostgreSQL: starting machine cluster $ver/$name ..."
            machine_cluster_ctl "$ver" "$name" start
        fi
    else
        # embedded_up keeps the data directory and writes the same port into its configuration.
        embedded_up
        write_state
    fi
    # Ready means what the services need: a service role logs in over TCP with its password.
    local t0=$SECONDS
    until pg_sql_tcp "$ADMIN_ROLE" "$ADMIN_ROLE" healthmesh "select 1" >/dev/null 2>&1; do
        ((SECONDS - t0 < TIMEOUT)) || die "PostgreSQL does not accept logins at $PG_HOST:$PG_PORT within $TIMEOUT s"
        sleep 0.3
    done
    say "PostgreSQL: answers at $PG_HOST:$PG_PORT"
}

usage() {
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

case ${1:-} in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    reset-test) cmd_reset_test ;;
    topics) cmd_topics "${2:-}" ;;
    drop-topics) cmd_drop_topics "${2:-}" ;;
    kafka-stop) cmd_kafka_stop ;;
    kafka-start) cmd_kafka_start ;;
    pg-stop) cmd_pg_stop ;;
    pg-start) cmd_pg_start ;;
    -h | --help | help | "") usage ;;
    *) printf '[stack] ERROR: unknown command %s\n' "$1" >&2; usage ;;
esac
