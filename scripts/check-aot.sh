#!/usr/bin/env bash
# Proves that the starter works after Spring's AOT processing: builds samples/web with process-aot (profile 'aot'),
# starts the jar with -Dspring.aot.enabled=true, checks /actuator/health and runs one command in a sandbox on the
# local Docker Engine, then stops the app. Any failure fails the script. Needs the Docker Engine and the test images
# (scripts/setup-docker.sh). Run from anywhere: scripts/check-aot.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "==> $*"; }
fail() { echo "check-aot: $*" >&2; exit 1; }

if ! command -v curl >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || fail "curl is needed (sudo apt-get install curl)"
  log "installing curl"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
fi

log "building samples/web with process-aot"
./mvnw -B -ntp -q -pl samples/web -am -Paot package -DskipTests

workdir=$(mktemp -d)
app_log="$workdir/web.log"
app_pid=
stop_app() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid"
    # Shutdown kills what the app created; give it the starter's shutdown timeout, then stop waiting.
    for _ in $(seq 1 40); do kill -0 "$app_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap stop_app EXIT

log "starting the AOT-processed app"
java -Dspring.aot.enabled=true -jar samples/web/target/web.jar --server.port=0 \
  --sandboxer.providers.local.image=sandboxer-test/busybox:latest >"$app_log" 2>&1 &
app_pid=$!

port=
for _ in $(seq 1 120); do
  kill -0 "$app_pid" 2>/dev/null || { cat "$app_log" >&2; fail "the app stopped during start-up"; }
  port=$(sed -n 's/.*Tomcat started on port \([0-9]*\).*/\1/p' "$app_log" | head -1)
  [ -n "$port" ] && break
  sleep 1
done
[ -n "$port" ] || { cat "$app_log" >&2; fail "the app did not start within 120 s"; }
grep -q "Starting AOT-processed" "$app_log" || { cat "$app_log" >&2; fail "the app did not run its AOT code"; }

log "GET /actuator/health"
health=$(curl -sS --max-time 30 -w '\n%{http_code}' "http://localhost:$port/actuator/health")
echo "$health" | head -1
[ "$(echo "$health" | tail -1)" = 200 ] || fail "health answered $(echo "$health" | tail -1)"
echo "$health" | head -1 | grep -q '"engineVersion"' || fail "the local provider did not answer its ping"

log "POST /run (a throwaway sandbox on local)"
run=$(curl -sS --max-time 120 -w '\n%{http_code}' -H 'Content-Type: text/plain' --data 'echo aot-ok' \
  "http://localhost:$port/run")
echo "$run" | head -1
[ "$(echo "$run" | tail -1)" = 200 ] || fail "/run answered $(echo "$run" | tail -1)"
echo "$run" | head -1 | grep -q '"stdout":"aot-ok\\n"' || fail "/run did not return the command's output"

log "AOT check passed"
