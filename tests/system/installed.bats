#!/usr/bin/env bats
# Installed-system tests: run as root after `make install` (tests/run does both). They use the
# real dokku user, sudo, /var/lib/dokku, /home/dokku and an sshd on a loopback port.

setup_file() {
  export REPO="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  export WORK="$(mktemp -d)"
  chmod 755 "$WORK"
  # The community fixture as a git repository named like a community plugin.
  cp -r "$REPO/tests/fixtures/community-plugin" "$WORK/dokku-hello"
  git -C "$WORK/dokku-hello" init -q -b main
  git -C "$WORK/dokku-hello" add -A
  git -C "$WORK/dokku-hello" -c user.name=t -c user.email=t@example.com commit -qm fixture
  export HELLO_URL="file://$WORK/dokku-hello"
  # The machine may keep state from an earlier run: start from none.
  dokku plugin:uninstall hello >/dev/null 2>&1 || true
  rm -rf /var/lib/dokku/config/hello
}

teardown_file() {
  dokku plugin:uninstall hello >/dev/null 2>&1 || true
  rm -rf /var/lib/dokku/config/hello
  if [[ -f "$WORK/sshd.pid" ]]; then kill "$(cat "$WORK/sshd.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}

@test "the dokku user and its home exist as upstream's package makes them" {
  run id -un dokku
  [ "$status" -eq 0 ]
  [ "$(getent passwd dokku | cut -d: -f6)" = /home/dokku ]
  [ "$(cat /home/dokku/.sshcommand)" = /usr/bin/dokku ]
  [ "$(stat -c %U /home/dokku/.ssh/authorized_keys)" = dokku ]
  [ "$(stat -c %a /home/dokku/.ssh)" = 700 ]
  [ "$(stat -c %U /var/lib/dokku/config/--global)" = dokku ]
  [ "$(stat -c %U /var/lib/dokku/core-plugins/available/common)" = dokku ]
  run visudo -cqf /etc/sudoers.d/dokku-docker
  [ "$status" -eq 0 ]
  # Every rule the install wrote (nginx's too, when nginx is installed) is root's and valid:
  # sudo ignores, and complains about, a rule file another user owns.
  for rule in /etc/sudoers.d/dokku-*; do
    [ "$(stat -c %U "$rule")" = root ]
    visudo -cqf "$rule"
  done
  if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
    [ "$(stat -c %U /etc/nginx/conf.d)" = root ]
    [ "$(stat -c %U /etc/nginx/conf.d/dokku.conf)" = root ]
    grep -q "include $(getent passwd dokku | cut -d: -f6)/\*/nginx.conf;" /etc/nginx/conf.d/dokku.conf
  fi
}

@test "root runs ordinary commands as the dokku user through sudo" {
  run dokku version
  [ "$status" -eq 0 ]
  [ "$output" = "dokku version $(cat /var/lib/dokku/VERSION)" ]
  run sudo -u dokku dokku version
  [ "$status" -eq 0 ]
}

@test "root-only commands refuse other users" {
  run sudo -u dokku dokku plugin:install
  [ "$status" -eq 1 ]
  [ "$output" = " !     This command must be run as root" ]
  run sudo -u dokku dokku ssh-keys:add somebody
  [ "$status" -eq 1 ]
  [ "$output" = " !     This command must be run as root" ]
}

@test "plugin:list shows the core plugins" {
  run dokku plugin:list
  [ "$status" -eq 0 ]
  [[ "$output" == *"  common               0.38.27 enabled    dokku core common plugin"* ]]
}

@test "a bash community plugin installs with plugin:install and works" {
  run dokku plugin:install "$HELLO_URL"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"-----> Cloning plugin repo $HELLO_URL to /var/lib/dokku/plugins/available/hello"* ]]
  [[ "$output" == *"-----> Plugin hello enabled"* ]]
  [[ "$output" == *"hello: install trigger ran"* ]]
  run dokku plugin:list
  [[ "$output" == *"  hello                0.2.0 enabled    dokku-rs test fixture: a community-style bash plugin"* ]]
  run dokku hello:greet node-app
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "-----> Greeting node-app" ]
  [ "${lines[1]}" = "       hello, node-app" ]
  [ "${lines[2]}" = "=====> Greeted 1 time(s)" ]
  # Written by the dokku user, through sudo.
  [ "$(stat -c %U /var/lib/dokku/config/hello/node-app/last-greeting)" = dokku ]
  [ "$(cat /var/lib/dokku/config/hello/node-app/last-greeting)" = hello ]
  run dokku hello:whoami
  [ "$output" = "user=root name=default command=hello:whoami app= flags=" ]
  run dokku help
  [[ "$output" == *"    hello "*"A community-style test plugin"* ]]
}

@test "release binaries are static; plugin:trigger as root becomes the dokku user with its groups" {
  for bin in /usr/bin/dokku /usr/bin/plugn /var/lib/dokku/core-plugins/available/config/config; do
    run ldd "$bin"
    [[ "$output" == *"statically linked"* ]]
  done
  local dir=/var/lib/dokku/plugins/available/probe
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '[plugin]\ndescription = "probe"\nversion = "0.1.0"\n[plugin.config]\n' >"$dir/plugin.toml"
  printf '#!/usr/bin/env bash\necho "$(id -un) $(id -gn) $HOME"\nid -Gn\n' >"$dir/probe-identity"
  chmod +x "$dir/probe-identity"
  dokku plugin:enable probe
  run dokku plugin:trigger probe-identity
  dokku plugin:disable probe
  rm -rf "$dir"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "dokku $(id -gn dokku) /home/dokku" ]
  # The same groups initgroups(3) would give (id reads them through NSS); order aside.
  [ "$(tr ' ' '\n' <<<"${lines[1]}" | sort)" = "$(id -Gn dokku | tr ' ' '\n' | sort)" ]
}

start_sshd() {
  mkdir -p /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$WORK/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $WORK/host_key
PidFile $WORK/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
AllowUsers dokku
CONF
  "$(command -v sshd || echo /usr/sbin/sshd)" -f "$WORK/sshd_config" -E "$WORK/sshd.log"
  for _ in $(seq 50); do [[ -s "$WORK/sshd.pid" ]] && break; sleep 0.1; done
  echo "$PORT" > "$WORK/port"
}

ssh_dokku() {
  timeout 20 ssh -p "$(cat "$WORK/port")" -i "$WORK/client_key" -o BatchMode=yes \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR dokku@127.0.0.1 "$@"
}

@test "ssh dokku@127.0.0.1 reaches dokku through the key ssh-keys:add wrote" {
  ssh-keygen -q -t ed25519 -N '' -C admin@test -f "$WORK/client_key"
  dokku ssh-keys:remove admin >/dev/null 2>&1 || true
  run dokku ssh-keys:add admin "$WORK/client_key.pub"
  echo "$output"
  [ "$status" -eq 0 ]
  start_sshd
  run ssh_dokku version
  echo "$output"; cat "$WORK/sshd.log" || true
  [ "$status" -eq 0 ]
  [ "$output" = "dokku version $(cat /var/lib/dokku/VERSION)" ]
  run ssh_dokku help
  [ "$status" -eq 0 ]
  [[ "$output" == *"    hello "* ]]
  run ssh_dokku hello:whoami
  [ "$output" = "user=dokku name=admin command=hello:whoami app= flags=" ]
}

@test "hostile ssh commands never run anything" {
  marker="$WORK/pwned"
  for cmd in "hello:whoami; touch $marker" "hello:whoami \$(touch $marker)" "hello:whoami \`touch $marker\`" \
             "hello:whoami && touch $marker" "hello:whoami | touch $marker" "touch $marker" \
             "hello:whoami \"\$(touch $marker)\"" "hello:whoami 'a
touch $marker'"; do
    run ssh_dokku "$cmd"
    [ ! -e "$marker" ]
  done
  run ssh_dokku "hello:whoami 'quoted arg'"
  [ "$status" -eq 0 ]
}
