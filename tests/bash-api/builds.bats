#!/usr/bin/env bats
# Build-log capture: dokku_setup_build_capture, acquire/release_app_deploy_lock
# and what the builds plugin makes of them (spec dokku-core.md §2.4).
#
# The first tests use the recording stubs. The others install a real dokku-rs
# (packaging/install.py, linked debug binaries) into the test's directory and
# run a community plugin command, `capture:run`, through the `dokku` entry
# point, so the record, the log, the deploy lock and the builds:* commands are
# all the real ones. Only logger(1) is replaced, by a stand-in that records
# what would have gone to the journal.

load test_helper

# run_lib_piped SNIPPET [ARGS...]: run_lib, but stdout is read through a pipe,
# so this returns only once the capture's tee (which holds stdout) is done.
run_lib_piped() {
  {
    status=0
    bash -c 'set -eo pipefail; source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"; '"$1" run_bash "${@:2}" \
      </dev/null 2>"$T/stderr" || status=$?
    echo "$status" >"$T/rc"
  } | cat >"$T/stdout"
  status="$(cat "$T/rc")"
}

# refute_grep ARGS...: fails when grep matches (a bare `! grep` cannot fail a
# bats test).
refute_grep() {
  if grep -q "$@"; then
    echo "unexpected match: $*" >&2
    return 1
  fi
}

# --- Names and ids that must never reach a path (stubs) --------------------

@test "an empty app does nothing, and a later call still captures" {
  stub_reply plugn.trigger.builds-generate-id --out $'gen1\n'
  run_lib_piped 'dokku_setup_build_capture "" git-hook
echo "redirect=${DOKKU_REDIRECT_OUTPUT-unset} id=${DOKKU_BUILD_ID-unset}"
[[ -e "$DOKKU_LIB_ROOT/data" ]] || echo "no data dir"
dokku_setup_build_capture app1 git-hook
echo captured'
  assert_status 0
  assert_stdout $'redirect=unset id=unset\nno data dir\ncaptured\n'
  file_is "$DOKKU_LIB_ROOT/data/builds/app1/gen1.log" $'captured\n'
}

@test "hostile app names write nothing and fire nothing" {
  local name
  for name in ../evil .. . /tmp/evil a/b -rf --all .hidden Web 'web app' $'web\n' $'web\nx' 'web;touch evil' '$(touch evil)' 'wéb' '*'; do
    : >"$STUB_LOG"
    run_lib 'cd "$2"; dokku_setup_build_capture "$1" git-hook
echo "redirect=${DOKKU_REDIRECT_OUTPUT-unset} id=${DOKKU_BUILD_ID-unset}"' "$name" "$T"
    assert_status 0
    assert_stdout $'redirect=unset id=unset\n'
    assert_stderr ""
    assert_calls ""
    [[ ! -e "$DOKKU_LIB_ROOT/data" ]]
    [[ ! -e "$T/evil" ]]
    [[ ! -e /tmp/evil ]]
  done
}

@test "both app-name rules are accepted, old underscores included" {
  run_lib_piped 'dokku_setup_build_capture "$1" deploy; echo "in $DOKKU_BUILD_ID"' old_app-1.x
  assert_status 0
  assert_stdout "in pid-$DOKKU_PID"$'\n'
  file_is "$DOKKU_LIB_ROOT/data/builds/old_app-1.x/pid-$DOKKU_PID.log" "in pid-$DOKKU_PID"$'\n'
}

@test "without an id from builds-generate-id the id is pid-DOKKU_PID; the argv of every call" {
  run_lib_piped 'dokku_setup_build_capture app1 git-hook
echo "out $$ $DOKKU_BUILD_ID $DOKKU_BUILD_SOURCE $DOKKU_BUILD_LOG_FILE"
echo "err" >&2'
  assert_status 0
  local pid
  pid="$(head -1 "$T/stdout" | cut -d' ' -f2)"
  local log="$DOKKU_LIB_ROOT/data/builds/app1/pid-$DOKKU_PID.log"
  # stderr follows stdout into the capture: everything reaches the caller's stdout.
  assert_stdout "out $pid pid-$DOKKU_PID git-hook $log"$'\nerr\n'
  assert_stderr ""
  file_is "$log" "out $pid pid-$DOKKU_PID git-hook $log"$'\nerr\n'
  # The logger stub exits without reading: the build's output survived it.
  assert_calls "plugn [trigger][builds-generate-id]
plugn [trigger][builds-record-start][app1][pid-$DOKKU_PID][$pid][git-hook]
logger [-i][-t][dokku-pid-$DOKKU_PID]
"
}

@test "an inherited id is kept; one that cannot name a file is replaced" {
  stub_reply plugn.trigger.builds-generate-id --out $'gen2\n'
  DOKKU_BUILD_ID=keep1 run_lib_piped 'dokku_setup_build_capture app1; echo "$DOKKU_BUILD_ID"'
  assert_stdout $'keep1\n'
  [[ -e "$DOKKU_LIB_ROOT/data/builds/app1/keep1.log" ]]
  grep -q '^plugn \[trigger\]\[builds-record-start\]\[app1\]\[keep1\]\[[0-9]*\]\[unknown\]$' "$STUB_LOG"
  refute_grep builds-generate-id "$STUB_LOG"

  local id
  for id in ../../evil a/b . ..; do
    : >"$STUB_LOG"
    DOKKU_BUILD_ID="$id" run_lib_piped 'dokku_setup_build_capture app1 deploy; echo "$DOKKU_BUILD_ID"'
    assert_stdout $'gen2\n'
    grep -q '^plugn \[trigger\]\[builds-generate-id\]$' "$STUB_LOG"
  done
  [[ -z "$(find "$T" -name 'evil*')" ]]
  [[ ! -e "$DOKKU_LIB_ROOT/data/builds/app1/a" ]]

  # A plugin's builds-generate-id printing a path is not trusted either.
  stub_reply plugn.trigger.builds-generate-id --out $'x/../../../evil\n'
  run_lib_piped 'dokku_setup_build_capture app1 deploy; echo "$DOKKU_BUILD_ID"'
  assert_stdout "pid-$DOKKU_PID"$'\n'
  [[ -z "$(find "$T" -name 'evil*')" ]]
}

@test "acquire_app_deploy_lock writes the same id the capture uses" {
  stub_reply plugn.trigger.builds-generate-id --out $'gen3\n'
  mkdir -p "$DOKKU_LIB_ROOT/data/apps/app1"
  run_lib_piped 'acquire_app_deploy_lock app1 exclusive; dokku_setup_build_capture app1 git-hook
cat "$DOKKU_LIB_ROOT/data/apps/app1/.deploy.lock"; release_app_deploy_lock app1 7
[[ -e "$DOKKU_LIB_ROOT/data/apps/app1/.deploy.lock" ]] || echo released'
  assert_status 0
  assert_stdout $'gen3\nreleased\n'
  grep -q '^plugn \[trigger\]\[builds-record-finalize\]\[app1\]\[gen3\]\[7\]$' "$STUB_LOG"
  [[ "$(grep -c builds-generate-id "$STUB_LOG")" == 1 ]]
}

# --- A real install ---------------------------------------------------------

# install_dokku: lays out dokku-rs in $R, installs the capture:run plugin and
# the logger stand-in, and creates the app `web`. Skips when the binaries are
# missing (fails with BASH_API_REQUIRE_BINS=1).
install_dokku() {
  local bins
  if [[ ! -x "$DOKKU_RS_BIN_DIR/dokku" ]] || [[ ! -x "$DOKKU_RS_BIN_DIR/builds" ]]; then
    if [[ "$BASH_API_REQUIRE_BINS" == "1" ]]; then
      echo "dokku-rs binaries missing in $DOKKU_RS_BIN_DIR" >&2
      return 1
    fi
    skip "dokku-rs binaries not found in $DOKKU_RS_BIN_DIR (cargo build --workspace)"
  fi
  bins="$(cd "$DOKKU_RS_BIN_DIR" && pwd)"
  R="$T/root"
  DOKKU_RS_NO_SYSTEM=1 DOKKU_RS_LINK_BINARIES=1 PREFIX="$R/usr" DOKKU_LIB_ROOT="$R/lib" \
    DOKKU_ROOT="$R/home" DOKKU_LOGS_DIR="$R/log" BIN_DIR="$bins" \
    python3 "$REPO_ROOT/packaging/install.py" >/dev/null
  BUILDS="$R/lib/data/builds"
  SYNC="$T/sync"
  mkdir -p "$T/syslog-bin" "$SYNC"

  # Stands in for logger(1): records its argv, then everything it was sent.
  {
    printf '#!/usr/bin/env bash\n'
    printf '{ printf "[%%s]" "$@"; printf "\\n"; cat; } >>%q\n' "$T/syslog"
  } >"$T/syslog-bin/logger"
  chmod +x "$T/syslog-bin/logger"

  # A community plugin command capturing its output as a build.
  local plugin="$R/lib/plugins/available/capture"
  mkdir -p "$plugin/subcommands"
  printf '[plugin]\ndescription = "build capture test"\nversion = "0.1.0"\n[plugin.config]\n' >"$plugin/plugin.toml"
  cat >"$plugin/subcommands/run" <<'EOF'
#!/usr/bin/env bash
# dokku capture:run <app> [<source>] [<exit-code>]
# With an exit code it holds the deploy lock and finalizes the build with it.
# CAPTURE_SYNC=<dir>: touch <dir>/ready, then wait for <dir>/release.
# CAPTURE_NESTED=1: capture again, and run a nested `dokku capture:run`.
set -eo pipefail
source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"
app="$2" source="$3" code="$4"
dokku_setup_build_capture "$app" "$source"
if [[ -n "$code" ]]; then
  acquire_app_deploy_lock "$app" exclusive
fi
echo "stdout: build ${DOKKU_BUILD_ID:-none} of ${app:-nothing} in $$"
echo "stderr: warning" >&2
if [[ -n "$CAPTURE_NESTED" ]]; then
  dokku_setup_build_capture "$app" git:sync
  CAPTURE_NESTED="" dokku capture:run "$app" ps:rebuild
fi
if [[ -n "$CAPTURE_SYNC" ]]; then
  touch "$CAPTURE_SYNC/ready"
  until [[ -e "$CAPTURE_SYNC/release" ]]; do sleep 0.05; done
fi
echo "stdout: finishing"
if [[ -n "$code" ]]; then
  release_app_deploy_lock "$app" "$code"
fi
exit "${code:-0}"
EOF
  chmod +x "$plugin/subcommands/run"
  ln -s ../available/capture "$R/lib/plugins/enabled/capture"

  DK_PATH="$R/usr/bin:$T/syslog-bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
  dk_env=(env -i "PATH=$DK_PATH" "HOME=$R/home" "USER=$DOKKU_SYSTEM_USER" LANG=C.UTF-8
    "DOKKU_LIB_PATH=$R/lib" "DOKKU_ROOT=$R/home" "DOKKU_LOGS_DIR=$R/log"
    "DOKKU_SYSTEM_USER=$DOKKU_SYSTEM_USER" "DOKKU_SYSTEM_GROUP=$DOKKU_SYSTEM_GROUP")
  dk apps:create web >/dev/null
}

# dk ARGS...: the installed dokku, in the environment an install gives it
# (CAPTURE_* passed through).
dk() {
  "${dk_env[@]}" ${CAPTURE_SYNC:+"CAPTURE_SYNC=$CAPTURE_SYNC"} ${CAPTURE_NESTED:+CAPTURE_NESTED=1} \
    "$R/usr/bin/dokku" "$@"
}

# run_dk ARGS...: dk with stdout read through a pipe (so the capture's tee is
# done when this returns) and stderr in a file; sets $status.
run_dk() {
  {
    status=0
    dk "$@" </dev/null 2>"$T/stderr" || status=$?
    echo "$status" >"$T/rc"
  } | cat >"$T/stdout"
  status="$(cat "$T/rc")"
}

# wait_for DESCRIPTION COMMAND...: polls for up to 10 seconds.
wait_for() {
  local what="$1" i
  shift
  for ((i = 0; i < 200; i++)); do
    if "$@"; then
      return 0
    fi
    sleep 0.05
  done
  echo "timed out waiting for $what" >&2
  return 1
}

# only_id: the single build id of `web`.
only_id() {
  local records=("$BUILDS"/web/*.json)
  if [[ "${#records[@]}" -ne 1 ]] || [[ ! -e "${records[0]}" ]]; then
    echo "expected one record, got: ${records[*]}" >&2
    return 1
  fi
  local id="${records[0]##*/}"
  printf '%s\n' "${id%.json}"
}

# json_shape: the builds:list/info JSON with the times that vary blanked.
json_shape() {
  sed -E 's/"(started_at|finished_at)":"[^"]+"/"\1":"T"/g; s/"duration":"[^"]+"/"duration":"D"/g' "$@"
}

# start_held ARGS...: `setsid dokku ARGS` in the background with CAPTURE_SYNC,
# in its own process group (builds:cancel signals the build's group); waits
# until the command is ready. Its stdout lands in $T/held.out, its status in
# $T/held.rc.
start_held() {
  rm -f "$SYNC/ready" "$SYNC/release" "$T/held.rc"
  {
    # SIGQUIT dumps core by default: not into the caller's directory.
    ulimit -c 0
    cd "$T" || exit
    setsid "${dk_env[@]}" "CAPTURE_SYNC=$SYNC" "$R/usr/bin/dokku" "$@" \
      </dev/null 2>"$T/held.err" | cat >"$T/held.out"
    echo "${PIPESTATUS[0]}" >"$T/held.rc"
  } 3>&- &
  HELD=$!
  wait_for "the build to be ready" test -e "$SYNC/ready"
}

# A failed test must not leave a held build waiting for ever.
teardown() {
  if [[ -n "${SYNC:-}" ]] && [[ -d "$SYNC" ]]; then
    touch "$SYNC/release"
  fi
}

log_has() { grep -qxF "$2" "$1"; }

@test "[bin] the capture writes the record, the log and the journal; builds:* see a running build" {
  install_dokku
  start_held capture:run web git-hook 0
  local id pid
  id="$(only_id)"
  [[ "$id" =~ ^[0-9a-z]{14}$ ]]
  wait_for "stderr in the log" log_has "$BUILDS/web/$id.log" "stderr: warning"
  pid="$(sed -n 's/^stdout: build .* in //p' "$BUILDS/web/$id.log")"
  [[ "$pid" =~ ^[0-9]+$ ]]
  file_is "$BUILDS/web/$id.log" "stdout: build $id of web in $pid"$'\nstderr: warning\n'
  file_is "$R/lib/data/apps/web/.deploy.lock" "$id"$'\n'

  run_dk builds:list web --format json
  assert_status 0
  json_shape "$T/stdout" >"$T/shape"
  file_is "$T/shape" "[{\"id\":\"$id\",\"app\":\"web\",\"kind\":\"build\",\"pid\":$pid,\"started_at\":\"T\",\"status\":\"running\",\"source\":\"git-hook\",\"display_status\":\"running\",\"duration\":\"D\",\"log_path\":\"$BUILDS/web/$id.log\"}]"$'\n'

  run_dk builds:list
  assert_status 0
  grep -qE "^web +$id +build +$pid +git-hook +" "$T/stdout"

  run_dk builds:info web "$id"
  assert_status 0
  grep -qxF "Status:    running" "$T/stdout"
  grep -qxF "PID:       $pid" "$T/stdout"
  grep -qxF "Source:    git-hook" "$T/stdout"
  grep -qxF "Log:       $BUILDS/web/$id.log" "$T/stdout"
  refute_grep '^Exit Code:' "$T/stdout"

  # `current` follows the live build from the deploy lock until it is finalized.
  timeout 20 "${dk_env[@]}" "$R/usr/bin/dokku" builds:output web current </dev/null >"$T/follow" 2>&1 3>&- &
  local follower=$!
  wait_for "the follower to print the log" log_has "$T/follow" "stderr: warning"
  touch "$SYNC/release"
  wait "$follower"
  wait_for "the build to end" test -e "$T/held.rc"
  wait "$HELD"
  [[ "$(cat "$T/held.rc")" == 0 ]]
  local full
  full="$(cat "$BUILDS/web/$id.log")"
  [[ "$full" == "$(cat "$T/follow")"* ]]

  # The caller saw everything, stderr included, on stdout.
  file_is "$T/held.out" "stdout: build $id of web in $pid"$'\nstderr: warning\nstdout: finishing\n'
  file_is "$BUILDS/web/$id.log" "stdout: build $id of web in $pid"$'\nstderr: warning\nstdout: finishing\n'
  file_is "$T/held.err" ""
  file_is "$T/syslog" "[-i][-t][dokku-$id]"$'\n'"stdout: build $id of web in $pid"$'\nstderr: warning\nstdout: finishing\n'

  run_dk builds:output web "$id"
  assert_status 0
  assert_stdout "stdout: build $id of web in $pid"$'\nstderr: warning\nstdout: finishing\n'
  assert_stderr ""
  [[ ! -e "$R/lib/data/apps/web/.deploy.lock" ]]
}

@test "[bin] release_app_deploy_lock finalizes the build as succeeded or failed with the exit code" {
  install_dokku
  run_dk capture:run web ps:restart 0
  assert_status 0
  local ok
  ok="$(only_id)"
  run_dk builds:info web "$ok" --format json
  json_shape "$T/stdout" >"$T/shape"
  grep -qE "^\{\"id\":\"$ok\",\"app\":\"web\",\"kind\":\"deploy\",\"pid\":[0-9]+,\"started_at\":\"T\",\"finished_at\":\"T\",\"status\":\"succeeded\",\"source\":\"ps:restart\",\"exit_code\":0,\"display_status\":\"succeeded\"," "$T/shape"
  mv "$BUILDS/web/$ok.json" "$T/ok.json"

  run_dk capture:run web git:sync 3
  assert_status 3
  local bad
  bad="$(only_id)"
  mv "$T/ok.json" "$BUILDS/web/$ok.json"
  run_dk builds:info web "$bad"
  assert_status 0
  grep -qxF "Status:     failed" "$T/stdout"
  grep -qxF "Exit Code:  3" "$T/stdout"
  grep -qxF "Source:     git:sync" "$T/stdout"
  grep -qxF "Kind:       build" "$T/stdout"
  [[ -n "$(sed -n 's/^Finished: *//p' "$T/stdout")" ]]
  [[ ! -e "$R/lib/data/apps/web/.deploy.lock" ]]
  local pid
  pid="$(sed -n 's/^PID: *//p' "$T/stdout")"
  run_dk builds:output web "$bad"
  assert_stdout "stdout: build $bad of web in $pid"$'\nstderr: warning\nstdout: finishing\n'

  run_dk builds:list web --status failed --format json
  grep -q "\"id\":\"$bad\".*\"exit_code\":3" "$T/stdout"
  refute_grep "$ok" "$T/stdout"
}

@test "[bin] retention prunes the oldest finished builds with their logs" {
  install_dokku
  dk builds:set web retention 2 >/dev/null
  local ids=() i
  for i in 1 2 3; do
    run_dk capture:run web deploy 0
    assert_status 0
    ids+=("$(sed -n 's/^stdout: build \([^ ]*\) .*/\1/p' "$T/stdout")")
  done
  [[ "${ids[0]}" != "${ids[1]}" ]]
  [[ "${ids[1]}" != "${ids[2]}" ]]
  [[ ! -e "$BUILDS/web/${ids[0]}.json" ]]
  [[ ! -e "$BUILDS/web/${ids[0]}.log" ]]
  for i in 1 2; do
    [[ -e "$BUILDS/web/${ids[i]}.json" ]]
    [[ -e "$BUILDS/web/${ids[i]}.log" ]]
  done
  run_dk builds:list web --format json
  [[ "$(grep -o '"id":"[^"]*"' "$T/stdout")" == "\"id\":\"${ids[2]}\""$'\n'"\"id\":\"${ids[1]}\"" ]]
}

@test "[bin] a second capture in the same process tree does nothing" {
  install_dokku
  CAPTURE_NESTED=1 run_dk capture:run web git-hook 0
  assert_status 0
  local id
  id="$(only_id)"
  [[ "$(ls "$BUILDS/web")" == "$id.json"$'\n'"$id.log" ]]
  local outer inner
  outer="$(sed -n '1s/^stdout: build .* in //p' "$T/stdout")"
  inner="$(sed -n '3s/^stdout: build .* in //p' "$T/stdout")"
  [[ -n "$inner" ]]
  [[ "$inner" != "$outer" ]]
  # The nested command ran with the same id and wrote into the same log.
  file_is "$BUILDS/web/$id.log" "stdout: build $id of web in $outer
stderr: warning
stdout: build $id of web in $inner
stderr: warning
stdout: finishing
stdout: finishing
"
  run_dk builds:info web "$id"
  grep -qxF "Source:     git-hook" "$T/stdout"
  grep -qxF "PID:        $outer" "$T/stdout"
  grep -qxF "Status:     succeeded" "$T/stdout"
  [[ "$(grep -c '^\[-i\]\[-t\]' "$T/syslog")" == 1 ]]
}

@test "[bin] no app or a hostile one: nothing is captured or written" {
  install_dokku
  find "$R" | sort >"$T/before"
  local name
  for name in "" ../web ../../evil web/x Web --all; do
    run_dk capture:run "$name" git-hook
    assert_status 0
    grep -qxE "stdout: build none of .* in [0-9]+" "$T/stdout"
    grep -qxF "stderr: warning" "$T/stderr"
  done
  find "$R" | sort >"$T/after"
  diff "$T/before" "$T/after"
  [[ ! -e "$T/syslog" ]]
  run_dk builds:list web
  assert_stdout $'No builds recorded for this app\n'
}

@test "[bin] output still reaches the log when logger is missing or quits at once" {
  install_dokku
  # A PATH with everything but logger.
  mkdir -p "$T/nologger"
  find /usr/bin /usr/sbin -maxdepth 1 ! -name logger ! -type d -exec ln -sf -t "$T/nologger" {} + 2>/dev/null || true
  [[ ! -e "$T/nologger/logger" ]]
  [[ -e "$T/nologger/bash" ]]
  rm -f "$T/syslog-bin/logger"
  DK_PATH="$R/usr/bin:$T/nologger"
  dk_env[2]="PATH=$DK_PATH"
  local big
  big="$(seq 1 20000 | sed 's/^/line /')"
  # The plugin prints a lot after the capture, more than a pipe holds.
  printf 'seq 1 20000 | sed "s/^/line /"\n' >"$T/extra"
  sed -i "s|^echo \"stdout: finishing\"|bash $T/extra\necho \"stdout: finishing\"|" "$R/lib/plugins/available/capture/subcommands/run"
  run_dk capture:run web deploy 0
  assert_status 0
  assert_stderr ""
  local id
  id="$(only_id)"
  file_is "$BUILDS/web/$id.log" "$(head -2 "$T/stdout")"$'\n'"$big"$'\nstdout: finishing\n'
  file_is "$T/stdout" "$(cat "$BUILDS/web/$id.log")"$'\n'

  # A logger that exits without reading.
  printf '#!/bin/sh\nexit 0\n' >"$T/nologger/logger"
  chmod +x "$T/nologger/logger"
  rm "$BUILDS/web/$id.json" "$BUILDS/web/$id.log"
  run_dk capture:run web deploy 0
  assert_status 0
  assert_stderr ""
  id="$(only_id)"
  file_is "$BUILDS/web/$id.log" "$(head -2 "$T/stdout")"$'\n'"$big"$'\nstdout: finishing\n'
  run_dk builds:info web "$id"
  grep -qxF "Status:     succeeded" "$T/stdout"
}

@test "[bin] builds:cancel stops a captured build's process group and records it canceled" {
  install_dokku
  start_held capture:run web git-hook 0
  local id
  id="$(only_id)"
  wait_for "stderr in the log" log_has "$BUILDS/web/$id.log" "stderr: warning"
  run_dk builds:cancel web
  assert_status 0
  assert_stdout $'-----> Killing app deploy\n'
  assert_stderr ""
  wait_for "the build to end" test -e "$T/held.rc"
  wait "$HELD"
  # Killed by SIGQUIT before it could finish or finalize.
  [[ "$(cat "$T/held.rc")" -gt 128 ]]
  refute_grep finishing "$T/held.out"
  run_dk builds:info web "$id"
  grep -qxF "Status:     canceled" "$T/stdout"
  grep -qxF "Exit Code:  -1" "$T/stdout"
  [[ ! -e "$R/lib/data/apps/web/.deploy.lock" ]]
  run_dk builds:output web "$id"
  assert_stdout "$(head -1 "$BUILDS/web/$id.log")"$'\nstderr: warning\n'
}
