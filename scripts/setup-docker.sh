#!/usr/bin/env bash
# Gets a Debian machine ready to run Sandboxer's local provider: installs the Docker Engine (Debian's docker.io) and
# the tools the test images are made with, starts the engine when it is not running, and builds the test images.
# Needs root: run it as root, or as a user with sudo, who is asked for a password once and is then given access to
# the Docker socket. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "==> $*"; }

if [ "$(id -u)" -ne 0 ]; then
  # A fresh Debian machine logged in as root has no sudo; a user account has it. Only the latter gets here.
  command -v sudo >/dev/null 2>&1 || { echo "setup-docker: needs root; run it as root (sudo is not installed)" >&2; exit 1; }
  log "running as root through sudo"
  exec sudo --preserve-env=SANDBOXER_DEBIAN_SUITE,SANDBOXER_DEBIAN_MIRROR "$(pwd)/scripts/setup-docker.sh" "$@"
fi

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
# Run through sudo, the calling user is given the Docker socket with an ACL (see the end).
if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  command -v setfacl >/dev/null 2>&1 || missing+=(acl)
fi
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

if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  # The docker group lasts, but only from the user's next login; the ACL lets this session use the Engine now.
  log "giving $SUDO_USER the Docker socket (docker group from the next login, an ACL until dockerd restarts)"
  getent group docker >/dev/null 2>&1 || groupadd docker
  usermod -aG docker "$SUDO_USER"
  setfacl -m "u:$SUDO_USER:rw" /var/run/docker.sock
fi
