//! `builder-build` and `builder-release` against the real docker daemon, fired through
//! `plugn trigger` and through the bash pipeline functions (`dokku_build`, `dokku_release`)
//! in a temporary install. The base image is built locally from busybox-static (no pulls);
//! every image a test creates is removed, also on failure.

use std::fs;
use std::path::PathBuf;

use dokku_rs_testkit::support::{add_plugin, docker, docker_ok, unique, Docker};
use dokku_rs_testkit::{Root, Run};

/// Images removed when the test ends (the `dokku/<app>` tags and helper images).
struct Images(Vec<String>);

impl Drop for Images {
    fn drop(&mut self) {
        for image in &self.0 {
            let _ = docker(&["image", "rm", "-f", image]);
        }
    }
}

/// The containers a failed `RUN` step leaves behind (docker keeps them unless told
/// `--force-rm`), found by their image, removed on drop (before the image itself).
struct FailedSteps(String);

impl Drop for FailedSteps {
    fn drop(&mut self) {
        let (_, ids, _) = docker(&[
            "container",
            "ls",
            "-aq",
            "--filter",
            &format!("ancestor={}", self.0),
        ]);
        for id in ids.split_whitespace() {
            let _ = docker(&["container", "rm", "-f", id]);
        }
    }
}

/// A temporary source directory with the given files, removed on drop.
struct Source(PathBuf);

impl Source {
    fn new(files: &[(&str, &str)]) -> Source {
        let dir = std::env::temp_dir().join(unique("src"));
        fs::create_dir_all(&dir).unwrap();
        for (name, body) in files {
            fs::write(dir.join(name), body).unwrap();
        }
        Source(dir)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }

    fn write(&self, name: &str, body: &str) {
        fs::write(self.0.join(name), body).unwrap();
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A root with one app (a unique name, as images are shared by all tests), and the images to
/// remove at the end.
fn setup() -> (Root, String, Images) {
    let root = Root::new();
    let app = unique("bd");
    root.dokku(&["apps:create", &app]).ok();
    let images = Images(vec![format!("dokku/{app}:latest")]);
    (root, app, images)
}

/// `plugn trigger <args>` in the root, with extra environment.
fn trigger(root: &Root, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = root.command(root.bin("plugn"));
    cmd.env("PLUGIN_PATH", root.lib().join("plugins"))
        .env("DOKKU_LIB_ROOT", root.lib())
        .arg("trigger")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run plugn"))
}

/// A bash script using the plugin API (`common/functions`), as the deploy pipeline does.
fn bash_api(root: &Root, script: &str, args: &[&str]) -> Run {
    let mut cmd = root.command("bash");
    cmd.env("PLUGIN_PATH", root.lib().join("plugins"))
        .env(
            "PLUGIN_AVAILABLE_PATH",
            root.lib().join("plugins/available"),
        )
        .env(
            "PLUGIN_CORE_AVAILABLE_PATH",
            root.lib().join("core-plugins/available"),
        )
        .env("DOKKU_LIB_ROOT", root.lib())
        .arg("-c")
        .arg(format!(
            "source \"$PLUGIN_CORE_AVAILABLE_PATH/common/functions\"\n{script}"
        ))
        .arg("bash")
        .args(args);
    Run::from(cmd.output().expect("run bash"))
}

/// The image's labels.
fn labels(image: &str) -> serde_json::Map<String, serde_json::Value> {
    let text = docker_ok(&[
        "image",
        "inspect",
        "--format",
        "{{json .Config.Labels}}",
        image,
    ]);
    serde_json::from_str(&text).unwrap_or_default()
}

fn label(image: &str, key: &str) -> String {
    match labels(image).get(key) {
        Some(serde_json::Value::String(v)) => v.clone(),
        other => panic!("label {key} of {image}: {other:?}"),
    }
}

fn image_id(image: &str) -> String {
    docker_ok(&["image", "inspect", "--format", "{{.Id}}", image])
}

fn map_detected(root: &Root, app: &str) -> String {
    fs::read_to_string(
        root.lib()
            .join("config/ports")
            .join(app)
            .join("map-detected"),
    )
    .unwrap_or_default()
}

/// The stderr lines our code and the spy hooks print (docker's own output is left out, as
/// its builder decides where it goes).
fn own_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.starts_with(" !") || l.starts_with("spy:"))
        .collect()
}

#[test]
fn build_filters_args_exports_env_and_detects_ports() {
    let d = Docker::new();
    let base = d.image();
    let (root, app, _images) = setup();
    let src = Source::new(&[(
        "Dockerfile",
        &format!(
            "FROM {base}\nARG APP_SECRET\nARG EXTRA\nARG GLOBAL\n\
             RUN echo \"secret=$APP_SECRET extra=$EXTRA global=$GLOBAL\" > /built\n\
             EXPOSE 80\nEXPOSE 443\nEXPOSE 53/udp\n"
        ),
    )]);
    add_plugin(
        &root,
        "spy",
        &[
            ("pre-build-dockerfile", "echo \"pre-build-dockerfile $*\""),
            ("pre-build", "echo \"pre-build $*\""),
            ("ports-set-detected", "echo \"spy: detected $*\" >&2"),
            ("post-build-dockerfile", "echo \"post-build-dockerfile $*\""),
            (
                "post-build",
                "echo \"post-build $* secret=$APP_SECRET config=$DOCKER_CONFIG\"",
            ),
        ],
    );
    root.dokku(&["config:set", "--no-restart", &app, "APP_SECRET=s3cret"])
        .ok();
    // Per-app registry credentials: docker runs with them as its config directory.
    let registry = root.lib().join("config/registry").join(&app);
    fs::create_dir_all(&registry).unwrap();
    fs::write(
        registry.join("config.json"),
        "{\"auths\":{\"registry.invalid\":{\"auth\":\"dTpw\"}}}",
    )
    .unwrap();
    // `--rm` and `-v /tmp:/x` are not build flags dokku passes (`-v` would make docker fail);
    // `--pull` would fail on the local-only base image.
    root.dokku(&[
        "docker-options:add",
        &app,
        "build",
        "--build-arg APP_SECRET --build-arg EXTRA=two --rm -v /tmp:/x --label=custom.label=yes",
    ])
    .ok();

    let run = trigger(
        &root,
        &["builder-build", "dockerfile", &app, src.path()],
        &[("DOKKU_GLOBAL_BUILD_ARGS", "--build-arg GLOBAL=g --pull")],
    );
    run.ok();
    assert!(
        run.stdout.starts_with(&format!(
            "-----> Building {app} from Dockerfile\npre-build-dockerfile {app}\npre-build dockerfile {app} {}\n",
            src.path()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with(&format!(
            "post-build-dockerfile {app}\npost-build dockerfile {app} {} secret=s3cret config={}\n",
            src.path(),
            registry.display()
        )),
        "{}",
        run.stdout
    );
    assert_eq!(
        own_lines(&run.stderr),
        [
            " !     Deprecated: please upgrade plugin to use 'pre-build' plugin trigger instead of pre-build-dockerfile",
            &format!("spy: detected {app} http:80:80 https:443:443 udp:53:53"),
            " !     Deprecated: please upgrade plugin to use 'post-build' plugin trigger instead of post-build-dockerfile",
        ]
    );

    let image = format!("dokku/{app}:latest");
    assert_eq!(
        docker_ok(&["run", "--rm", &image, "cat", "/built"]),
        "secret=s3cret extra=two global=g"
    );
    assert_eq!(label(&image, "com.dokku.image-stage"), "build");
    assert_eq!(label(&image, "com.dokku.builder-type"), "dockerfile");
    assert_eq!(label(&image, "com.dokku.app-name"), app);
    assert_eq!(label(&image, "org.label-schema.schema-version"), "1.0");
    assert_eq!(label(&image, "org.label-schema.vendor"), "dokku");
    assert_eq!(label(&image, "custom.label"), "yes");
    assert_eq!(label(&image, "dokku"), "");
    assert_eq!(
        map_detected(&root, &app),
        "http:80:80\nhttps:443:443\nudp:53:53\n"
    );
}

#[test]
fn ports_from_crlf_dockerfile_image_and_default() {
    let d = Docker::new();
    let base = d.image();
    let (root, app, mut images) = setup();
    let run_build = |src: &Source| {
        trigger(
            &root,
            &["builder-build", "dockerfile", &app, src.path()],
            &[],
        )
    };

    // CRLF line endings: only the first port of an EXPOSE line counts.
    let src = Source::new(&[(
        "Dockerfile",
        &format!("FROM {base}\r\nEXPOSE 5000/udp 7000\r\nEXPOSE 8443/tcp\r\n"),
    )]);
    run_build(&src).ok();
    assert_eq!(map_detected(&root, &app), "http:8443:8443\nudp:5000:5000\n");

    // Nothing exposed by the Dockerfile: the image's own ports (from its base).
    let exposing = format!("{}:latest", unique("exposing"));
    images.0.push(exposing.clone());
    let base_src = Source::new(&[(
        "Dockerfile",
        &format!("FROM {base}\nEXPOSE 443/tcp 9000/udp\n"),
    )]);
    docker_ok(&[
        "build",
        "--no-cache",
        "-q",
        "-t",
        &exposing,
        base_src.path(),
    ]);
    src.write("Dockerfile", &format!("FROM {exposing}\n"));
    run_build(&src).ok();
    assert_eq!(map_detected(&root, &app), "https:443:443\nudp:9000:9000\n");

    // Nothing at all: `ports-configure`, then the app's proxy port to 5000. Without vhosts
    // ports-configure announces the random port it picks, and that output is captured into
    // the mapping argument as upstream does, so nothing parses and nothing is stored.
    src.write("Dockerfile", &format!("FROM {base}\n"));
    let proxy_port = root
        .lib()
        .join("config/proxy")
        .join(&app)
        .join("proxy-port");
    // App creation may already have configured one (the proxy plugins do).
    let _ = fs::remove_file(&proxy_port);
    let run = run_build(&src);
    run.ok();
    assert!(!run.stdout.contains("No port set"), "{}", run.stdout);
    assert_eq!(map_detected(&root, &app), "");
    let proxy = fs::read_to_string(&proxy_port).expect("ports-configure stored a proxy port");
    assert!(proxy.trim().parse::<u16>().is_ok(), "{proxy}");
    // With the port set, ports-configure is silent and the default mapping is stored.
    run_build(&src).ok();
    assert_eq!(
        map_detected(&root, &app),
        format!("http:{}:5000\n", proxy.trim())
    );
}

#[test]
fn other_builders_and_missing_dockerfile() {
    let (root, app, _images) = setup();
    let src = Source::new(&[("README", "x")]);
    trigger(
        &root,
        &["builder-build", "herokuish", &app, src.path()],
        &[],
    )
    .ok()
    .stdout("")
    .stderr("");
    trigger(
        &root,
        &["builder-release", "herokuish", &app, "latest"],
        &[],
    )
    .ok()
    .stdout("")
    .stderr("");
    trigger(
        &root,
        &["builder-build", "dockerfile", &app, src.path()],
        &[],
    )
    .code(1)
    .stdout(&format!("-----> Building {app} from Dockerfile\n"))
    .stderr(" !     No Dockerfile found in source code directory\n");
}

#[test]
fn a_value_flag_without_its_value_fails_the_build() {
    let (root, app, _images) = setup();
    let src = Source::new(&[("Dockerfile", "FROM scratch\n")]);
    // `--target` with nothing after it ends upstream's script (a failed `shift 2`).
    trigger(
        &root,
        &["builder-build", "dockerfile", &app, src.path()],
        &[("DOKKU_GLOBAL_BUILD_ARGS", "--no-cache --target")],
    )
    .code(1)
    .stdout(&format!("-----> Building {app} from Dockerfile\n"))
    .stderr("");
}

#[test]
fn failed_builds_through_dokku_build() {
    let d = Docker::new();
    let base = d.image();
    let _failed = FailedSteps(base.clone());
    let (root, app, _images) = setup();
    let image = format!("dokku/{app}:latest");
    let src = Source::new(&[("Dockerfile", &format!("FROM {base}\nRUN false\n"))]);
    let build = || {
        bash_api(
            &root,
            "dokku_build \"$1\" dockerfile \"$2\"",
            &[&app, src.path()],
        )
    };

    // No earlier release: the tag is removed.
    let run = build();
    run.code(1);
    assert!(
        run.stdout
            .starts_with(&format!("-----> Building {app} from Dockerfile\n")),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.ends_with(&format!(
            " !     Removing invalid image tag {image}\n !     App build failed\n"
        )),
        "{}",
        run.stderr
    );
    assert_ne!(docker(&["image", "inspect", &image]).0, 0);

    // A good build, released: a later failure puts the released image back.
    src.write("Dockerfile", &format!("FROM {base}\nEXPOSE 3000\n"));
    build().ok();
    let release = bash_api(&root, "dokku_release \"$1\" dockerfile latest", &[&app]);
    release.ok();
    let released = image_id(&image);
    let short = docker_ok(&[
        "image",
        "ls",
        "--filter",
        "label=com.dokku.image-stage=release",
        "--filter",
        &format!("label=com.dokku.app-name={app}"),
        "--format",
        "{{.ID}}",
    ]);
    src.write("Dockerfile", &format!("FROM {base}\nRUN false\n"));
    let run = build();
    run.code(1);
    assert!(
        run.stderr.ends_with(&format!(
            " !     Retagging old image {short} as {image}\n !     App build failed\n"
        )),
        "{}",
        run.stderr
    );
    assert_eq!(image_id(&image), released);
}

#[test]
fn release_adds_the_release_labels() {
    let d = Docker::new();
    let base = d.image();
    let (root, app, _images) = setup();
    let image = format!("dokku/{app}:latest");
    let src = Source::new(&[("Dockerfile", &format!("FROM {base}\nEXPOSE 3000\n"))]);
    trigger(
        &root,
        &["builder-build", "dockerfile", &app, src.path()],
        &[],
    )
    .ok();
    assert_eq!(label(&image, "com.dokku.image-stage"), "build");
    add_plugin(
        &root,
        "spy",
        &[
            (
                "pre-release-dockerfile",
                "echo \"spy: pre-release-dockerfile $*\" >&2",
            ),
            (
                "pre-release-builder",
                "echo \"spy: pre-release-builder $*\" >&2",
            ),
            (
                "post-release-builder",
                "echo \"spy: post-release-builder $*\" >&2",
            ),
        ],
    );

    let run = trigger(
        &root,
        &["builder-release", "dockerfile", &app, "latest"],
        &[],
    );
    run.ok();
    assert_eq!(
        own_lines(&run.stderr),
        [
            " !     Deprecated: please upgrade plugin to use 'pre-release-builder' plugin trigger instead of pre-release-dockerfile",
            &format!("spy: pre-release-dockerfile {app} latest"),
            &format!("spy: pre-release-builder dockerfile {app} {image}"),
            &format!("spy: post-release-builder dockerfile {app} {image}"),
        ]
    );
    // The docker build itself is silent when it works.
    assert!(!run.stdout.contains("Step "), "{}", run.stdout);
    assert!(!run.stdout.contains("Successfully"), "{}", run.stdout);
    assert_eq!(label(&image, "com.dokku.image-stage"), "release");
    assert_eq!(label(&image, "com.dokku.app-name"), app);
    assert_eq!(label(&image, "com.dokku.builder-type"), "dockerfile");
    assert_eq!(label(&image, "org.label-schema.schema-version"), "1.0");
    assert_eq!(label(&image, "org.label-schema.vendor"), "dokku");
    assert_eq!(label(&image, "dokku"), "");

    // An unknown tag: upstream's message, then (its `local IMAGE=$(…)` hides the failure) the
    // hooks get an empty image name and the label build fails on it.
    let run = trigger(&root, &["builder-release", "dockerfile", &app, "v404"], &[]);
    run.code(1);
    assert_eq!(
        own_lines(&run.stderr),
        [
            &format!(" !     App image (dokku/{app}:v404) not found"),
            " !     Deprecated: please upgrade plugin to use 'pre-release-builder' plugin trigger instead of pre-release-dockerfile",
            &format!("spy: pre-release-dockerfile {app} v404"),
            &format!("spy: pre-release-builder dockerfile {app} "),
            " !     Failure injecting docker labels on image",
        ]
    );
}

#[test]
fn release_failure_is_reported() {
    let (root, app, _images) = setup();
    // No image at all for the app: docker cannot build FROM it.
    let run = trigger(&root, &["builder-release", "dockerfile", &app, ""], &[]);
    run.code(1);
    assert!(
        run.stderr
            .ends_with(" !     Failure injecting docker labels on image\n"),
        "{}",
        run.stderr
    );
    // suppress_output shows docker's output on failure.
    assert!(!run.stdout.is_empty());
}
