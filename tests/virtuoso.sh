#!/usr/bin/env bash
# A private Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1, for the remote-store tests.
#
#   bash tests/virtuoso.sh install        apt-get install virtuoso-opensource (once; needs root)
#   bash tests/virtuoso.sh start DIR      start an instance whose database, ini and logs live in
#                                         DIR; prints KEY=VALUE lines (endpoints, user, password)
#                                         and writes them to DIR/endpoint.env
#   bash tests/virtuoso.sh stop DIR       stop that instance (by the pid it recorded)
#
# The instance is not Debian's system service: it has its own virtuoso.ini, database and two
# ports chosen free at start, both bound to 127.0.0.1 only (SQL and HTTP). The service the
# package ships is never started: installation runs under a policy-rc.d that refuses every
# service start (Docker images already have one; otherwise one is put in place for the
# install and removed after). A fresh database's dba password is replaced by a random one,
# and SPARQL_UPDATE is granted to the authenticated user the remote store uses (dba, via the
# digest-authenticated endpoints /sparql-auth and /sparql-graph-crud-auth); anonymous /sparql
# stays read-only.
set -euo pipefail

PKG=virtuoso-opensource
START_TIMEOUT=${VIRTUOSO_START_TIMEOUT:-60}

die() { echo "virtuoso.sh: $*" >&2; exit 1; }

find_binary() {
    for b in virtuoso-t /usr/bin/virtuoso-t /usr/lib/virtuoso-opensource-7/bin/virtuoso-t; do
        command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return; }
    done
    return 1
}

find_isql() {
    for b in isql-vt /usr/bin/isql-vt /usr/lib/virtuoso-opensource-7/bin/isql; do
        command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return; }
    done
    return 1
}

cmd_install() {
    if find_binary >/dev/null; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "no apt-get: install $PKG yourself"
    [ "$(id -u)" = 0 ] || die "installing $PKG needs root (or install it yourself)"
    local made_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        # refuse every service start while the package installs (the system service would
        # listen on all interfaces); removed again below
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    # the system database's dba password: random, never used by the tests
    local pw
    pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    printf '%s\n' \
        "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password $pw" \
        "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password $pw" \
        | debconf-set-selections
    local status=0
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "$PKG" >/dev/null; } || status=$?
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
    [ "$status" = 0 ] || die "apt-get install $PKG failed (status $status)"
    find_binary >/dev/null || die "$PKG installed but virtuoso-t not found"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cmd_start() {
    local dir=${1:?usage: virtuoso.sh start DIR}
    local bin isql
    bin=$(find_binary) || die "virtuoso-t not installed (run: bash tests/virtuoso.sh install)"
    isql=$(find_isql) || die "isql-vt not installed"
    mkdir -p "$dir/db"
    dir=$(cd "$dir" && pwd)
    local sql_port http_port
    sql_port=$(free_port)
    http_port=$(free_port)
    while [ "$http_port" = "$sql_port" ]; do http_port=$(free_port); done
    local vsp=/var/lib/virtuoso-opensource-7/vsp
    [ -d "$vsp" ] || vsp="$dir/vsp"
    mkdir -p "$vsp"
    cat > "$dir/virtuoso.ini" <<EOF
; written by tests/virtuoso.sh: a private instance for the remote-store tests
[Database]
DatabaseFile       = $dir/db/virtuoso.db
ErrorLogFile       = $dir/db/virtuoso.log
LockFile           = $dir/db/virtuoso.lck
TransactionFile    = $dir/db/virtuoso.trx
xa_persistent_file = $dir/db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/db/virtuoso-temp.db
TransactionFile    = $dir/db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:$sql_port
LiteMode           = 0
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CaseMode           = 2
AllowOSCalls       = 0
ServerThreads      = 10
CheckpointInterval = 60
NumberOfBuffers    = 20000
MaxDirtyBuffers    = 15000
SchedulerInterval  = 10
DirsAllowed        = ., $dir
ThreadCleanupInterval = 0
ThreadThreshold    = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize  = 100000
SingleCPU          = 0
PrefixResultNames  = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps      = 64
MaxMemPoolSize     = 200000000
DefaultIsolation   = 2
AdjustVectorSize   = 0
MaxVectorSize      = 1000000
MaxQueryMem        = 500M
HashJoinSpace      = 500M

[HTTPServer]
ServerPort         = 127.0.0.1:$http_port
ServerRoot         = $vsp
MaxClientConnections = 10
DavRoot            = DAV
EnabledDavVSP      = 0
HTTPProxyEnabled   = 0
ServerThreads      = 10
KeepAliveTimeout   = 10
MaxKeepAlives      = 10
HTTPLogFile        =
MaintenancePage    = atomic.html
EnabledGzipContent = 0
Charset            = UTF-8

[AutoRepair]
BadParentLinks     = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[Replication]
ServerName         = ofsted-kg-test
ServerEnable       = 0

[SPARQL]
ResultSetMaxRows   = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
DefaultQuery       = select distinct ?Concept where {[] a ?Concept} LIMIT 100
DeferInferenceRulesInit = 0
EOF
    rm -f "$dir/db/virtuoso.lck"
    # +foreground under nohup: we record its pid ourselves, so `stop` ends exactly this process
    (cd "$dir/db" && exec nohup "$bin" +configfile "$dir/virtuoso.ini" +foreground \
        > "$dir/db/stdout.log" 2>&1 < /dev/null) &
    echo $! > "$dir/virtuoso.pid"
    local pid
    pid=$(cat "$dir/virtuoso.pid")
    local deadline=$((SECONDS + START_TIMEOUT)) up=
    while [ $SECONDS -lt $deadline ]; do
        kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/db/virtuoso.log" >&2 2>/dev/null; die "virtuoso exited during start"; }
        if "$isql" "127.0.0.1:$sql_port" dba dba exec="select 1;" >/dev/null 2>&1; then
            up=1
            break
        fi
        sleep 0.5
    done
    [ -n "$up" ] || { cmd_stop "$dir" || true; die "virtuoso did not answer within ${START_TIMEOUT} s"; }
    local pw
    # a letter first: isql reads "set password" arguments as identifiers
    pw=K$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    # the remote store writes as dba through the digest-authenticated endpoints; a database
    # still finishing its first start can refuse this, so try until the deadline
    local done_pw=
    while [ $SECONDS -lt $deadline ]; do
        "$isql" "127.0.0.1:$sql_port" dba dba exec="
            GRANT SPARQL_UPDATE TO \"dba\";
            set password dba $pw;" > "$dir/db/isql.log" 2>&1 || true
        if "$isql" "127.0.0.1:$sql_port" dba "$pw" exec="select 1;" >/dev/null 2>&1; then
            done_pw=1
            break
        fi
        sleep 0.5
    done
    if [ -z "$done_pw" ]; then
        tail -5 "$dir/db/isql.log" >&2
        cmd_stop "$dir" || true
        die "could not set the dba password of the private instance"
    fi
    # wait for the HTTP listener too
    while [ $SECONDS -lt $deadline ]; do
        python3 - "$http_port" <<'PY' && break
import sys, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/sparql?query=ASK%7B%7D", timeout=2).read()
except Exception:
    sys.exit(1)
PY
        sleep 0.5
    done
    cat > "$dir/endpoint.env" <<EOF
VIRTUOSO_PID=$pid
VIRTUOSO_SQL_PORT=$sql_port
VIRTUOSO_HTTP_PORT=$http_port
VIRTUOSO_QUERY_ENDPOINT=http://127.0.0.1:$http_port/sparql
VIRTUOSO_UPDATE_ENDPOINT=http://127.0.0.1:$http_port/sparql-auth
VIRTUOSO_GRAPH_STORE_ENDPOINT=http://127.0.0.1:$http_port/sparql-graph-crud-auth
VIRTUOSO_USER=dba
VIRTUOSO_PASSWORD=$pw
EOF
    chmod 600 "$dir/endpoint.env"
    cat "$dir/endpoint.env"
}

cmd_stop() {
    local dir=${1:?usage: virtuoso.sh stop DIR}
    [ -f "$dir/virtuoso.pid" ] || return 0
    local pid
    pid=$(cat "$dir/virtuoso.pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
    rm -f "$dir/virtuoso.pid"
}

case "${1:-}" in
    install) cmd_install ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    *) echo "usage: $0 install | start DIR | stop DIR" >&2; exit 2 ;;
esac
