#!/usr/bin/env bats
# Sourcing rules and the small helpers of common/functions: has_tty,
# fn-in-array, suppress_output, list helpers, parse_args, containers.

load test_helper

# --- sourcing ------------------------------------------------------------------

@test "common/functions sources cleanly and repeatedly under set -eo pipefail" {
  run_bash 'f="$PLUGIN_CORE_AVAILABLE_PATH/common/functions"; source "$f"; source "$f"; source "$f"; echo ok'
  assert_status 0
  assert_stdout $'ok\n'
  assert_stderr ""
}

@test "every library file sources cleanly, twice, without set -e or with nullglob" {
  local f
  for f in common/functions common/property-functions config/functions ps/functions; do
    run_bash 'source "$PLUGIN_CORE_AVAILABLE_PATH/$1"; source "$PLUGIN_CORE_AVAILABLE_PATH/$1"; echo ok' "$f"
    assert_status 0
    assert_stdout $'ok\n'
    assert_stderr ""
    run_bash 'set +e; shopt -s nullglob; source "$PLUGIN_CORE_AVAILABLE_PATH/$1"; echo ok' "$f"
    assert_stdout $'ok\n'
  done
}

@test "sourcing runs no external program (works with an empty PATH)" {
  local f
  for f in common/functions common/property-functions config/functions ps/functions; do
    run_bash 'PATH=/nonexistent; source "$PLUGIN_CORE_AVAILABLE_PATH/$1"; echo ok' "$f"
    assert_status 0
    assert_stdout $'ok\n'
    assert_stderr ""
  done
}

@test "sourcing enables errexit and pipefail in the caller, like upstream" {
  run_bash 'set +e +o pipefail; source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"; echo "$-" | grep -q e && echo errexit; shopt -o pipefail | grep -q on && echo pipefail'
  assert_stdout $'errexit\npipefail\n'
}

@test "DOKKU_TRACE turns on xtrace when sourcing" {
  DOKKU_TRACE=1 run_bash 'source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"; [[ "$-" == *x* ]] && echo traced'
  assert_status 0
  assert_stdout $'traced\n'
}

@test "the library is reachable through every plugin path spelling" {
  local dir
  for dir in "$PLUGIN_CORE_AVAILABLE_PATH" "$PLUGIN_AVAILABLE_PATH" "$PLUGIN_ENABLED_PATH" "$PLUGIN_CORE_ENABLED_PATH"; do
    run_bash 'source "$1/common/functions"; source "$1/common/property-functions"; source "$1/config/functions"; dokku_log_info1 ok' "$dir"
    assert_status 0
    assert_stdout $'-----> ok\n'
  done
}

@test "functions are not readonly: plugins may override them, re-sourcing restores core ones" {
  run_lib 'dokku_log_info1() { echo custom; }; dokku_log_info1 x; source "$PLUGIN_CORE_AVAILABLE_PATH/common/functions"; dokku_log_info1 x; readonly -f | grep -c . || true'
  assert_status 0
  assert_stdout $'custom\n-----> x\n0\n'
}

@test "cold helpers load lazily without clobbering a plugin's overrides" {
  mkdir -p "$DOKKU_ROOT/app1"
  printf 'c1' >"$DOKKU_ROOT/app1/CONTAINER.web.1"
  run_lib 'declare -F _dokku_impl_parse_args >/dev/null || echo not-loaded; is_container_status() { [[ "$1" == c1 ]]; }; get_app_running_container_ids app1; declare -F _dokku_impl_parse_args >/dev/null && echo loaded; is_container_status c1 && echo still-plugin'
  assert_status 0
  assert_stdout $'not-loaded\nc1 \nloaded\nstill-plugin\n'
  assert_calls $'common [--quiet][is-deployed][app1]\n'
}

@test "a lazily loaded helper can exit the caller's shell and keep shell state" {
  stub_reply common.--quiet.is-deployed --rc 1
  run_lib 'acquire_advisory_lock "$1/lock" waiting w f; [[ -e /proc/$$/fd/200 ]] && echo fd-held; DOKKU_FAIL_EXIT_CODE=5 get_app_running_container_types missing; echo not reached' "$T"
  assert_status 5
  assert_stdout $'fd-held\n'
}

@test "common/functions sources common/archive-functions when present" {
  printf 'fn-archive-probe() { echo archive-loaded; }\n' >"$PLUGIN_CORE_AVAILABLE_PATH/common/archive-functions"
  run_lib 'fn-archive-probe'
  assert_status 0
  assert_stdout $'archive-loaded\n'
}

@test "config/functions and ps/functions bring in common/functions" {
  run_bash 'source "$PLUGIN_AVAILABLE_PATH/config/functions"; dokku_log_info2 a; source "$PLUGIN_AVAILABLE_PATH/ps/functions"; dokku_log_verbose b'
  assert_stdout $'=====> a\n       b\n'
}

@test "the documented function surface is defined" {
  run_bash 'for f in common/functions common/property-functions config/functions ps/functions; do source "$PLUGIN_CORE_AVAILABLE_PATH/$f"; done; missing=(); for fn in "$@"; do declare -F "$fn" >/dev/null || missing+=("$fn"); done; echo "missing: ${missing[*]}"' \
    dokku_log_info1 dokku_log_info1_quiet dokku_log_info2 dokku_log_info2_quiet dokku_log_verbose dokku_log_verbose_quiet \
    dokku_log_warn dokku_log_warn_quiet dokku_log_fail dokku_log_fail_quiet dokku_log_exclaim dokku_log_exclaim_quiet \
    dokku_log_exit dokku_log_exit_quiet dokku_log_stderr dokku_log_quiet dokku_log_event dokku_log_plugn_trigger_call \
    dokku_col_log_info1 dokku_col_log_info1_quiet dokku_col_log_info2 dokku_col_log_info2_quiet dokku_col_log_msg dokku_col_log_msg_quiet \
    dokku_container_log_verbose_quiet verify_app_name is_valid_app_name is_valid_app_name_old fn-is-valid-app-name \
    dokku_apps dokku_version fn-in-array suppress_output has_tty is_deployed get_app_image_name get_app_image_repo \
    get_running_image_tag get_deploying_app_image_name strip_inline_comments fn-plugn-trigger-exists copy_from_image \
    copy_dir_from_image get_app_scheduler get_app_container_ids get_app_running_container_ids get_app_running_container_types \
    is_container_status is_number is_abs_path parse_args verify_image fn-verify-app-image is_image_cnb_based \
    is_image_herokuish_based get_image_builder_type docker_cleanup dokku_auth release_and_deploy dokku_build dokku_release \
    dokku_receive cmd-deploy acquire_app_deploy_lock release_app_deploy_lock acquire_advisory_lock release_advisory_lock \
    get_ipv4_regex get_ipv6_regex extract_directive_from_dockerfile get_json_value is_val_in_list remove_val_from_list \
    add_val_to_list merge_dedupe_list fn-docker-args-split fn-migrate-config-to-property get_available_port \
    fn-plugin-property-get fn-plugin-property-get-default fn-plugin-property-write fn-plugin-property-delete \
    fn-plugin-property-exists fn-plugin-property-destroy fn-plugin-property-clone fn-plugin-property-setup \
    fn-plugin-property-setup-app fn-plugin-property-get-all fn-plugin-property-get-all-by-prefix fn-plugin-property-list-get \
    fn-plugin-property-list-add fn-plugin-property-list-get-by-value fn-plugin-property-list-get-by-index \
    fn-plugin-property-list-length fn-plugin-property-list-remove fn-plugin-property-list-remove-by-prefix \
    fn-plugin-property-list-set config_get config_set config_unset config_all config_export config_keys config_clear \
    config_bundle config_sub fn-config-set ps_start ps_stop ps_rebuild ps_restore fn-ps-app-status fn-ps-is-app-running
  assert_status 0
  assert_stdout $'missing: \n'
}

@test "the datastore-only docker-options helpers are deliberately not defined" {
  run_bash 'for f in common/functions config/functions ps/functions; do source "$PLUGIN_CORE_AVAILABLE_PATH/$f"; done; declare -F add_passed_docker_option remove_passed_docker_option || echo none'
  assert_stdout $'none\n'
}

# --- has_tty -------------------------------------------------------------------

@test "has_tty: DOKKU_FORCE_TTY=true wins, DOKKU_DISABLE_TTY=true disables" {
  DOKKU_FORCE_TTY=true run_lib 'has_tty && echo tty'
  assert_stdout $'tty\n'
  DOKKU_DISABLE_TTY=true run_lib 'has_tty || echo none'
  assert_stdout $'none\n'
  DOKKU_FORCE_TTY=true DOKKU_DISABLE_TTY=true run_lib 'has_tty && echo tty'
  assert_stdout $'tty\n'
  DOKKU_FORCE_TTY=1 run_lib 'has_tty || echo none'
  assert_stdout $'none\n'
}

@test "has_tty is false when stdin is not a terminal" {
  run_lib 'has_tty || echo none'
  assert_status 0
  assert_stdout $'none\n'
}

@test "has_tty is true on a terminal unless disabled" {
  command -v script >/dev/null || skip "script(1) not installed"
  local out
  out="$(script -qec 'bash -c "source \"\$PLUGIN_CORE_AVAILABLE_PATH/common/functions\"; has_tty && echo tty; DOKKU_DISABLE_TTY=true has_tty || echo none"' /dev/null </dev/null | tr -d '\r')"
  [[ "$out" == $'tty\nnone' ]] || { echo "got: $out"; return 1; }
}

# --- fn-in-array -------------------------------------------------------------------

@test "fn-in-array is a pure status check with exact matching" {
  run_lib 'fn-in-array b a b c && echo 1; fn-in-array d a b c || echo 2; fn-in-array "a b" "a" "b" "a b" && echo 3; fn-in-array "*" a b || echo 4; fn-in-array "" a "" && echo 5; fn-in-array x || echo 6; fn-in-array a "a*" || echo 7'
  assert_status 0
  assert_stdout $'1\n2\n3\n4\n5\n6\n7\n'
  assert_stderr ""
}

# --- suppress_output ---------------------------------------------------------------

@test "suppress_output hides the output of a successful command" {
  run_lib 'suppress_output bash -c "echo out; echo err >&2"; echo "rc=$?"'
  assert_status 0
  assert_stdout $'rc=0\n'
  assert_stderr ""
}

@test "suppress_output shows both streams on stdout and returns the status on failure" {
  run_lib 'suppress_output bash -c "echo out; echo err >&2; exit 3" || echo "rc=$?"'
  assert_status 0
  assert_stdout $'out\nerr\nrc=3\n'
  assert_stderr ""
}

@test "suppress_output works with shell functions and removes its temp file" {
  run_lib 'noisy() { echo inside; return 2; }; suppress_output noisy || echo "rc=$?"; ls /tmp | grep -c "^dokku-$DOKKU_PID-suppress_output" || true'
  assert_stdout $'inside\nrc=2\n0\n'
}

# --- string and list helpers ----------------------------------------------------

@test "strip_inline_comments drops a trailing whitespace-# comment" {
  run_lib 'strip_inline_comments "web: run # the server"; strip_inline_comments "a#b"; strip_inline_comments "x # y # z"; strip_inline_comments "plain"'
  assert_stdout $'web: run\na#b\nx # y\nplain\n'
}

@test "is_number and is_abs_path" {
  run_lib 'is_number 42 && echo a; is_number 4x || echo b; is_number "" || echo c; is_abs_path /x && echo d; is_abs_path x/y || echo e'
  assert_stdout $'a\nb\nc\nd\ne\n'
}

@test "is_val_in_list prints true/false, custom delimiter, no globbing" {
  touch "$T/b"
  run_lib 'cd "$1"; is_val_in_list b a,b,c; is_val_in_list x a,b; is_val_in_list b "a;b" ";"; is_val_in_list b "*,c"; is_val_in_list "*" "*,c"' "$T"
  assert_stdout $'true\nfalse\ntrue\nfalse\ntrue\n'
}

@test "add_val_to_list, remove_val_from_list and merge_dedupe_list" {
  run_lib 'add_val_to_list c a,b; add_val_to_list a ""; add_val_to_list c "a;b" ";"; remove_val_from_list b a,b,c; remove_val_from_list a a,ab,a; remove_val_from_list x "x;y" ";"; merge_dedupe_list "b,a,b,c"; merge_dedupe_list "y;x" ";"'
  assert_stdout $'a,b,c\n,a\na;b;c\na,c\nab\ny\na b c\nx y\n'
}

@test "fn-docker-args-split tokenizes like a shell without expanding anything" {
  run_lib 'fn-docker-args-split "--label \"a b\" -e X=\$HOME -v '"'"'\$(id)'"'"'" | tr "\0" "|"'
  assert_status 0
  assert_stdout '--label|a b|-e|X=$HOME|-v|$(id)|'
}

@test "get_ipv4_regex and get_ipv6_regex match addresses and reject wildcard-DNS hosts" {
  run_lib 'r4="$(get_ipv4_regex)"; r6="$(get_ipv6_regex)"; for h in 10.0.0.1 1.2.3.4.sslip.io example.com; do [[ "$h" =~ $r4 ]] && echo "4 $h"; done; for h in ::1 2001:db8::1 fe80::1 example.com; do [[ "$h" =~ $r6 ]] && echo "6 $h"; done; true'
  assert_stdout $'4 10.0.0.1\n6 ::1\n6 2001:db8::1\n6 fe80::1\n'
}

@test "extract_directive_from_dockerfile prints the last matching directive" {
  printf 'FROM a\nEXPOSE 80\nCMD x\nEXPOSE 8080\n' >"$T/Dockerfile"
  run_lib 'extract_directive_from_dockerfile "$1" EXPOSE; extract_directive_from_dockerfile "$1" ENTRYPOINT' "$T/Dockerfile"
  assert_status 0
  assert_stdout $'EXPOSE 8080\n\n'
}

# --- parse_args ------------------------------------------------------------------

@test "parse_args sets the env flags from anywhere in argv and records DOKKU_GLOBAL_FLAGS" {
  run_lib 'parse_args --quiet apps:destroy --app myapp --force --no-restart x; echo "$DOKKU_QUIET_OUTPUT|$DOKKU_APP_NAME|$DOKKU_APPS_FORCE_DELETE|$DOKKU_GLOBAL_FLAGS"'
  assert_stdout $'1|myapp|1|--quiet --app --force --no-restart\n'
}

@test "parse_args keeps an inherited DOKKU_GLOBAL_FLAGS" {
  DOKKU_GLOBAL_FLAGS="--outer" run_lib 'parse_args --trace cmd; echo "$DOKKU_TRACE|$DOKKU_GLOBAL_FLAGS"'
  assert_stdout $'1|--outer\n'
}

@test "parse_args: the value after --app is consumed even if it looks like a flag" {
  run_lib 'parse_args --app --quiet cmd; echo "${DOKKU_QUIET_OUTPUT-unset}|$DOKKU_APP_NAME|$DOKKU_GLOBAL_FLAGS"'
  assert_stdout $'unset|--quiet|--app\n'
}

# --- containers and misc -----------------------------------------------------------

@test "get_app_container_ids lists CONTAINER.* ids without touching nullglob" {
  mkdir -p "$DOKKU_ROOT/app1"
  printf 'aaa\n' >"$DOKKU_ROOT/app1/CONTAINER.web.1"
  printf 'bbb' >"$DOKKU_ROOT/app1/CONTAINER.web.2"
  printf 'ccc' >"$DOKKU_ROOT/app1/CONTAINER.worker.1"
  run_lib 'shopt -s nullglob; get_app_container_ids app1; get_app_container_ids app1 web; get_app_container_ids app1 worker.1; get_app_container_ids app1 worker.9; get_app_container_ids app2 | od -c | head -1; shopt nullglob'
  assert_status 0
  assert_stdout $' aaa  bbb  ccc \n aaa  bbb \n ccc \n\n0000000  \\n\nnullglob       \ton\n'
}

@test "get_app_running_container_types lists sorted unique types of a deployed app" {
  mkdir -p "$DOKKU_ROOT/app1"
  touch "$DOKKU_ROOT/app1/CONTAINER.worker.1" "$DOKKU_ROOT/app1/CONTAINER.web.1" "$DOKKU_ROOT/app1/CONTAINER.web.2"
  run_lib 'get_app_running_container_types app1'
  assert_stdout $'web worker\n'
  stub_reply common.--quiet.is-deployed --rc 1
  run_lib 'get_app_running_container_types app1'
  assert_status 1
  assert_stderr $' !     App app1 has not been deployed\n'
}

@test "dokku_version reads STABLE_VERSION, then VERSION" {
  printf '0.38.27\n' >"$DOKKU_LIB_ROOT/VERSION"
  run_lib 'dokku_version'
  assert_stdout $'dokku version 0.38.27\n'
  printf '0.38.26' >"$DOKKU_LIB_ROOT/STABLE_VERSION"
  run_lib 'dokku_version'
  assert_stdout $'dokku version 0.38.26\n'
  rm "$DOKKU_LIB_ROOT/VERSION" "$DOKKU_LIB_ROOT/STABLE_VERSION"
  run_lib 'dokku_version'
  assert_status 1
  assert_stderr $' !     Unable to determine dokku\'s version\n'
}

@test "dokku_auth skips the trigger unless a non-20_events plugin has user-auth" {
  run_lib 'dokku_auth apps:list; echo ok'
  assert_stdout $'ok\n'
  mkdir -p "$PLUGIN_AVAILABLE_PATH/20_events"
  ln -s /bin/true "$PLUGIN_AVAILABLE_PATH/20_events/user-auth"
  ln -s "$PLUGIN_AVAILABLE_PATH/20_events" "$PLUGIN_ENABLED_PATH/20_events"
  run_lib 'dokku_auth apps:list; echo ok'
  assert_calls ""
  mkdir -p "$PLUGIN_AVAILABLE_PATH/acl"
  ln -s /bin/true "$PLUGIN_AVAILABLE_PATH/acl/user-auth"
  ln -s "$PLUGIN_AVAILABLE_PATH/acl" "$PLUGIN_ENABLED_PATH/acl"
  SSH_USER=bob NAME=admin run_lib 'dokku_auth apps:list a1; echo "ok $SSH_NAME $DOKKU_COMMAND"'
  assert_stdout $'ok admin apps:list\n'
  assert_calls $'plugn [trigger][user-auth][bob][admin][apps:list][a1]\n'
  stub_reply plugn.trigger.user-auth --rc 1
  SSH_USER=bob run_lib 'dokku_auth apps:list || echo denied'
  assert_stdout $'denied\n'
}

@test "get_available_port prefers the ports-get-available trigger" {
  stub_reply plugn.trigger.ports-get-available --out $'31000\n'
  run_lib 'get_available_port'
  assert_stdout $'31000\n'
  : >"$STUB_DIR/plugn.trigger.ports-get-available.out"
  run_lib 'p="$(get_available_port)"; [[ "$p" -ge 1025 && "$p" -le 65535 ]] && echo in-range'
  assert_stdout $'in-range\n'
}

@test "acquire/release_advisory_lock write the holder id and remove the file" {
  mkdir -p "$T/locks"
  DOKKU_BUILD_ID=b-1 run_lib 'acquire_advisory_lock "$1/my lock" waiting w f; cat "$1/my lock"; release_advisory_lock "$1/my lock"; [[ -e "$1/my lock" ]] || echo removed' "$T/locks"
  assert_status 0
  assert_stdout $'b-1\nremoved\n'
}

@test "acquire_advisory_lock fails fast on a held lock in non-waiting mode" {
  command -v flock >/dev/null || skip "flock not installed"
  mkdir -p "$T/locks"
  exec 9>"$T/locks/held"
  flock 9
  run_lib 'acquire_advisory_lock "$1/held" fail waiting-msg failed-msg' "$T/locks"
  exec 9>&-
  assert_status 1
  assert_stderr $' !     failed-msg\n !     Run \'apps:unlock\' to release the existing deploy lock\n'
}
