#!/usr/bin/env bash
# Debian packages the browser and email tests drive for real: chromium, dovecot (IMAP).
# Installed only when missing; needs root (CI and developer machines run as root).
# Exits non-zero when something is still missing afterwards: scripts/test.sh turns that
# into a failure when CI is set.
set -uo pipefail
missing_packages() {
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
  command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
}
missing_packages
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "!! missing ${need[*]} and cannot install them here"; exit 1
fi
echo "==> Installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
missing_packages
if [ ${#need[@]} -ne 0 ]; then echo "!! still missing after installing: ${need[*]}"; exit 1; fi
