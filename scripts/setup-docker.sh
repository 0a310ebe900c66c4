#!/usr/bin/env bash
# Gets a Debian machine ready to run Sandboxer's local provider: installs the Docker Engine (Debian's docker.io) and
# the tools the test images are made with, starts the engine when it is not running, and builds the test images.
# Needs root. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "==> $*"; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/sandboxer-dockerd.log)"
  nohup dockerd >/var/log/sandboxer-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -30 /var/log/sandboxer-dockerd.log >&2; echo "dockerd did not start" >&2; exit 1; }
fi
log "docker engine $(docker version --format '{{.Server.Version}}')"

log "building test images"
scripts/build-test-images.sh
