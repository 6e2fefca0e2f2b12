//! `report`, `url(s)`, `deploy`, `cleanup`, the help words and the `install` trigger,
//! through the real `dokku` entry point in a temporary install. External tools are stubs
//! in a directory put first in PATH, so outputs are exact.

use std::path::PathBuf;
use std::process::Command;

use dokku_rs_testkit::{Root, Run};

/// A community plugin made of bash files, enabled with plugn.
fn fixture(root: &Root, name: &str, files: &[(&str, &str)]) {
    root.write_exec(
        &format!("lib/plugins/available/{name}/plugin.toml"),
        &format!("[plugin]\ndescription = \"{name}\"\nversion = \"0.1.0\"\n[plugin.config]\n"),
    );
    for (file, body) in files {
        root.write_exec(
            &format!("lib/plugins/available/{name}/{file}"),
            &format!("#!/usr/bin/env bash\n{body}\n"),
        );
    }
    root.plugn(&["enable", name]).ok();
}

fn stub(root: &Root, name: &str, body: &str) {
    root.write_exec(&format!("stub/{name}"), &format!("#!/bin/sh\n{body}\n"));
}

/// PATH with the stubs first; the tools a test does not stub must be absent.
fn stub_path(root: &Root) -> String {
    format!(
        "{}:{}:/usr/bin:/bin",
        root.dir.join("stub").display(),
        root.dir.join("usr/bin").display()
    )
}

fn dokku(root: &Root, args: &[&str]) -> Run {
    Run::from(
        root.command(root.bin("dokku"))
            .env("PATH", stub_path(root))
            .args(args)
            .output()
            .unwrap(),
    )
}

fn report_stubs(root: &Root) {
    stub(root, "uname", "echo \"Linux test 6.1.0 $* GNU/Linux\"");
    stub(root, "free", "echo \"free $*\"\necho 'Mem: 1 2 3'");
    stub(root, "df", "echo \"df $*\"");
    stub(root, "dpkg", "echo amd64");
    stub(
        root,
        "docker",
        r#"case "$1" in
  version) printf 'Client:\n Version: 28.2.2' ;;
  -D) echo "info $*" ;;
  image) [ "$3" = "gliderlabs/herokuish:latest-24" ] ;;
  container) shift 2; echo "run $*" ;;
esac"#,
    );
    stub(root, "git", "echo 'git version 2.47.3'");
    stub(root, "pack", "echo '0.36.0+git-1'");
    stub(root, "dokku-update", "echo '0.9.0'");
    stub(
        root,
        "plugn",
        "case \"$1\" in version) echo 'plugn: 0.17.1' ;; list) echo '  common 0.38.27 enabled'; echo '  trace 0.38.27 enabled' ;; esac",
    );
}

fn report_script(root: &Root) -> String {
    format!(
        "{}/plugins/enabled/00_dokku-standard/subcommands/report",
        root.lib().display()
    )
}

const REPORT_HEAD: &str = "\
-----> uname: Linux test 6.1.0 -a GNU/Linux
-----> memory: 
       free -m
       Mem: 1 2 3
-----> disk utilization: 
       df -h --type btrfs --type ext4 --type ext3 --type ext2 --type vfat --type iso9660
-----> disk inode utilization: 
       df -hi --type btrfs --type ext4 --type ext3 --type ext2 --type vfat --type iso9660
-----> docker version: 
       Client:
        Version: 28.2.2-----> docker daemon info: 
       info -D system info
-----> herokuish version: 
       run --label=org.label-schema.schema-version=1.0 --label=org.label-schema.vendor=dokku --label=dokku --rm gliderlabs/herokuish:latest-24 herokuish version
-----> dokku version: dokku version 0.38.27
-----> dokku-update version: 0.9.0
-----> docker-container-healthchecker version: 
-----> docker-image-labeler version: 
-----> git version: git version 2.47.3
-----> lambda-builder version: 
-----> netrc version: 
-----> pack version: 0.36.0+git-1
-----> plugn version: plugn: 0.17.1
-----> sigil version: 
-----> sshcommand version: 
-----> dokku plugins: 
         common 0.38.27 enabled
         trace 0.38.27 enabled
";

fn report_stderr(root: &Root) -> String {
    let script = report_script(root);
    let missing =
        |line: u32, tool: &str| format!("{script}: line {line}: {tool}: command not found\n");
    [
        " !     dokku-event-listener binary is not available\n".to_string(),
        missing(47, "docker-container-healthchecker"),
        missing(48, "docker-image-labeler"),
        missing(50, "lambda-builder"),
        missing(51, "netrc"),
        missing(58, "sigil"),
        missing(59, "sshcommand"),
    ]
    .concat()
}

#[test]
fn report_host_diagnostics() {
    let root = Root::new();
    report_stubs(&root);
    dokku(&root, &["report"])
        .ok()
        .stdout(REPORT_HEAD)
        .stderr(&report_stderr(&root));

    dokku(&root, &["report", "--format", "json"])
        .code(1)
        .stdout("")
        .stderr(" !     --format flag not supported on global report\n");
}

#[test]
fn report_variants_and_failures() {
    let root = Root::new();
    report_stubs(&root);
    // arm64 hosts have no herokuish; a missing version file leaves the version empty.
    stub(&root, "dpkg", "echo arm64");
    std::fs::remove_file(root.lib().join("VERSION")).unwrap();
    let run = dokku(&root, &["report"]);
    run.ok();
    assert!(run
        .stdout
        .contains("-----> herokuish version: \n-----> dokku version: \n"));
    assert!(run.stderr.starts_with(
        " !     herokuish not supported on arm64 architecture\n !     Unable to determine dokku's version\n"
    ));

    // Without the image locally the warning names it.
    stub(&root, "dpkg", "exit 1");
    std::fs::write(root.lib().join("STABLE_VERSION"), "0.38.26\n").unwrap();
    stub(
        &root,
        "docker",
        "case \"$1\" in image) exit 1 ;; *) echo ok ;; esac",
    );
    let run = dokku(&root, &["report"]);
    run.ok();
    assert!(run
        .stdout
        .contains("-----> herokuish version: \n-----> dokku version: dokku version 0.38.26\n"));
    assert!(run
        .stderr
        .starts_with(" !     Herokuish image gliderlabs/herokuish:latest-24 is not available\n"));

    // A failing piped command ends the report with its status, as under pipefail.
    stub(
        &root,
        "df",
        "echo 'df: no file systems processed' >&2; exit 1",
    );
    dokku(&root, &["report"])
        .code(1)
        .stdout(
            "-----> uname: Linux test 6.1.0 -a GNU/Linux\n-----> memory: \n       free -m\n       Mem: 1 2 3\n-----> disk utilization: \n",
        )
        .stderr("df: no file systems processed\n");
    std::fs::remove_file(root.dir.join("stub/df")).unwrap();
    std::fs::remove_file(root.dir.join("stub/free")).unwrap();
    // `free` is in /usr/bin here: point PATH past it to see a missing command.
    let out = root
        .command(root.bin("dokku"))
        .env(
            "PATH",
            format!(
                "{}:{}",
                root.dir.join("stub").display(),
                root.dir.join("usr/bin").display()
            ),
        )
        .arg("report")
        .output()
        .unwrap();
    let run = Run::from(out);
    run.code(127)
        .stdout("-----> uname: Linux test 6.1.0 -a GNU/Linux\n-----> memory: \n")
        .stderr(&format!(
            "{}: line 19: free: command not found\n",
            report_script(&root)
        ));
}

#[test]
fn report_fires_the_report_trigger() {
    let root = Root::new();
    report_stubs(&root);
    // Named to sort after every core plugin, so its section comes last.
    fixture(
        &root,
        "zz-rep",
        &[("report", "echo \"=====> $1 rep information\"")],
    );
    // --all without any app: the message, and still success.
    dokku(&root, &["report", "--all"])
        .ok()
        .stdout(REPORT_HEAD)
        .stderr(&format!(
            "{} !     You haven't deployed any applications yet\n",
            report_stderr(&root)
        ));

    root.dokku(&["apps:create", "web"]).ok();
    let web = dokku(&root, &["report", "web"]);
    web.ok();
    assert!(web.stdout.starts_with(REPORT_HEAD), "{}", web.stdout);
    assert!(web.stdout.contains("=====> web app information\n"), "{}", web.stdout);
    assert!(web.stdout.ends_with("=====> web rep information\n"), "{}", web.stdout);

    // No app check of its own: the plugins' reports decide, and the first failure ends it.
    let bad = dokku(&root, &["report", "bad"]);
    assert_ne!(bad.code, 0, "{bad:?}");
    assert!(bad.stdout.starts_with(REPORT_HEAD) && !bad.stdout.contains("rep information"), "{bad:?}");

    // --all reports every app the app-list trigger names, in its order.
    root.dokku(&["apps:create", "api"]).ok();
    let all = dokku(&root, &["report", "--all"]);
    all.ok();
    let api_at = all.stdout.find("=====> api rep information").expect("api section");
    let web_at = all.stdout.find("=====> web rep information").expect("web section");
    assert!(api_at < web_at, "{}", all.stdout);
}

#[test]
fn url_and_urls() {
    let root = Root::new();
    dokku(&root, &["url", "web"])
        .code(20)
        .stdout("")
        .stderr(" !     App web does not exist\n");
    dokku(&root, &["urls", "Bad_Name"])
        .code(20)
        .stderr(" !     App Bad_Name does not exist\n");
    dokku(&root, &["urls"])
        .code(20)
        .stderr(" !     App  does not exist\n");

    // The domains plugin answers domains-urls for a real app.
    std::fs::write(root.home().join("VHOST"), "example.com\n").unwrap();
    root.dokku(&["apps:create", "web"]).ok();
    dokku(&root, &["url", "web"])
        .ok()
        .stdout("http://web.example.com\n");
    dokku(&root, &["urls", "web"])
        .ok()
        .stdout("http://web.example.com\n");
    dokku(&root, &["--app", "web", "urls"])
        .ok()
        .stdout("http://web.example.com\n");
}

#[test]
fn deploy_hands_over_to_the_scheduler() {
    let root = Root::new();
    dokku(&root, &["deploy", "web"])
        .code(20)
        .stderr(" !     App web does not exist\n");
    std::fs::create_dir_all(root.home().join("web")).unwrap();
    // No plugin implements scheduler-deploy: nothing happens, successfully.
    dokku(&root, &["deploy", "web"]).ok().stdout("").stderr("");

    fixture(
        &root,
        "sched",
        &[(
            "scheduler-deploy",
            "printf '%s|' \"$@\"; echo\n[[ $3 != fail ]] || exit 5",
        )],
    );
    dokku(&root, &["deploy", "web"])
        .ok()
        .stdout("docker-local|web|||\n");
    dokku(&root, &["deploy", "web", "v12", "worker"])
        .ok()
        .stdout("docker-local|web|v12|worker|\n");
    dokku(&root, &["deploy", "web", "fail"]).code(5);

    // The scheduler is the one the scheduler plugin detects: the global selection, then the
    // app's own.
    dokku(&root, &["scheduler:set", "--global", "selected", "nomad"]).ok();
    dokku(&root, &["deploy", "web", "v1"])
        .ok()
        .stdout("nomad|web|v1||\n");
    dokku(&root, &["scheduler:set", "web", "selected", "k3s"]).ok();
    dokku(&root, &["deploy", "web", "v1"])
        .ok()
        .stdout("k3s|web|v1||\n");
}

#[test]
fn cleanup_calls_the_common_cli() {
    let root = Root::new();
    let calls = root.dir.join("common.calls");
    let common = root.lib().join("core-plugins/available/common/common");
    std::fs::remove_file(&common).unwrap();
    root.write_exec(
        "lib/core-plugins/available/common/common",
        &format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s|' \"$a\"; done >>'{}'\necho >>'{}'\n[ \"$3\" != broken ] || exit 4\n",
            calls.display(),
            calls.display()
        ),
    );
    dokku(&root, &["cleanup"]).ok().stdout("").stderr("");
    dokku(&root, &["cleanup", "web"]).ok();
    dokku(&root, &["cleanup", "broken"]).code(4);
    assert_eq!(
        std::fs::read_to_string(&calls).unwrap(),
        "--quiet|docker-cleanup|--global|\n--quiet|docker-cleanup|web|\n--quiet|docker-cleanup|broken|\n"
    );
}

#[test]
fn help_words() {
    let root = Root::new();
    dokku(&root, &["cleanup:help"]).ok().stdout(
        "    cleanup [<app>]   Cleans up exited/dead Docker containers and removes dangling images\n",
    );
    dokku(&root, &["url:help"])
        .ok()
        .stdout("    url <app>   Show the first URL for an application (compatibility)\n");
    dokku(&root, &["urls:help"])
        .ok()
        .stdout("    urls <app>   Show all URLs for an application\n");
    dokku(&root, &["version:help"])
        .ok()
        .stdout("    version    Print dokku's version\n");
    dokku(&root, &["help:help"]).code(1).stderr(
        " !     `help:help` is not a dokku command.\n !     See `dokku help` for a list of available commands.\n",
    );

    let commands = root
        .lib()
        .join("plugins/enabled/00_dokku-standard/commands");
    let run = |word: &str| {
        Run::from(
            root.command(&commands)
                .arg(word)
                .env("DOKKU_NOT_IMPLEMENTED_EXIT", "10")
                .output()
                .unwrap(),
        )
    };
    // `help` always gives all five lines, whether or not `--all` was asked for.
    run("help").ok().stdout(
        "    cleanup [<app>], Cleans up exited/dead Docker containers and removes dangling images\n    url <app>, Show the first URL for an application (compatibility)\n    urls <app>, Show all URLs for an application\n    version , Print dokku's version\n    help , Print the list of commands\n",
    );
    for word in [
        "help:help",
        "00_dokku-standard",
        "report",
        "url",
        "cleanup:nope",
    ] {
        run(word).code(10).stdout("");
    }
}

fn install_hook(root: &Root, path: &str) -> Run {
    let hook: PathBuf = root
        .lib()
        .join("core-plugins/available/00_dokku-standard/install");
    let mut cmd: Command = root.command(&hook);
    cmd.env("PATH", path)
        .env("DOKKU_RS_NO_SYSTEM", "1")
        .env("DOKKU_LIB_ROOT", root.lib());
    Run::from(cmd.output().unwrap())
}

#[test]
fn install_writes_vhost_when_the_name_resolves() {
    let root = Root::new();
    let vhost = root.home().join("VHOST");
    stub(
        &root,
        "hostname",
        "[ \"$1\" = -f ] && echo dokku.example.com",
    );
    stub(
        &root,
        "dig",
        "[ \"$2\" = dokku.example.com ] && echo 203.0.113.7; true",
    );
    install_hook(&root, &stub_path(&root))
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(
        std::fs::read_to_string(&vhost).unwrap(),
        "dokku.example.com\n"
    );

    // An existing VHOST is kept.
    std::fs::write(&vhost, "mine.example.com\n").unwrap();
    stub(&root, "hostname", "echo other.example.com");
    install_hook(&root, &stub_path(&root)).ok();
    assert_eq!(
        std::fs::read_to_string(&vhost).unwrap(),
        "mine.example.com\n"
    );

    // A name DNS does not know gives no VHOST.
    std::fs::remove_file(&vhost).unwrap();
    stub(&root, "dig", "true");
    install_hook(&root, &stub_path(&root)).ok().stdout("");
    assert!(!vhost.exists());

    // Without dig nothing is tried, quietly.
    std::fs::remove_file(root.dir.join("stub/dig")).unwrap();
    let only_stubs = format!(
        "{}:{}",
        root.dir.join("stub").display(),
        root.dir.join("usr/bin").display()
    );
    install_hook(&root, &only_stubs).ok().stdout("").stderr("");
    assert!(!vhost.exists());
}
