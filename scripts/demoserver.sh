# Sourced by the scripts that test a running server (schemathesis.sh, sikkerhedsskanning.sh):
# the `vitas` binary as the README's first command runs it (demo mode, embedded SQLite in a
# fresh temporary folder), on port 0; stopped and its folder removed when the script exits.
#
#   start_demoserver PREFIKS BINÆR [VARIABEL=værdi …]
#
# Sets MAPPE (the folder; the server's log is $MAPPE/server.log), SERVER_PID and BASE (the
# address the server printed).
start_demoserver() {
    local prefiks="$1" bin="$2"
    shift 2
    MAPPE="$(mktemp -d -t "$prefiks-XXXXXX")"
    SERVER_PID=""
    trap stop_demoserver EXIT
    env VITAS_DATABASE_URL="" VITAS_LOG="${VITAS_LOG:-warn}" "$@" "$bin" \
        --data-dir "$MAPPE/data" --addr 127.0.0.1:0 --demo true serve >"$MAPPE/server.log" 2>&1 &
    SERVER_PID=$!
    BASE=""
    for _ in $(seq 1 120); do
        BASE="$(sed -n 's|^VITAS kører på \(http://[0-9.:]*\)/$|\1|p' "$MAPPE/server.log" | head -n 1)"
        if [ -n "$BASE" ]; then break; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "FEJL: serveren stoppede:" >&2
            cat "$MAPPE/server.log" >&2
            exit 1
        fi
        sleep 0.5
    done
    if [ -z "$BASE" ]; then
        echo "FEJL: serveren startede ikke inden for 60 s" >&2
        cat "$MAPPE/server.log" >&2
        exit 1
    fi
    echo "Serveren kører på $BASE"
}

stop_demoserver() {
    if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "${MAPPE:-}" ]; then rm -rf "$MAPPE"; fi
}
