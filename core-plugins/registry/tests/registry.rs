//! `registry:*` and the registry triggers through the real `dokku` entry point in a
//! temporary install; `post-release-builder` against the real docker daemon with a locally
//! built image.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;

use dokku_rs_testkit::{Root, Run};

const USAGE: &str = "Usage: dokku registry[:COMMAND]\n\nManage registry settings for an app\n\nAdditional commands:\n\
\x20   registry:login [--global|--password-stdin] [<app>] <server> <username> [<password>]  Login to a docker registry\n\
\x20   registry:logout [--global] [<app>] <server>                                          Logout from a docker registry\n\
\x20   registry:report [<app>] [<flag>]                                                     Displays a registry report for one or more apps\n\
\x20   registry:set <app>|--global <property> (<value>)                                     Set or clear a registry property for an app\n";

fn dir(root: &Root, app: &str) -> PathBuf {
    root.lib().join("config/registry").join(app)
}

fn prop(root: &Root, app: &str, key: &str) -> Option<String> {
    fs::read_to_string(dir(root, app).join(key)).ok()
}

fn hook(root: &Root, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/registry")
        .join(args[0]);
    Run::from(
        root.command(&path)
            .args(&args[1..])
            .env("PLUGIN_PATH", root.lib().join("plugins"))
            .env(
                "PLUGIN_CORE_AVAILABLE_PATH",
                root.lib().join("core-plugins/available"),
            )
            .output()
            .unwrap(),
    )
}

fn with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

const APP_REPORT: &str = "=====> web registry information\n\
\x20      Registry computed image repo:          dokku/web\n\
\x20      Registry computed image repo template: \n\
\x20      Registry computed push extra tags:     \n\
\x20      Registry computed push on release:     false\n\
\x20      Registry computed server:              \n\
\x20      Registry global image repo template:   \n\
\x20      Registry global push extra tags:       \n\
\x20      Registry global push on release:       \n\
\x20      Registry global server:                \n\
\x20      Registry image repo:                   \n\
\x20      Registry image repo template:          \n\
\x20      Registry push extra tags:              \n\
\x20      Registry push on release:              \n\
\x20      Registry server:                       \n\
\x20      Registry tag version:                  \n";

#[test]
fn help() {
    let root = Root::new();
    root.dokku(&["registry"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["registry:help"]).ok().stdout(USAGE);
}

#[test]
fn set_and_report() {
    let root = with_app();
    root.dokku(&["registry:report", "web"])
        .ok()
        .stdout(APP_REPORT)
        .stderr("");
    root.dokku(&[
        "registry:set",
        "web",
        "image-repo-template",
        "reg/{{ .AppName }}",
    ])
    .ok()
    .stdout("=====> Setting image-repo-template to reg/{{ .AppName }}\n");
    root.dokku(&["registry:set", "--global", "server", "ghcr.io/"])
        .ok()
        .stdout("=====> Setting server to ghcr.io/\n");
    root.dokku(&["registry:set", "--global", "push-on-release", "true"])
        .ok();
    root.dokku(&["registry:set", "web", "push-extra-tags", "latest,edge"])
        .ok();
    assert_eq!(
        prop(&root, "web", "image-repo-template").as_deref(),
        Some("reg/{{ .AppName }}")
    );
    root.dokku(&["registry:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"computed-image-repo\":\"reg/web\",\"computed-image-repo-template\":\"reg/{{ .AppName }}\",\"computed-push-extra-tags\":\"latest,edge\",\"computed-push-on-release\":\"true\",\"computed-server\":\"ghcr.io/\",\"global-image-repo-template\":\"\",\"global-push-extra-tags\":\"\",\"global-push-on-release\":\"true\",\"global-server\":\"ghcr.io/\",\"image-repo\":\"\",\"image-repo-template\":\"reg/{{ .AppName }}\",\"push-extra-tags\":\"latest,edge\",\"push-on-release\":\"\",\"registry-computed-image-repo\":\"reg/web\",\"registry-computed-image-repo-template\":\"reg/{{ .AppName }}\",\"registry-computed-push-extra-tags\":\"latest,edge\",\"registry-computed-push-on-release\":\"true\",\"registry-computed-server\":\"ghcr.io/\",\"registry-global-image-repo-template\":\"\",\"registry-global-push-extra-tags\":\"\",\"registry-global-push-on-release\":\"true\",\"registry-global-server\":\"ghcr.io/\",\"registry-image-repo\":\"\",\"registry-image-repo-template\":\"reg/{{ .AppName }}\",\"registry-push-extra-tags\":\"latest,edge\",\"registry-push-on-release\":\"\",\"registry-server\":\"\",\"registry-tag-version\":\"\",\"server\":\"\",\"tag-version\":\"\"}\n");
    root.dokku(&["registry:report", "--global"]).ok().stdout(
        "=====> --global registry information\n\
         \x20      Registry computed image repo template: \n\
         \x20      Registry computed push extra tags:     \n\
         \x20      Registry computed push on release:     true\n\
         \x20      Registry computed server:              ghcr.io/\n\
         \x20      Registry global image repo template:   \n\
         \x20      Registry global push extra tags:       \n\
         \x20      Registry global push on release:       true\n\
         \x20      Registry global server:                ghcr.io/\n",
    );
    root.dokku(&["registry:report", "web", "--registry-computed-image-repo"])
        .ok()
        .stdout("reg/web\n");
    root.dokku(&["registry:set", "web", "image-repo", "my/repo"])
        .ok();
    root.dokku(&["registry:report", "web", "--registry-computed-image-repo"])
        .ok()
        .stdout("my/repo\n");
    root.dokku(&["registry:set", "web", "image-repo"])
        .ok()
        .stdout("=====> Unsetting image-repo\n");
    assert_eq!(prop(&root, "web", "image-repo"), None);
    // a broken template falls back to dokku/<app> in the report
    root.dokku(&["registry:set", "web", "image-repo-template", "{{.Nope}}"])
        .ok();
    root.dokku(&["registry:report", "web", "--registry-computed-image-repo"])
        .ok()
        .stdout("dokku/web\n");
    root.dokku(&["registry:report", "web", "--registry-nope"])
        .code(1)
        .stderr_has(" !     Invalid flag passed, valid flags: --registry-computed-image-repo, ");
}

#[test]
fn set_errors_write_nothing() {
    let root = with_app();
    root.dokku(&["registry:set", "--global", "image-repo", "x"])
        .code(1)
        .stdout("")
        .stderr(" !     Property cannot be specified globally\n");
    root.dokku(&["registry:set", "web"])
        .code(1)
        .stderr(" !     No property specified\n");
    root.dokku(&["registry:set", "web", "tag-version", "9"])
        .code(1)
        .stderr(" !     Invalid property specified, valid properties include: image-repo, image-repo-template, push-extra-tags, push-on-release, server\n");
    root.dokku(&["registry:set", "nope", "server", "x"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["registry:set", "../web", "server", "x"]).code(1).stderr(
        " !     App name must begin with lowercase alphanumeric character, and may only contain lowercase alphanumerics, dots, and hyphens\n",
    );
    root.dokku(&["registry:set", "web", "../server", "x"])
        .code(1);
    root.dokku(&["registry:set", "--nope"])
        .code(2)
        .stderr("Usage of registry:set:\n      --global   --global: set a global property\nunknown flag: --nope\n");
    assert!(fs::read_dir(dir(&root, "web")).unwrap().next().is_none());
    assert!(!root.lib().join("config/registry/--global").exists());
}

#[test]
fn deployed_app_triggers() {
    let root = with_app();
    hook(&root, &["deployed-app-image-repo", "web"])
        .ok()
        .stdout("dokku/web\n");
    hook(&root, &["deployed-app-image-tag", "web"])
        .ok()
        .stdout("");
    hook(&root, &["deployed-app-repository", "web"])
        .ok()
        .stdout("\n");

    root.dokku(&[
        "registry:set",
        "--global",
        "image-repo-template",
        "team/{{.AppName}}",
    ])
    .ok();
    hook(&root, &["deployed-app-image-repo", "web"])
        .ok()
        .stdout("team/web\n");
    root.dokku(&["registry:set", "web", "image-repo", "  own/repo "])
        .ok();
    hook(&root, &["deployed-app-image-repo", "web"])
        .ok()
        .stdout("own/repo\n");
    root.dokku(&["registry:set", "web", "image-repo"]).ok();
    root.dokku(&[
        "registry:set",
        "--global",
        "image-repo-template",
        "x/{{.Nope}}",
    ])
    .ok();
    hook(&root, &["deployed-app-image-repo", "web"])
        .code(1)
        .stdout("")
        .stderr(" !     Unable to determine image repo from template: Unable to execute image-repo-template: template: template:1:4: executing \"template\" at <.Nope>: can't evaluate field Nope in type registry.templateData\n");
    root.dokku(&[
        "registry:set",
        "--global",
        "image-repo-template",
        "x/{{.AppName",
    ])
    .ok();
    hook(&root, &["deployed-app-image-repo", "web"])
        .code(1)
        .stderr(" !     Unable to determine image repo from template: Unable to parse image-repo-template: template: template:1: unclosed action\n");

    root.dokku(&["registry:set", "web", "push-on-release", "true"])
        .ok();
    hook(&root, &["deployed-app-image-tag", "web"])
        .ok()
        .stdout("1\n");
    fs::write(dir(&root, "web").join("tag-version"), " 7\n").unwrap();
    hook(&root, &["deployed-app-image-tag", "web"])
        .ok()
        .stdout("7\n");

    for (server, want) in [
        ("docker.io", "\n"),
        ("hub.docker.com/", "\n"),
        ("registry.example.com/", "registry.example.com/\n"),
        (" ghcr.io ", "ghcr.io/\n"),
    ] {
        root.dokku(&["registry:set", "web", "server", server]).ok();
        hook(&root, &["deployed-app-repository", "web"])
            .ok()
            .stdout(want);
    }
}

#[test]
fn lifecycle_keeps_credentials() {
    let root = with_app();
    assert!(
        dir(&root, "web").is_dir(),
        "post-create makes the directory"
    );
    root.dokku(&["registry:set", "web", "server", "ghcr.io"])
        .ok();
    let creds = "{\"auths\":{\"ghcr.io\":{\"auth\":\"eDp5\"}}}";
    fs::write(dir(&root, "web").join("config.json"), creds).unwrap();
    fs::set_permissions(
        dir(&root, "web").join("config.json"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();

    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(prop(&root, "copy", "config.json").as_deref(), Some(creds));
    assert_eq!(prop(&root, "copy", "server").as_deref(), Some("ghcr.io"));
    // the triggers apps:rename and apps:destroy fire, called directly
    hook(&root, &["post-app-rename-setup", "copy", "moved"])
        .ok()
        .stdout("");
    assert!(!dir(&root, "copy").exists());
    assert_eq!(prop(&root, "moved", "config.json").as_deref(), Some(creds));
    let mode = fs::metadata(dir(&root, "moved").join("config.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    hook(&root, &["post-delete", "moved"]).ok();
    assert!(!dir(&root, "moved").exists());
    assert!(dir(&root, "web").join("config.json").exists());
    hook(&root, &["post-create", "../x"]).code(1);
    assert!(!root.lib().join("config/x").exists());
}

#[test]
fn login_argument_errors() {
    let root = with_app();
    root.dokku(&["registry:login"])
        .code(1)
        .stderr(" !     Missing server argument\n");
    root.dokku(&["registry:login", "--global", "ghcr.io"])
        .code(1)
        .stderr(" !     Missing username argument\n");
    root.dokku(&["registry:login", "--global", "ghcr.io", "me"])
        .code(1)
        .stderr(" !     Missing password argument\n");
    root.dokku(&["registry:login", "nope", "ghcr.io", "me", "pw"])
        .code(20)
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["registry:logout"])
        .code(1)
        .stderr(" !     Missing server argument\n");
    fs::remove_dir_all(dir(&root, "web")).unwrap();
    root.dokku(&["registry:logout", "web", "ghcr.io"])
        .code(1)
        .stderr(" !     No registry credentials found for app web\n")
        .stdout("");
}

/// Docker images a test made, removed even when the test fails.
struct Images(Vec<String>);

impl Drop for Images {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .arg("image")
            .arg("rm")
            .arg("-f")
            .args(&self.0)
            .output();
    }
}

fn docker_available() {
    let ok = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(ok, "this test needs a running docker daemon");
}

/// A tiny image built locally from busybox (no registry pull).
fn build_image(tag: &str) {
    let ctx = std::env::temp_dir()
        .join(format!("dokku-rs-test-ctx-{}-{tag}", std::process::id()).replace([':', '/'], "-"));
    fs::create_dir_all(&ctx).unwrap();
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("busybox-static is installed");
    fs::copy(busybox, ctx.join("busybox")).unwrap();
    fs::write(
        ctx.join("Dockerfile"),
        "FROM scratch\nCOPY busybox /bin/busybox\nCMD [\"/bin/busybox\", \"true\"]\n",
    )
    .unwrap();
    let out = Command::new("docker")
        .args(["build", "--no-cache", "-q", "-t", tag])
        .arg(&ctx)
        .output()
        .unwrap();
    let _ = fs::remove_dir_all(&ctx);
    assert!(
        out.status.success(),
        "docker build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn image_exists(tag: &str) -> bool {
    Command::new("docker")
        .args(["image", "inspect", tag])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn post_release_builder_tags_and_pushes() {
    docker_available();
    let root = Root::new();
    let app = format!("dokku-rs-test-reg{}", std::process::id());
    root.dokku(&["apps:create", &app]).ok();
    let source = format!("dokku/{app}:latest");
    let repo = format!("dokku-rs-test-repo{}/app", std::process::id());
    let _images = Images(vec![
        source.clone(),
        format!("{repo}:latest"),
        format!("{repo}:1"),
        format!("127.0.0.1:9/{repo}:1"),
        format!("127.0.0.1:9/{repo}:edge"),
    ]);
    build_image(&source);

    // default repo, no push: nothing to do
    hook(
        &root,
        &["post-release-builder", "dockerfile", &app, &source],
    )
    .ok()
    .stdout("");

    root.dokku(&["registry:set", &app, "image-repo", &repo])
        .ok();
    hook(
        &root,
        &["post-release-builder", "dockerfile", &app, &source],
    )
    .ok()
    .stdout("");
    assert!(image_exists(&format!("{repo}:latest")));

    root.dokku(&["registry:set", &app, "push-on-release", "true"])
        .ok();
    root.dokku(&["registry:set", &app, "server", "127.0.0.1:9"])
        .ok();
    root.dokku(&["registry:set", &app, "push-extra-tags", "edge"])
        .ok();
    let run = hook(
        &root,
        &["post-release-builder", "dockerfile", &app, &source],
    );
    run.code(1);
    assert!(
        run.stdout.starts_with(&format!(
            "-----> Pushing image to registry\n       Bumping tag to 1\n       Retrieving image info for app\n       Tagging {repo}:1 in registry format\n       Tagging {repo} as edge in registry format\n       Pushing 127.0.0.1:9/{repo}:edge\n"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("       Untagging extra tag edge\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(" !     unable to push image with edge tag: docker image push command exited with code 1: "),
        "{}",
        run.stderr
    );
    assert_eq!(prop(&root, &app, "tag-version").as_deref(), Some("1"));
    assert!(image_exists(&format!("127.0.0.1:9/{repo}:1")));
    assert!(image_exists(&format!("{repo}:1")));
    assert!(
        !image_exists(&format!("127.0.0.1:9/{repo}:edge")),
        "extra tags are untagged"
    );

    fs::write(dir(&root, &app).join("tag-version"), "x").unwrap();
    hook(&root, &["post-release-builder", "dockerfile", &app, &source])
        .code(1)
        .stderr(" !     Unable to convert existing tag version (x) to integer: strconv.Atoi: parsing \"x\": invalid syntax\n");
}
