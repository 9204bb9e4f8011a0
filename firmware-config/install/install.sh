#!/bin/sh
# Installs edgelstm from this folder (the bundle publish-arm64.ps1 builds): binary and model in /opt/edgelstm, config
# in /etc/edgelstm, a system user in the gpio/i2c/spi groups, and the systemd unit (enabled and started).
#
# The bundle carries two builds of the binary: edgelstm (armv8-a + NEON, any 64-bit Pi) and edgelstm-dotprod
# (armv8.2-a + the dot-product instructions, Pi 5 / CM5; it refuses to start on a CPU without them). One of them is
# installed, as /opt/edgelstm/edgelstm: edgelstm-dotprod when the CPU has the dot-product instructions (a "Features"
# line of the CPU information lists asimddp, as Linux reports on arm64) and the bundle has that file, edgelstm
# otherwise. One line on stdout says which.
#
# Nothing is copied until every file here matches its SHA-256 in SHA256SUMS and no file is here that SHA256SUMS does
# not list (the *.so and *.csv loops below would otherwise install it unchecked). A bundle that fails the check is
# refused with one line naming the file, and exit code 4.
#
# DESTDIR (optional, an absolute path) puts every installed file under that folder instead of /: a staged or
# unprivileged trial install. With DESTDIR set no user is made and systemd is not touched.
#
# EDGELSTM_CPUINFO (optional, a file; default /proc/cpuinfo) is where the CPU's features are read from: the tests give
# a file, and EDGELSTM_CPUINFO=/dev/null installs the default build on any CPU
# (`sudo env EDGELSTM_CPUINFO=/dev/null sh install.sh`).
set -eu
cd "$(dirname "$0")"

refuse() {
  echo "install.sh: $1; nothing was installed" >&2
  exit 4
}

# --- the bundle must be exactly what was built -----------------------------------------------------------------------
[ -f SHA256SUMS ] || refuse "SHA256SUMS is missing from the bundle"
if ! report=$(LC_ALL=C sha256sum -c --strict SHA256SUMS 2>&1); then
  # sha256sum reports "NAME: FAILED" when the contents differ, "NAME: FAILED open or read" when the file is not there.
  missing=$(printf '%s\n' "$report" | sed -n 's/: FAILED open or read$//p' | head -n 1)
  differs=$(printf '%s\n' "$report" | sed -n 's/: FAILED$//p' | head -n 1)
  [ -n "$missing" ] && refuse "$missing is listed in SHA256SUMS but missing from the bundle"
  [ -n "$differs" ] && refuse "$differs does not match its SHA-256 in SHA256SUMS"
  refuse "SHA256SUMS is malformed ($(printf '%s\n' "$report" | tail -n 1))"
fi
listed=$(sed 's/^[0-9a-fA-F]\{64\} [ *]//' SHA256SUMS)
for name in * .[!.]* ..?*; do
  [ -e "$name" ] || [ -L "$name" ] || continue
  [ "$name" = SHA256SUMS ] && continue
  printf '%s\n' "$listed" | grep -qxF -- "$name" || refuse "$name is in the bundle but not listed in SHA256SUMS"
done

# --- install -----------------------------------------------------------------------------------------------------------
root=${DESTDIR:-}
case $root in
  '' | /*) ;;
  *) echo "install.sh: DESTDIR must be an absolute path, not '$root'" >&2; exit 2 ;;
esac

# Which build: the dot-product one only when every "Features" line lists asimddp (and there is at least one).
cpuinfo=${EDGELSTM_CPUINFO:-/proc/cpuinfo}
has_dotprod() {
  awk -F: '
    $1 ~ /^Features[ \t]*$/ {
      lines++
      n = split($2, feature, /[ \t]+/)
      found = 0
      for (i = 1; i <= n; i++) if (feature[i] == "asimddp") found = 1
      if (found) with++
    }
    END { exit !(lines > 0 && with == lines) }' "$cpuinfo" 2>/dev/null
}
binary=edgelstm
if [ -e edgelstm-dotprod ]; then
  if has_dotprod; then
    binary=edgelstm-dotprod
    echo "install.sh: this CPU has the dot-product instructions (asimddp): installing the build for them (edgelstm-dotprod)"
  else
    echo "install.sh: this CPU lacks the dot-product instructions (no asimddp in $cpuinfo): installing the armv8-a build (edgelstm)"
  fi
fi
if [ -z "$root" ]; then
  id edgelstm >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin edgelstm
  for g in gpio i2c spi; do getent group "$g" >/dev/null && usermod -aG "$g" edgelstm; done
fi
install -d "$root/opt/edgelstm" "$root/etc/edgelstm" "$root/etc/systemd/system"
install -m 0755 "$binary" "$root/opt/edgelstm/edgelstm"
for lib in *.so; do [ -e "$lib" ] && install -m 0644 "$lib" "$root/opt/edgelstm/"; done
install -m 0644 model.elstm README.md "$root/opt/edgelstm/"
[ -e "$root/etc/edgelstm/board.json" ] && cp "$root/etc/edgelstm/board.json" "$root/etc/edgelstm/board.json.previous"
install -m 0644 board.json "$root/etc/edgelstm/board.json"
for recording in *.csv; do [ -e "$recording" ] && install -m 0644 "$recording" "$root/etc/edgelstm/"; done
"$root/opt/edgelstm/edgelstm" validate --config "$root/etc/edgelstm/board.json" --model "$root/opt/edgelstm/model.elstm"
install -m 0644 edgelstm.service "$root/etc/systemd/system/edgelstm.service"
if [ -n "$root" ]; then
  echo "edgelstm installed under $root (no user made, systemd not touched)"
  exit 0
fi
systemctl daemon-reload
systemctl enable --now edgelstm.service
systemctl restart edgelstm.service
echo "edgelstm installed; follow it with: journalctl -u edgelstm -f"
