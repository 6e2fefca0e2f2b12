#!/usr/bin/env bats
# fn-plugin-property-* (bash-api.md §1.2 property table, §1.3; dokku-core.md
# §2.2): the exact argv handed to common/prop, then the behaviour end to end
# with the Rust binary.

load test_helper

prop_lib() {
  run_bash 'source "$PLUGIN_CORE_AVAILABLE_PATH/common/property-functions"; '"$1" "${@:2}"
}

# --- argv contract (recording stub) ------------------------------------------

@test "each property function calls common/prop with upstream's verb and argv" {
  prop_lib '
    fn-plugin-property-setup myplug
    fn-plugin-property-setup-app myplug app1
    fn-plugin-property-write myplug app1 key "a value"
    fn-plugin-property-get myplug app1 key
    fn-plugin-property-get myplug app1 key dflt
    fn-plugin-property-get-default myplug --global key dflt
    fn-plugin-property-exists myplug app1 key
    fn-plugin-property-delete myplug app1 key
    fn-plugin-property-destroy myplug app1
    fn-plugin-property-clone myplug app1 app2
    fn-plugin-property-get-all myplug app1
    fn-plugin-property-get-all-by-prefix myplug app1 pre
    fn-plugin-property-list-get myplug app1 lst
    fn-plugin-property-list-add myplug app1 lst v
    fn-plugin-property-list-add myplug app1 lst v 2
    fn-plugin-property-list-get-by-index myplug app1 lst 0
    fn-plugin-property-list-get-by-value myplug app1 lst v
    fn-plugin-property-list-length myplug app1 lst
    fn-plugin-property-list-remove myplug app1 lst v
    fn-plugin-property-list-remove-by-prefix myplug app1 lst pre
    fn-plugin-property-list-set myplug app1 lst v 1
  '
  assert_silent_ok
  assert_calls 'prop [setup][myplug]
prop [setup-app][myplug][app1]
prop [set][myplug][app1][key][a value]
prop [get-with-default][myplug][app1][key][]
prop [get-with-default][myplug][app1][key][dflt]
prop [get-with-default][myplug][--global][key][dflt]
prop [exists][myplug][app1][key]
prop [del][myplug][app1][key]
prop [destroy][myplug][app1]
prop [clone][myplug][app1][app2]
prop [get-all][myplug][app1]
prop [get-all-by-prefix][myplug][app1][pre]
prop [lrange][myplug][app1][lst]
prop [rpush][myplug][app1][lst][v][]
prop [rpush][myplug][app1][lst][v][2]
prop [lindex][myplug][app1][lst][0]
prop [lismember][myplug][app1][lst][v]
prop [llen][myplug][app1][lst]
prop [lrem][myplug][app1][lst][v]
prop [lrem-by-prefix][myplug][app1][lst][pre]
prop [lset][myplug][app1][lst][v][1]
'
}

@test "property functions pass the binary's output, stderr and status through" {
  stub_reply prop.lismember --err $'Value not found\n' --rc 1
  prop_lib 'fn-plugin-property-list-get-by-value p a k v'
  assert_status 1
  assert_stdout ""
  assert_stderr $'Value not found\n'
  stub_reply prop.get-with-default --out $'val\n'
  prop_lib 'x="$(fn-plugin-property-get p a k)"; echo "[$x]"'
  assert_stdout $'[val]\n'
}

@test "property-functions is independent of common/functions" {
  prop_lib 'declare -F dokku_log_info1 >/dev/null || echo standalone; fn-plugin-property-exists p a k && echo called'
  assert_stdout $'standalone\ncalled\n'
}

# --- end to end with the Rust binary --------------------------------------------

@test "[bin] setup creates config/PLUGIN with mode 0755" {
  use_real_bins
  prop_lib 'fn-plugin-property-setup myplug'
  assert_silent_ok
  [[ -d "$DOKKU_LIB_ROOT/config/myplug" ]]
  [[ "$(stat -c %a "$DOKKU_LIB_ROOT/config/myplug")" == 755 ]]
  [[ "$(stat -c %U "$DOKKU_LIB_ROOT/config/myplug")" == "$DOKKU_SYSTEM_USER" ]]
}

@test "[bin] setup-app creates config/PLUGIN/APP" {
  use_real_bins
  prop_lib 'fn-plugin-property-setup-app myplug app1'
  assert_silent_ok
  [[ -d "$DOKKU_LIB_ROOT/config/myplug/app1" ]]
}

@test "[bin] write stores the value without a trailing newline, mode 0600" {
  use_real_bins
  prop_lib 'fn-plugin-property-write myplug app1 email "me@example.com"'
  assert_silent_ok
  file_is "$DOKKU_LIB_ROOT/config/myplug/app1/email" 'me@example.com'
  [[ "$(stat -c %a "$DOKKU_LIB_ROOT/config/myplug/app1/email")" == 600 ]]
}

@test "[bin] get prints value plus newline, default when missing, nothing otherwise" {
  use_real_bins
  prop_lib 'fn-plugin-property-write myplug app1 k "v 1"; fn-plugin-property-get myplug app1 k; fn-plugin-property-get myplug app1 missing; fn-plugin-property-get myplug app1 missing dflt; fn-plugin-property-get-default myplug app1 k dflt; fn-plugin-property-get-default myplug app2 k dflt'
  assert_status 0
  assert_stdout $'v 1\ndflt\nv 1\ndflt\n'
  assert_stderr ""
}

@test "[bin] a multi-line value is printed as stored" {
  use_real_bins
  prop_lib 'fn-plugin-property-write myplug app1 k "$(printf "a\nb")"; fn-plugin-property-get myplug app1 k'
  assert_stdout $'a\nb\n'
}

@test "[bin] --global is an ordinary app slot" {
  use_real_bins
  prop_lib 'fn-plugin-property-write letsencrypt --global email admin@example.com; fn-plugin-property-get letsencrypt --global email'
  assert_stdout $'admin@example.com\n'
  file_is "$DOKKU_LIB_ROOT/config/letsencrypt/--global/email" 'admin@example.com'
}

@test "[bin] exists and delete" {
  use_real_bins
  prop_lib 'fn-plugin-property-write p a k v; fn-plugin-property-exists p a k && echo yes; fn-plugin-property-delete p a k; fn-plugin-property-exists p a k || echo gone; fn-plugin-property-delete p a k && echo silent'
  assert_status 0
  assert_stdout $'yes\ngone\nsilent\n'
  assert_stderr ""
}

@test "[bin] destroy removes one app, _all_ removes the plugin directory" {
  use_real_bins
  prop_lib 'fn-plugin-property-write p a1 k v; fn-plugin-property-write p a2 k v; fn-plugin-property-destroy p a1'
  assert_silent_ok
  [[ ! -e "$DOKKU_LIB_ROOT/config/p/a1" ]]
  [[ -f "$DOKKU_LIB_ROOT/config/p/a2/k" ]]
  prop_lib 'fn-plugin-property-destroy p _all_; fn-plugin-property-destroy p never-existed'
  assert_silent_ok
  [[ ! -e "$DOKKU_LIB_ROOT/config/p" ]]
}

@test "[bin] clone copies every key and is a no-op without source keys" {
  use_real_bins
  prop_lib 'fn-plugin-property-write p old k1 v1; fn-plugin-property-write p old k2 v2; fn-plugin-property-clone p old new; fn-plugin-property-get p new k1; fn-plugin-property-get p new k2; fn-plugin-property-clone p none other'
  assert_status 0
  assert_stdout $'v1\nv2\n'
  [[ ! -e "$DOKKU_LIB_ROOT/config/p/other/k1" ]]
}

@test "[bin] get-all prints 'key value' lines (any order), nothing for a missing app" {
  use_real_bins
  prop_lib 'fn-plugin-property-write p a k1 "v 1"; fn-plugin-property-write p a k2 v2; fn-plugin-property-write p a other x; fn-plugin-property-get-all p a | sort; echo --; fn-plugin-property-get-all-by-prefix p a k | sort; echo --; fn-plugin-property-get-all p missing'
  assert_status 0
  assert_stdout $'k1 v 1\nk2 v2\nother x\n--\nk1 v 1\nk2 v2\n--\n'
}

@test "[bin] list add/get/length, trimmed values, 1-based insert position" {
  use_real_bins
  prop_lib 'fn-plugin-property-list-add p a l one; fn-plugin-property-list-add p a l "  three  "; fn-plugin-property-list-add p a l two 2; fn-plugin-property-list-get p a l; fn-plugin-property-list-length p a l; fn-plugin-property-list-length p a none'
  assert_status 0
  assert_stdout $'one\ntwo\nthree\n3\n0\n'
  file_is "$DOKKU_LIB_ROOT/config/p/a/l" $'one\ntwo\nthree\n'
  [[ "$(stat -c %a "$DOKKU_LIB_ROOT/config/p/a/l")" == 600 ]]
}

@test "[bin] list get-by-index is 0-based and fails with 'Index not found'" {
  use_real_bins
  prop_lib 'fn-plugin-property-list-add p a l x; fn-plugin-property-list-add p a l y; fn-plugin-property-list-get-by-index p a l 1; fn-plugin-property-list-get-by-index p a l 5'
  assert_status 1
  assert_stdout $'y\n'
  assert_stderr $'Index not found\n'
}

@test "[bin] list get-by-value succeeds silently or fails with 'Value not found'" {
  use_real_bins
  prop_lib 'fn-plugin-property-list-add p a l x; fn-plugin-property-list-get-by-value p a l x && echo member; fn-plugin-property-list-get-by-value p a l nope'
  assert_status 1
  assert_stdout $'member\n'
  assert_stderr $'Value not found\n'
}

@test "[bin] list remove rewrites the file, or fails when nothing matched" {
  use_real_bins
  prop_lib 'fn-plugin-property-list-add p a l x; fn-plugin-property-list-add p a l y; fn-plugin-property-list-add p a l x; fn-plugin-property-list-remove p a l x; fn-plugin-property-list-get p a l; fn-plugin-property-list-remove p a l nope'
  assert_status 1
  assert_stdout $'y\n'
  assert_stderr $'Property not found, nothing was removed\n'
  file_is "$DOKKU_LIB_ROOT/config/p/a/l" $'y\n'
}

@test "[bin] list remove-by-prefix and set" {
  use_real_bins
  prop_lib 'for v in a1 b1 a2 c1; do fn-plugin-property-list-add p a l "$v"; done; fn-plugin-property-list-remove-by-prefix p a l a; fn-plugin-property-list-set p a l z 0; fn-plugin-property-list-set p a l end 9; fn-plugin-property-list-get p a l'
  assert_status 0
  assert_stdout $'z\nc1\nend\n'
}
