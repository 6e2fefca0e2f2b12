//! `builder:*` and the builder triggers through the real `dokku` entry point and the trigger
//! links, in a temporary install; the image triggers against the real Docker daemon.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::*;

const USAGE: &str = "Usage: dokku builder[:COMMAND]\n\nManage builder settings for an app\n\nAdditional commands:\n\
\x20   builder:report [<app>] [<flag>]         Displays a builder report for one or more apps\n\
\x20   builder:set <app> <property> (<value>)  Set or clear a builder property for an app\n";

fn b(root: &Root, args: &[&str]) -> Run {
    hook(root, "builder", args)
}

#[test]
fn help() {
    let root = Root::new();
    root.dokku(&["builder"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["builder:help"]).ok().stdout(USAGE).stderr("");
    b(&root, &["commands", "help"])
        .ok()
        .stdout("\n    builder, Manage builder settings for an app\n");
    help_all(&root, "builder").ok().stdout(
        "\n    builder:report [<app>] [<flag>], Displays a builder report for one or more apps\n\
         \x20   builder:set <app> <property> (<value>), Set or clear a builder property for an app\n",
    );
    let not_implemented = [("DOKKU_NOT_IMPLEMENTED_EXIT", "10".to_string())];
    hook_env(
        &root,
        "builder",
        &["commands", "builder:nope"],
        b"",
        &not_implemented,
    )
    .code(10)
    .stdout("")
    .stderr("");
    // Upstream's Go `commands` says so on stdout when the variable is missing.
    b(&root, &["commands", "builder:nope"])
        .code(10)
        .stdout("failed to retrieve DOKKU_NOT_IMPLEMENTED_EXIT environment variable\n");
    invoke_as(&root, "builder", "builder", "nope")
        .code(1)
        .stderr(" !     Invalid plugin trigger call: nope\n");
}

#[test]
fn report() {
    let root = Root::new();
    root.dokku(&["builder:report"])
        .ok()
        .stdout("")
        .stderr(NO_APPS);
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["builder:report", "web"])
        .ok()
        .stderr("")
        .stdout(
            "=====> web builder information\n\
         \x20      Builder build dir:             \n\
         \x20      Builder computed build dir:    \n\
         \x20      Builder computed selected:     \n\
         \x20      Builder computed skip cleanup: false\n\
         \x20      Builder detected:              \n\
         \x20      Builder global build dir:      \n\
         \x20      Builder global selected:       \n\
         \x20      Builder global skip cleanup:   \n\
         \x20      Builder selected:              \n\
         \x20      Builder skip cleanup:          \n",
        );
    root.dokku(&["builder:set", "--global", "selected", "pack"])
        .ok();
    root.dokku(&["builder:set", "--global", "build-dir", "apps"])
        .ok();
    root.dokku(&["builder:set", "--global", "skip-cleanup", "true"])
        .ok();
    root.dokku(&["builder:set", "web", "build-dir", "apps/web"])
        .ok();
    b(
        &root,
        &["builder-set-property", "web", "detected", "dockerfile"],
    )
    .ok();
    root.dokku(&["builder:report", "web"]).ok().stdout(
        "=====> web builder information\n\
         \x20      Builder build dir:             apps/web\n\
         \x20      Builder computed build dir:    apps/web\n\
         \x20      Builder computed selected:     pack\n\
         \x20      Builder computed skip cleanup: true\n\
         \x20      Builder detected:              dockerfile\n\
         \x20      Builder global build dir:      apps\n\
         \x20      Builder global selected:       pack\n\
         \x20      Builder global skip cleanup:   true\n\
         \x20      Builder selected:              \n\
         \x20      Builder skip cleanup:          \n",
    );
    root.dokku(&["builder:report", "--global"]).ok().stdout(
        "=====> --global builder information\n\
         \x20      Builder computed skip cleanup: true\n\
         \x20      Builder global build dir:      apps\n\
         \x20      Builder global selected:       pack\n\
         \x20      Builder global skip cleanup:   true\n",
    );
    // JSON carries both the stripped and the legacy prefixed keys.
    root.dokku(&["builder:report", "--global", "--format", "json"])
        .ok()
        .stdout(&json(&[
            ("builder-computed-skip-cleanup", "true"),
            ("builder-global-build-dir", "apps"),
            ("builder-global-selected", "pack"),
            ("builder-global-skip-cleanup", "true"),
            ("computed-skip-cleanup", "true"),
            ("global-build-dir", "apps"),
            ("global-selected", "pack"),
            ("global-skip-cleanup", "true"),
        ]));
    let app_json = root
        .dokku(&["builder:report", "web", "--format", "json"])
        .ok()
        .stdout
        .clone();
    for (key, value) in [
        ("build-dir", "apps/web"),
        ("builder-build-dir", "apps/web"),
        ("computed-selected", "pack"),
        ("builder-computed-selected", "pack"),
        ("detected", "dockerfile"),
        ("builder-detected", "dockerfile"),
        ("selected", ""),
        ("skip-cleanup", ""),
    ] {
        assert!(
            app_json.contains(&format!("\"{key}\":\"{value}\"")),
            "{key} in {app_json}"
        );
    }
    assert_eq!(app_json.matches("\":\"").count(), 20);
    root.dokku(&["builder:report", "web", "--builder-computed-build-dir"])
        .ok()
        .stdout("apps/web\n");
    root.dokku(&["builder:report", "web", "--builder-nope"]).code(1).stderr(
        " !     Invalid flag passed, valid flags: --builder-build-dir, --builder-computed-build-dir, \
         --builder-computed-selected, --builder-computed-skip-cleanup, --builder-detected, \
         --builder-global-build-dir, --builder-global-selected, --builder-global-skip-cleanup, \
         --builder-selected, --builder-skip-cleanup\n",
    );
    root.dokku(&["builder:report", "nope"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["builder:report", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"xml\"\n");
    let text = root.dokku(&["builder:report", "web"]).ok().stdout.clone();
    b(&root, &["report", "web"]).ok().stdout(&text);
}

#[test]
fn set() {
    let root = root_with_app();
    let file = prop(&root, "builder", "web", "selected");
    root.dokku(&["builder:set", "web", "selected", "dockerfile"])
        .ok()
        .stdout("=====> Setting selected to dockerfile\n")
        .stderr("");
    assert_eq!(read(&file).as_deref(), Some("dockerfile"));
    assert_eq!(mode(&file), 0o600);
    root.dokku(&["builder:set", "web", "selected"])
        .ok()
        .stdout("=====> Unsetting selected\n");
    assert!(!file.exists());
    root.dokku(&["builder:set", "--global", "skip-cleanup", "true"])
        .ok()
        .stdout("=====> Setting skip-cleanup to true\n");
    assert_eq!(
        read(prop(&root, "builder", "--global", "skip-cleanup")).as_deref(),
        Some("true")
    );
    // `--global` may come anywhere.
    root.dokku(&["builder:set", "build-dir", "--global", "x"])
        .ok();
    assert_eq!(
        read(prop(&root, "builder", "--global", "build-dir")).as_deref(),
        Some("x")
    );
    root.dokku(&["--quiet", "builder:set", "web", "build-dir", "y"])
        .ok()
        .stdout("");
    assert_eq!(
        read(prop(&root, "builder", "web", "build-dir")).as_deref(),
        Some("y")
    );
}

#[test]
fn set_errors() {
    let root = root_with_app();
    // `detected` is only written by deploys: a warning, success, and nothing checked.
    for args in [
        &["builder:set", "web", "detected", "x"][..],
        &["builder:set", "nope", "detected", "x"],
        &["builder:set", "--global", "detected", "x"],
    ] {
        root.dokku(args)
            .ok()
            .stdout("")
            .stderr(" !     detected is a read-only property\n");
    }
    assert!(!prop(&root, "builder", "web", "detected").exists());
    root.dokku(&["builder:set"])
        .code(1)
        .stderr(" !     Please specify an app to run the command on\n");
    root.dokku(&["builder:set", "nope", "selected", "x"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["builder:set", "Bad", "selected", "x"])
        .code(1)
        .stderr(MSG_INVALID);
    root.dokku(&["builder:set", "web"])
        .code(1)
        .stderr(" !     No property specified\n");
    root.dokku(&["builder:set", "web", "bogus", "x"]).code(1).stderr(
        " !     Invalid property specified, valid properties include: build-dir, detected, selected, skip-cleanup\n",
    );
    root.dokku(&["builder:set", "--global"])
        .code(1)
        .stderr(" !     Property cannot be specified globally\n");
    root.dokku(&["builder:set", "--global", "bogus", "x"])
        .code(1)
        .stderr(" !     Property cannot be specified globally\n");
    root.dokku(&["builder:set", "web", "selected", "-x"]).code(2).stderr(
        "Usage of builder:set:\n      --global   --global: set a global property\nunknown shorthand flag: 'x' in -x\n",
    );
    assert!(
        !root.lib().join("config/builder/web").exists()
            || fs::read_dir(root.lib().join("config/builder/web"))
                .unwrap()
                .next()
                .is_none()
    );
    assert!(!root.lib().join("config/builder/--global/bogus").exists());
}

#[test]
fn property_triggers() {
    let root = root_with_app();
    let src = source(&root, &["Dockerfile"]);
    let src = src.to_str().unwrap();
    b(&root, &["builder-detect", "web", src]).ok().stdout("");
    root.dokku(&["builder:set", "--global", "selected", "pack"])
        .ok();
    b(&root, &["builder-detect", "web", src])
        .ok()
        .stdout("pack\n");
    root.dokku(&["builder:set", "web", "selected", "null"]).ok();
    b(&root, &["builder-detect", "web", src])
        .ok()
        .stdout("null\n");
    // Through plugn every detector runs; `builder` sorts first, so it wins `head -n1`.
    let all = root
        .plugn(&["trigger", "builder-detect", "web", src])
        .ok()
        .stdout
        .clone();
    assert_eq!(all.lines().next(), Some("null"));

    b(&root, &["builder-get-property", "web", "selected"])
        .ok()
        .stdout("null\n");
    b(&root, &["builder-get-property", "web", "detected"])
        .ok()
        .stdout("\n");
    b(&root, &["builder-get-property", "web", "nope"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid builder property specified\n");
    b(
        &root,
        &["builder-set-property", "web", "detected", "dockerfile"],
    )
    .ok()
    .stdout("");
    assert_eq!(
        read(prop(&root, "builder", "web", "detected")).as_deref(),
        Some("dockerfile")
    );
    // An empty value is written as an empty file, as upstream's PropertyWrite does.
    b(&root, &["builder-set-property", "web", "detected", ""]).ok();
    assert_eq!(
        read(prop(&root, "builder", "web", "detected")).as_deref(),
        Some("")
    );
    b(&root, &["builder-set-property", "web", "nope", "x"])
        .code(1)
        .stderr(" !     Invalid builder property specified\n");
    b(&root, &["builder-set-property", "../x", "selected", "x"]).code(1);
    assert!(!root.lib().join("config/x").exists());
}

#[test]
fn build_dir() {
    let root = root_with_app();
    let extract = |dir: &Path| {
        b(
            &root,
            &["core-post-extract", "web", dir.to_str().unwrap(), "rev"],
        )
    };
    let tree = [
        "README",
        "apps/web/Procfile",
        "apps/web/bin/run",
        "apps/api/Procfile",
    ];

    // Unset: nothing changes.
    let dir = source(&root, &tree);
    extract(&dir).ok().stdout("").stderr("");
    assert_listing(
        &dir,
        &[
            "README",
            "apps/",
            "apps/api/",
            "apps/api/Procfile",
            "apps/web/",
            "apps/web/Procfile",
            "apps/web/bin/",
            "apps/web/bin/run",
        ],
    );

    // The app's build-dir (slashes around it do not matter) becomes the whole source.
    root.dokku(&["builder:set", "web", "build-dir", "/apps/web/"])
        .ok();
    let dir = source(&root, &tree);
    std::os::unix::fs::symlink("Procfile", dir.join("apps/web/link")).unwrap();
    extract(&dir).ok().stdout("").stderr("");
    assert_listing(&dir, &["Procfile", "bin/", "bin/run", "link"]);
    assert_eq!(
        read(dir.join("Procfile")).as_deref(),
        Some("apps/web/Procfile")
    );
    assert_eq!(
        fs::read_link(dir.join("link")).unwrap(),
        Path::new("Procfile")
    );

    // Else the global one.
    root.dokku(&["builder:set", "web", "build-dir"]).ok();
    root.dokku(&["builder:set", "--global", "build-dir", "apps/api"])
        .ok();
    let dir = source(&root, &tree);
    extract(&dir).ok();
    assert_listing(&dir, &["Procfile"]);

    // `.` is the source itself.
    root.dokku(&["builder:set", "web", "build-dir", "."]).ok();
    let dir = source(&root, &tree);
    extract(&dir).ok();
    assert_eq!(listing(&dir).len(), 8);

    // Missing, a file, or anything leading out of the source: not found, nothing touched.
    let outside = root.dir.join("outside-dir");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret"), "s").unwrap();
    for (value, shown) in [
        ("apps/nope", "apps/nope"),
        ("README", "README"),
        ("../outside-dir", "../outside-dir"),
        ("apps/../..", "apps/../.."),
        ("escape", "escape"),
    ] {
        root.dokku(&["builder:set", "web", "build-dir", value]).ok();
        let dir = source(&root, &tree);
        std::os::unix::fs::symlink(&outside, dir.join("escape")).unwrap();
        extract(&dir).code(1).stdout("").stderr(&format!(
            " !     Specified build-dir not found in sourcecode working directory: {shown}\n"
        ));
        assert_eq!(listing(&dir).len(), 9, "{value}");
    }
    assert_listing(&outside, &["secret"]);
}

#[test]
fn install_and_migration() {
    let root = root_with_app();
    root.dokku(&[
        "config:set",
        "--no-restart",
        "web",
        "DOKKU_APP_TYPE=herokuish",
    ])
    .ok();
    root.dokku(&["config:set", "--global", "DOKKU_SKIP_CLEANUP=true"])
        .ok();
    b(&root, &["install"]).ok().stderr("").stdout(
        "-----> Migrating deprecated DOKKU_APP_TYPE to builder detected property for web. Use 'dokku builder:set web detected <value>' to manage this going forward.\n\
         -----> Migrating deprecated global DOKKU_SKIP_CLEANUP to builder skip-cleanup property. Use 'dokku builder:set --global skip-cleanup <value>' to manage this going forward.\n",
    );
    assert!(root.lib().join("config/builder").is_dir());
    assert_eq!(
        read(prop(&root, "builder", "web", "detected")).as_deref(),
        Some("herokuish")
    );
    assert_eq!(
        read(prop(&root, "builder", "--global", "skip-cleanup")).as_deref(),
        Some("true")
    );
    root.dokku(&["config:get", "web", "DOKKU_APP_TYPE"]).code(1);
    // A second install finds nothing left to move; the prune job is never written outside a
    // real install.
    b(&root, &["install"]).ok().stdout("").stderr("");
    b(&root, &["install-builder-prune"])
        .ok()
        .stdout("")
        .stderr("");
}

#[test]
fn lifecycle() {
    let root = root_with_app();
    root.dokku(&["builder:set", "web", "selected", "pack"]).ok();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(
        read(prop(&root, "builder", "copy", "selected")).as_deref(),
        Some("pack")
    );
    root.dokku(&["apps:rename", "web", "moved"]).ok();
    assert_eq!(
        read(prop(&root, "builder", "moved", "selected")).as_deref(),
        Some("pack")
    );
    assert!(!root.lib().join("config/builder/web").exists());
    root.dokku(&["apps:destroy", "moved", "--force"]).ok();
    assert!(!root.lib().join("config/builder/moved").exists());
    assert!(root.lib().join("config/builder/copy").exists());
    b(&root, &["post-delete", ".."]).code(1);
    assert!(root.lib().join("config/builder/copy").exists());
}

/// Images made for a test on the shared daemon, removed again even when the test fails.
struct Images(Vec<String>);

impl Images {
    /// `docker import` of a one-file tarball, with `LABEL`/`ENV` changes.
    fn import(&mut self, root: &Root, tag: &str, changes: &[&str]) {
        let tar = root.dir.join("image.tar");
        if !tar.exists() {
            let content = source(root, &["hello"]);
            let ok = Command::new("tar")
                .arg("-C")
                .arg(&content)
                .args(["-cf"])
                .arg(&tar)
                .arg(".")
                .status()
                .unwrap()
                .success();
            assert!(ok, "tar");
        }
        let mut cmd = Command::new("docker");
        cmd.arg("import");
        for change in changes {
            cmd.args(["--change", change]);
        }
        let out = cmd
            .arg(&tar)
            .arg(tag)
            .output()
            .expect("docker is required for this test");
        assert!(
            out.status.success(),
            "docker import: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.0.push(tag.to_string());
    }
}

impl Drop for Images {
    fn drop(&mut self) {
        for tag in &self.0 {
            let _ = Command::new("docker")
                .args(["image", "rm", "-f", tag])
                .output();
        }
    }
}

fn image_exists(tag: &str) -> bool {
    Command::new("docker")
        .args(["image", "inspect", tag])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn require_docker() {
    let ok = Command::new("docker")
        .args(["version"])
        .output()
        .map(|o| o.status.success());
    assert!(
        matches!(ok, Ok(true)),
        "these tests need a running Docker daemon"
    );
}

#[test]
fn image_triggers() {
    require_docker();
    let root = root_with_app();
    let mut images = Images(Vec::new());
    let tag = |name: &str| format!("dokku-rs-test-builder-{}/{name}:1", std::process::id());
    images.import(
        &root,
        &tag("cnb"),
        &["LABEL io.buildpacks.stack.id=heroku-24"],
    );
    images.import(&root, &tag("herokuish"), &["ENV USER=herokuishuser"]);
    images.import(&root, &tag("bob"), &["ENV USER=bob"]);
    images.import(&root, &tag("plain"), &[]);
    let ask = |trigger: &str, app: &str, image: &str| {
        b(&root, &[trigger, app, image]).ok().stdout.clone()
    };
    for (image, cnb, herokuish) in [
        ("cnb", "true\n", "true\n"),
        ("herokuish", "false\n", "true\n"),
        ("bob", "false\n", "false\n"),
        ("plain", "false\n", "false\n"),
        ("missing", "false\n", "false\n"),
    ] {
        assert_eq!(
            ask("builder-image-is-cnb", "web", &tag(image)),
            cnb,
            "{image}"
        );
        assert_eq!(
            ask("builder-image-is-herokuish", "web", &tag(image)),
            herokuish,
            "{image}"
        );
    }
    assert_eq!(ask("builder-image-is-cnb", "web", ""), "false\n");
    assert_eq!(ask("builder-image-is-herokuish", "web", ""), "false\n");
    // The user herokuish runs as comes from the app's DOKKU_APP_USER.
    root.dokku(&["config:set", "--no-restart", "web", "DOKKU_APP_USER=bob"])
        .ok();
    assert_eq!(
        ask("builder-image-is-herokuish", "web", &tag("bob")),
        "true\n"
    );
    assert_eq!(
        ask("builder-image-is-herokuish", "web", &tag("herokuish")),
        "false\n"
    );
    assert_eq!(
        ask("builder-image-is-herokuish", "", &tag("herokuish")),
        "true\n"
    );
}

#[test]
fn destroy_removes_the_app_images() {
    require_docker();
    let root = Root::new();
    // A name of its own: images are shared by everything using the daemon.
    let app = format!("brt-{}", std::process::id());
    root.dokku(&["apps:create", &app]).ok();
    let mut images = Images(Vec::new());
    let repo_image = format!("dokku/{app}:latest");
    let labelled = format!("dokku-rs-test-builder-{}/labelled:1", std::process::id());
    let other = format!("dokku-rs-test-builder-{}/other:1", std::process::id());
    images.import(&root, &repo_image, &[]);
    images.import(
        &root,
        &labelled,
        &[&format!("LABEL com.dokku.app-name={app}")],
    );
    images.import(&root, &other, &["LABEL com.dokku.app-name=someone-else"]);
    b(&root, &["post-delete", &app]).ok().stdout("").stderr("");
    assert!(!image_exists(&repo_image));
    assert!(!image_exists(&labelled));
    assert!(image_exists(&other));
    // Nothing left to remove is fine too.
    b(&root, &["post-delete", &app]).ok().stdout("").stderr("");
}
