//! `plugn trigger` (spec §5; §8 T36–T44d, T48b, T50, T51, T53, T60, T60b) and signal
//! forwarding (fixed §2.5 / §7.8).

mod common;
use common::*;
use std::fs;
use std::time::Duration;

/// Plugins a–d, all enabled.
fn abcd() -> Fx {
    let fx = Fx::new();
    for p in ["a", "b", "c", "d"] {
        fx.plugin(p);
    }
    fx
}

#[test]
fn t36_args_argv0_cwd() {
    let fx = abcd();
    fx.hook(
        "a",
        "args",
        "printf '[%s]' \"$@\"; echo; echo \"0=$0\"; echo \"pwd=$PWD\"",
    );
    fx.hook("b", "args", "echo b");
    fx.hook("c", "args", "echo c");
    fx.cmd(&["trigger", "args", "x y", "", "it's", "$HOME"])
        .run()
        .ok(
            &format!(
                "[x y][][it's][$HOME]\n0={}/enabled/a/args\npwd={}\nb\nc\n",
                fx.p(),
                s(&fx.cwd)
            ),
            0,
        );
}

#[test]
fn t36_args_verbatim_newlines_and_dashes() {
    let fx = abcd();
    fx.hook("a", "args", "printf '[%s]' \"$@\"; echo");
    fx.cmd(&[
        "trigger",
        "args",
        "--no-restart",
        "-n",
        "line1\nline2",
        "*",
        "a\\tb",
    ])
    .run()
    .ok("[--no-restart][-n][line1\nline2][*][a\\tb]\n", 0);
}

#[test]
fn t37_no_such_hook() {
    let fx = abcd();
    fx.cmd(&["trigger", "nohook"]).run().ok("", 0).err_empty();
}

#[test]
fn t38_non_executable_hooks_warn_and_skip() {
    let fx = abcd();
    fx.hook("b", "nonexec", "echo b-ran");
    write_file(&fx.avail("c").join("nonexec"), "just data\n", 0o644);
    write_file(
        &fx.avail("d").join("nonexec"),
        "#!/bin/bash\necho d-ran\n",
        0o644,
    );
    fx.cmd(&["trigger", "nonexec"])
        .run()
        .ok("b-ran\n", 0)
        .err_has("Trigger 'nonexec' is not executable, skipping plugin (c)")
        .err_has("Trigger 'nonexec' is not executable, skipping plugin (d)");
}

#[test]
fn t39_directory_and_dangling_hook_skipped_silently() {
    let fx = abcd();
    fs::create_dir_all(fx.avail("a").join("dirhook")).unwrap();
    symlink_to(fx.avail("b").join("nowhere"), fx.avail("b").join("dirhook"));
    fx.cmd(&["trigger", "dirhook"]).run().ok("", 0).err_empty();
}

#[test]
fn t40_symlinked_hook_keeps_link_name_as_argv0() {
    let fx = abcd();
    fx.hook("c", "realhook", "basename \"$0\"");
    symlink_to("realhook", fx.avail("c").join("linkhook"));
    fx.cmd(&["trigger", "linkhook"]).run().ok("linkhook\n", 0);
}

#[test]
fn t41_fail_fast_with_hook_status() {
    let fx = abcd();
    fx.hook("a", "fails", "echo a-ran; exit 3");
    fx.hook("b", "fails", "echo b-ran");
    fx.cmd(&["trigger", "fails"]).run().ok("a-ran\n", 3);
}

#[test]
fn t42_hook_killed_by_signal() {
    let fx = abcd();
    fx.hook("a", "dies", "echo a-ran; kill -9 $$");
    fx.hook("b", "dies", "echo b-ran");
    fx.cmd(&["trigger", "dies"]).run().ok("a-ran\n", 137);
}

fn stdin_hooks(fx: &Fx) {
    fx.hook("a", "in", "read -r l; echo \"a:$l\"");
    fx.hook("b", "in", "read -r l; echo \"b:$l\"");
    fx.hook("c", "in", "printf c:; tr '\\n' '|'; echo");
    fx.hook("d", "in", "printf d:; cat; echo");
}

#[test]
fn t43_stdin_shared_between_hooks() {
    let fx = abcd();
    stdin_hooks(&fx);
    fx.cmd(&["trigger", "in"])
        .stdin(b"l1\nl2\nl3\nl4\n")
        .run()
        .ok("a:l1\nb:l2\nc:l3|l4|\nd:\n", 0);
}

#[test]
fn t43_stdin_shared_between_hooks_pipe() {
    let fx = abcd();
    stdin_hooks(&fx);
    fx.cmd(&["trigger", "in"])
        .stdin_pipe(b"l1\nl2\nl3\nl4\n")
        .run()
        .ok("a:l1\nb:l2\nc:l3|l4|\nd:\n", 0);
}

#[test]
fn t44_stdout_stderr_unbuffered_unaltered() {
    let fx = abcd();
    fx.hook("a", "out", "printf x; echo E >&2");
    fx.hook("b", "out", "printf y");
    fx.cmd(&["trigger", "out"]).run().ok("xy", 0).err_has("E");
}

fn dargs(fx: &Fx) {
    for (p, n) in [("a", 1), ("b", 2), ("c", 3)] {
        fx.hook(
            p,
            "dargs",
            &format!("STDIN=$(cat); echo -n \"$STDIN --a{n}\""),
        );
    }
}

#[test]
fn t44c_docker_args_empty_stdin() {
    let fx = abcd();
    dargs(&fx);
    fx.cmd(&["trigger", "dargs"])
        .stdin(b"")
        .run()
        .ok(" --a1 --a2 --a3", 0);
    fx.cmd(&["trigger", "dargs"]).run().ok(" --a1 --a2 --a3", 0);
}

#[test]
fn t44d_docker_args_with_stdin() {
    let fx = abcd();
    dargs(&fx);
    fx.cmd(&["trigger", "dargs"])
        .stdin(b"base")
        .run()
        .ok("base --a1 --a2 --a3", 0);
}

#[test]
fn t48b_trigger_without_hook() {
    let fx = abcd();
    fx.hook("a", "x", &fx.touch_body("ran"));
    fx.cmd(&["trigger"]).run().ok("", 1);
    assert!(!fx.marker("ran").exists());
}

#[test]
fn t50_hidden_enabled_plugin_not_run() {
    let fx = Fx::new();
    fx.plugin(".hid");
    fx.hook(".hid", "args", "echo hidden");
    fx.plugin("vis");
    fx.hook("vis", "args", "echo visible");
    fx.cmd(&["trigger", "args"]).run().ok("visible\n", 0);
    fx.cmd(&["list"])
        .run()
        .ok(&list_line("vis", "1.0.0", "enabled", "vis"), 0);
}

#[test]
fn t51_shebangless_hook_runs_with_bash() {
    let fx = abcd();
    write_file(
        &fx.avail("a").join("nosb"),
        "echo \"0=$0\"\n[[ -n $BASH_VERSION ]] && echo isbash\necho \"args=$*\"\n",
        0o755,
    );
    fx.cmd(&["trigger", "nosb", "x", "y"]).run().ok(
        &format!("0={}/enabled/a/nosb\nisbash\nargs=x y\n", fx.p()),
        0,
    );
}

#[test]
fn t53_no_enabled_dir() {
    let fx = Fx::new();
    fx.mkplugin("a", "1.0.0", "a");
    fx.hook("a", "anything", "echo ran");
    fs::remove_dir(fx.pp.join("enabled")).unwrap();
    fx.cmd(&["trigger", "anything"]).run().ok("", 0);
}

#[test]
fn t60_dokku_layout_core_and_community() {
    let fx = Fx::new();
    let dk = dokku_layout(&fx);
    fx.cmd(&["trigger", "post-deploy", "app1"])
        .env("PLUGIN_PATH", dk.join("plugins"))
        .run()
        .ok("00_dokku-standard app1\napps app1\ncommunity app1\n", 0);
}

#[test]
fn t60b_dokku_layout_core_only() {
    let fx = Fx::new();
    let dk = dokku_layout(&fx);
    fx.cmd(&["trigger", "post-deploy", "app1"])
        .env("PLUGIN_PATH", dk.join("core-plugins"))
        .run()
        .ok("00_dokku-standard app1\napps app1\n", 0);
}

/// Byte order of enabled entries regardless of locale (§5.2).
#[test]
fn trigger_byte_order() {
    let fx = Fx::new();
    let names = [
        "Zeta",
        "B-x",
        "_under",
        "a-c",
        "ab",
        "a_b",
        "apps",
        "app-json",
        "9",
        "10",
        "20_events",
        "foo-z",
        "fooa",
    ];
    for n in names {
        fx.plugin(n);
        fx.hook(n, "order", "basename \"$(dirname \"$0\")\"");
    }
    let want = "10\n20_events\n9\nB-x\nZeta\n_under\na-c\na_b\nab\napp-json\napps\nfoo-z\nfooa\n";
    fx.cmd(&["trigger", "order"])
        .env("LC_ALL", "en_US.UTF-8")
        .env("LANG", "en_US.UTF-8")
        .run()
        .ok(want, 0);
}

/// Any directory entry in enabled/ works, and a plugin without plugin.toml still runs (§5.4).
#[test]
fn trigger_real_dir_in_enabled_and_missing_plugin_toml() {
    let fx = Fx::new();
    write_file(
        &fx.enabled("realdir").join("h"),
        "#!/bin/bash\necho realdir\n",
        0o755,
    );
    write_file(
        &fx.avail("notoml").join("h"),
        "#!/bin/bash\necho notoml\n",
        0o755,
    );
    fx.enable("notoml");
    fx.cmd(&["trigger", "h"]).run().ok("notoml\nrealdir\n", 0);
}

/// A hook that cannot be executed (missing interpreter) yields 126 and stops the trigger (§5.6).
#[test]
fn trigger_bad_interpreter_126() {
    let fx = abcd();
    write_file(&fx.avail("a").join("bad"), "#!/nonexistent/interp\n", 0o755);
    fx.hook("b", "bad", "echo b-ran");
    let out = fx.cmd(&["trigger", "bad"]).run();
    out.stdout_is("").code_is(126);
    assert!(!out.stderr.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Signals: forwarded to the running hook; plugn waits and exits 128+N; later hooks don't run.

fn signal_case(sig: i32, trap: bool) {
    let fx = Fx::new();
    fx.plugin("a");
    fx.plugin("b");
    let pidfile = fx.root.join("hook.pid");
    let done = fx.marker("trap-done");
    let body = if trap {
        format!(
            "trap 'sleep 0.3; echo trapped; echo done > \"{done}\"; kill $c 2>/dev/null; exit 0' TERM INT\n\
             sleep 20 >/dev/null 2>&1 &\nc=$!\necho $$ > \"{pid}.tmp\"; mv \"{pid}.tmp\" \"{pid}\"\nwait $c",
            done = s(&done),
            pid = s(&pidfile)
        )
    } else {
        format!(
            "echo $$ > \"{pid}.tmp\"; mv \"{pid}.tmp\" \"{pid}\"\nexec sleep 20",
            pid = s(&pidfile)
        )
    };
    fx.hook("a", "slow", &body);
    fx.hook("b", "slow", &fx.touch_body("b-ran"));
    let run = fx
        .cmd(&["trigger", "slow"])
        .timeout(Duration::from_secs(10))
        .spawn();
    let hook_pid: i32 = wait_for_file(&pidfile, Duration::from_secs(8))
        .parse()
        .unwrap();
    run.signal(sig);
    let out = run.wait();
    let want = if trap { "trapped\n" } else { "" };
    out.ok(want, 128 + sig);
    assert!(
        !process_alive(hook_pid),
        "hook {hook_pid} still running after plugn exited"
    );
    if trap {
        assert!(
            done.exists(),
            "plugn did not wait for the hook to finish its trap"
        );
    }
    assert!(!fx.marker("b-ran").exists(), "later hooks must not run");
}

#[test]
fn sigterm_forwarded_hook_dies() {
    signal_case(SIGTERM, false);
}

#[test]
fn sigint_forwarded_hook_dies() {
    signal_case(SIGINT, false);
}

#[test]
fn sigterm_forwarded_hook_traps_and_exits_0() {
    signal_case(SIGTERM, true);
}

#[test]
fn sigint_forwarded_hook_traps_and_exits_0() {
    signal_case(SIGINT, true);
}
