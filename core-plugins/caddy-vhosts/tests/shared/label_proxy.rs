//! Checks shared by the four label-based proxy plugins' integration tests (included with
//! `#[path]`): help, labels, the `:set` errors and the app lifecycle of properties and labels.

#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;

use dokku_rs_testkit::Root;

/// A fresh install with the app `web`.
pub fn root_with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

pub fn prop_path(root: &Root, proxy: &str, app: &str, key: &str) -> PathBuf {
    root.lib().join("config").join(proxy).join(app).join(key)
}

/// `<proxy>:help` and the bare `<proxy>` print the usage; `help` has the summary line.
pub fn help(proxy: &str, usage: &str) {
    let root = Root::new();
    root.dokku(&[&format!("{proxy}:help")])
        .ok()
        .stdout(usage)
        .stderr("");
    root.dokku(&[proxy]).ok().stdout(usage);
    root.dokku(&["help"]).ok().stdout_has(&format!(
        "\n    {proxy}{}Manage the {proxy} proxy integration\n",
        " ".repeat(25 - proxy.len())
    ));
}

/// add / show / show one / replace / remove, and the stored file.
pub fn labels(proxy: &str) {
    let root = root_with_app();
    let cmd = |c: &str| format!("{proxy}:labels:{c}");
    root.dokku(&[&cmd("show"), "web"])
        .ok()
        .stdout("")
        .stderr(&format!(" !     No {proxy} labels set for web\n"));
    root.dokku(&[&cmd("add"), "web", "b.key", "two words"])
        .ok()
        .stdout("")
        .stderr("");
    root.dokku(&[&cmd("add"), "web", "a.key", "1"]).ok();
    root.dokku(&[&cmd("add"), "web", "a.key", "2"]).ok();
    let file = prop_path(&root, proxy, "web", "labels");
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        "a.key=2\nb.key=two words\n"
    );
    root.dokku(&[&cmd("show"), "web"]).ok().stdout(&format!(
        "=====> web {proxy} labels\n       a.key=2\n       b.key=two words\n"
    ));
    root.dokku(&[&cmd("show"), "web", "b.key"])
        .ok()
        .stdout("two words\n");
    root.dokku(&[&cmd("remove"), "web", "b.key"])
        .ok()
        .stdout("");
    assert_eq!(fs::read_to_string(&file).unwrap(), "a.key=2\n");
}

pub fn label_errors(proxy: &str) {
    let root = root_with_app();
    let cmd = |c: &str| format!("{proxy}:labels:{c}");
    root.dokku(&[&cmd("add"), "web"])
        .code(1)
        .stderr(" !     Please specify a container label for the app\n");
    root.dokku(&[&cmd("add"), "web", "k"])
        .code(1)
        .stderr(" !     Please specify a value for the container label\n");
    root.dokku(&[&cmd("remove"), "web"])
        .code(1)
        .stderr(" !     Please specify a container label for the app\n");
    root.dokku(&[&cmd("add"), "nope", "k", "v"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&[&cmd("show"), "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    assert!(!root.lib().join("config").join(proxy).join("nope").exists());
}

/// The `:set` checks that are the same for every proxy.
pub fn set_errors(proxy: &str, invalid: &str) {
    let root = root_with_app();
    let set = format!("{proxy}:set");
    root.dokku(&[&set, "web"])
        .code(1)
        .stdout("")
        .stderr(" !     No key specified\n");
    root.dokku(&[&set, "web", "bogus", "x"])
        .code(1)
        .stderr(&format!(" !     {invalid}\n"));
    root.dokku(&[&set, "web", "image", "x"])
        .code(1)
        .stderr(" !     The key 'image' can only be set globally\n");
    root.dokku(&[&set, "--global", "image", "my/image:1"])
        .ok()
        .stdout("=====> Setting image to my/image:1\n");
    let path = prop_path(&root, proxy, "--global", "image");
    assert_eq!(fs::read_to_string(&path).unwrap(), "my/image:1");
    root.dokku(&[
        &format!("{proxy}:report"),
        "--global",
        &format!("--{proxy}-computed-image"),
    ])
    .ok()
    .stdout("my/image:1\n");
    root.dokku(&[&set, "--global", "image"])
        .ok()
        .stdout("=====> Unsetting image\n");
    assert!(!path.exists());
    root.dokku(&[&format!("{proxy}:report"), "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
}

/// Properties and labels follow the app: kept on clone/rename only where upstream has those
/// triggers (openresty), removed on destroy.
/// `key` is a per-app property, if the proxy has one.
pub fn lifecycle(proxy: &str, key: Option<&str>, carried: bool) {
    let root = root_with_app();
    let key = match key {
        Some(key) => {
            root.dokku(&[&format!("{proxy}:set"), "web", key, "v1"])
                .ok();
            key
        }
        None => "labels",
    };
    root.dokku(&[&format!("{proxy}:labels:add"), "web", "k", "v"])
        .ok();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    let copied = prop_path(&root, proxy, "copy", key);
    assert_eq!(copied.exists(), carried, "clone");
    assert_eq!(
        prop_path(&root, proxy, "copy", "labels").exists(),
        carried,
        "clone labels"
    );
    root.dokku(&["apps:rename", "web", "renamed"]).ok();
    assert_eq!(
        prop_path(&root, proxy, "renamed", key).exists(),
        carried,
        "rename"
    );
    if carried {
        assert!(!root.lib().join("config").join(proxy).join("web").exists());
        assert_eq!(
            fs::read_to_string(prop_path(&root, proxy, "renamed", "labels")).unwrap(),
            "k=v\n"
        );
    }
    root.dokku(&["apps:destroy", "copy", "--force"]).ok();
    assert!(!root.lib().join("config").join(proxy).join("copy").exists());
    root.dokku(&["apps:destroy", "renamed", "--force"]).ok();
    assert!(!root
        .lib()
        .join("config")
        .join(proxy)
        .join("renamed")
        .exists());
}

/// Upstream's check for the docker compose CLI plugin, verbatim.
const COMPOSE_CHECK: &str =
    "{{range .ClientInfo.Plugins}}{{if eq .Name \"compose\"}}true{{end}}{{end}}";

/// A `docker` first on the root's PATH that only answers the compose-plugin check
/// (`docker info -f <format>`): `true` when `compose`, nothing otherwise. This machine has no
/// compose plugin, and show-config asks docker nothing else.
pub fn fake_docker(root: &Root, compose: bool) {
    let answer = if compose { "echo true" } else { ":" };
    root.write_exec(
        "usr/bin/docker",
        &format!(
            "#!/usr/bin/env bash\n\
             if [[ \"$1\" == info && \"$2\" == -f && \"$3\" == '{COMPOSE_CHECK}' ]]; then\n\
             \x20 {answer}\n\
             \x20 exit 0\n\
             fi\n\
             echo \"unexpected docker call: $*\" >&2\n\
             exit 1\n"
        ),
    );
}

/// `text` with `@LIB@` standing for the root's `DOKKU_LIB_ROOT`.
pub fn expand(root: &Root, text: &str) -> String {
    text.replace("@LIB@", root.lib().to_str().unwrap())
}

/// `<proxy>:show-config web` with compose installed: its stdout, after checking it succeeded
/// and printed nothing on stderr.
pub fn show_config(root: &Root, proxy: &str) -> String {
    let run = root.dokku(&[&format!("{proxy}:show-config"), "web"]);
    run.ok().stderr("");
    run.stdout
}

/// The compose check, and a template from a plugin's `<proxy>-template-source` hook: it gets
/// the caller's `APP` (upstream passes its unset `$APP`), the template sees every parameter
/// (`params` is how Go prints the parameter map), blank-line runs are squeezed, and a missing
/// template, a template error and a failing hook fail as upstream does.
pub fn show_config_sources(proxy: &str, params: &str) {
    let root = root_with_app();
    let cmd = format!("{proxy}:show-config");
    fake_docker(&root, false);
    root.dokku(&[&cmd, "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Required docker compose plugin is not installed\n");

    fake_docker(&root, true);
    let template = root.dir.join("custom.sigil");
    let calls = root.dir.join("hook-args");
    let hook = format!("{proxy}-template-source");
    let body = format!(
        "printf '%s|' \"$#\" \"$@\" >>'{}'\necho '{}'",
        calls.display(),
        template.display()
    );
    dokku_rs_testkit::support::add_plugin(&root, "custom-compose", &[(&hook, &body)]);
    fs::write(&template, "custom {{ $.NOT_A_PARAM }}\n\n\n\n{{ . }}\n").unwrap();
    let expected = format!("custom <no value>\n\n{}\n", expand(&root, params));
    root.dokku(&[&cmd, "web"])
        .ok()
        .stdout(&expected)
        .stderr("");
    assert_eq!(fs::read_to_string(&calls).unwrap(), "1||");
    let run = dokku_rs_testkit::Run::from(
        root.command(root.bin("dokku"))
            .args([&cmd, "web"])
            .env("APP", "from-env")
            .output()
            .unwrap(),
    );
    run.ok().stdout(&expected);
    assert_eq!(fs::read_to_string(&calls).unwrap(), "1||1|from-env|");

    fs::write(&template, "line one\n{{ if }}{{ end }}\n").unwrap();
    root.dokku(&[&cmd, "web"])
        .code(1)
        .stdout("")
        .stderr("template: custom.sigil:2: missing value for if\n");
    fs::remove_file(&template).unwrap();
    root.dokku(&[&cmd, "web"])
        .code(1)
        .stdout("")
        .stderr(&format!(
            "open {}: no such file or directory\n",
            template.display()
        ));
    root.write_exec(
        &format!("lib/plugins/available/custom-compose/{hook}"),
        "#!/usr/bin/env bash\necho 'hook failed' >&2\nexit 3\n",
    );
    root.dokku(&[&cmd, "web"])
        .code(3)
        .stdout("")
        .stderr("hook failed\n");
}
