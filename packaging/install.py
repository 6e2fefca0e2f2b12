#!/usr/bin/env python3
"""Lay out an installed dokku-rs: binaries, the core plugin tree, the dokku user and state dirs.

Each core plugin declares its layout in core-plugins/<name>/plugin.toml under [dokku-rs]:
  binary      = the cargo binary implementing the plugin (installed at the plugin root)
  aliases     = extra names of that binary at the plugin root (e.g. common/prop)
  commands    = words the plugin's `commands` entry handles (empty: no `commands` entry)
  subcommands = names installed as subcommands/<name>
  triggers    = trigger names installed at the plugin root
  files       = files shipped verbatim from the plugin source directory (bash libraries)
Every installed name is a symlink to the binary, which dispatches on the name it runs under.

Environment: DESTDIR, PREFIX (/usr), DOKKU_LIB_ROOT (/var/lib/dokku), DOKKU_ROOT (/home/dokku),
DOKKU_LOGS_DIR (/var/log/dokku), BIN_DIR (target/<host>/release, where `make build` puts the
static binaries), DOKKU_SYSTEM_USER/GROUP (dokku).
"""

import grp
import os
import pwd
import shutil
import subprocess
import sys
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HANDLED_WORDS_FILE = ".dokku-rs-commands"

DESTDIR = os.environ.get("DESTDIR", "")
PREFIX = os.environ.get("PREFIX", "/usr")
LIB = os.environ.get("DOKKU_LIB_ROOT", "/var/lib/dokku")
HOME = os.environ.get("DOKKU_ROOT", "/home/dokku")
LOGS = os.environ.get("DOKKU_LOGS_DIR", "/var/log/dokku")
def default_bin_dir():
    """Where `make build` leaves the release binaries: target/<host triple>/release."""
    try:
        out = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
        host = next(l.split(": ", 1)[1] for l in out.splitlines() if l.startswith("host: "))
        return os.path.join(REPO, "target", host, "release")
    except (OSError, subprocess.CalledProcessError, StopIteration):
        return os.path.join(REPO, "target", "release")


BIN_DIR = os.environ.get("BIN_DIR") or default_bin_dir()
USER = os.environ.get("DOKKU_SYSTEM_USER", "dokku")
GROUP = os.environ.get("DOKKU_SYSTEM_GROUP", "dokku")
SUDOERS = "/etc/sudoers.d/dokku-docker"
# Tests install into many temporary roots: linking the built binaries avoids copying
# hundreds of megabytes of debug binaries each time.
LINK_BINARIES = os.environ.get("DOKKU_RS_LINK_BINARIES") == "1"


def dest(path):
    """A final path as seen under DESTDIR."""
    return DESTDIR + path if DESTDIR else path


def system_install():
    """Users, ownership and sudoers only make sense for a real install as root.
    DOKKU_RS_NO_SYSTEM=1 lays out a self-contained tree (tests, benchmarks)."""
    return not DESTDIR and os.geteuid() == 0 and os.environ.get("DOKKU_RS_NO_SYSTEM") != "1"


def workspace_version():
    with open(os.path.join(REPO, "Cargo.toml"), "rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


def install_binary(src, dst):
    """Put a built binary at dst (copied and made executable, or linked for tests)."""
    tmp = dst + ".dokku-rs-tmp"
    if os.path.lexists(tmp):
        os.remove(tmp)
    if LINK_BINARIES:
        os.symlink(os.path.abspath(src), tmp)
    else:
        shutil.copy2(src, tmp)
        os.chmod(tmp, 0o755)
    os.replace(tmp, dst)


def replace_symlink(target, link):
    tmp = link + ".dokku-rs-tmp"
    if os.path.lexists(tmp):
        os.remove(tmp)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def core_plugins():
    root = os.path.join(REPO, "core-plugins")
    for name in sorted(os.listdir(root)):
        manifest = os.path.join(root, name, "plugin.toml")
        if not os.path.isfile(manifest):
            continue
        with open(manifest, "rb") as f:
            meta = tomllib.load(f)
        if "dokku-rs" in meta:
            yield name, os.path.join(root, name), meta["dokku-rs"]


def install_plugin(name, src, spec):
    available = dest(f"{LIB}/core-plugins/available/{name}")
    remove(available)
    os.makedirs(available)
    shutil.copy2(os.path.join(src, "plugin.toml"), available)
    open(os.path.join(available, ".core"), "w").close()

    binary = spec.get("binary")
    if binary:
        install_binary(os.path.join(BIN_DIR, binary), os.path.join(available, binary))
        for alias in spec.get("aliases", []):
            replace_symlink(binary, os.path.join(available, alias))
        for trigger in spec.get("triggers", []):
            replace_symlink(binary, os.path.join(available, trigger))
        subcommands = spec.get("subcommands", [])
        if subcommands:
            os.makedirs(os.path.join(available, "subcommands"))
        for sub in subcommands:
            replace_symlink(f"../{binary}", os.path.join(available, "subcommands", sub))
        words = spec.get("commands", [])
        if words:
            replace_symlink(binary, os.path.join(available, "commands"))
            with open(os.path.join(available, HANDLED_WORDS_FILE), "w") as f:
                f.write("".join(w + "\n" for w in words))
    for rel in spec.get("files", []):
        target = os.path.join(available, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(src, rel), target)

    # The same links upstream's packaging makes (`plugn enable` in both trees).
    replace_symlink(f"{LIB}/core-plugins/available/{name}", dest(f"{LIB}/plugins/available/{name}"))
    replace_symlink(f"{LIB}/core-plugins/available/{name}", dest(f"{LIB}/core-plugins/enabled/{name}"))
    replace_symlink(f"{LIB}/plugins/available/{name}", dest(f"{LIB}/plugins/enabled/{name}"))


def resolves(path, hops=16):
    """Whether a link chain ends somewhere, reading absolute targets inside DESTDIR."""
    while hops and os.path.islink(path):
        target = os.readlink(path)
        path = dest(target) if os.path.isabs(target) else os.path.join(os.path.dirname(path), target)
        hops -= 1
    return hops > 0 and os.path.exists(path)


def purge_dangling(root):
    for dirpath, dirnames, filenames in os.walk(dest(root)):
        for entry in dirnames + filenames:
            path = os.path.join(dirpath, entry)
            if os.path.islink(path) and not resolves(path):
                os.remove(path)


def ensure_user():
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--home-dir", HOME, "--shell", "/bin/bash",
                        "--user-group", USER], check=True)
        subprocess.run(["usermod", "--lock", USER], check=True)
    try:
        grp.getgrnam("docker")
        subprocess.run(["usermod", "-aG", "docker", USER], check=True)
    except KeyError:
        pass


def chown_tree(path):
    uid, gid = pwd.getpwnam(USER).pw_uid, grp.getgrnam(GROUP).gr_gid
    os.chown(path, uid, gid, follow_symlinks=False)
    for dirpath, dirnames, filenames in os.walk(path):
        for entry in dirnames + filenames:
            os.chown(os.path.join(dirpath, entry), uid, gid, follow_symlinks=False)


def install_sudoers():
    src = os.path.join(REPO, "packaging", "sudoers", "dokku-docker")
    tmp = SUDOERS + ".dokku-rs-tmp"
    os.makedirs(os.path.dirname(SUDOERS), exist_ok=True)
    shutil.copyfile(src, tmp)
    os.chmod(tmp, 0o440)
    if shutil.which("visudo"):
        subprocess.run(["visudo", "-cqf", tmp], check=True)
    os.replace(tmp, SUDOERS)


def install():
    version = workspace_version()
    bindir = dest(f"{PREFIX}/bin")
    os.makedirs(bindir, exist_ok=True)
    for binary in ("dokku", "plugn"):
        install_binary(os.path.join(BIN_DIR, binary), os.path.join(bindir, binary))

    for tree in ("core-plugins", "plugins"):
        for sub in ("available", "enabled"):
            os.makedirs(dest(f"{LIB}/{tree}/{sub}"), exist_ok=True)
        open(dest(f"{LIB}/{tree}/config.toml"), "a").close()
    for d in ("config/--global", "data/storage"):
        os.makedirs(dest(f"{LIB}/{d}"), exist_ok=True)
    with open(dest(f"{LIB}/VERSION"), "w") as f:
        f.write(version + "\n")

    shipped = set()
    for name, src, spec in core_plugins():
        install_plugin(name, src, spec)
        shipped.add(name)
    # Core plugins from an earlier install that this one no longer ships.
    core_available = dest(f"{LIB}/core-plugins/available")
    for name in os.listdir(core_available):
        if name not in shipped and os.path.exists(os.path.join(core_available, name, ".core")):
            remove(os.path.join(core_available, name))
    purge_dangling(f"{LIB}/core-plugins")
    purge_dangling(f"{LIB}/plugins")

    os.makedirs(dest(f"{HOME}/.ssh"), exist_ok=True)
    os.makedirs(dest(f"{HOME}/.dokkurc"), exist_ok=True)
    keys = dest(f"{HOME}/.ssh/authorized_keys")
    open(keys, "a").close()
    os.chmod(dest(f"{HOME}/.ssh"), 0o700)
    os.chmod(keys, 0o600)
    with open(dest(f"{HOME}/.sshcommand"), "w") as f:
        f.write(f"{PREFIX}/bin/dokku\n")
    os.makedirs(dest(LOGS), exist_ok=True)

    if system_install():
        ensure_user()
        for path in (f"{LIB}/plugins", f"{LIB}/core-plugins", f"{LIB}/config", f"{LIB}/data", HOME, LOGS):
            chown_tree(path)
        install_sudoers()
        env = dict(os.environ, DOKKU_LIB_PATH=LIB, DOKKU_ROOT=HOME, DOKKU_LOGS_DIR=LOGS)
        # As upstream's postinst: every core plugin's install trigger, through the entry point so
        # the hooks get the environment dokku gives them.
        subprocess.run([f"{PREFIX}/bin/dokku", "plugin:install", "--core"], env=env, check=True)
    print(f"-----> dokku-rs {version} installed (lib {LIB}, binaries {PREFIX}/bin)")


def uninstall():
    """Remove what install laid down; app state, config and the dokku user stay (like apt remove)."""
    for binary in ("dokku", "plugn"):
        path = dest(f"{PREFIX}/bin/{binary}")
        if os.path.lexists(path):
            os.remove(path)
    core_available = dest(f"{LIB}/core-plugins/available")
    names = os.listdir(core_available) if os.path.isdir(core_available) else []
    for name in names:
        for path in (f"{LIB}/plugins/enabled/{name}", f"{LIB}/plugins/available/{name}"):
            if os.path.islink(dest(path)):
                os.remove(dest(path))
    remove(dest(f"{LIB}/core-plugins"))
    if system_install() and os.path.exists(SUDOERS):
        os.remove(SUDOERS)
    print("-----> dokku-rs uninstalled (app data, config and the dokku user were kept)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--uninstall":
        uninstall()
    else:
        install()
