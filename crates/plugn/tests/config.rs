//! `config get|set|export` and `CONFIG_*` in triggers (spec §3, §4.10, §5.4; §8 T45–T47,
//! fixed Q47 and the "config values are data" fixes).

mod common;
use common::*;
use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

const MY_PLUG_TOML: &str =
    "[plugin]\ndescription = \"mine\"\nversion = \"1.0.0\"\n[plugin.config]\napi-key = \"API key\"\n";

fn show_fixture() -> Fx {
    let fx = Fx::new();
    fx.plugin_toml("my-plug", MY_PLUG_TOML);
    fx.enable("my-plug");
    fx.mkplugin("other", "1.0.0", "other");
    fx.enable("other");
    fs::write(
        fx.pp.join("config.toml"),
        "[my-plug]\n  api-key = \"abc123\"\n",
    )
    .unwrap();
    fx.hook(
        "my-plug",
        "show",
        "echo \"mine:$CONFIG_API_KEY:$PLUGN_VERSION:$PLUGIN_PATH:$FOO\"",
    );
    fx.hook("other", "show", "echo \"other:$CONFIG_API_KEY\"");
    fx
}

#[test]
fn t45_trigger_config_env_accumulates() {
    let fx = show_fixture();
    fx.cmd(&["trigger", "show"]).env("FOO", "bar").run().ok(
        &format!("mine:abc123:{VERSION}:{}:bar\nother:abc123\n", fx.p()),
        0,
    );
}

#[test]
fn t45b_env_override_of_config() {
    let fx = show_fixture();
    fx.cmd(&["trigger", "show"])
        .env("FOO", "bar")
        .env("MY_PLUG_API_KEY", "ovr")
        .run()
        .ok(
            &format!("mine:ovr:{VERSION}:{}:bar\nother:ovr\n", fx.p()),
            0,
        );
}

#[test]
fn t45_plugn_version_and_plugin_path_override_caller() {
    let fx = show_fixture();
    fx.cmd(&["trigger", "show"])
        .env("PLUGN_VERSION", "bogus")
        .run()
        .ok(
            &format!("mine:abc123:{VERSION}:{}:\nother:abc123\n", fx.p()),
            0,
        );
}

#[test]
fn t46_config_set_get_export() {
    let fx = Fx::new();
    fx.plugin_toml("my-plug", MY_PLUG_TOML);
    fx.cmd(&["config", "set", "my-plug", "api-key", "abc123"])
        .run()
        .ok("", 0)
        .err_empty();
    assert_eq!(
        read(&fx.pp.join("config.toml")),
        "[my-plug]\n  api-key = \"abc123\"\n"
    );
    fx.cmd(&["config", "get", "my-plug", "api-key"])
        .run()
        .ok("abc123\n", 0);
    fx.cmd(&["config", "export", "my-plug"]).run().ok(
        "export CONFIG_API_KEY=\"${MY_PLUG_API_KEY:-\"abc123\"}\"\n",
        0,
    );
    // No temp files left next to config.toml (atomic write via rename).
    let names: BTreeSet<String> = fs::read_dir(&fx.pp)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names,
        ["available", "config.toml", "enabled"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
}

#[test]
fn t46_export_declared_key_without_value() {
    let fx = Fx::new();
    fx.plugin_toml("my-plug", MY_PLUG_TOML);
    fx.cmd(&["config", "export", "my-plug"])
        .run()
        .ok("export CONFIG_API_KEY=\"${MY_PLUG_API_KEY:-\"\"}\"\n", 0);
}

#[test]
fn t47_config_get_missing_key() {
    let fx = Fx::new();
    fs::write(
        fx.pp.join("config.toml"),
        "[my-plug]\n  api-key = \"abc123\"\n",
    )
    .unwrap();
    fx.cmd(&["config", "get", "my-plug", "nokey"])
        .run()
        .ok("<nil>\n", 0);
}

/// Fixed Q47: a missing table is `<nil>` too, not a panic.
#[test]
fn q47_config_get_missing_table() {
    let fx = Fx::new();
    fx.cmd(&["config", "get", "notable", "x"])
        .run()
        .ok("<nil>\n", 0)
        .err_lacks("panic");
    fs::write(
        fx.pp.join("config.toml"),
        "[my-plug]\n  api-key = \"abc123\"\n",
    )
    .unwrap();
    fx.cmd(&["config", "get", "notable", "x"])
        .run()
        .ok("<nil>\n", 0)
        .err_lacks("panic");
}

/// Fixed: no `[plugin.config]` table → no output, exit 0, nothing on stderr.
#[test]
fn config_export_without_config_table() {
    let fx = Fx::new();
    fx.plugin_toml("p", "[plugin]\ndescription = \"d\"\nversion = \"1\"\n");
    fx.cmd(&["config", "export", "p"])
        .run()
        .ok("", 0)
        .err_empty();
    fx.mkplugin("q", "1", "empty config table");
    fx.cmd(&["config", "export", "q"])
        .run()
        .ok("", 0)
        .err_empty();
}

#[test]
fn config_export_sorted_by_key() {
    let fx = Fx::new();
    fx.plugin_toml(
        "sort",
        "[plugin]\ndescription = \"d\"\nversion = \"1\"\n[plugin.config]\nz-key = \"z\"\na-key = \"a\"\nm-key = \"m\"\n",
    );
    fs::write(
        fx.pp.join("config.toml"),
        "[sort]\n  a-key = \"1\"\n  m-key = \"2\"\n  z-key = \"3\"\n",
    )
    .unwrap();
    fx.cmd(&["config", "export", "sort"]).run().ok(
        "export CONFIG_A_KEY=\"${SORT_A_KEY:-\"1\"}\"\nexport CONFIG_M_KEY=\"${SORT_M_KEY:-\"2\"}\"\nexport CONFIG_Z_KEY=\"${SORT_Z_KEY:-\"3\"}\"\n",
        0,
    );
}

/// config.toml keeps upstream's serialisation: tables and keys sorted, two-space indent,
/// blank line between tables, TOML escaping of `"` and `\`.
#[test]
fn config_toml_write_format() {
    let fx = Fx::new();
    for (p, k, v) in [
        ("other", "color", "blue"),
        ("my-plug", "api-key", "abc123"),
        ("my-plug", "z-key", "1"),
        ("my-plug", "a-key", "2"),
    ] {
        fx.cmd(&["config", "set", p, k, v]).run().ok("", 0);
    }
    assert_eq!(
        read(&fx.pp.join("config.toml")),
        "[my-plug]\n  a-key = \"2\"\n  api-key = \"abc123\"\n  z-key = \"1\"\n\n[other]\n  color = \"blue\"\n"
    );
    fx.cmd(&["config", "set", "other", "color", "a\"b\\c"])
        .run()
        .ok("", 0);
    assert_eq!(
        read(&fx.pp.join("config.toml")),
        "[my-plug]\n  a-key = \"2\"\n  api-key = \"abc123\"\n  z-key = \"1\"\n\n[other]\n  color = \"a\\\"b\\\\c\"\n"
    );
    fx.cmd(&["config", "get", "other", "color"])
        .run()
        .ok("a\"b\\c\n", 0);
    // Overwriting a value keeps everything else.
    fx.cmd(&["config", "set", "my-plug", "api-key", "new"])
        .run()
        .ok("", 0);
    assert_eq!(
        read(&fx.pp.join("config.toml")),
        "[my-plug]\n  a-key = \"2\"\n  api-key = \"new\"\n  z-key = \"1\"\n\n[other]\n  color = \"a\\\"b\\\\c\"\n"
    );
}

/// Fixed: `-n`, `-e`, `-ne` are stored as given (upstream's `echo -n` ate them).
#[test]
fn config_set_dash_n_stored() {
    let fx = Fx::new();
    fx.cmd(&["config", "set", "p", "k", "-n"]).run().ok("", 0);
    assert_eq!(read(&fx.pp.join("config.toml")), "[p]\n  k = \"-n\"\n");
    fx.cmd(&["config", "get", "p", "k"]).run().ok("-n\n", 0);
    fx.cmd(&["config", "set", "p", "k", "-ne"]).run().ok("", 0);
    fx.cmd(&["config", "get", "p", "k"]).run().ok("-ne\n", 0);
}

// ---------------------------------------------------------------------------------------------
// Config values are data: never evaluated, neither by `config export | eval` nor in triggers.

fn data_values(fx: &Fx) -> Vec<(&'static str, String)> {
    let m = s(&fx.marker("injected"));
    fs::create_dir_all(fx.marker("x").parent().unwrap()).unwrap();
    vec![
        ("k1", format!("$(touch {m})")),
        ("k2", format!("`touch {m}`")),
        ("k3", "a\"b\\c".to_string()),
        ("k4", "$HOME".to_string()),
        ("k5", "-n".to_string()),
        ("k6", "it's".to_string()),
        ("k7", "x}y\"; touch ".to_string() + &m + "; \""),
        ("k8", "line1\nline2".to_string()),
    ]
}

fn data_fixture() -> (Fx, Vec<(&'static str, String)>) {
    let fx = Fx::new();
    let vals = data_values(&fx);
    let mut toml =
        String::from("[plugin]\ndescription = \"d\"\nversion = \"1\"\n[plugin.config]\n");
    // Declared in reverse order: export must still be sorted by key.
    for (k, _) in vals.iter().rev() {
        toml.push_str(&format!("{k} = \"desc\"\n"));
    }
    fx.plugin_toml("data-plug", &toml);
    for (k, v) in &vals {
        fx.cmd(&["config", "set", "data-plug", k, v])
            .run()
            .ok("", 0);
    }
    (fx, vals)
}

#[test]
fn config_values_are_data_get_and_export() {
    let (fx, vals) = data_fixture();
    for (k, v) in &vals {
        fx.cmd(&["config", "get", "data-plug", k])
            .run()
            .ok(&format!("{v}\n"), 0);
    }
    let out = fx.cmd(&["config", "export", "data-plug"]).run();
    out.code_is(0).err_empty();
    let export = out.out();
    // Sorted by key.
    let pos: Vec<usize> = vals
        .iter()
        .map(|(k, _)| {
            export
                .find(&format!("CONFIG_{}=", k.to_uppercase()))
                .expect("key exported")
        })
        .collect();
    assert!(
        pos.windows(2).all(|w| w[0] < w[1]),
        "export not sorted by key:\n{export}"
    );
    assert!(!fx.marker("injected").exists());

    // eval'd by bash, each CONFIG_K holds the literal value and nothing is executed.
    let script = "eval \"$1\"; for v in CONFIG_K1 CONFIG_K2 CONFIG_K3 CONFIG_K4 CONFIG_K5 CONFIG_K6 CONFIG_K7 CONFIG_K8; do printf '%s\\0' \"${!v}\"; done";
    let eval = |extra: Option<(&str, &str)>| {
        let mut c = Command::new("bash");
        c.args(["-c", script, "_", &export])
            .env_clear()
            .env("PATH", SYS_PATH)
            .env("HOME", &fx.home);
        if let Some((k, v)) = extra {
            c.env(k, v);
        }
        Run::raw(c).run()
    };
    let res = eval(None);
    res.code_is(0);
    let want: Vec<u8> = vals
        .iter()
        .flat_map(|(_, v)| v.bytes().chain([0u8]))
        .collect();
    assert_eq!(show(&res.stdout), show(&want), "eval'd export:\n{export}");
    assert!(
        !fx.marker("injected").exists(),
        "export output executed a command"
    );
    // The environment override still works.
    let res = eval(Some(("DATA_PLUG_K4", "ovr")));
    let mut want_ovr = vals.clone();
    want_ovr[3].1 = "ovr".to_string();
    let want: Vec<u8> = want_ovr
        .iter()
        .flat_map(|(_, v)| v.bytes().chain([0u8]))
        .collect();
    assert_eq!(
        show(&res.stdout),
        show(&want),
        "eval'd export with override:\n{export}"
    );
    assert!(!fx.marker("injected").exists());
}

#[test]
fn config_values_are_data_in_trigger() {
    let (fx, vals) = data_fixture();
    fx.enable("data-plug");
    fx.hook(
        "data-plug",
        "show",
        "printf '[%s]\\n' \"$CONFIG_K1\" \"$CONFIG_K2\" \"$CONFIG_K3\" \"$CONFIG_K4\" \"$CONFIG_K5\" \"$CONFIG_K6\" \"$CONFIG_K7\" \"$CONFIG_K8\"",
    );
    let want: String = vals.iter().map(|(_, v)| format!("[{v}]\n")).collect();
    fx.cmd(&["trigger", "show"]).run().ok(&want, 0);
    assert!(
        !fx.marker("injected").exists(),
        "a config value was executed"
    );
}
