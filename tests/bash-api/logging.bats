#!/usr/bin/env bats
# Exact bytes, streams and exit codes of the dokku_log_* family
# (bash-api.md §1.2, dokku-core.md §1.9).

load test_helper

@test "info1, info2, verbose and exclaim print their prefix on stdout" {
  run_lib 'dokku_log_info1 hello world; dokku_log_info2 hi; dokku_log_verbose detail; dokku_log_exclaim careful'
  assert_status 0
  assert_stdout $'-----> hello world\n=====> hi\n       detail\n !     careful\n'
  assert_stderr ""
}

@test "warn prints ' !     ' on stderr only" {
  run_lib 'dokku_log_warn something odd'
  assert_status 0
  assert_stdout ""
  assert_stderr $' !     something odd\n'
}

@test "arguments are joined like \"\$*\" (first IFS character)" {
  run_lib 'dokku_log_info1 a "b  c" d; IFS=,; dokku_log_verbose x y'
  assert_stdout $'-----> a b  c d\n       x,y\n'
}

@test "messages are printed literally (no echo option or escape handling)" {
  run_lib 'dokku_log_info1 -n; dokku_log_verbose "a\tb"; dokku_log_quiet -e; dokku_log_stderr -n x'
  assert_stdout $'-----> -n\n       a\\tb\n-e\n'
  assert_stderr $'-n x\n'
}

@test "an empty message still prints the prefix" {
  run_lib 'dokku_log_info1; dokku_log_warn'
  assert_stdout $'-----> \n'
  assert_stderr $' !     \n'
}

@test "quiet variants print like the loud ones when DOKKU_QUIET_OUTPUT is empty" {
  DOKKU_QUIET_OUTPUT="" run_lib 'dokku_log_info1_quiet a; dokku_log_info2_quiet b; dokku_log_verbose_quiet c; dokku_log_exclaim_quiet d; dokku_log_warn_quiet e; dokku_log_quiet f'
  assert_status 0
  assert_stdout $'-----> a\n=====> b\n       c\n !     d\nf\n'
  assert_stderr $' !     e\n'
}

@test "quiet variants are silent and return 0 under set -e when DOKKU_QUIET_OUTPUT is set" {
  DOKKU_QUIET_OUTPUT=1 run_lib 'dokku_log_info1_quiet a; dokku_log_info2_quiet b; dokku_log_verbose_quiet c; dokku_log_exclaim_quiet d; dokku_log_warn_quiet e; dokku_log_quiet f; dokku_col_log_info1_quiet a b c d; dokku_col_log_info2_quiet a; dokku_col_log_msg_quiet a; echo reached'
  assert_status 0
  assert_stdout $'reached\n'
  assert_stderr ""
}

@test "loud variants ignore DOKKU_QUIET_OUTPUT" {
  DOKKU_QUIET_OUTPUT=1 run_lib 'dokku_log_info1 a; dokku_log_info2 b; dokku_log_verbose c; dokku_log_warn d'
  assert_stdout $'-----> a\n=====> b\n       c\n'
  assert_stderr $' !     d\n'
}

@test "dokku_log_fail prints on stderr and exits 1" {
  run_lib 'dokku_log_fail it broke; echo not reached'
  assert_status 1
  assert_stdout ""
  assert_stderr $' !     it broke\n'
}

@test "dokku_log_fail exits with DOKKU_FAIL_EXIT_CODE" {
  DOKKU_FAIL_EXIT_CODE=7 run_lib 'dokku_log_fail nope'
  assert_status 7
  assert_stderr $' !     nope\n'
}

@test "dokku_log_fail exits the shell even inside a conditional" {
  run_lib 'if dokku_log_fail inside; then echo then; else echo else; fi; echo after'
  assert_status 1
  assert_stdout ""
}

@test "dokku_log_fail_quiet is silent when quiet but still exits" {
  DOKKU_QUIET_OUTPUT=1 run_lib 'dokku_log_fail_quiet hidden; echo not reached'
  assert_status 1
  assert_stdout ""
  assert_stderr ""
  run_lib 'dokku_log_fail_quiet shown'
  assert_status 1
  assert_stderr $' !     shown\n'
}

@test "dokku_log_exit prints the raw message on stderr and exits 0" {
  run_lib 'dokku_log_exit all done here; echo not reached'
  assert_status 0
  assert_stdout ""
  assert_stderr $'all done here\n'
}

@test "dokku_log_exit joins with spaces whatever IFS is (echo \"\$@\")" {
  run_lib 'IFS=,; dokku_log_exit a b'
  assert_stderr $'a b\n'
}

@test "dokku_log_exit_quiet is silent when quiet and still exits 0" {
  DOKKU_QUIET_OUTPUT=1 run_lib 'dokku_log_exit_quiet bye; echo not reached'
  assert_silent_ok
  run_lib 'dokku_log_exit_quiet bye'
  assert_status 0
  assert_stderr $'bye\n'
}

@test "dokku_log_stderr and dokku_log_quiet print raw messages" {
  run_lib 'dokku_log_stderr to err; dokku_log_quiet to out'
  assert_stdout $'to out\n'
  assert_stderr $'to err\n'
}

@test "dokku_col_log_info1 matches the letsencrypt list header byte for byte" {
  run_lib 'dokku_col_log_info1_quiet "App name" "Certificate Expiry" "Time before expiry" "Time before renewal"'
  assert_stdout $'-----> App name           Certificate Expiry        Time before expiry        Time before renewal      \n'
}

@test "dokku_col_log_info2 and dokku_col_log_msg use the documented widths" {
  run_lib 'dokku_col_log_info2 a b c d; dokku_col_log_msg w x y z'
  assert_stdout "$(printf '%-6s %-18s %-25s %-25s %-25s\n' '=====>' a b c d; printf '%-25s %-25s %-25s %-25s\n' w x y z)"$'\n'
}

@test "column helpers pad missing values and recycle the format for extra values" {
  run_lib 'dokku_col_log_info1 a; dokku_col_log_msg 1 2 3 4 5'
  assert_stdout "$(printf '%-6s %-18s %-25s %-25s %-25s\n' '----->' a; printf '%-25s %-25s %-25s %-25s\n' 1 2 3 4 5)"$'\n'
}

@test "dokku_container_log_verbose_quiet indents each non-empty log line, stderr merged, no globbing" {
  stub_reply docker.container.logs --out $'first line\n\n*\n  spaced\nlast\n' --err $'from stderr\n'
  touch "$T/should-not-appear"
  run_lib 'cd "$1"; dokku_container_log_verbose_quiet abc123' "$T"
  assert_status 0
  assert_stdout $'       first line\n       *\n         spaced\n       last\n       from stderr\n'
  assert_calls $'docker [container][logs][abc123]\n'
}

@test "dokku_container_log_verbose_quiet prints nothing when quiet" {
  stub_reply docker.container.logs --out $'line\n'
  DOKKU_QUIET_OUTPUT=1 run_lib 'dokku_container_log_verbose_quiet abc123'
  assert_silent_ok
}

@test "dokku_container_log_verbose_quiet ignores a failing docker" {
  stub_reply docker.container.logs --out 'partial' --rc 1
  run_lib 'dokku_container_log_verbose_quiet gone; echo after'
  assert_status 0
  assert_stdout $'       partial\nafter\n'
}

@test "dokku_log_event sends the message to logger with the dokku-event tag" {
  run_lib 'dokku_log_event "something happened"'
  assert_silent_ok
  assert_calls $'logger [-t][dokku-event][-i][--][something happened]\n'
}

@test "dokku_log_plugn_trigger_call formats the INVOKED event line" {
  NAME=alice FINGERPRINT=SHA256:x DOKKU_PID=42 run_lib 'dokku_log_plugn_trigger_call post-deploy app 5000'
  assert_calls $'logger [-t][dokku-event][-i][--][INVOKED: post-deploy( app 5000 ) NAME=alice FINGERPRINT=SHA256:x DOKKU_PID=42]\n'
}
