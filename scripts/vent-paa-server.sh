# Sourced by the scripts that start a demo server on port 0 (schemathesis.sh,
# sikkerhedsskanning.sh): waits for the address the server prints, and sets BASE to it.
#
#   vent_paa_server "$SERVER_PID" "$MAPPE/server.log"
vent_paa_server() {
    local pid="$1" log="$2"
    BASE=""
    for _ in $(seq 1 120); do
        BASE="$(sed -n 's|^VITAS kører på \(http://[0-9.:]*\)/$|\1|p' "$log" | head -n 1)"
        if [ -n "$BASE" ]; then break; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "FEJL: serveren stoppede:" >&2
            cat "$log" >&2
            exit 1
        fi
        sleep 0.5
    done
    if [ -z "$BASE" ]; then
        echo "FEJL: serveren startede ikke inden for 60 s" >&2
        cat "$log" >&2
        exit 1
    fi
    echo "Serveren kører på $BASE"
}
