//! `config:*` through the real `dokku` entry point: outputs, exit codes and the ENV file,
//! byte for byte.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::*;

const HOSTILE: &[(&str, &str)] = &[
    ("A", "1"),
    ("B", "two  words "),
    ("C", "q\"uote'single"),
    ("D", "$HOME ${HOME} $(id) `id`!"),
    ("E", "back\\slash \\n \\$X"),
    ("F", "multi\nline\r\nvalue\n"),
    ("G", "007"),
    ("H", "unicodé ✓ 🚀"),
    ("I", "x=y=z"),
    ("J", ""),
    ("K", "trailing\\"),
    ("L", "ends with quote\""),
    ("M", "# not a comment"),
    ("N", "-12"),
];

#[test]
fn set_writes_upstream_format_and_values_round_trip() {
    let root = root_with_app();
    let pairs: Vec<String> = HOSTILE.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut args = vec!["config:set", "--no-restart", "web"];
    args.extend(pairs.iter().map(String::as_str));
    root.dokku(&args).ok().stderr("").stdout(
        "-----> Setting config vars\n       A:  1\n       B:  two  words\n       C:  q\"uote'single\n       D:  $HOME ${HOME} $(id) `id`!\n       E:  back\\slash \\n \\$X\n       F:  multi\nline\r\nvalue\n       G:  007\n       H:  unicodé ✓ 🚀\n       I:  x=y=z\n       J:  \n       K:  trailing\\\n       L:  ends with quote\"\n       M:  # not a comment\n       N:  -12\n",
    );
    let path = env_path(&root, "web");
    assert_eq!(
        read(&path),
        "A=1\nB=\"two  words \"\nC=\"q\\\"uote'single\"\nD=\"\\$HOME \\${HOME} \\$(id) \\`id\\`\\!\"\nE=\"back\\\\slash \\\\n \\\\\\$X\"\nF=\"multi\\nline\\r\\nvalue\\n\"\nG=\"007\"\nH=\"unicodé ✓ 🚀\"\nI=\"x=y=z\"\nJ=\"\"\nK=\"trailing\\\\\"\nL=\"ends with quote\\\"\"\nM=\"# not a comment\"\nN=-12\n"
    );
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o755
    );
    for (k, v) in HOSTILE {
        root.dokku(&["config:get", "web", k])
            .ok()
            .stdout(&format!("{v}\n"));
    }
    // JSON export carries every value exactly.
    let out = root.dokku(&["config:export", "--format", "json", "web"]);
    let json: serde_json::Value = serde_json::from_str(out.ok().stdout.trim_end()).unwrap();
    for (k, v) in HOSTILE {
        assert_eq!(json[k], *v, "{k}");
    }
    // A rewrite through another change keeps everything.
    root.dokku(&["config:set", "--no-restart", "web", "Z=last"])
        .ok();
    for (k, v) in HOSTILE {
        root.dokku(&["config:get", "web", k])
            .ok()
            .stdout(&format!("{v}\n"));
    }
    root.dokku(&["config:get", "--quoted", "web", "C"])
        .ok()
        .stdout("'q\"uote'\\''single'\n");
}

#[test]
fn show_keys_and_exports() {
    let root = root_with_app();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "zKey=true",
        "bKey=true",
        "BKEY=true",
        "aKey=it's",
    ])
    .ok();
    root.dokku(&["config:set", "--global", "GLOBAL_ONLY=g", "zKey=global"])
        .ok()
        .stdout(
            "-----> Setting config vars\n       GLOBAL_ONLY:  g\n       zKey:         global\n",
        );
    let show = "=====> web env vars\nBKEY:  true\naKey:  it's\nbKey:  true\nzKey:  true\n";
    root.dokku(&["config:show", "web"]).ok().stdout(show);
    root.dokku(&["config", "web"]).ok().stdout(show);
    root.dokku(&["--app", "web", "config:show"])
        .ok()
        .stdout(show);
    root.dokku(&["config:show", "--merged", "web"]).ok().stdout(
        "=====> web env vars\nBKEY:         true\nGLOBAL_ONLY:  g\naKey:         it's\nbKey:         true\nzKey:         true\n",
    );
    // Bare `config` uses Go's flag package: flags after the app are ignored.
    root.dokku(&["config", "--merged", "web"])
        .ok()
        .stdout_has("GLOBAL_ONLY:  g");
    root.dokku(&["config", "web", "--merged"]).ok().stdout(show);
    root.dokku(&["config:show", "--global"])
        .ok()
        .stdout("=====> global env vars\nGLOBAL_ONLY:  g\nzKey:         global\n");
    root.dokku(&["config", "--global"])
        .ok()
        .stdout_has("=====> global env vars\n");
    dokku_env(
        &root,
        &["config:show", "web"],
        &[("DOKKU_QUIET_OUTPUT", "1")],
    )
    .ok()
    .stdout("BKEY:  true\naKey:  it's\nbKey:  true\nzKey:  true\n");

    root.dokku(&["config:keys", "web"])
        .ok()
        .stdout("BKEY\naKey\nbKey\nzKey\n");
    root.dokku(&["config:keys", "--merged", "web"])
        .ok()
        .stdout("BKEY\nGLOBAL_ONLY\naKey\nbKey\nzKey\n");
    root.dokku(&["config:keys", "--global"])
        .ok()
        .stdout("GLOBAL_ONLY\nzKey\n");

    let cases: &[(&str, &str)] = &[
        ("exports", "export BKEY='true'\nexport aKey='it'\\''s'\nexport bKey='true'\nexport zKey='true'\n"),
        ("envfile", "BKEY=\"true\"\naKey=\"it's\"\nbKey=\"true\"\nzKey=\"true\"\n"),
        ("docker-args", "--env=BKEY='true' --env=aKey='it'\\''s' --env=bKey='true' --env=zKey='true'\n"),
        ("docker-args-keys", "--env=BKEY --env=aKey --env=bKey --env=zKey\n"),
        ("shell", "BKEY='true' aKey='it'\\''s' bKey='true' zKey='true' "),
        ("pretty", "BKEY:  true\naKey:  it's\nbKey:  true\nzKey:  true\n"),
        ("json", "{\"BKEY\":\"true\",\"aKey\":\"it's\",\"bKey\":\"true\",\"zKey\":\"true\"}\n"),
        ("json-list", "[{\"name\":\"BKEY\",\"value\":\"true\"},{\"name\":\"aKey\",\"value\":\"it's\"},{\"name\":\"bKey\",\"value\":\"true\"},{\"name\":\"zKey\",\"value\":\"true\"}]\n"),
        ("pack-keys", "--env BKEY --env aKey --env bKey --env zKey\n"),
    ];
    for (format, expected) in cases {
        root.dokku(&["config:export", "--format", format, "web"])
            .ok()
            .stdout(expected);
    }
    root.dokku(&["config:export", "web"])
        .ok()
        .stdout(cases[0].1);
    root.dokku(&["config:export", "--format=json", "--merged", "web"])
        .ok()
        .stdout("{\"BKEY\":\"true\",\"GLOBAL_ONLY\":\"g\",\"aKey\":\"it's\",\"bKey\":\"true\",\"zKey\":\"true\"}\n");
    root.dokku(&["config:export", "--format", "yaml", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Unknown export format: yaml\n");
    root.dokku(&["config:export", "--format", "json-list", "--global"])
        .ok()
        .stdout("[{\"name\":\"GLOBAL_ONLY\",\"value\":\"g\"},{\"name\":\"zKey\",\"value\":\"global\"}]\n");

    // Deprecated flags of bare `config`.
    root.dokku(&["config", "--shell", "web"])
        .ok()
        .stdout("BKEY='true' aKey='it'\\''s' bKey='true' zKey='true'")
        .stderr(" !     Deprecated: Use 'config:export --format shell' instead\n");
    root.dokku(&["config", "--export", "web"])
        .ok()
        .stdout(cases[0].1)
        .stderr(" !     Deprecated: Use 'config:export --format exports' instead\n");
    root.dokku(&["config", "--export", "--shell", "web"])
        .code(1)
        .stderr(" !     Only one of --shell and --export can be given\n");
}

#[test]
fn empty_environments() {
    let root = root_with_app();
    root.dokku(&["config:show", "web"])
        .ok()
        .stdout("=====> web env vars\n\n");
    root.dokku(&["config:keys", "web"]).ok().stdout("");
    root.dokku(&["config:export", "--format", "json", "web"])
        .ok()
        .stdout("{}\n");
    root.dokku(&["config:export", "--format", "json-list", "web"])
        .ok()
        .stdout("null\n");
    root.dokku(&["config:export", "web"]).ok().stdout("\n");
    root.dokku(&["config:get", "web", "A"])
        .code(1)
        .stdout("")
        .stderr("");
    root.dokku(&["config:clear", "web"])
        .ok()
        .stdout("")
        .stderr("");
    assert!(
        !env_path(&root, "web").exists(),
        "clearing nothing writes nothing"
    );
    root.dokku(&["config:set", "--no-restart", "web", "A=1"])
        .ok();
    root.dokku(&["config:clear", "--no-restart", "web"])
        .ok()
        .stdout("-----> Unsetting A\n");
    assert_eq!(read(env_path(&root, "web")), "\n");
}

#[test]
fn unset_and_clear() {
    let root = root_with_app();
    let rec = Recorder::install(&root);
    root.dokku(&["config:set", "--no-restart", "web", "A=1", "B=2", "C=3"])
        .ok();
    assert_eq!(rec.take(), lines(&["post-config-update web set A B C"]));
    root.dokku(&["config:unset", "--no-restart", "web", "B", "NOPE", "B"]).ok().stdout(
        "-----> Unsetting B\n-----> Skipping NOPE, it is not set in the environment\n-----> Skipping B, it is not set in the environment\n",
    );
    assert_eq!(
        rec.take(),
        lines(&["post-config-update web unset B NOPE B"])
    );
    assert_eq!(read(env_path(&root, "web")), "A=1\nC=3\n");
    root.dokku(&["config:unset", "--no-restart", "web", "NOPE"])
        .ok()
        .stdout("-----> Skipping NOPE, it is not set in the environment\n");
    assert!(rec.take().is_empty(), "nothing changed, nothing fired");
    root.dokku(&["config:unset", "web"])
        .code(1)
        .stderr(" !     At least one key must be given\n");
    root.dokku(&["config:clear", "--no-restart", "web"])
        .ok()
        .stdout("-----> Unsetting A\n-----> Unsetting C\n");
    assert_eq!(rec.take(), lines(&["post-config-update web clear"]));
    root.dokku(&["config:set", "--global", "G=1"]).ok();
    root.dokku(&["config:unset", "--global", "G"])
        .ok()
        .stdout("-----> Unsetting G\n");
    assert_eq!(
        rec.take(),
        lines(&["post-config-update  set G", "post-config-update  unset G"])
    );
    // Through config_sub (what config/functions calls), the scope is `--global`.
    config_bin(&root, "config_sub", &["set", "--global", "H=1"]).ok();
    assert_eq!(rec.take(), lines(&["post-config-update --global set H"]));
}

#[test]
fn restarts_only_deployed_apps() {
    let root = root_with_app();
    add_app(&root, "api");
    let rec = Recorder::install(&root);
    mark_deployed(&root, "web");

    root.dokku(&["config:set", "web", "A=1"])
        .ok()
        .stdout("-----> Setting config vars\n       A:  1\n-----> Restarting app web\n");
    assert_eq!(
        rec.take(),
        lines(&[
            "post-config-update web set A",
            "ps-get-property web restore",
            "scheduler-is-deployed docker-local web",
            "release-and-deploy web  config-redeploy",
        ])
    );
    // The answer is cached in the common/deployed property.
    assert_eq!(read(root.lib().join("config/common/web/deployed")), "true");

    // api is not deployed: scheduler-docker-local says so (before the recorder is asked).
    root.dokku(&["config:set", "api", "A=1"])
        .ok()
        .stdout("-----> Setting config vars\n       A:  1\n");
    assert_eq!(
        rec.take(),
        lines(&[
            "post-config-update api set A",
            "ps-get-property api restore",
        ])
    );
    assert_eq!(read(root.lib().join("config/common/api/deployed")), "false");

    root.dokku(&["config:set", "--no-restart", "web", "A=2"])
        .ok();
    assert_eq!(rec.take(), lines(&["post-config-update web set A"]));

    root.dokku(&["ps:set", "web", "restore", "false"]).ok();
    root.dokku(&["config:unset", "web", "A"])
        .ok()
        .stdout("-----> Unsetting A\n");
    assert_eq!(
        rec.take(),
        lines(&[
            "post-config-update web unset A",
            "ps-get-property web restore"
        ])
    );
    root.dokku(&["ps:set", "web", "restore", "true"]).ok();

    // A restart is requested even when nothing changed, as upstream does.
    dokku_env(
        &root,
        &["config:unset", "web", "NOPE"],
        &[("DOKKU_QUIET_OUTPUT", "1")],
    )
    .ok()
    .stdout("-----> Restarting app web\n");
    assert_eq!(
        rec.take(),
        lines(&[
            "ps-get-property web restore",
            "release-and-deploy web  config-redeploy"
        ])
    );

    root.dokku(&["config:set", "--global", "A=1"]).ok();
    assert_eq!(rec.take(), lines(&["post-config-update  set A"]));

    // A failing hook is reported, the change stays.
    rec.set("fail-post-config-update", "");
    root.dokku(&["config:set", "--no-restart", "web", "B=1"])
        .ok()
        .stderr("hook failed\n !     Failure while triggering post-config-update: exit status 4\n");
    root.dokku(&["config:get", "web", "B"]).ok().stdout("1\n");
}

#[test]
fn quiet_output() {
    let root = root_with_app();
    let quiet = [("DOKKU_QUIET_OUTPUT", "1")];
    dokku_env(
        &root,
        &["config:set", "--no-restart", "web", "A=1", "B=2"],
        &quiet,
    )
    .ok()
    .stdout("")
    .stderr("");
    dokku_env(&root, &["config:unset", "--no-restart", "web", "A"], &quiet)
        .ok()
        .stdout("");
    dokku_env(&root, &["config:clear", "--no-restart", "web"], &quiet)
        .ok()
        .stdout("");
    assert_eq!(read(env_path(&root, "web")), "\n");
}

#[test]
fn encoded_values() {
    let root = root_with_app();
    // base64 of "myvalue\n", "my value", "a'b\"c$d\\".
    root.dokku(&[
        "config:set",
        "--encoded",
        "--no-restart",
        "web",
        "ECHO=bXl2YWx1ZQo=",
        "SPACE=bXkgdmFsdWU=",
        "ODD=YSdiImMkZFw=",
    ])
    .ok()
    .stdout("-----> Setting config vars\n       ECHO:   myvalue\n       ODD:    a'b\"c$d\\\n       SPACE:  my value\n");
    root.dokku(&["config:get", "web", "ECHO"])
        .ok()
        .stdout("myvalue\n\n");
    root.dokku(&["config:get", "web", "ODD"])
        .ok()
        .stdout("a'b\"c$d\\\n");
    root.dokku(&["config:set", "--encoded", "web", "BAD=not base64!"])
        .code(1)
        .stderr(" !     illegal base64 data at input byte 3 for key 'BAD'\n");
    root.dokku(&["config:get", "web", "BAD"]).code(1);
}

#[test]
fn import_files_and_stdin() {
    let root = root_with_app();
    root.dokku(&["config:set", "--no-restart", "web", "first=1"])
        .ok();
    let file = root.dir.join("import.env");
    fs::write(
        &file,
        "export second='two words'\n# comment\nthird=\"a\\nb\"\nbad-key=1\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    // `bad-key` is a parse error for the env file reader.
    root.dokku(&["config:import", "--no-restart", "web", f])
        .code(1)
        .stderr(" !     unexpected character \"-\" in variable name near \"bad-key=1\\n\"\n");
    fs::write(
        &file,
        "export second='two words'\n# comment\nthird=\"a\\nb\"\nbad.key=1\n",
    )
    .unwrap();
    root.dokku(&["config:import", "--no-restart", "web", f]).ok().stdout(
        "-----> Deleting invalid key bad.key from config for web\n-----> Setting config var second=two words\n-----> Setting config var third=a\nb\n-----> Setting config vars\n       second:  two words\n       third:   a\nb\n",
    );
    assert_eq!(
        read(&file),
        "export second='two words'\n# comment\nthird=\"a\\nb\"\nbad.key=1\n",
        "the imported file is never rewritten"
    );
    root.dokku(&["config:keys", "web"])
        .ok()
        .stdout("first\nsecond\nthird\n");

    root.dokku_stdin(&["config:import", "--no-restart", "web", "-"], b"fourth=4\n")
        .ok()
        .stdout("-----> Reading config vars from stdin\n-----> Setting config var fourth=4\n-----> Setting config vars\n       fourth:  4\n");
    root.dokku_stdin(
        &["config:import", "--replace", "--no-restart", "web", "-"],
        b"only=1",
    )
    .ok();
    root.dokku(&["config:keys", "web"]).ok().stdout("only\n");

    fs::write(&file, r#"{"json_key": "v\n1", "nulled": null}"#).unwrap();
    root.dokku(&["config:import", "--format", "json", "--no-restart", "web", f])
        .ok()
        .stdout("-----> Setting config var json_key=v\n1\n-----> Setting config var nulled=\n-----> Setting config vars\n       json_key:  v\n1\n       nulled:    \n");
    root.dokku(&["config:get", "web", "json_key"])
        .ok()
        .stdout("v\n1\n");

    root.dokku(&["config:import", "--no-restart", "web", "/does/not/exist"])
        .code(1)
        .stderr(" !     No config vars to set\n");
    root.dokku(&["config:import", "--no-restart", "web"])
        .code(1)
        .stderr(" !     No config vars to set\n");
    root.dokku(&[
        "config:import",
        "--format",
        "json",
        "web",
        "/does/not/exist",
    ])
    .code(1)
    .stderr(" !     open /does/not/exist: no such file or directory\n");
    root.dokku(&["config:import", "--format", "yaml", "web", f])
        .code(1)
        .stderr(" !     Unknown format: yaml\n");
    root.dokku_stdin(&["config:import", "--format", "json", "web", "-"], b"[1]")
        .code(1)
        .stderr(" !     json: cannot unmarshal array into Go value of type map[string]string\n");
    root.dokku_stdin(&["config:import", "--global", "-"], b"G=1\n")
        .ok()
        .stdout("-----> Reading config vars from stdin\n-----> Setting config var G=1\n-----> Setting config vars\n       G:  1\n");
    root.dokku(&["config:get", "--global", "G"])
        .ok()
        .stdout("1\n");
}

#[test]
fn bundle_is_a_tar_of_the_environment() {
    let root = root_with_app();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "A=hello",
        "B=multi\nline",
    ])
    .ok();
    root.dokku(&["config:set", "--global", "G=global"]).ok();
    let out_dir = root.dir.join("bundle");
    fs::create_dir_all(&out_dir).unwrap();
    for (args, files) in [
        (
            vec!["config:bundle", "web"],
            vec![("A", "hello"), ("B", "multi\nline")],
        ),
        (
            vec!["config:bundle", "--merged", "web"],
            vec![("A", "hello"), ("B", "multi\nline"), ("G", "global")],
        ),
        (vec!["config:bundle", "--global"], vec![("G", "global")]),
    ] {
        let _ = fs::remove_dir_all(&out_dir);
        fs::create_dir_all(&out_dir).unwrap();
        let mut cmd = root.command(root.bin("dokku"));
        let out = cmd.args(&args).output().unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout.len() % 512, 0);
        let tar = root.dir.join("bundle.tar");
        fs::write(&tar, &out.stdout).unwrap();
        let status = std::process::Command::new("tar")
            .arg("-xf")
            .arg(&tar)
            .arg("-C")
            .arg(&out_dir)
            .status()
            .unwrap();
        assert!(status.success());
        let mut names: Vec<String> = fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            files.iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>()
        );
        for (k, v) in files {
            assert_eq!(read(out_dir.join(k)), v);
        }
    }
}

#[test]
fn errors_and_usage() {
    let root = root_with_app();
    root.dokku(&["config:set", "web"])
        .code(1)
        .stderr(" !     At least one env pair must be given\n");
    root.dokku(&["config:set", "web", "NOEQUALS"])
        .code(1)
        .stderr(" !     Invalid env pair: NOEQUALS\n");
    root.dokku(&["config:set", "nope", "A=1"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["config:show"])
        .code(1)
        .stderr(" !     Please specify an app to run the command on\n");
    root.dokku(&["config:get", "web"])
        .code(1)
        .stderr(" !     Expected: key\n");
    root.dokku(&["config:get", "web", "A", "B", "C"])
        .code(1)
        .stderr(" !     Unexpected argument(s): [B C]\n");
    root.dokku(&["config:set", "--nope", "web", "A=1"]).code(2).stdout("").stderr(
        "Usage of config:set:\n      --encoded      --encoded: interpret VALUEs as base64\n      --global       --global: use the global environment\n      --no-restart   --no-restart: no restart\nunknown flag: --nope\n",
    );
    root.dokku(&["config:export", "--format"]).code(2).stderr(
        "Usage of config:export:\n      --format string   --format: [ docker-args | docker-args-keys | exports | envfile | json | json-list | pack-keys | pretty | shell ] which format to export as) (default \"exports\")\n      --global          --global: use the global environment\n      --merged          --merged: merge app environment and global environment\nflag needs an argument: --format\n",
    );
    let help = root.dokku(&["config:help"]);
    help.ok();
    assert!(help.stdout.starts_with(
        "Usage: dokku config[:COMMAND]\n\nManage global and app-specific config vars\n\nAdditional commands:\n    config (<app>|--global)    "
    ));
    assert!(help.stdout.ends_with("    config:unset [--no-restart] (<app>|--global) KEY1 [KEY2 ...]                          Unset one or more config vars\n"));
    assert_eq!(help.stdout.lines().count(), 15);
    root.dokku(&["config", "--help"]).ok().stdout(&help.stdout);
    root.dokku(&["config", "--nope"])
        .code(2)
        .stderr("flag provided but not defined: -nope\n")
        .stdout(&help.stdout);
    root.dokku(&["help"])
        .ok()
        .stdout_has(" Manage global and app-specific config vars\n");
}

#[test]
fn hostile_input_is_refused_and_writes_nothing() {
    let root = root_with_app();
    root.dokku(&["config:set", "--no-restart", "web", "KEEP=1"])
        .ok();
    fs::write(root.dir.join("bad.json"), "{\"A=B\": \"1\", \"OK\": \"2\"}").unwrap();
    fs::write(root.dir.join("nul.json"), "{\"A\\u0000B\": \"1\"}").unwrap();
    fs::write(root.dir.join("space.json"), "{\"A B\": \"1\"}").unwrap();
    fs::write(root.dir.join("nul.env"), b"A\0B=1\n").unwrap();
    let before = snapshot(&root);
    let json = |name: &str| root.dir.join(name).to_string_lossy().into_owned();
    let (bad, nul, space, nul_env) = (
        json("bad.json"),
        json("nul.json"),
        json("space.json"),
        json("nul.env"),
    );
    let cases: Vec<(Vec<&str>, i32, String)> = vec![
        (vec!["config:set", "web", "A B=1"], 1, " !     Invalid key name: 'A B'\n".into()),
        (vec!["config:set", "web", "=1"], 1, " !     Invalid key name: ''\n".into()),
        (vec!["config:set", "web", "A-B=1", "OK=1"], 1, " !     Invalid key name: 'A-B'\n".into()),
        (vec!["config:set", "web", "1A=1"], 1, " !     Invalid key name: '1A'\n".into()),
        (vec!["config:set", "web", "A\nB=1"], 1, " !     Invalid key name: 'A\nB'\n".into()),
        (vec!["config:set", "--global", "A.B=1"], 1, " !     Invalid key name: 'A.B'\n".into()),
        (vec!["config:unset", "web", "A=B"], 1, " !     Invalid key name: 'A=B'\n".into()),
        (vec!["config:import", "--format", "json", "web", &bad], 1, "".into()),
        (vec!["config:import", "--format", "json", "web", &nul], 1, " !     Invalid key name: 'A\0B'\n".into()),
        (vec!["config:import", "--format", "json", "web", &space], 1, " !     Invalid key name: 'A B'\n".into()),
        (vec!["config:import", "web", &nul_env], 1, " !     unexpected character \"\\x00\" in variable name near \"A\\x00B=1\\n\"\n".into()),
        (vec!["config:set", "a/b", "A=1"], 1, MSG_INVALID_APP.into()),
        (vec!["config:set", "..", "A=1"], 1, MSG_INVALID_APP.into()),
        (vec!["config:set", "../web", "A=1"], 1, MSG_INVALID_APP.into()),
        (vec!["config:set", "WEB", "A=1"], 1, MSG_INVALID_APP.into()),
        (vec!["config:set", "web;id", "A=1"], 1, MSG_INVALID_APP.into()),
        (vec!["config:get", "../web", "KEEP"], 1, MSG_INVALID_APP.into()),
        (vec!["config:clear", "a/b"], 1, MSG_INVALID_APP.into()),
        (vec!["config:unset", "..", "KEEP"], 1, MSG_INVALID_APP.into()),
        (vec!["config:import", "../web", "-"], 1, MSG_INVALID_APP.into()),
        (
            vec!["config:set", "-x", "A=1"],
            2,
            "Usage of config:set:\n      --encoded      --encoded: interpret VALUEs as base64\n      --global       --global: use the global environment\n      --no-restart   --no-restart: no restart\nunknown shorthand flag: 'x' in -x\n".into(),
        ),
        (
            vec!["config:unset", "--web", "KEEP"],
            2,
            "Usage of config:unset:\n      --global       --global: use the global environment\n      --no-restart   --no-restart: no restart\nunknown flag: --web\n".into(),
        ),
    ];
    for (args, code, stderr) in &cases {
        let run = root.dokku(args);
        run.code(*code);
        if args[0] == "config:import" && args.contains(&bad.as_str()) {
            // JSON keys are only checked when set, after they were announced.
            run.stdout("-----> Setting config var A=B=1\n-----> Setting config var OK=2\n")
                .stderr(" !     Invalid key name: 'A=B'\n");
        } else {
            run.stderr(stderr);
        }
        assert_eq!(snapshot(&root), before, "{args:?} wrote something");
    }
    // The helper bash plugins call, and the triggers, refuse the same names.
    for args in [
        vec!["set", "../web", "A=1"],
        vec!["set", "a/b", "A=1"],
        vec!["set", "web", "A B=1"],
        vec!["unset", "..", "KEEP"],
        vec!["clear", "/etc"],
    ] {
        assert_ne!(config_bin(&root, "config_sub", &args).code, 0, "{args:?}");
        assert_eq!(
            snapshot(&root),
            before,
            "config_sub {args:?} wrote something"
        );
    }
    config_bin(&root, "config_sub", &["get", "../web", "KEEP"])
        .code(1)
        .stdout("");
    trigger(&root, &["config-get", "../web", "KEEP"])
        .ok()
        .stdout("");
    trigger(&root, &["config-set", "../web", "A=1"]).code(1);
    trigger(&root, &["config-unset", "..", "KEEP", "true"]).ok();
    trigger(&root, &["post-delete", "../web"]).code(1);
    trigger(&root, &["post-create", "/tmp"]).code(1);
    assert_eq!(snapshot(&root), before);
    root.dokku(&["config:get", "web", "KEEP"])
        .ok()
        .stdout("1\n");
}

#[test]
fn invalid_keys_in_the_file_are_dropped_on_read() {
    let root = root_with_app();
    root.dokku(&["config:set", "--no-restart", "web", "A=1"])
        .ok();
    fs::write(env_path(&root, "web"), "A=1\nbad.key=2\nB=\"x\"\n").unwrap();
    root.dokku(&["config:get", "web", "B"])
        .ok()
        .stdout("-----> Deleting invalid key bad.key from config for web\nx\n");
    assert_eq!(read(env_path(&root, "web")), "A=1\nB=\"x\"\n");
    fs::write(env_path(&root, "web"), "A=\"unterminated\n").unwrap();
    root.dokku(&["config:show", "web"])
        .code(1)
        .stderr(" !     unterminated quoted value \"unterminated\n");
    root.dokku(&["config:get", "web", "A"])
        .code(1)
        .stdout("")
        .stderr("");
}

#[test]
fn upstream_written_files_are_read() {
    let root = root_with_app();
    fs::create_dir_all(env_path(&root, "web").parent().unwrap()).unwrap();
    // What upstream's bash era and godotenv wrote, including the values godotenv v1.5.1
    // cannot read back itself (a trailing backslash, a trailing quote).
    fs::write(
        env_path(&root, "web"),
        "export OLD='single quoted'\nN=42\nQ=\"say \\\"hi\\\"\"\nT=\"ends\\\\\"\nU=\"\\$NOT_EXPANDED \\`x\\`\\!\"\n",
    )
    .unwrap();
    root.dokku(&["config:export", "--format", "json", "web"]).ok().stdout(
        "{\"N\":\"42\",\"OLD\":\"single quoted\",\"Q\":\"say \\\"hi\\\"\",\"T\":\"ends\\\\\",\"U\":\"$NOT_EXPANDED `x`!\"}\n",
    );
    root.dokku(&["config:set", "--no-restart", "web", "Z=1"])
        .ok();
    assert_eq!(
        read(env_path(&root, "web")),
        "N=42\nOLD=\"single quoted\"\nQ=\"say \\\"hi\\\"\"\nT=\"ends\\\\\"\nU=\"\\$NOT_EXPANDED \\`x\\`\\!\"\nZ=1\n"
    );
}
