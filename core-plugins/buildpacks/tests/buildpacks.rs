//! `buildpacks:*` and the buildpacks triggers through the real `dokku` entry point and
//! `plugn trigger`, in a temporary install: output bytes, exit statuses and stored files.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use dokku_rs_testkit::{Root, Run};

const MSG_NO_APP: &str = " !     Please specify an app to run the command on\n";
const MSG_INVALID: &str = " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n";

const NODE: &str = "https://github.com/heroku/heroku-buildpack-nodejs.git";
const RUBY: &str = "https://github.com/heroku/heroku-buildpack-ruby.git";
const GO: &str = "https://github.com/heroku/heroku-buildpack-golang.git";
const PY: &str = "https://github.com/heroku/heroku-buildpack-python.git";
const PHP: &str = "https://github.com/heroku/heroku-buildpack-php.git";

fn usage() -> String {
    let detect_pad = " ".repeat(53);
    format!(
        "Usage: dokku buildpacks[:COMMAND]\n\nManage buildpacks settings for an app\n\nAdditional commands:\n\
\x20   buildpacks:add [--index 1] <app> <buildpack>                  Add new app buildpack while inserting into list of buildpacks if necessary\n\
\x20   buildpacks:clear <app>                                        Clear all buildpacks set on the app\n\
\x20   buildpacks:detect <app> [--branch <branch-name>]              Detect the buildpack for an app (if not specified{detect_pad}the branch flag defaults to the deploy branch)\n\
\x20   buildpacks:list <app>                                         List all buildpacks for an app\n\
\x20   buildpacks:remove <app> <buildpack>                           Remove a buildpack set on the app\n\
\x20   buildpacks:report [<app>] [<flag>]                            Displays a buildpack report for one or more apps\n\
\x20   buildpacks:set [--index 1] <app> <buildpack>                  Set new app buildpack at a given position defaulting to the first buildpack if no index is specified\n\
\x20   buildpacks:set --replace <app> <buildpack> [<buildpack> ...]  Replace the entire ordered buildpack list with the specified buildpacks\n\
\x20   buildpacks:set-property [--global|<app>] <key> <value>        Set or clear a buildpacks property for an app\n"
    )
}

fn with_app(name: &str) -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", name]).ok();
    root
}

fn prop(root: &Root, app: &str, key: &str) -> PathBuf {
    root.lib().join("config/buildpacks").join(app).join(key)
}

fn stored(root: &Root, app: &str) -> Option<String> {
    fs::read_to_string(prop(root, app, "buildpacks")).ok()
}

fn lines(urls: &[&str]) -> String {
    urls.iter().map(|u| format!("{u}\n")).collect()
}

/// `buildpacks:list` output for these urls.
fn listing(app: &str, urls: &[&str]) -> String {
    let mut out = format!("-----> {app} buildpack urls\n");
    for u in urls {
        out.push_str(&format!("       {u}\n"));
    }
    out
}

fn trigger(root: &Root, args: &[&str]) -> Run {
    let mut full = vec!["trigger"];
    full.extend_from_slice(args);
    root.plugn(&full)
}

/// Run one of this plugin's triggers directly, not through `plugn trigger`.
fn hook(root: &Root, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/buildpacks")
        .join(args[0]);
    Run::from(
        root.command(&path)
            .args(&args[1..])
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .output()
            .unwrap(),
    )
}

/// A community plugin with bash hooks; `$REC` in a body appends to `<root>/record`.
fn add_plugin(root: &Root, name: &str, hooks: &[(&str, &str)]) {
    let rec = root.dir.join("record");
    root.write_exec(
        &format!("lib/plugins/available/{name}/plugin.toml"),
        &format!("[plugin]\ndescription = \"{name}\"\nversion = \"0.1.0\"\n[plugin.config]\n"),
    );
    for (hook, body) in hooks {
        let body = body.replace("$REC", &format!("'{}'", rec.display()));
        root.write_exec(
            &format!("lib/plugins/available/{name}/{hook}"),
            &format!("#!/usr/bin/env bash\nset -eo pipefail\n{body}\n"),
        );
    }
    root.plugn(&["enable", name]).ok();
}

fn record(root: &Root) -> String {
    fs::read_to_string(root.dir.join("record")).unwrap_or_default()
}

#[test]
fn help_texts() {
    let root = Root::new();
    root.dokku(&["buildpacks"]).ok().stdout(&usage()).stderr("");
    root.dokku(&["buildpacks:help"])
        .ok()
        .stdout(&usage())
        .stderr("");
    let short = root.dokku(&["help"]);
    assert!(
        short
            .ok()
            .stdout
            .lines()
            .any(|l| l.starts_with("    buildpacks ")
                && l.trim_end()
                    .ends_with(" Manage buildpack settings for an app")),
        "{}",
        short.stdout
    );
    let all = root.dokku(&["help", "--all"]);
    assert!(
        all.ok()
            .stdout
            .lines()
            .any(|l| l.starts_with("    buildpacks:clear <app> ")
                && l.trim_end()
                    .ends_with(" Clear all buildpacks set on the app")),
        "{}",
        all.stdout
    );
    // `detect` needs herokuish images; it is not installed.
    root.dokku(&["buildpacks:detect", "web"]).code(1);
    root.dokku(&["buildpacks:list", "--nope"])
        .code(2)
        .stdout("")
        .stderr("Usage of buildpacks:list:\nunknown flag: --nope\n");
    root.dokku(&["buildpacks:add", "--index", "x", "web", "heroku/ruby"]).code(2).stderr(
        "Usage of buildpacks:add:\n      --index int   --index: the 1-based index of the URL in the list of URLs\n\
         invalid argument \"x\" for \"--index\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n",
    );
    root.dokku(&["buildpacks:set", "-r"]).code(2).stderr(
        "Usage of buildpacks:set:\n      --index int   --index: the 1-based index of the URL in the list of URLs\n\
         \x20     --replace     --replace: replace the entire ordered buildpack list\n\
         unknown shorthand flag: 'r' in -r\n",
    );
    root.dokku(&["buildpacks:set-property", "--help"])
        .ok()
        .stderr(
            "Usage of buildpacks:set-property:\n      --global   --global: set a global property\n",
        );
}

#[test]
fn add_list_remove_clear() {
    let root = with_app("web");
    root.dokku(&["buildpacks:list", "web"])
        .ok()
        .stdout(&listing("web", &[]))
        .stderr("");
    root.dokku(&["buildpacks:add", "web", "heroku/nodejs"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(stored(&root, "web").unwrap(), lines(&[NODE]));
    let p = prop(&root, "web", "buildpacks");
    assert_eq!(
        fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o600
    );
    root.dokku(&["buildpacks:add", "web", "heroku/ruby"]).ok();
    root.dokku(&["buildpacks:add", "--index", "1", "web", "heroku/golang"])
        .ok();
    root.dokku(&["buildpacks:add", "web", "--index=2", "heroku/python"])
        .ok();
    root.dokku(&["buildpacks:add", "--index", "100", "web", "heroku/php"])
        .ok();
    let all = [GO, PY, NODE, RUBY, PHP];
    assert_eq!(stored(&root, "web").unwrap(), lines(&all));
    root.dokku(&["buildpacks:list", "web"])
        .ok()
        .stdout(&listing("web", &all));
    root.dokku(&["--quiet", "buildpacks:list", "web"])
        .ok()
        .stdout(
            &all.iter()
                .map(|u| format!("       {u}\n"))
                .collect::<String>(),
        );
    // A negative index matches no position: nothing is added.
    root.dokku(&["buildpacks:add", "--index", "-1", "web", "heroku/scala"])
        .ok();
    assert_eq!(stored(&root, "web").unwrap(), lines(&all));
    // URLs are stored as given; surrounding spaces are trimmed.
    root.dokku(&[
        "buildpacks:add",
        "web",
        "https://github.com/yespark/heroku-imagemagick-buildpack  ",
    ])
    .ok();

    root.dokku(&["buildpacks:remove", "web", "heroku/nodejs"])
        .ok()
        .stdout(&format!("-----> Removing {NODE}\n"))
        .stderr("");
    root.dokku(&["buildpacks:remove", "web", "--index", "1"])
        .ok()
        .stdout(&format!("-----> Removing {GO}\n"));
    root.dokku(&["--quiet", "buildpacks:remove", "web", "--index=4"])
        .ok()
        .stdout("");
    assert_eq!(stored(&root, "web").unwrap(), lines(&[PY, RUBY, PHP]));

    for (args, err) in [
        (
            vec!["buildpacks:remove", "web", "heroku/php", "--index", "1"],
            "Please choose either index or Buildpack, but not both",
        ),
        (
            vec!["buildpacks:remove", "web"],
            "Must specify a buildpack to remove, either by index or URL",
        ),
        (
            vec!["buildpacks:remove", "web", "heroku/scala"],
            "Value not found",
        ),
        (
            vec!["buildpacks:remove", "web", "scala"],
            "Invalid buildpack specified: scala",
        ),
        (
            vec!["buildpacks:remove", "web", "--index", "4"],
            "Index not found",
        ),
        (
            vec!["buildpacks:remove", "web", "--index", "-2"],
            "Index not found",
        ),
    ] {
        root.dokku(&args)
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {err}\n"));
    }
    assert_eq!(stored(&root, "web").unwrap(), lines(&[PY, RUBY, PHP]));

    root.dokku(&["buildpacks:clear", "web"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(stored(&root, "web"), None);
    root.dokku(&["buildpacks:clear", "web"]).ok();
    root.dokku(&["--quiet", "buildpacks:list", "web"])
        .ok()
        .stdout("");
    root.dokku(&["buildpacks:remove", "web", "heroku/php"])
        .code(1)
        .stderr(
            " !     No buildpacks were found, next release on web will detect buildpack normally\n",
        );
}

#[test]
fn set_and_replace() {
    let root = with_app("web");
    root.dokku(&["buildpacks:set", "web", "heroku/nodejs"])
        .ok()
        .stdout("")
        .stderr("");
    root.dokku(&["buildpacks:set", "web", "heroku/ruby"]).ok();
    assert_eq!(stored(&root, "web").unwrap(), lines(&[RUBY]));
    root.dokku(&["buildpacks:set", "--index", "1", "web", "heroku/golang"])
        .ok();
    root.dokku(&["buildpacks:set", "--index", "2", "web", "heroku/python"])
        .ok();
    root.dokku(&["buildpacks:set", "--index", "100", "web", "heroku/php"])
        .ok();
    assert_eq!(stored(&root, "web").unwrap(), lines(&[GO, PY, PHP]));
    root.dokku(&[
        "buildpacks:set",
        "--index",
        "2",
        "web",
        "heroku-community/apt",
    ])
    .ok();
    assert_eq!(
        stored(&root, "web").unwrap(),
        lines(&[
            GO,
            "https://github.com/heroku/heroku-buildpack-apt.git",
            PHP
        ])
    );

    root.dokku(&[
        "buildpacks:set",
        "--replace",
        "web",
        "heroku/ruby",
        "heroku/golang",
        "heroku/php",
    ])
    .ok()
    .stdout("")
    .stderr("");
    assert_eq!(stored(&root, "web").unwrap(), lines(&[RUBY, GO, PHP]));
    for (args, err) in [
        (vec!["buildpacks:set", "web"], "Must specify a buildpack"),
        (
            vec!["buildpacks:set", "web", "nodejs"],
            "Invalid buildpack specified: nodejs",
        ),
        (
            vec!["buildpacks:set", "web", "/nodejs"],
            "Invalid buildpack specified: /nodejs",
        ),
        (
            vec!["buildpacks:set", "web", "http://nodejs"],
            "Invalid buildpack specified: http://nodejs",
        ),
        (
            vec!["buildpacks:set", "web", "heroku/nodejs", "heroku/ruby"],
            "Setting multiple buildpacks requires the --replace flag",
        ),
        (
            vec!["buildpacks:set", "--replace", "web"],
            "Must specify at least one buildpack, use buildpacks:clear to remove all buildpacks",
        ),
        (
            vec![
                "buildpacks:set",
                "--replace",
                "--index",
                "1",
                "web",
                "heroku/nodejs",
            ],
            "The --index flag cannot be used with --replace",
        ),
        (
            vec![
                "buildpacks:set",
                "--replace",
                "web",
                "heroku/nodejs",
                "nodejs",
            ],
            "Invalid buildpack specified: nodejs",
        ),
        (
            vec!["buildpacks:add", "web"],
            "Must specify a buildpack url or reference",
        ),
        (
            vec!["buildpacks:add", "web", "ftp://host/a/b"],
            "Invalid buildpack specified: ftp://host/a/b",
        ),
        (
            vec![
                "buildpacks:add",
                "web",
                "heroku/ruby\nhttps://evil.example/x/y",
            ],
            "Invalid buildpack specified: heroku/ruby\nhttps://evil.example/x/y",
        ),
    ] {
        root.dokku(&args)
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {err}\n"));
    }
    // Nothing was written by the failures: the list is the last good one.
    assert_eq!(stored(&root, "web").unwrap(), lines(&[RUBY, GO, PHP]));
    root.dokku(&["buildpacks:set", "--replace", "web", "heroku/nodejs"])
        .ok();
    assert_eq!(stored(&root, "web").unwrap(), lines(&[NODE]));
}

#[test]
fn app_validation() {
    let root = with_app("web");
    for cmd in [
        "buildpacks:add",
        "buildpacks:clear",
        "buildpacks:list",
        "buildpacks:remove",
        "buildpacks:set",
    ] {
        root.dokku(&[cmd]).code(1).stdout("").stderr(MSG_NO_APP);
        root.dokku(&[cmd, "api", "heroku/ruby"])
            .code(20)
            .stderr(" !     App api does not exist\n");
        root.dokku(&[cmd, "../web", "heroku/ruby"])
            .code(1)
            .stderr(MSG_INVALID);
    }
    root.dokku(&["buildpacks:report", "api"])
        .code(20)
        .stderr(" !     App api does not exist\n");
    root.dokku(&["buildpacks:set-property", "api", "stack", "x"])
        .code(20);
    assert!(!root.lib().join("config/buildpacks/api").exists());
}

#[test]
fn report_and_stack() {
    let root = with_app("web");
    add_plugin(
        &root,
        "recorder",
        &[("post-stack-set", "echo \"post-stack-set $*\" >>$REC")],
    );
    root.dokku(&["buildpacks:add", "web", "heroku/ruby"]).ok();
    root.dokku(&["buildpacks:add", "web", "heroku/php"]).ok();
    let report = |computed: &str, global: &str, stack: &str| {
        format!(
            "=====> web buildpacks information\n\
            \x20      Buildpacks computed stack:     {computed}\n\
            \x20      Buildpacks global stack:       {global}\n\
            \x20      Buildpacks list:               {RUBY},{PHP}\n\
            \x20      Buildpacks stack:              {stack}\n"
        )
    };
    let run = |args: &[&str]| {
        Run::from(
            root.command(root.bin("dokku"))
                .env("DOKKU_IMAGE", "env/image")
                .args(args)
                .output()
                .unwrap(),
        )
    };
    // The entry point's DOKKU_IMAGE is the last fallback of the computed stack.
    run(&["buildpacks:report", "web"])
        .ok()
        .stdout(&report("env/image", "", ""))
        .stderr("");
    hook(&root, &["buildpack-stack-name", "web"])
        .ok()
        .stdout("");

    root.dokku(&["config:set", "--no-restart", "web", "DOKKU_IMAGE=cfg/image"])
        .ok();
    let deprecated = " !     Deprecated: use buildpacks:set-property instead of specifying DOKKU_IMAGE environment variable\n";
    run(&["buildpacks:report", "web", "--buildpacks-computed-stack"])
        .ok()
        .stdout("cfg/image\n")
        .stderr(deprecated);
    hook(&root, &["buildpack-stack-name", "web"])
        .ok()
        .stdout("cfg/image\n")
        .stderr(deprecated);

    root.dokku(&[
        "buildpacks:set-property",
        "--global",
        "stack",
        "gliderlabs/herokuish:global",
    ])
    .ok()
    .stdout("=====> Setting stack to gliderlabs/herokuish:global\n")
    .stderr("");
    assert_eq!(
        record(&root),
        "post-stack-set web gliderlabs/herokuish:global\n"
    );
    root.dokku(&[
        "buildpacks:set-property",
        "web",
        "stack",
        "gliderlabs/herokuish:app",
    ])
    .ok();
    assert_eq!(
        record(&root),
        "post-stack-set web gliderlabs/herokuish:global\npost-stack-set web gliderlabs/herokuish:app\n"
    );
    // Setting the same value again fires nothing.
    root.dokku(&[
        "buildpacks:set-property",
        "web",
        "stack",
        "gliderlabs/herokuish:app",
    ])
    .ok();
    assert_eq!(record(&root).lines().count(), 2);
    assert_eq!(
        fs::read_to_string(prop(&root, "web", "stack")).unwrap(),
        "gliderlabs/herokuish:app"
    );
    run(&["buildpacks:report", "web"])
        .ok()
        .stdout(&report(
            "gliderlabs/herokuish:app",
            "gliderlabs/herokuish:global",
            "gliderlabs/herokuish:app",
        ))
        .stderr("");
    hook(&root, &["buildpack-stack-name", "web"])
        .ok()
        .stdout("gliderlabs/herokuish:app\n")
        .stderr("");
    root.dokku(&["buildpacks:report", "web", "--format", "json"]).ok().stdout(&format!(
        "{{\"buildpacks-computed-stack\":\"gliderlabs/herokuish:app\",\"buildpacks-global-stack\":\"gliderlabs/herokuish:global\",\"buildpacks-list\":\"{RUBY},{PHP}\",\"buildpacks-stack\":\"gliderlabs/herokuish:app\",\"computed-stack\":\"gliderlabs/herokuish:app\",\"global-stack\":\"gliderlabs/herokuish:global\",\"list\":\"{RUBY},{PHP}\",\"stack\":\"gliderlabs/herokuish:app\"}}\n"
    ));
    root.dokku(&["buildpacks:report", "web", "--buildpacks-list"])
        .ok()
        .stdout(&format!("{RUBY},{PHP}\n"));
    root.dokku(&["buildpacks:report", "--global"]).ok().stdout(
        "=====> --global buildpacks information\n       Buildpacks global stack:       gliderlabs/herokuish:global\n",
    );
    root.dokku(&["buildpacks:report", "web", "--nope"]).code(1).stderr(
        " !     Invalid flag passed, valid flags: --buildpacks-computed-stack, --buildpacks-global-stack, --buildpacks-list, --buildpacks-stack\n",
    );
    trigger(&root, &["report", "web"])
        .ok()
        .stdout_has("=====> web buildpacks information\n");

    root.dokku(&["buildpacks:set-property", "web", "stack"])
        .ok()
        .stdout("=====> Unsetting stack\n");
    assert!(!prop(&root, "web", "stack").exists());
    hook(&root, &["buildpack-stack-name", "web"])
        .ok()
        .stdout("gliderlabs/herokuish:global\n");
    assert_eq!(record(&root).lines().last(), Some("post-stack-set web "));

    for (args, err) in [
        (
            vec!["buildpacks:set-property", "web", "flavour", "x"],
            "Invalid property specified, valid properties include: stack",
        ),
        (
            vec!["buildpacks:set-property", "web"],
            "No property specified",
        ),
        (
            vec!["buildpacks:set-property", "--global", "list", "x"],
            "Property cannot be specified globally",
        ),
        (
            vec!["buildpacks:set-property"],
            "Please specify an app to run the command on",
        ),
    ] {
        root.dokku(&args)
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {err}\n"));
    }

    // A failing hook fails the command after the value was stored, as upstream.
    add_plugin(&root, "breaker", &[("post-stack-set", "exit 3")]);
    root.dokku(&["buildpacks:set-property", "web", "stack", "x/y"])
        .code(1);
    assert_eq!(
        fs::read_to_string(prop(&root, "web", "stack")).unwrap(),
        "x/y"
    );
}

/// Make `app-json-get-content` print `data/app-json/<app>/app.json`, unless a core plugin
/// already implements it.
fn provide_app_json(root: &Root, content: &str) {
    let dir = root.lib().join("data/app-json/web");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("app.json"), content).unwrap();
    let core = root
        .lib()
        .join("core-plugins/available/app-json/app-json-get-content");
    let fake = root.lib().join("plugins/available/fake-app-json");
    if !core.exists() && !fake.exists() {
        let file = dir.join("app.json");
        add_plugin(
            root,
            "fake-app-json",
            &[("app-json-get-content", &format!("cat '{}'", file.display()))],
        );
    }
}

#[test]
fn post_extract_writes_the_list() {
    let root = with_app("web");
    let work = root.dir.join("work");
    fs::create_dir_all(&work).unwrap();
    let file = work.join(".buildpacks");
    let extract = || {
        trigger(
            &root,
            &["post-extract", "web", work.to_str().unwrap(), "abc"],
        )
    };

    // Nothing configured and no file: nothing written.
    extract().ok().stdout("").stderr("");
    assert!(!file.exists());

    // The repository's own file is normalised: trimmed, blank lines dropped, comments kept.
    fs::write(
        &file,
        "heroku-community/apt\n\n   # a comment\r\nheroku/python  \nhttps://example.com/a/b",
    )
    .unwrap();
    extract().ok().stdout("").stderr("");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        format!("https://github.com/heroku/heroku-buildpack-apt.git\n# a comment\n{PY}\nhttps://example.com/a/b\n")
    );
    assert_eq!(
        fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    fs::write(&file, "\n# only\n\nnodejs\n").unwrap();
    extract().code(1).stderr(
        " !     Unable to parse .buildpacks file, line 1: Invalid buildpack specified: nodejs\n",
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "\n# only\n\nnodejs\n");

    // The app's list replaces the repository's file.
    root.dokku(&[
        "buildpacks:set",
        "--replace",
        "web",
        "heroku/ruby",
        "heroku/php",
    ])
    .ok();
    extract().ok().stdout("").stderr("");
    assert_eq!(fs::read_to_string(&file).unwrap(), lines(&[RUBY, PHP]));

    // A link in the repository is replaced, never written through.
    let outside = root.dir.join("outside");
    fs::write(&outside, "precious\n").unwrap();
    fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&outside, &file).unwrap();
    extract().ok();
    assert_eq!(fs::read_to_string(&outside).unwrap(), "precious\n");
    assert!(!fs::symlink_metadata(&file)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&file).unwrap(), lines(&[RUBY, PHP]));

    // An entry that is not valid (stored behind the commands' back) fails the build and
    // leaves the file alone.
    fs::write(
        prop(&root, "web", "buildpacks"),
        "heroku/ruby\nnot-a-buildpack\n",
    )
    .unwrap();
    extract()
        .code(1)
        .stderr(" !     Invalid buildpack specified: not-a-buildpack\n");
    assert_eq!(fs::read_to_string(&file).unwrap(), lines(&[RUBY, PHP]));

    // A missing source directory is an error.
    root.dokku(&["buildpacks:set", "--replace", "web", "heroku/ruby"])
        .ok();
    let gone = root.dir.join("gone");
    trigger(&root, &["post-extract", "web", gone.to_str().unwrap()])
        .code(1)
        .stderr(&format!(
            " !     Error writing .buildpacks file: open {}/.buildpacks: no such file or directory\n",
            gone.display()
        ));
    hook(&root, &["post-extract", "../web", work.to_str().unwrap()])
        .code(1)
        .stderr(MSG_INVALID);
}

#[test]
fn post_extract_links_and_app_json() {
    let root = with_app("web");
    let work = root.dir.join("work");
    fs::create_dir_all(work.join("sub")).unwrap();
    let file = work.join(".buildpacks");
    let extract = || {
        trigger(
            &root,
            &["post-extract", "web", work.to_str().unwrap(), "abc"],
        )
    };

    // A link to a file outside the source is refused and not read.
    let outside = root.dir.join("outside");
    fs::write(&outside, "heroku/ruby\n").unwrap();
    std::os::unix::fs::symlink(&outside, &file).unwrap();
    extract()
        .code(1)
        .stderr(" !     Unable to parse .buildpacks file: it links outside the source directory\n");
    assert_eq!(fs::read_to_string(&outside).unwrap(), "heroku/ruby\n");
    // A link inside the source is read and replaced by a plain file.
    fs::remove_file(&file).unwrap();
    fs::write(work.join("sub/packs"), "heroku/ruby\n").unwrap();
    std::os::unix::fs::symlink("sub/packs", &file).unwrap();
    extract().ok();
    assert!(fs::symlink_metadata(&file).unwrap().is_file());
    assert_eq!(fs::read_to_string(&file).unwrap(), lines(&[RUBY]));
    assert_eq!(
        fs::read_to_string(work.join("sub/packs")).unwrap(),
        "heroku/ruby\n"
    );
    // A dangling link or a directory counts as no file.
    fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink("nowhere", &file).unwrap();
    extract().ok().stderr("");
    fs::remove_file(&file).unwrap();

    // Without a list, app.json's buildpacks are used.
    provide_app_json(
        &root,
        "{\"name\":\"x\",\"buildpacks\":[{\"url\":\"heroku/python\"},{\"url\":\"https://example.com/a/b.git\"}]}",
    );
    extract().ok().stdout("").stderr("");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        lines(&[PY, "https://example.com/a/b.git"])
    );

    // ...unless the app deploys from an image: then only the repository's file counts.
    fs::write(&file, "heroku/php\n").unwrap();
    root.dokku(&["git:set", "web", "source-image", "some/image:1"])
        .ok();
    extract().ok();
    assert_eq!(fs::read_to_string(&file).unwrap(), lines(&[PHP]));
    root.dokku(&["git:set", "web", "source-image"]).ok();

    // A buildpack without a url fails the build.
    provide_app_json(&root, "{\"buildpacks\":[{\"url\":\"heroku/python\"},{}]}");
    extract()
        .code(1)
        .stderr(" !     Must specify a buildpack url or reference\n");
}

#[test]
fn clone_rename_destroy() {
    let root = with_app("web");
    root.dokku(&[
        "buildpacks:set",
        "--replace",
        "web",
        "heroku/ruby",
        "heroku/php",
    ])
    .ok();
    root.dokku(&["buildpacks:set-property", "web", "stack", "my/stack"])
        .ok();
    root.dokku(&["apps:clone", "--skip-deploy", "web", "copy"])
        .ok();
    assert_eq!(stored(&root, "copy").unwrap(), lines(&[RUBY, PHP]));
    assert_eq!(
        fs::read_to_string(prop(&root, "copy", "stack")).unwrap(),
        "my/stack"
    );

    // The lifecycle triggers, run directly.
    hook(&root, &["post-app-rename-setup", "web", "renamed"]).ok();
    assert_eq!(stored(&root, "web"), None);
    assert_eq!(stored(&root, "renamed").unwrap(), lines(&[RUBY, PHP]));
    hook(&root, &["post-app-clone-setup", "renamed", "twin"]).ok();
    assert_eq!(stored(&root, "twin").unwrap(), lines(&[RUBY, PHP]));
    hook(&root, &["post-delete", "twin"]).ok();
    assert!(!root.lib().join("config/buildpacks/twin").exists());
    for args in [
        vec!["post-delete", ""],
        vec!["post-delete", ".."],
        vec!["post-app-clone-setup", "renamed", "../x"],
        vec!["post-app-rename-setup", "a/b", "c"],
    ] {
        hook(&root, &args).code(1);
    }
    assert!(root.lib().join("config/buildpacks/renamed").exists());

    root.dokku(&["--force", "apps:destroy", "copy"]).ok();
    assert!(!root.lib().join("config/buildpacks/copy").exists());
}
