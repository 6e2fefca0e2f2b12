//! `enable`, `disable`, `uninstall` (spec §4.4, §4.7, §4.8; §8 T14–T16c).

mod common;
use common::*;
use std::fs;

#[test]
fn t14_enable() {
    let fx = Fx::new();
    fx.mkplugin("p1", "1.0.0", "p1");
    fx.cmd(&["enable", "p1"]).run().ok("", 0).err_empty();
    assert_eq!(fs::read_link(fx.enabled("p1")).unwrap(), fx.avail("p1"));
    assert_eq!(
        s(&fs::read_link(fx.enabled("p1")).unwrap()),
        format!("{}/available/p1", fx.p())
    );
    fx.cmd(&["list"])
        .run()
        .ok(&list_line("p1", "1.0.0", "enabled", "p1"), 0);
}

#[test]
fn t14_enable_creates_enabled_dir() {
    let fx = Fx::new();
    fx.mkplugin("p1", "1.0.0", "p1");
    fs::remove_dir(fx.pp.join("enabled")).unwrap();
    fx.cmd(&["enable", "p1"]).run().ok("", 0);
    assert_eq!(
        s(&fs::read_link(fx.enabled("p1")).unwrap()),
        format!("{}/available/p1", fx.p())
    );
}

#[test]
fn t14b_enable_nonexistent_creates_dangling_link() {
    let fx = Fx::new();
    fx.cmd(&["enable", "nosuch"]).run().ok("", 0);
    assert_eq!(
        s(&fs::read_link(fx.enabled("nosuch")).unwrap()),
        format!("{}/available/nosuch", fx.p())
    );
    assert!(!fx.enabled("nosuch").exists(), "link should dangle");
}

#[test]
fn t15_disable() {
    let fx = Fx::new();
    fx.mkplugin("p1", "1.0.0", "p1");
    fx.enable("p1");
    fx.cmd(&["disable", "p1"]).run().ok("", 0).err_empty();
    assert!(!exists_nofollow(&fx.enabled("p1")));
    assert!(
        fx.avail("p1").join("plugin.toml").is_file(),
        "disable must not touch available/"
    );
}

#[test]
fn t15_disable_dangling_link() {
    let fx = Fx::new();
    symlink_to(fx.avail("gone"), fx.enabled("gone"));
    fx.cmd(&["disable", "gone"]).run().ok("", 0);
    assert!(!exists_nofollow(&fx.enabled("gone")));
}

#[test]
fn t15b_disable_not_enabled() {
    let fx = Fx::new();
    fx.mkplugin("p1", "1.0.0", "p1");
    fx.enable("p1");
    fx.cmd(&["disable", "p1"]).run().ok("", 0);
    fx.cmd(&["disable", "p1"]).run().ok("", 1).err_has(&format!(
        "rm: cannot remove '{}/enabled/p1': No such file or directory",
        fx.p()
    ));
}

#[test]
fn t16_uninstall_enabled() {
    let fx = Fx::new();
    fx.mkplugin("p1", "1.0.0", "p1");
    fx.hook("p1", "h", "true");
    fx.enable("p1");
    fx.mkplugin("p2", "1.0.0", "p2");
    fx.cmd(&["uninstall", "p1"]).run().ok("", 0).err_empty();
    assert!(!exists_nofollow(&fx.enabled("p1")));
    assert!(!exists_nofollow(&fx.avail("p1")));
    assert!(
        fx.avail("p2").join("plugin.toml").is_file(),
        "other plugins untouched"
    );
}

#[test]
fn t16b_uninstall_symlinked_core_plugin_keeps_target() {
    let fx = Fx::new();
    let outside = fx.root.join("core-plugins/available/corep");
    write_file(&outside.join("plugin.toml"), &smoke_toml("1.0.0"), 0o644);
    write_file(&outside.join("hook"), "#!/bin/bash\n", 0o755);
    symlink_to(&outside, fx.avail("corep"));
    fx.enable("corep");
    fx.cmd(&["uninstall", "corep"]).run().ok("", 0);
    assert!(!exists_nofollow(&fx.avail("corep")));
    assert!(!exists_nofollow(&fx.enabled("corep")));
    assert!(
        outside.join("plugin.toml").is_file() && outside.join("hook").is_file(),
        "target intact"
    );
}

#[test]
fn t16c_uninstall_never_installed() {
    let fx = Fx::new();
    fx.cmd(&["uninstall", "never-installed"]).run().ok("", 0);
}
