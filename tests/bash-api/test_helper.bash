# Shared fixture for the bash plugin API tests (tests/bash-api/*.bats).
#
# Each test gets a throw-away Dokku tree under $BATS_TEST_TMPDIR, laid out
# as installed (core-plugins/available/<p> real dirs, plugins/available and
# both enabled dirs as symlinks), with the bash libraries copied from the
# repository. External programs the libraries call (plugn, docker, dokku,
# logger, and in "stub" mode common/common and common/prop) are replaced by
# one recording stub, see tests/bash-api/stub.
#
# The Rust helpers are taken from $DOKKU_RS_BIN_DIR (default
# <repo>/target/debug): its `common` binary is installed as both
# common/common and common/prop, the binary dispatching on its name. Tests
# that need it skip when it is missing, unless BASH_API_REQUIRE_BINS=1, in
# which case they fail.

bats_require_minimum_version 1.5.0

REPO_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
: "${DOKKU_RS_BIN_DIR:=$REPO_ROOT/target/debug}"
# Where the bash libraries are copied from (<plugin>/<file>); pointing it at
# another implementation's plugins/ tree shows where behaviour differs.
: "${BASH_API_LIB_SRC:=$REPO_ROOT/core-plugins}"

# Copies the binary once per file under both names, so that argv[0] and
# /proc/self/exe agree on "common" vs "prop" whichever one the binary reads.
bash_api_setup_file() {
  export BASH_API_BIN_CACHE="$BATS_FILE_TMPDIR/bin-cache"
  mkdir -p "$BASH_API_BIN_CACHE"
  if [[ -x "$DOKKU_RS_BIN_DIR/common" ]]; then
    cp "$DOKKU_RS_BIN_DIR/common" "$BASH_API_BIN_CACHE/common"
    cp "$DOKKU_RS_BIN_DIR/common" "$BASH_API_BIN_CACHE/prop"
  fi
}

setup_file() {
  bash_api_setup_file
}

setup() {
  T="$BATS_TEST_TMPDIR"
  export DOKKU_ROOT="$T/home/dokku"
  export DOKKU_LIB_ROOT="$T/var/lib/dokku"
  export PLUGIN_PATH="$DOKKU_LIB_ROOT/plugins"
  export PLUGIN_AVAILABLE_PATH="$PLUGIN_PATH/available"
  export PLUGIN_ENABLED_PATH="$PLUGIN_PATH/enabled"
  export PLUGIN_CORE_PATH="$DOKKU_LIB_ROOT/core-plugins"
  export PLUGIN_CORE_AVAILABLE_PATH="$PLUGIN_CORE_PATH/available"
  export PLUGIN_CORE_ENABLED_PATH="$PLUGIN_CORE_PATH/enabled"
  export DOKKU_SYSTEM_USER DOKKU_SYSTEM_GROUP
  DOKKU_SYSTEM_USER="$(id -un)"
  DOKKU_SYSTEM_GROUP="$(id -gn)"
  export DOKKU_API_VERSION=1 DOKKU_NOT_IMPLEMENTED_EXIT=10 DOKKU_VALID_EXIT=0
  export DOKKU_PID="bats$$-$BATS_TEST_NUMBER"
  unset DOKKU_QUIET_OUTPUT DOKKU_TRACE DOKKU_APP_NAME DOKKU_FORCE_TTY DOKKU_DISABLE_TTY \
    DOKKU_FAIL_EXIT_CODE DOKKU_GLOBAL_FLAGS DOKKU_CONFIG_EXPORT DOKKU_APPS_FORCE_DELETE \
    DOKKU_BUILD_ID APP STUB_LOG_ENV

  export STUB_DIR="$T/stub-responses" STUB_LOG="$T/stub.log"
  mkdir -p "$DOKKU_ROOT" "$STUB_DIR" "$T/bin" "$PLUGIN_CORE_AVAILABLE_PATH" \
    "$PLUGIN_CORE_ENABLED_PATH" "$PLUGIN_AVAILABLE_PATH" "$PLUGIN_ENABLED_PATH"
  : >"$STUB_LOG"

  local tool
  for tool in plugn docker dokku logger; do
    ln -s "$BATS_TEST_DIRNAME/stub" "$T/bin/$tool"
  done
  export PATH="$T/bin:$PATH"
  export DOCKER_BIN="$T/bin/docker"

  install_core_plugin common functions lazy-functions property-functions
  install_core_plugin config functions
  install_core_plugin ps functions
  use_stub_bins
}

# install_core_plugin NAME FILE...: copies the repository's files and links
# the plugin the way the installer does.
install_core_plugin() {
  local name="$1" file
  shift
  mkdir -p "$PLUGIN_CORE_AVAILABLE_PATH/$name"
  for file in "$@"; do
    # Another implementation may not split its files the way this one does.
    if [[ ! -e "$BASH_API_LIB_SRC/$name/$file" ]] && [[ "$BASH_API_LIB_SRC" != "$REPO_ROOT/core-plugins" ]]; then
      continue
    fi
    cp "$BASH_API_LIB_SRC/$name/$file" "$PLUGIN_CORE_AVAILABLE_PATH/$name/$file"
  done
  ln -sfn "../available/$name" "$PLUGIN_CORE_ENABLED_PATH/$name"
  ln -sfn "$PLUGIN_CORE_AVAILABLE_PATH/$name" "$PLUGIN_AVAILABLE_PATH/$name"
  ln -sfn "$PLUGIN_AVAILABLE_PATH/$name" "$PLUGIN_ENABLED_PATH/$name"
}

# Recording stubs for common/common, common/prop and config/config_sub.
use_stub_bins() {
  ln -sfn "$BATS_TEST_DIRNAME/stub" "$PLUGIN_CORE_AVAILABLE_PATH/common/common"
  ln -sfn "$BATS_TEST_DIRNAME/stub" "$PLUGIN_CORE_AVAILABLE_PATH/common/prop"
  ln -sfn "$BATS_TEST_DIRNAME/stub" "$PLUGIN_CORE_AVAILABLE_PATH/config/config_sub"
  mkdir -p "$PLUGIN_CORE_AVAILABLE_PATH/config/subcommands"
  ln -sfn "$BATS_TEST_DIRNAME/stub" "$PLUGIN_CORE_AVAILABLE_PATH/config/subcommands/show"
}

# The real Rust binaries, or skip (fail with BASH_API_REQUIRE_BINS=1).
use_real_bins() {
  if [[ ! -x "$BASH_API_BIN_CACHE/common" ]]; then
    if [[ "$BASH_API_REQUIRE_BINS" == "1" ]]; then
      echo "Rust common binary missing at $DOKKU_RS_BIN_DIR/common" >&2
      return 1
    fi
    skip "Rust common binary not found at $DOKKU_RS_BIN_DIR/common (cargo build -p core-plugin-common, or set DOKKU_RS_BIN_DIR)"
  fi
  ln -sfn "$BASH_API_BIN_CACHE/common" "$PLUGIN_CORE_AVAILABLE_PATH/common/common"
  ln -sfn "$BASH_API_BIN_CACHE/prop" "$PLUGIN_CORE_AVAILABLE_PATH/common/prop"
}

# stub_reply KEY [--out TEXT] [--err TEXT] [--rc N]: what a stub prints when
# called with args whose dot-joined prefix is KEY, e.g. plugn.trigger.app-list.
stub_reply() {
  local key="$1"
  shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --out) printf '%s' "$2" >"$STUB_DIR/$key.out" ;;
      --err) printf '%s' "$2" >"$STUB_DIR/$key.err" ;;
      --rc) printf '%s' "$2" >"$STUB_DIR/$key.rc" ;;
    esac
    shift 2
  done
}

# run_lib SNIPPET [ARGS...]: runs SNIPPET in a fresh `bash` that has sourced
# common/functions under `set -eo pipefail`, capturing stdout and stderr
# byte-for-byte into $T/stdout and $T/stderr; sets $status.
run_lib() {
  run_bash 'source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"; '"$1" "${@:2}"
}

# run_bash SNIPPET [ARGS...]: same without sourcing anything.
run_bash() {
  status=0
  bash -c 'set -eo pipefail; '"$1" run_bash "${@:2}" </dev/null >"$T/stdout" 2>"$T/stderr" || status=$?
}

# file_is FILE EXPECTED: exact byte comparison, with an od dump on mismatch.
file_is() {
  local actual
  actual="$(cat "$1"; printf x)"
  actual="${actual%x}"
  if [[ "$actual" != "$2" ]]; then
    echo "--- expected content of ${1##*/}:"
    printf '%s' "$2" | od -c
    echo "--- actual:"
    od -c "$1"
    return 1
  fi
}

assert_stdout() { file_is "$T/stdout" "$1"; }
assert_stderr() { file_is "$T/stderr" "$1"; }
assert_calls() { file_is "$STUB_LOG" "$1"; }

assert_status() {
  if [[ "$status" -ne "$1" ]]; then
    echo "expected status $1, got $status"
    echo "--- stdout:"; cat "$T/stdout"
    echo "--- stderr:"; cat "$T/stderr"
    return 1
  fi
}

# assert_silent_ok: status 0 and no output at all.
assert_silent_ok() {
  assert_status 0
  assert_stdout ""
  assert_stderr ""
}
