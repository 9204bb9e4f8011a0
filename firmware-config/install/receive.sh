# Run on the board by publish-arm64.ps1 -Target, through ssh, with the tarball on stdin and, as $1, the SHA-256 computed
# where it was built. Receives the tarball into a new private folder under the user's home (mktemp -d, mode 0700; never
# a shared folder such as /tmp), checks its SHA-256 before extracting anything, runs the bundle's install.sh with sudo
# (which checks every file again) and removes the folder afterwards, on failure too. A tarball that arrived different is
# refused with exit code 4.
set -eu
expected=$1
work=$(mktemp -d "${HOME:?}/.edgelstm-install.XXXXXXXX")
trap 'rm -rf -- "$work"' EXIT
trap 'exit 130' HUP INT TERM
chmod 0700 "$work"
cat > "$work/edgelstm-linux-arm64.tar.gz"
actual=$(sha256sum < "$work/edgelstm-linux-arm64.tar.gz")
actual=${actual%% *}
if [ "$actual" != "$expected" ]; then
  echo "receive.sh: the tarball arrived with SHA-256 $actual, not $expected as built; nothing was installed" >&2
  exit 4
fi
tar -xzf "$work/edgelstm-linux-arm64.tar.gz" -C "$work" --no-same-owner
sudo sh "$work/edgelstm/install.sh"
