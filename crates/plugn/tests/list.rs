//! `plugn list` and `plugn source` (spec §4.6, §4.9, §5.2; §8 T10–T13b, T52, T61).

mod common;
use common::*;
use std::fs;

#[test]
fn t10_list_layout() {
    let fx = Fx::new();
    fx.mkplugin("alpha", "1.0.0", "alpha plugin");
    fx.enable("alpha");
    fx.mkplugin(
        "beta-very-long-plugin-name",
        "0.38.27",
        "beta   multi  spaced",
    );
    fx.mkplugin("gamma", "1.2.3-longversion", "");
    fx.enable("gamma");
    fx.cmd(&["list"]).run().ok(
        "  alpha                1.0.0 enabled    alpha plugin\n  beta-very-long-plugin-name 0.38.27 disabled   beta   multi  spaced\n  gamma                1.2.3-longversion enabled    \n",
        0,
    );
}

#[test]
fn t11_list_broken_metadata() {
    let fx = Fx::new();
    fx.plugin_toml("noversion", "[plugin]\ndescription = \"no version here\"\n");
    fx.plugin_toml(
        "numver",
        "[plugin]\ndescription = \"numeric\"\nversion = 1.0\n",
    );
    fs::create_dir_all(fx.avail("notoml")).unwrap();
    fx.cmd(&["list"])
        .run()
        .ok(
            "  notoml                     disabled   \n  noversion            <nil> disabled   no version here\n  numver               1     disabled   numeric\n",
            0,
        )
        // Fixed quirk: at most one concise line per plugin without plugin.toml, no panic.
        .max_err_lines(1)
        .err_lacks("panic");
}

#[test]
fn t12_list_byte_order_independent_of_locale() {
    let fx = Fx::new();
    for n in [
        "Zeta", "B-x", "_under", "a-c", "ab", "a_b", "apps", "app-json", ".hidden",
    ] {
        fx.mkplugin(n, "1.0.0", "d");
    }
    let want: String = [
        "B-x", "Zeta", "_under", "a-c", "a_b", "ab", "app-json", "apps",
    ]
    .iter()
    .map(|n| list_line(n, "1.0.0", "disabled", "d"))
    .collect();
    fx.cmd(&["list"])
        .env("LC_ALL", "en_US.UTF-8")
        .env("LANG", "en_US.UTF-8")
        .run()
        .ok(&want, 0);
    fx.cmd(&["list"])
        .env("LC_ALL", "C.UTF-8")
        .run()
        .ok(&want, 0);
}

#[test]
fn t13_list_regular_file_and_dangling_enabled() {
    let fx = Fx::new();
    fs::write(fx.avail("afile"), "not a plugin\n").unwrap();
    symlink_to(fx.avail("ghost"), fx.enabled("ghost"));
    fx.cmd(&["list"])
        .run()
        .ok("  afile                      disabled   \n", 0)
        .max_err_lines(1)
        .err_lacks("panic");
}

#[test]
fn t13b_list_without_available() {
    let fx = Fx::bare();
    fs::create_dir_all(&fx.pp).unwrap();
    fx.cmd(&["list"]).run().ok("", 0);
}

/// Fixed quirk (§7.10): plugins without plugin.toml give at most one stderr line each.
#[test]
fn list_without_plugin_toml_concise_stderr() {
    let fx = Fx::new();
    fs::create_dir_all(fx.avail("bare1")).unwrap();
    fs::create_dir_all(fx.avail("bare2")).unwrap();
    fx.enable("bare2");
    fx.mkplugin("ok", "2.0.0", "fine");
    fx.cmd(&["list"])
        .run()
        .ok(
            &[
                list_line("bare1", "", "disabled", ""),
                list_line("bare2", "", "enabled", ""),
                list_line("ok", "2.0.0", "disabled", "fine"),
            ]
            .concat(),
            0,
        )
        .max_err_lines(2)
        .err_lacks("panic");
}

/// Broken metadata never changes the exit status or drops the line (§4.6).
#[test]
fn list_invalid_toml_and_missing_plugin_table() {
    let fx = Fx::new();
    fx.plugin_toml("badtoml", "[plugin\nthis is = = not toml\n");
    fx.plugin_toml("notable", "[other]\nversion = \"9\"\n");
    fx.mkplugin("zz", "1.0.0", "last");
    fx.cmd(&["list"])
        .run()
        .ok(
            &[
                list_line("badtoml", "", "disabled", ""),
                list_line("notable", "", "disabled", ""),
                list_line("zz", "1.0.0", "disabled", "last"),
            ]
            .concat(),
            0,
        )
        .err_lacks("panic");
}

/// Go-style rendering of non-string values (§4.6).
#[test]
fn list_go_rendering_of_values() {
    let fx = Fx::new();
    fx.plugin_toml("f", "[plugin]\ndescription = \"float\"\nversion = 1.50\n");
    fx.plugin_toml("i", "[plugin]\ndescription = \"int\"\nversion = 2\n");
    fx.plugin_toml("b", "[plugin]\ndescription = true\nversion = \"1\"\n");
    fx.cmd(&["list"]).run().ok(
        &[
            list_line("b", "1", "disabled", "true"),
            list_line("f", "1.5", "disabled", "float"),
            list_line("i", "2", "disabled", "int"),
        ]
        .concat(),
        0,
    );
}

#[test]
fn t61_list_dokku_layout() {
    let fx = Fx::new();
    let dk = dokku_layout(&fx);
    fx.cmd(&["list"])
        .env("PLUGIN_PATH", dk.join("plugins"))
        .run()
        .ok(
            "  00_dokku-standard    0.38.27 enabled    dokku core 00_dokku-standard plugin\n  apps                 0.38.27 enabled    dokku core apps plugin\n  community            0.2.0 enabled    smoke test\n",
            0,
        );
}

#[test]
fn t52_source() {
    let fx = Fx::new();
    fx.plugin("other");
    fx.plugin("shake");
    write_file(
        &fx.avail("shake").join("shake.sh"),
        "shake() { :; }\n",
        0o644,
    );
    // A directory named like the source file does not count.
    fx.plugin("zdir");
    fs::create_dir_all(fx.avail("zdir").join("zdir.sh")).unwrap();
    fx.cmd(&["source"])
        .run()
        .ok(&format!("source {}/enabled/shake/shake.sh\n", fx.p()), 0);
}
