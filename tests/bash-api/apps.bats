#!/usr/bin/env bats
# App helpers: verify_app_name, is_valid_app_name, dokku_apps, is_deployed,
# fn-plugn-trigger-exists, image name helpers (bash-api.md §1.2, §1.3).

load test_helper

# --- contract with common/common (recording stub) --------------------------

@test "verify_app_name asks common --quiet verify-app-name and is silent on success" {
  run_lib 'verify_app_name my-app; echo ok'
  assert_status 0
  assert_stdout $'ok\n'
  assert_stderr ""
  assert_calls $'common [--quiet][verify-app-name][my-app]\n'
}

@test "verify_app_name: any failure is 'App X does not exist' with exit 20" {
  stub_reply common.--quiet.verify-app-name --rc 1
  run_lib 'verify_app_name ghost; echo not reached'
  assert_status 20
  assert_stdout ""
  assert_stderr $' !     App ghost does not exist\n'
}

@test "verify_app_name failure exits 20 even inside a conditional" {
  stub_reply common.--quiet.verify-app-name --rc 1
  run_lib 'if verify_app_name ghost; then echo yes; fi; echo after'
  assert_status 20
  assert_stdout ""
}

@test "verify_app_name does not leave DOKKU_FAIL_EXIT_CODE behind" {
  stub_reply common.--quiet.verify-app-name --rc 1
  run_lib '(verify_app_name ghost) || true; echo "code=${DOKKU_FAIL_EXIT_CODE-unset}"; dokku_log_fail later'
  assert_status 1
  assert_stdout $'code=unset\n'
}

@test "is_valid_app_name with an empty name asks for an app, exit 1, no binary call" {
  run_lib 'is_valid_app_name ""'
  assert_status 1
  assert_stdout ""
  assert_stderr $' !     Please specify an app to run the command on\n'
  assert_calls ""
}

@test "is_valid_app_name reports the naming rule on a rejected name" {
  stub_reply common.--quiet.is-valid-app-name --rc 1
  run_lib 'is_valid_app_name Bad_Name'
  assert_status 1
  assert_stderr $' !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n'
  assert_calls $'common [--quiet][is-valid-app-name][Bad_Name]\n'
}

@test "is_valid_app_name_old uses the old check with the same message" {
  stub_reply common.--quiet.is-valid-app-name-old --rc 1
  run_lib 'is_valid_app_name_old -x'
  assert_status 1
  assert_stderr $' !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n'
  assert_calls $'common [--quiet][is-valid-app-name-old][-x]\n'
}

@test "is_deployed returns the binary's status" {
  run_lib 'is_deployed app1'
  assert_silent_ok
  stub_reply common.--quiet.is-deployed --rc 1
  run_lib 'if is_deployed app1; then echo yes; else echo no; fi'
  assert_stdout $'no\n'
  assert_calls $'common [--quiet][is-deployed][app1]\ncommon [--quiet][is-deployed][app1]\n'
}

@test "fn-plugn-trigger-exists is true only when the binary prints true" {
  stub_reply common.--quiet.plugn-trigger-exists --out true
  run_lib 'fn-plugn-trigger-exists post-deploy && echo yes'
  assert_stdout $'yes\n'
  stub_reply common.--quiet.plugn-trigger-exists --out false
  run_lib 'fn-plugn-trigger-exists post-deploy || echo no'
  assert_stdout $'no\n'
  stub_reply common.--quiet.plugn-trigger-exists --out true --rc 3
  run_lib 'fn-plugn-trigger-exists post-deploy && echo yes'
  assert_stdout $'yes\n'
  assert_calls "$(printf 'common [--quiet][plugn-trigger-exists][post-deploy]\n%.0s' 1 2 3)"$'\n'
}

@test "get_app_scheduler and docker_cleanup pass through to the binary" {
  stub_reply common.--quiet.scheduler-detect --out docker-local
  run_lib 'get_app_scheduler app1; docker_cleanup app1'
  assert_stdout 'docker-local'
  assert_calls $'common [--quiet][scheduler-detect][app1]\ncommon [--quiet][docker-cleanup][app1]\n'
}

@test "copy_from_image uses the caller's global APP and returns 1 on any failure" {
  stub_reply common.copy-from-image --rc 4
  APP=app1 run_lib 'copy_from_image dokku/app1:latest /app/file.json /tmp/dest || echo "rc=$?"'
  assert_stdout $'rc=1\n'
  assert_calls $'common [copy-from-image][app1][dokku/app1:latest][/app/file.json][/tmp/dest]\n'
}

# --- dokku_apps --------------------------------------------------------------

@test "dokku_apps prints the app-list trigger output" {
  stub_reply plugn.trigger.app-list --out $'app1\napp2\n'
  run_lib 'dokku_apps false'
  assert_status 0
  assert_stdout $'app1\napp2\n'
  assert_calls $'plugn [trigger][app-list][false]\n'
}

@test "dokku_apps without a filter passes an empty argument" {
  stub_reply plugn.trigger.app-list --out $'app1\n'
  run_lib 'dokku_apps'
  assert_calls $'plugn [trigger][app-list][]\n'
}

@test "dokku_apps fails when there is no app" {
  run_lib 'dokku_apps false; echo not reached'
  assert_status 1
  assert_stdout ""
  assert_stderr $' !     You haven\'t deployed any applications yet\n'
}

@test "dokku_apps ignores a failing trigger that still printed apps" {
  stub_reply plugn.trigger.app-list --out $'app1\n' --rc 2
  run_lib 'dokku_apps'
  assert_status 0
  assert_stdout $'app1\n'
}

# --- images --------------------------------------------------------------------

@test "get_app_image_repo prints dokku/APP" {
  run_lib 'get_app_image_repo app1'
  assert_stdout $'dokku/app1\n'
}

@test "get_app_image_name without a tag is REPO:latest and does not touch docker" {
  run_lib 'get_app_image_name app1; get_app_image_name app1 "" my/repo'
  assert_stdout $'dokku/app1:latest\nmy/repo:latest\n'
  assert_calls ""
}

@test "get_app_image_name with an existing tag" {
  run_lib 'get_app_image_name app1 v2'
  assert_status 0
  assert_stdout $'dokku/app1:v2\n'
  assert_calls $'docker [image][inspect][dokku/app1:v2]\n'
}

@test "get_app_image_name with a missing tag fails" {
  stub_reply docker.image.inspect --rc 1
  run_lib 'get_app_image_name app1 v2'
  assert_status 1
  assert_stdout ""
  assert_stderr $' !     App image (dokku/app1:v2) not found\n'
}

@test "get_app_image_name does not leak IMAGE_REPO into the caller" {
  run_lib 'IMAGE_REPO=keep; get_app_image_name app1 "" other >/dev/null; echo "$IMAGE_REPO"'
  assert_stdout $'keep\n'
}

@test "get_running_image_tag: trigger output, else TAG, else latest" {
  run_lib 'get_running_image_tag app1; get_running_image_tag app1 v3'
  assert_stdout $'latest\nv3\n'
  stub_reply plugn.trigger.deployed-app-image-tag --out $'7\n'
  run_lib 'get_running_image_tag app1 v3'
  assert_stdout $'7\n'
  assert_calls $'plugn [trigger][deployed-app-image-tag][app1]\nplugn [trigger][deployed-app-image-tag][app1]\nplugn [trigger][deployed-app-image-tag][app1]\n'
}

@test "get_deploying_app_image_name applies the registry triggers" {
  stub_reply plugn.trigger.deployed-app-image-tag --out $'5\n'
  stub_reply plugn.trigger.deployed-app-repository --out 'registry.example.com/'
  stub_reply plugn.trigger.deployed-app-image-repo --out $'team/app1\n'
  run_lib 'get_deploying_app_image_name app1'
  assert_status 0
  assert_stdout $'registry.example.com/team/app1:5\n'
}

@test "get_deploying_app_image_name defaults to dokku/APP:latest" {
  run_lib 'get_deploying_app_image_name app1'
  assert_stdout $'dokku/app1:latest\n'
}

# --- the real Rust binary ----------------------------------------------------

@test "[bin] verify_app_name accepts an existing app and rejects a missing one with 20" {
  use_real_bins
  mkdir -p "$DOKKU_ROOT/app1"
  run_lib 'verify_app_name app1; echo ok'
  assert_status 0
  assert_stdout $'ok\n'
  assert_stderr ""
  run_lib 'verify_app_name app2'
  assert_status 20
  assert_stdout ""
  assert_stderr $' !     App app2 does not exist\n'
}

@test "[bin] verify_app_name rejects an invalid name with the missing-app message" {
  use_real_bins
  mkdir -p "$DOKKU_ROOT/Upper"
  run_lib 'verify_app_name Upper'
  assert_status 20
  assert_stderr $' !     App Upper does not exist\n'
}

@test "[bin] verify_app_name with an empty name exits 20" {
  use_real_bins
  run_lib 'verify_app_name ""'
  assert_status 20
  assert_stderr $' !     App  does not exist\n'
}

@test "[bin] is_valid_app_name follows ^[a-z0-9][a-z0-9.-]*\$" {
  use_real_bins
  local name
  for name in app 0app a.b-c 9; do
    run_lib 'is_valid_app_name "$1"' "$name"
    assert_silent_ok
  done
  for name in App .app a_b "a b" "a/b" "app!"; do
    run_lib 'is_valid_app_name "$1"' "$name"
    assert_status 1
    assert_stderr $' !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n'
  done
}

@test "[bin] is_valid_app_name_old also accepts underscores" {
  use_real_bins
  run_lib 'is_valid_app_name_old a_b'
  assert_silent_ok
}

@test "[bin] is_deployed follows the common 'deployed' property" {
  use_real_bins
  mkdir -p "$DOKKU_ROOT/app1" "$DOKKU_LIB_ROOT/config/common/app1"
  printf 'true' >"$DOKKU_LIB_ROOT/config/common/app1/deployed"
  run_lib 'is_deployed app1 && echo yes || echo no'
  assert_stdout $'yes\n'
  assert_stderr ""
  printf 'false' >"$DOKKU_LIB_ROOT/config/common/app1/deployed"
  run_lib 'is_deployed app1 && echo yes || echo no'
  assert_stdout $'no\n'
  assert_stderr ""
}

@test "[bin] fn-plugn-trigger-exists sees an executable trigger of an enabled plugin" {
  use_real_bins
  mkdir -p "$PLUGIN_AVAILABLE_PATH/myplug"
  printf '[plugin]\ndescription = "x"\nversion = "0.1.0"\n[plugin.config]\n' >"$PLUGIN_AVAILABLE_PATH/myplug/plugin.toml"
  printf '#!/usr/bin/env bash\n' >"$PLUGIN_AVAILABLE_PATH/myplug/my-trigger"
  chmod +x "$PLUGIN_AVAILABLE_PATH/myplug/my-trigger"
  ln -s "$PLUGIN_AVAILABLE_PATH/myplug" "$PLUGIN_ENABLED_PATH/myplug"
  mkdir -p "$PLUGIN_AVAILABLE_PATH/20_events"
  ln -s /bin/true "$PLUGIN_AVAILABLE_PATH/20_events/events-only"
  ln -s "$PLUGIN_AVAILABLE_PATH/20_events" "$PLUGIN_ENABLED_PATH/20_events"
  run_lib 'fn-plugn-trigger-exists my-trigger && echo yes; fn-plugn-trigger-exists other-trigger || echo no; fn-plugn-trigger-exists events-only || echo no'
  assert_status 0
  assert_stdout $'yes\nno\nno\n'
}
