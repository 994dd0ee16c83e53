#!/usr/bin/env bash
# Installs what the Samba AD DC test fixture (connector-ldap, io.usher.ldap.servers.SambaDc) needs
# on a fresh Debian machine: the `samba` package (samba, samba-tool, ldbadd) and nothing else.
# Idempotent and non-interactive. The fixture provisions a PRIVATE domain into a temp dir and
# runs its own `samba` on 127.0.0.1:389/636, so any system samba/smbd/nmbd/winbind service the
# package starts is stopped and disabled here to keep those ports free. A system service that
# cannot start (or stop) never fails this script.
set -euo pipefail

log() { printf '[install-samba] %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    log "not root and no sudo: cannot install packages"; exit 1; fi
fi

PACKAGES=(samba samba-ad-dc samba-ad-provision ldb-tools)
# Debian 12 (bookworm) splits the AD DC into samba-ad-dc, and the AD schema files provisioning
# reads into samba-ad-provision (only a Recommends, so --no-install-recommends would skip it).
missing=()
for p in "${PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ]; then
    log "already installed: $p"
  else
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  # Policy: keep postinst scripts from starting services (they would grab ports 389/445 etc.).
  # policy-rc.d only affects invoke-rc.d; we remove it again afterwards if we created it.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    created_policy=1
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
    log "temporarily installed /usr/sbin/policy-rc.d (no service starts during install)"
  fi
  # Only refresh package lists when the packages are not known yet (idempotent, quick re-runs).
  need_update=0
  for p in "${missing[@]}"; do
    if ! apt-cache show "$p" >/dev/null 2>&1; then need_update=1; fi
  done
  if [ "$need_update" -eq 1 ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial || true)" ]; then
    log "apt-get update"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  fi
  # samba-ad-dc may not exist as a separate package on every release: install what is known.
  installable=()
  for p in "${missing[@]}"; do
    if apt-cache show "$p" >/dev/null 2>&1; then installable+=("$p"); else log "not in apt: $p (skipped)"; fi
  done
  log "apt-get install ${installable[*]}"
  set +e
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${installable[@]}"
  rc=$?
  set -e
  if [ "$created_policy" -eq 1 ]; then $SUDO rm -f /usr/sbin/policy-rc.d; trap - EXIT; log "removed policy-rc.d"; fi
  if [ "$rc" -ne 0 ]; then
    # A postinst that tried to start a service can leave packages half-configured; finish them.
    log "apt-get install returned $rc; running dpkg --configure -a"
    $SUDO env DEBIAN_FRONTEND=noninteractive dpkg --configure -a || true
  fi
fi

for bin in samba samba-tool ldbadd; do
  if ! command -v "$bin" >/dev/null 2>&1; then log "MISSING after install: $bin"; exit 1; fi
done

# Stop and disable any system samba services; they are not used by the fixture.
for svc in samba-ad-dc samba smbd nmbd winbind; do
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl stop "$svc" >/dev/null 2>&1 && log "ran systemctl stop $svc" || true
    $SUDO systemctl disable "$svc" >/dev/null 2>&1 || true
    $SUDO systemctl mask "$svc" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$svc" ]; then
    $SUDO "/etc/init.d/$svc" stop >/dev/null 2>&1 && log "ran /etc/init.d/$svc stop" || true
  fi
done
# Daemons started without an init system (containers): stop those that use the system config.
# Matched by exact process name and by their use of the system smb.conf, never by pattern on
# other processes; a private fixture instance always runs with `-s <tmpdir>/etc/smb.conf`.
for name in samba smbd nmbd winbindd; do
  for pid in $(pgrep -x "$name" 2>/dev/null || true); do
    args="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)"
    case "$args" in
      *"-s "*|*"--configfile"*) ;;   # private instance (e.g. a running fixture): leave alone
      *) $SUDO kill "$pid" 2>/dev/null && log "stopped system $name (pid $pid)" || true ;;
    esac
  done
done

log "samba: $(samba -V 2>/dev/null || echo '?')"
if command -v ss >/dev/null 2>&1; then
  busy="$(ss -ltnH '( sport = :389 or sport = :636 )' 2>/dev/null || true)"
  if [ -n "$busy" ]; then log "WARNING: ports 389/636 are in use: $busy"; else log "ports 389/636 are free"; fi
fi
log "done"
