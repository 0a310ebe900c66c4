#!/usr/bin/env bash
# Builds the images the tests and samples use, from Debian packages only, because no image registry can be
# reached from CI: sandboxer-test/busybox (BusyBox userland) and sandboxer-test/debian (GNU userland, minbase).
# Idempotent: an image that already exists is kept, unless --force is given.
set -euo pipefail

force=false
[ "${1:-}" = "--force" ] && force=true

busybox_image=sandboxer-test/busybox:latest
debian_image=sandboxer-test/debian:latest
suite=${SANDBOXER_DEBIAN_SUITE:-bookworm}
mirror=${SANDBOXER_DEBIAN_MIRROR:-http://deb.debian.org/debian}
path_env='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "build-test-images: '$1' is missing (apt-get install $2)" >&2; exit 1; }
}

exists() {
  ! $force && docker image inspect "$1" >/dev/null 2>&1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if exists "$busybox_image"; then
  echo "build-test-images: $busybox_image is there"
else
  busybox_bin=$(command -v busybox || true)
  [ -n "$busybox_bin" ] && "$busybox_bin" --help 2>&1 | head -1 | grep -q BusyBox || need busybox busybox-static
  # The static build, so the image needs no libc of its own.
  file_out=$(od -An -c -N4 "$busybox_bin" | tr -d ' ')
  [ "$file_out" = '177ELF' ] || { echo "build-test-images: $busybox_bin is not an ELF binary" >&2; exit 1; }
  root="$work/busybox"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,home/user}
  chmod 1777 "$root/tmp"
  cp "$busybox_bin" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    # The applet list names busybox itself; linking it would replace the binary by a loop.
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
  cat > "$root/etc/group" <<'GROUP'
root:x:0:
user:x:1000:
nogroup:x:65534:
GROUP
  chown 1000:1000 "$root/home/user"
  tar -C "$root" -c . | docker import -c "$path_env" -c 'CMD ["sh"]' - "$busybox_image" >/dev/null
  echo "build-test-images: built $busybox_image"
fi

if exists "$debian_image"; then
  echo "build-test-images: $debian_image is there"
else
  need debootstrap debootstrap
  root="$work/debian"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  chroot "$root" useradd --create-home --uid 1000 --shell /bin/bash user
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c "$path_env" -c 'CMD ["bash"]' - "$debian_image" >/dev/null
  echo "build-test-images: built $debian_image"
fi
