#!/usr/bin/env bats
# config/functions: the argv handed to config/config_sub and
# config/subcommands/show (bash-api.md §1.2 "Config functions", §1.3).

load test_helper

config_lib() {
  run_bash 'source "$PLUGIN_AVAILABLE_PATH/config/functions"; '"$1" "${@:2}"
}

@test "config_get passes its arguments to config_sub get" {
  stub_reply config_sub.get --out $'postgres\n'
  config_lib 'config_get app1 DATABASE_SCHEME; config_get --global CURL_TIMEOUT'
  assert_status 0
  assert_stdout $'postgres\npostgres\n'
  assert_calls $'config_sub [get][app1][DATABASE_SCHEME]\nconfig_sub [get][--global][CURL_TIMEOUT]\n'
}

@test "config_get of an unset key fails silently with the binary's status" {
  stub_reply config_sub.get --rc 1
  config_lib 'config_get app1 NOPE || echo "rc=$?"'
  assert_status 0
  assert_stdout $'rc=1\n'
  assert_stderr ""
}

@test "config_set and config_unset keep flags and pairs verbatim" {
  config_lib 'config_set --no-restart app1 "A=1" "B=two words" "C="; config_set --global --encoded X=eA==; config_unset --no-restart app1 A B; config_unset --global X'
  assert_silent_ok
  assert_calls 'config_sub [set][--no-restart][app1][A=1][B=two words][C=]
config_sub [set][--global][--encoded][X=eA==]
config_sub [unset][--no-restart][app1][A][B]
config_sub [unset][--global][X]
'
}

@test "config_set propagates a failure" {
  stub_reply config_sub.set --err $' !     boom\n' --rc 1
  config_lib 'config_set app1 A=1; echo not reached'
  assert_status 1
  assert_stdout ""
  assert_stderr $' !     boom\n'
}

@test "config_keys, config_clear, config_bundle and config_sub" {
  config_lib 'config_keys app1; config_keys --global --merged; config_clear --no-restart app1; config_bundle --merged app1; config_sub export --format shell app1'
  assert_silent_ok
  assert_calls 'config_sub [keys][app1]
config_sub [keys][--global][--merged]
config_sub [clear][--no-restart][app1]
config_sub [bundle][--merged][app1]
config_sub [export][--format][shell][app1]
'
}

@test "config_export puts the flags first and the app (or --global) last" {
  config_lib 'config_export app app1; config_export app app1 --format docker-args; config_export global; config_export global --merged'
  assert_silent_ok
  assert_calls 'config_sub [export][app1]
config_sub [export][--format][docker-args][app1]
config_sub [export][--global]
config_sub [export][--merged][--global]
'
}

@test "config_export returns 0 even if the export fails in a conditional context" {
  stub_reply config_sub.export --rc 1
  config_lib 'if config_export app app1; then echo ok; fi'
  assert_stdout $'ok\n'
}

@test "config_all runs the show subcommand as 'show config APP'" {
  stub_reply show --out $'=====> app1 env vars\nA:  1\n'
  config_lib 'config_all app1; config_all config app1'
  assert_status 0
  assert_stdout $'=====> app1 env vars\nA:  1\n=====> app1 env vars\nA:  1\n'
  assert_calls $'show [config][app1]\nshow [config][app1]\n'
}

@test "config_all with DOKKU_CONFIG_EXPORT emits config_export output (upstream argv)" {
  DOKKU_CONFIG_EXPORT=1 config_lib 'config_all app1'
  assert_status 0
  assert_calls $'config_sub [export][app1][config]\n'
}

@test "fn-config-set goes through the config-set trigger" {
  config_lib 'fn-config-set app1 true A=1 B=2; fn-config-set app1 false C=3'
  assert_silent_ok
  assert_calls $'plugn [trigger][config-set][--no-restart][app1][A=1][B=2]\nplugn [trigger][config-set][app1][C=3]\n'
}

@test "a datastore-style lookup works on config_all output" {
  stub_reply show --out $'=====> app1 env vars\nDATABASE_URL:                postgres://u:p@dokku-postgres-db:5432/db\nDOKKU_POSTGRES_AQUA_URL:     postgres://u:p@dokku-postgres-db:5432/db\n'
  config_lib 'config_all app1 | grep "postgres://u:p@dokku-postgres-db:5432/db" | cut -d: -f1'
  assert_stdout $'DATABASE_URL\nDOKKU_POSTGRES_AQUA_URL\n'
}
