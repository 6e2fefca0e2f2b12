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

# --- The real config binary (config_sub and subcommands/show) -------------

# use_real_config: points config/config_sub and config/subcommands/show at
# the Rust `config` binary (it dispatches on the name it runs under); skips
# when it is missing, unless BASH_API_REQUIRE_BINS=1.
use_real_config() {
  if [[ ! -x "$DOKKU_RS_BIN_DIR/config" ]]; then
    if [[ "$BASH_API_REQUIRE_BINS" == "1" ]]; then
      echo "Rust config binary missing at $DOKKU_RS_BIN_DIR/config" >&2
      return 1
    fi
    skip "Rust config binary not found at $DOKKU_RS_BIN_DIR/config (cargo build -p core-plugin-config)"
  fi
  local dir="$PLUGIN_CORE_AVAILABLE_PATH/config" bin
  bin="$(cd "$DOKKU_RS_BIN_DIR" && pwd)/config"
  ln -sfn "$bin" "$dir/config_sub"
  ln -sfn "$bin" "$dir/subcommands/show"
}

@test "real binary: config_set and config_get round-trip hostile values" {
  use_real_config
  config_lib 'config_set --no-restart app1 "A=two  words" "B=q\"uote'"'"'s" "C=\$HOME \`x\`!" "D=back\\slash\\" "E=multi
line" "F=007" "G=é=✓"
for k in A B C D E F G; do config_get app1 "$k"; done'
  assert_status 0
  assert_stderr ""
  assert_stdout '-----> Setting config vars
       A:  two  words
       B:  q"uote'"'"'s
       C:  $HOME `x`!
       D:  back\slash\
       E:  multi
line
       F:  007
       G:  é=✓
two  words
q"uote'"'"'s
$HOME `x`!
back\slash\
multi
line
007
é=✓
'
  file_is "$DOKKU_LIB_ROOT/config/app1/ENV" 'A="two  words"
B="q\"uote'"'"'s"
C="\$HOME \`x\`\!"
D="back\\slash\\"
E="multi\nline"
F="007"
G="é=✓"
'
  [[ "$(stat -c %a "$DOKKU_LIB_ROOT/config/app1/ENV")" == 600 ]]
}

@test "real binary: config_get of an unset key exits 1 without output" {
  use_real_config
  config_lib 'config_get app1 NOPE || echo "rc=$?"; config_get --global NOPE || echo "rc=$?"'
  assert_status 0
  assert_stdout $'rc=1\nrc=1\n'
  assert_stderr ""
}

@test "real binary: config_all, config_export and DOKKU_CONFIG_EXPORT" {
  use_real_config
  mkdir -p "$DOKKU_ROOT/app1"
  config_lib 'config_set --no-restart app1 DATABASE_URL=postgres://u:p@db:5432/db B=1 >/dev/null
config_set --global G=g >/dev/null
config_all app1
config_export app app1 --format json; echo
config_export global
config_export app app1 --merged --format docker-args-keys'
  assert_status 0
  assert_stdout '=====> app1 env vars
B:             1
DATABASE_URL:  postgres://u:p@db:5432/db
{"B":"1","DATABASE_URL":"postgres://u:p@db:5432/db"}

export G='"'g'"'
--env=B --env=DATABASE_URL --env=G
'
  DOKKU_CONFIG_EXPORT=1 config_lib 'config_all app1'
  assert_stdout $'export B=\'1\'\nexport DATABASE_URL=\'postgres://u:p@db:5432/db\'\n'
  config_lib 'config_all app1 | grep "postgres://u:p@db:5432/db" | cut -d: -f1'
  assert_stdout $'DATABASE_URL\n'
}

@test "real binary: config_unset, config_keys, config_clear, config_bundle" {
  use_real_config
  config_lib 'config_set --no-restart app1 A=1 B=2 C=3 >/dev/null
config_unset --no-restart app1 A NOPE
config_keys app1
config_bundle app1 | tar -tf -
config_clear --no-restart app1
config_keys app1'
  assert_status 0
  assert_stdout '-----> Unsetting A
-----> Skipping NOPE, it is not set in the environment
B
C
B
C
-----> Unsetting B
-----> Unsetting C
'
  file_is "$DOKKU_LIB_ROOT/config/app1/ENV" $'\n'
}

@test "real binary: bad keys and app names fail with upstream's messages" {
  use_real_config
  config_lib 'config_set app1 "A B=1" || echo "rc=$?"; config_set app1 NOPAIR || echo "rc=$?"; config_set ../x A=1 || echo "rc=$?"'
  assert_status 0
  assert_stdout $'rc=1\nrc=1\nrc=1\n'
  assert_stderr $' !     Invalid key name: \'A B\'\n !     Invalid env pair: NOPAIR\n !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n'
  [[ ! -e "$DOKKU_LIB_ROOT/config/app1" ]]
  [[ ! -e "$DOKKU_LIB_ROOT/config/x" ]]
}
