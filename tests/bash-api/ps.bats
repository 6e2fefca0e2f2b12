#!/usr/bin/env bats
# ps/functions: ps_restore, fn-ps-* and the ps_start/ps_stop/ps_rebuild shims
# (bash-api.md §1.4, Appendix B.10).

load test_helper

ps_lib() {
  run_bash 'source "$PLUGIN_AVAILABLE_PATH/ps/functions"; '"$1" "${@:2}"
}

@test "ps_start, ps_stop, ps_rebuild and ps_restore run the dokku commands" {
  export STUB_LOG_ENV=DOKKU_APP_NAME
  ps_lib 'ps_start app1; ps_stop app1; ps_rebuild app1; ps_restore app1'
  assert_silent_ok
  assert_calls 'dokku [ps:start][app1] {DOKKU_APP_NAME unset}
dokku [ps:stop][app1] {DOKKU_APP_NAME unset}
dokku [ps:rebuild][app1] {DOKKU_APP_NAME unset}
dokku [ps:start][app1] {DOKKU_APP_NAME unset}
'
}

@test "the shims drop an inherited DOKKU_APP_NAME so the app is not inserted twice" {
  export STUB_LOG_ENV=DOKKU_APP_NAME
  DOKKU_APP_NAME=app1 ps_lib 'ps_stop app1; echo "still $DOKKU_APP_NAME"'
  assert_stdout $'still app1\n'
  assert_calls $'dokku [ps:stop][app1] {DOKKU_APP_NAME unset}\n'
}

@test "a failing shim fails like the command" {
  stub_reply dokku.ps:start --err $' !     App app1 has not been deployed\n' --rc 1
  ps_lib 'ps_start app1; echo not reached'
  assert_status 1
  assert_stderr $' !     App app1 has not been deployed\n'
}

@test "fn-ps-app-status asks the app's scheduler; fn-ps-is-app-running prints field 2" {
  stub_reply common.--quiet.scheduler-detect --out docker-local
  stub_reply plugn.trigger.scheduler-app-status --out $'2 true\n'
  ps_lib 'fn-ps-app-status app1; fn-ps-is-app-running app1'
  assert_status 0
  assert_stdout $'2 true\ntrue\n'
  assert_calls 'common [--quiet][scheduler-detect][app1]
plugn [trigger][scheduler-app-status][docker-local][app1]
common [--quiet][scheduler-detect][app1]
plugn [trigger][scheduler-app-status][docker-local][app1]
'
}
