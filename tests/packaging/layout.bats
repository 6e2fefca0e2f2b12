#!/usr/bin/env bats
# The installer's layout, with DESTDIR (no users, no ownership changes, nothing outside DESTDIR).

setup() {
  REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  DEST="$(mktemp -d)"
  export DESTDIR="$DEST" PREFIX=/usr BIN_DIR="${DOKKU_RS_BIN_DIR:-$REPO/target/debug}"
}

teardown() {
  rm -rf "$DEST"
}

@test "install lays out binaries, both plugin trees and state directories" {
  run python3 "$REPO/packaging/install.py"
  [ "$status" -eq 0 ]
  [ -x "$DEST/usr/bin/dokku" ]
  [ -x "$DEST/usr/bin/plugn" ]
  lib="$DEST/var/lib/dokku"
  for d in core-plugins/available core-plugins/enabled plugins/available plugins/enabled config/--global data/storage; do
    [ -d "$lib/$d" ]
  done
  [ -f "$lib/core-plugins/config.toml" ]
  [ -f "$lib/plugins/config.toml" ]
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$REPO/Cargo.toml" | head -1)
  [ "$(cat "$lib/VERSION")" = "$version" ]
  [ "$(cat "$DEST/home/dokku/.sshcommand")" = "/usr/bin/dokku" ]
  [ -f "$DEST/home/dokku/.ssh/authorized_keys" ]
}

@test "core plugins are one binary with symlinked entries, linked as upstream links them" {
  python3 "$REPO/packaging/install.py"
  lib="$DEST/var/lib/dokku"
  common="$lib/core-plugins/available/common"
  [ -x "$common/common" ]
  [ "$(readlink "$common/prop")" = "common" ]
  [ "$(readlink "$common/post-delete")" = "common" ]
  [ -f "$common/functions" ]
  [ -f "$common/property-functions" ]
  [ -f "$common/.core" ]
  # Link targets are the final paths, not DESTDIR paths.
  [ "$(readlink "$lib/plugins/available/common")" = "/var/lib/dokku/core-plugins/available/common" ]
  [ "$(readlink "$lib/core-plugins/enabled/common")" = "/var/lib/dokku/core-plugins/available/common" ]
  [ "$(readlink "$lib/plugins/enabled/common")" = "/var/lib/dokku/plugins/available/common" ]
}

@test "plugins with commands get a commands entry and the word list the dispatcher reads" {
  python3 "$REPO/packaging/install.py"
  for manifest in "$REPO"/core-plugins/*/plugin.toml; do
    name=$(basename "$(dirname "$manifest")")
    dir="$DEST/var/lib/dokku/core-plugins/available/$name"
    [ -d "$dir" ]
    if grep -q '^commands = \[ *"' "$manifest"; then
      [ -L "$dir/commands" ]
      [ -s "$dir/.dokku-rs-commands" ]
    fi
  done
}

@test "reinstall is idempotent and uninstall keeps state" {
  python3 "$REPO/packaging/install.py"
  echo keep > "$DEST/var/lib/dokku/config/--global/marker"
  run python3 "$REPO/packaging/install.py"
  [ "$status" -eq 0 ]
  run python3 "$REPO/packaging/install.py" --uninstall
  [ "$status" -eq 0 ]
  [ ! -e "$DEST/usr/bin/dokku" ]
  [ ! -e "$DEST/usr/bin/plugn" ]
  [ ! -e "$DEST/var/lib/dokku/core-plugins" ]
  [ ! -L "$DEST/var/lib/dokku/plugins/enabled/common" ]
  [ "$(cat "$DEST/var/lib/dokku/config/--global/marker")" = keep ]
}
