#!/usr/bin/env bash
# The container image, tested without a container runtime (issue 11 §1; decisions 122–123).
# The project's machines have no container daemon, so this builds the root file system of the
# Containerfile's runtime stage by hand, with the same steps [R1]…[R7] (keep the two in step:
# each step here names its line there), and runs `vitas` in it with chroot as the image's user,
# the main process in a PID namespace of its own (unshare), so tini is PID 1 as in a container:
#
#   - the root file system holds the binary, its shared libraries (from ldd), tini, the CA
#     certificates, /etc/passwd and /etc/group with the non-root user, and the data folder
#     owned by that user; no Node, no source tree, no build folder;
#   - `vitas --version` runs in it as the user;
#   - `vitas serve`, started as the Containerfile's ENTRYPOINT and CMD with its ENV (only the
#     address is changed to a free port on 127.0.0.1), runs as the user (uid checked), answers
#     /healthz, and writes its database into the data folder as the user;
#   - the HEALTHCHECK command, run in it, passes while the server runs and fails once it stops;
#   - every style sheet the front page links (Det Fælles Designsystem's and VITAS's own)
#     answers 200 with text/css from inside the root file system, where the build tree does
#     not exist: the binary must carry them (decision 108);
#   - the STOPSIGNAL, sent to PID 1, stops the server within Docker's default 10 s with exit
#     code 0 (a graceful stop), and stops `vitas worker` from the same image too, which has no
#     handler of its own (tini passes it on; without tini the worker would ignore it).
#
# The uid, the ENV, the ENTRYPOINT, CMD, HEALTHCHECK and STOPSIGNAL are read from the
# Containerfile itself, so the test cannot drift from it on those.
#
#   sudo bash scripts/container-rootfs-test.sh
#
# Needs root (chroot, unshare); CI runs as root. Needs tini, the CA certificates, curl, python3
# and util-linux's unshare. About 8 s.
#
# Environment:
#   VITAS_BIN   a built `vitas` binary (default: cargo build --release -p server --bin vitas,
#               as the Containerfile's builder does)
#   BEHOLD=1    keep the root file system and the server's log for inspection
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "FEJL: chroot kræver root; kør med sudo" >&2
    exit 1
fi
for kommando in tini curl python3 ldd chroot unshare; do
    command -v "$kommando" >/dev/null 2>&1 || { echo "FEJL: $kommando mangler (apt-get install tini curl python3)" >&2; exit 1; }
done
CHROOT="$(command -v chroot)"
UNSHARE="$(command -v unshare)"
CA=/etc/ssl/certs/ca-certificates.crt
[ -f "$CA" ] || { echo "FEJL: $CA mangler (apt-get install ca-certificates)" >&2; exit 1; }

if [ -z "${VITAS_BIN:-}" ]; then
    echo "==> Bygger vitas (release), som Containerfile'ens bygge-trin"
    cargo build --release --locked -p server --bin vitas
    VITAS_BIN="${CARGO_TARGET_DIR:-target}/release/vitas"
fi

# ---- What the Containerfile's runtime stage says ----------------------------------------------
CF=Containerfile
# The builder's Rust is the workspace's rust-version, and both stages are the same Debian
# release, so the binary's glibc is the runtime's (decision 122).
RUST_VERSION="$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml)"
grep -qx "FROM docker.io/library/rust:$RUST_VERSION-bookworm AS bygger" "$CF" \
    || { echo "FEJL: $CF's bygge-trin er ikke rust:$RUST_VERSION-bookworm (Cargo.toml's rust-version)" >&2; exit 1; }
grep -qx "FROM docker.io/library/debian:bookworm-slim" "$CF" \
    || { echo "FEJL: $CF's runtime-trin er ikke debian:bookworm-slim, bygge-trinnets Debian" >&2; exit 1; }
# The runtime stage is everything after the last FROM.
RUNTIME="$(awk '/^FROM /{n=NR} {l[NR]=$0} END{for(i=n;i<=NR;i++) print l[i]}' "$CF")"
BRUGER_ID="$(sed -n 's/^ARG VITAS_UID=\([0-9][0-9]*\)$/\1/p' <<<"$RUNTIME")"
[ -n "$BRUGER_ID" ] || { echo "FEJL: ingen 'ARG VITAS_UID=<tal>' i $CF's runtime-trin" >&2; exit 1; }
# The Containerfile's instructions as JSON: ENV pairs, and the exec-form arrays.
CF_JSON="$(python3 - "$CF" <<'PY'
import json, re, shlex, sys
tekst = open(sys.argv[1], encoding="utf-8").read()
# Join continuation lines, drop comments, keep the runtime stage (after the last FROM).
linjer = [l for l in tekst.splitlines() if not l.lstrip().startswith("#")]
samlet = re.sub(r"\\\n\s*", " ", "\n".join(linjer))
trin = re.split(r"(?m)^FROM ", samlet)[-1]
ud = {"env": {}}
for l in trin.splitlines():
    ord_, _, rest = l.strip().partition(" ")
    if ord_ == "ENV":
        for par in shlex.split(rest):
            k, _, v = par.partition("=")
            ud["env"][k] = v
    elif ord_ in ("ENTRYPOINT", "CMD"):
        ud[ord_.lower()] = json.loads(rest)
    elif ord_ == "HEALTHCHECK":
        ud["healthcheck"] = json.loads(rest.split(" CMD ", 1)[1])
    elif ord_ == "STOPSIGNAL":
        ud["stopsignal"] = rest.strip()
for k in ("entrypoint", "cmd", "healthcheck", "stopsignal"):
    if k not in ud:
        sys.exit(f"FEJL: {k.upper()} mangler i Containerfile'ens runtime-trin")
print(json.dumps(ud))
PY
)"
cf() { python3 -c 'import json,sys; d=json.load(sys.stdin); v=eval(sys.argv[1]); print("\n".join(v) if isinstance(v, list) else v)' "$1" <<<"$CF_JSON"; }
mapfile -t ENTRYPOINT < <(cf 'd["entrypoint"]')
mapfile -t CMD < <(cf 'd["cmd"]')
mapfile -t HEALTHCHECK < <(cf 'd["healthcheck"]')
STOPSIGNAL="$(cf 'd["stopsignal"]')"
mapfile -t CF_ENV < <(cf '[k + "=" + v for k, v in d["env"].items()]')
DATAMAPPE="$(cf 'd["env"]["VITAS_DATA_DIR"]')"
echo "Containerfile: uid $BRUGER_ID, ENTRYPOINT ${ENTRYPOINT[*]}, CMD ${CMD[*]}, HEALTHCHECK ${HEALTHCHECK[*]}, STOPSIGNAL $STOPSIGNAL"
echo "               ENV ${CF_ENV[*]}"

# ---- The root file system ----------------------------------------------------------------------
MAPPE="$(mktemp -d)"
ROD="$MAPPE/rod"
UNSHARE_PID=""
ryd_op() {
    if [ -n "$UNSHARE_PID" ] && kill -0 "$UNSHARE_PID" 2>/dev/null; then kill -9 "$UNSHARE_PID" 2>/dev/null || true; fi
    if [ "${BEHOLD:-0}" = 1 ]; then echo "Beholdt: $MAPPE"; else rm -rf "$MAPPE"; fi
}
trap ryd_op EXIT

# A binary and the shared libraries ldd names for it, at the same paths (the loader included).
kopier_med_biblioteker() { # kilde, sti i roden
    mkdir -p "$(dirname "$ROD$2")"
    # A hard link where it can (a debug build's binary is hundreds of MB), else a copy.
    ln "$(readlink -f "$1")" "$ROD$2" 2>/dev/null || install -m 0755 "$1" "$ROD$2"
    ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
        [ -e "$ROD$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$ROD$lib"
    done
}

echo "==> Bygger runtime-trinnets rodfilsystem i $ROD"
# The base image's skeleton (debian:bookworm-slim): a root only root may write, a /tmp for all.
install -d -m 0755 "$ROD" "$ROD/etc" "$ROD/usr/local/bin" "$ROD/usr/bin" "$ROD/var/lib"
install -d -m 1777 "$ROD/tmp"
# [R1] CA certificates and tini.
install -D -m 0644 "$CA" "$ROD$CA"
kopier_med_biblioteker "$(command -v tini)" "${ENTRYPOINT[0]}"
# [R2] The non-root user and group, no login shell (and root, as the base image has).
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nvitas:x:%s:%s::%s:/usr/sbin/nologin\n' \
    "$BRUGER_ID" "$BRUGER_ID" "$DATAMAPPE" > "$ROD/etc/passwd"
printf 'root:x:0:\nvitas:x:%s:\n' "$BRUGER_ID" > "$ROD/etc/group"
# [R3] The data folder, owned by the user, closed to others.
install -d -o "$BRUGER_ID" -g "$BRUGER_ID" -m 0750 "$ROD$DATAMAPPE"
# [R4] The binary alone, with its shared libraries.
kopier_med_biblioteker "$VITAS_BIN" /usr/local/bin/vitas
echo "    $(find "$ROD" -type f | wc -l) filer, $(du -sh "$ROD" | cut -f1):"
find "$ROD" -type f | sed "s|^$ROD|      |" | sort

FEJL=0
fejl() { echo "FEJL: $*" >&2; FEJL=1; }
# Nothing of the build: no Node, no npm packages, no source (a guard against this script
# growing a copy of the tree).
if find "$ROD" \( -name node -o -name node_modules -o -name '*.rs' -o -name Cargo.toml \) | grep -q .; then
    fejl "rodfilsystemet indeholder Node eller kildetræet"
fi

# [R5] + [R6]: every command runs with the image's ENV alone, as the image's user.
# `env --default-signal`: a container's process starts with every signal at its default (a
# script's background command would otherwise ignore SIGINT).
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
ADR="http://127.0.0.1:$PORT"
NOEGLE="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
MILJOE=(env -i --default-signal PATH=/usr/local/bin:/usr/bin:/bin "${CF_ENV[@]}" VITAS_ADDR="127.0.0.1:$PORT"
    VITAS_ADGANGSLOG_NOEGLE="$NOEGLE")
SOM_BRUGER=("$CHROOT" --userspec="$BRUGER_ID:$BRUGER_ID" "$ROD")
# A one-off command in the image (as `docker exec` or `docker run --rm` would run it).
I_BILLEDET=("${MILJOE[@]}" "${SOM_BRUGER[@]}")
# The container's main process: in a PID namespace of its own, so ENTRYPOINT's first program
# (tini) is PID 1 there, as in a container; the kernel gives PID 1 only the signals it has a
# handler for. --kill-child: the namespace dies with unshare.
SOM_PID1=("${MILJOE[@]}" "$UNSHARE" --pid --fork --kill-child "${SOM_BRUGER[@]}")

# Starts the image's main process with the given CMD; sets UNSHARE_PID and PID1 (tini's pid
# as this machine sees it) and LOG.
start_hovedproces() { # log, CMD…
    LOG="$1"; shift
    "${SOM_PID1[@]}" "${ENTRYPOINT[@]}" "$@" >"$LOG" 2>&1 &
    UNSHARE_PID=$!
    PID1=""
    for _ in $(seq 1 50); do
        PID1="$(awk '{print $1}' "/proc/$UNSHARE_PID/task/$UNSHARE_PID/children" 2>/dev/null || true)"
        [ -n "$PID1" ] && break
        sleep 0.1
    done
}
# Sends STOPSIGNAL to PID 1, as `docker stop` does, and waits Docker's default 10 s; sets
# STOP_STATUS (the main process's exit status) or leaves it empty if it still runs.
stop_hovedproces() {
    STOP_STATUS=""
    kill -s "${STOPSIGNAL#SIG}" "$PID1" 2>/dev/null || true
    for _ in $(seq 1 100); do
        if ! kill -0 "$UNSHARE_PID" 2>/dev/null; then
            STOP_STATUS=0; wait "$UNSHARE_PID" || STOP_STATUS=$?
            UNSHARE_PID=""
            return
        fi
        sleep 0.1
    done
}

echo "==> vitas --version i rodfilsystemet som uid $BRUGER_ID"
if VERSION="$("${I_BILLEDET[@]}" /usr/local/bin/vitas --version 2>&1)" && [[ "$VERSION" == vitas* ]]; then
    echo "    $VERSION"
else
    fejl "vitas --version svarede: $VERSION"
fi

echo "==> Starter ${ENTRYPOINT[*]} ${CMD[*]} som PID 1 i rodfilsystemet på $ADR"
start_hovedproces "$MAPPE/server.log" "${CMD[@]}"
OPPE=0
for _ in $(seq 1 240); do
    if curl -fs "$ADR/healthz" >/dev/null 2>&1; then OPPE=1; break; fi
    kill -0 "$UNSHARE_PID" 2>/dev/null || break
    sleep 0.25
done
if [ "$OPPE" != 1 ]; then
    echo "--- serverens log ---" >&2; tail -n 30 "$MAPPE/server.log" >&2
    fejl "serveren i rodfilsystemet svarede ikke på $ADR/healthz"
    exit 1
fi
echo "    /healthz svarer 200"

# [R6] The server runs as the user: PID 1 of its namespace (tini) and its child (vitas).
PROCESSER=("$PID1")
read -r -a BOERN < "/proc/$PID1/task/$PID1/children" || true
PROCESSER+=("${BOERN[@]}")
NAVNE=()
for pid in "${PROCESSER[@]}"; do
    uid="$(awk '/^Uid:/ {print $2 "," $3}' "/proc/$pid/status")"
    [ "$uid" = "$BRUGER_ID,$BRUGER_ID" ] || fejl "proces $pid ($(cat "/proc/$pid/comm")) kører som uid $uid, ikke $BRUGER_ID"
    NAVNE+=("$(cat "/proc/$pid/comm")")
done
NSPID="$(awk '/^NSpid:/ {print $NF}' "/proc/$PID1/status")"
[ "$NSPID" = 1 ] || fejl "${NAVNE[0]} er pid $NSPID i sit navnerum, ikke 1"
echo "    ${NAVNE[*]} (${NAVNE[0]} er PID 1 i navnerummet) kører som uid $BRUGER_ID"
# [R3] Its database is in the data folder, written as the user.
DB="$ROD$DATAMAPPE/vitas.db"
if [ -f "$DB" ] && [ "$(stat -c %u "$DB")" = "$BRUGER_ID" ]; then
    echo "    databasen $DATAMAPPE/vitas.db er skrevet af uid $BRUGER_ID"
else
    fejl "$DATAMAPPE/vitas.db mangler eller ejes ikke af uid $BRUGER_ID"
fi

# [R7] The HEALTHCHECK command, as the runtime would run it in the container.
if SVAR="$("${I_BILLEDET[@]}" "${HEALTHCHECK[@]}" 2>&1)"; then
    echo "    HEALTHCHECK (${HEALTHCHECK[*]}): $SVAR"
else
    fejl "HEALTHCHECK (${HEALTHCHECK[*]}) fejlede mens serveren kører: $SVAR"
fi

echo "==> Sidens stylesheets, hentet fra serveren i rodfilsystemet"
curl -fsS "$ADR/" -o "$MAPPE/forside.html" || fejl "forsiden svarede ikke"
mapfile -t ARK < <(python3 - "$MAPPE/forside.html" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            print(a["href"])
P().feed(open(sys.argv[1], encoding="utf-8").read())
PY
)
[ "${#ARK[@]}" -gt 0 ] || fejl "forsiden linker ingen stylesheets"
printf '%s\n' "${ARK[@]}" | grep -q dkfds || fejl "forsiden linker ikke Det Fælles Designsystems stylesheet"
for href in "${ARK[@]}"; do
    read -r kode type < <(curl -s -o /dev/null -w '%{http_code} %{content_type}\n' "$ADR$href")
    if [ "$kode" = 200 ] && [[ "$type" == text/css* ]]; then
        echo "    $href: $kode $type"
    else
        fejl "$href svarede $kode ${type:-uden Content-Type} (200 og text/css forventet)"
    fi
done

echo "==> Stopper serveren med STOPSIGNAL $STOPSIGNAL til PID 1 (som docker stop; 10 s før SIGKILL)"
START_STOP=$SECONDS
stop_hovedproces
if [ -z "$STOP_STATUS" ]; then
    fejl "serveren var ikke stoppet 10 s efter $STOPSIGNAL"
elif [ "$STOP_STATUS" = 0 ]; then
    echo "    stoppet efter $((SECONDS - START_STOP)) s med status 0"
else
    fejl "serveren stoppede med status $STOP_STATUS efter $STOPSIGNAL (0 forventet: en pæn nedlukning)"
    tail -n 20 "$MAPPE/server.log" >&2
fi
# With the server gone, the health check must say so: exit code 1 and its own message (not,
# say, a usage error for an unknown subcommand).
status=0; SVAR="$("${I_BILLEDET[@]}" "${HEALTHCHECK[@]}" 2>&1)" || status=$?
if [ "$status" = 1 ] && [[ "$SVAR" == Usund:* ]]; then
    echo "    HEALTHCHECK efter stop fejler, som den skal: $SVAR"
else
    fejl "HEALTHCHECK efter stop gav status $status (1 forventet): $SVAR"
fi

# The worker from the same image (`… vitas worker`, decision 123). It has no handler for the
# stop signal; as PID 1 it would ignore it until SIGKILL, under tini it ends at once.
echo "==> ${ENTRYPOINT[*]} worker som PID 1 i rodfilsystemet, stoppet med $STOPSIGNAL"
start_hovedproces "$MAPPE/worker.log" worker
sleep 2
if ! kill -0 "$UNSHARE_PID" 2>/dev/null; then
    tail -n 20 "$MAPPE/worker.log" >&2
    fejl "vitas worker stoppede af sig selv i rodfilsystemet"
else
    stop_hovedproces
    if [ -n "$STOP_STATUS" ]; then
        echo "    arbejderen stoppede inden for 10 s (status $STOP_STATUS)"
    else
        fejl "vitas worker var ikke stoppet 10 s efter $STOPSIGNAL"
    fi
fi

if [ "$FEJL" -ne 0 ]; then
    echo "--- serverens log ---" >&2; tail -n 30 "$MAPPE/server.log" >&2
    echo "CONTAINER-RODFILSYSTEM-TEST FEJLEDE" >&2
    exit 1
fi
echo "CONTAINER-RODFILSYSTEM-TEST OK: vitas kører fra billedets rodfilsystem som uid $BRUGER_ID, uden Node og kildetræ."
