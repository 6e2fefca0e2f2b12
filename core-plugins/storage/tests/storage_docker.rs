//! Storage commands that need the docker daemon: `--chown` (resolved against docker's user
//! namespace setting) and `storage:exec` with a locally built image. Docker objects are
//! removed by the `Docker` guard, also on failure.

use dokku_rs_testkit::support;

use std::fs;
use std::os::unix::fs::MetadataExt;

use dokku_rs_testkit::Root;
use support::Docker;

const DEPRECATED_ENSURE: &str =
    " !     Deprecated: please use 'storage:create' instead of 'storage:ensure-directory'\n";

fn is_root() -> bool {
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

fn owner(path: &std::path::Path) -> String {
    let m = fs::metadata(path).unwrap();
    format!("{}:{}", m.uid(), m.gid())
}

/// The id docker shifts container ids by, when it runs with user namespaces.
fn userns_offset() -> u32 {
    let (_, out, _) = support::docker(&[
        "info",
        "-f",
        "{{range .SecurityOptions}}{{if eq . \"name=userns\"}}true{{end}}{{end}}",
    ]);
    if out.trim() == "true" {
        165536
    } else {
        0
    }
}

#[test]
fn chown_rules() {
    let _docker = Docker::new();
    let root = Root::new();
    let dir = root.lib().join("data/storage/web");
    let shift = userns_offset();
    for (flag, id) in [
        ("heroku", 1000),
        ("paketo", 2000),
        ("herokuish", 32767),
        ("root", 0),
        ("1500", 1500),
    ] {
        let id = id + shift;
        let run = root.dokku(&["storage:ensure-directory", "--chown", flag, "web"]);
        if !is_root() {
            // Without root the helper goes through `sudo -n`, which a test machine refuses.
            run.code(1)
                .stdout_has(&format!("Setting directory ownership to {id}:{id}\n"));
            return;
        }
        run.ok()
            .stdout(&format!(
                "-----> Ensuring {} exists\n       Setting directory ownership to {id}:{id}\n       Directory ready for mounting\n",
                dir.display()
            ))
            .stderr(DEPRECATED_ENSURE);
        assert_eq!(owner(&dir), format!("{id}:{id}"), "{flag}");
    }
    // The default is herokuish.
    root.dokku(&["storage:ensure-directory", "web"])
        .ok()
        .stdout_has(&format!(
            "Setting directory ownership to {0}:{0}\n",
            32767 + shift
        ));
    root.dokku(&["storage:ensure-directory", "--chown", "packeto", "web"])
        .ok()
        .stdout_has("Detected deprecated chown flag 'packeto'. Using 'paketo' instead. Please update your configuration.\n");

    root.dokku(&["storage:create", "--chown", "herokuish", "owned"])
        .ok()
        .stdout(&format!(
            "       Created {0}\n       Setting directory ownership to {1}:{1}\n-----> Storage entry owned created\n",
            root.lib().join("data/storage/owned").display(),
            32767 + shift
        ));
    assert_eq!(
        owner(&root.lib().join("data/storage/owned")),
        format!("{0}:{0}", 32767 + shift)
    );
    root.dokku(&["storage:set", "owned", "chown", "1500"])
        .ok()
        .stdout(&format!(
            "       Setting directory ownership to {0}:{0}\n-----> Storage entry owned updated\n",
            1500 + shift
        ));
    assert_eq!(
        owner(&root.lib().join("data/storage/owned")),
        format!("{0}:{0}", 1500 + shift)
    );
    for flag in ["65536", "-1", "nobody"] {
        root.dokku(&["storage:create", "--chown", flag, "oob"])
            .code(1)
            .stdout("")
            .stderr(" !     Unsupported chown permissions\n");
    }
    assert!(!root.lib().join("data/storage/oob").exists());
    assert!(!root
        .lib()
        .join("data/storage-registry/entries/oob.json")
        .exists());
}

#[test]
fn exec_in_a_throwaway_container() {
    let d = Docker::new();
    let root = Root::new();
    let image = d.image();
    root.dokku(&["storage:create", "rdmtest-exec"]).ok();
    // A pipe on stdin: interactive, no terminal.
    root.dokku_stdin(
        &[
            "storage:exec",
            "--image",
            &image,
            "rdmtest-exec",
            "--",
            "sh",
            "-c",
            "touch /data/marker && ls /data/marker",
        ],
        b"",
    )
    .ok()
    .stdout("/data/marker\n");
    assert!(root
        .lib()
        .join("data/storage/rdmtest-exec/marker")
        .is_file());
    root.dokku_stdin(
        &[
            "storage:exec",
            "--image",
            &image,
            "rdmtest-exec",
            "--",
            "sh",
            "-c",
            "exit 42",
        ],
        b"",
    )
    .code(42);
    root.dokku_stdin(
        &[
            "storage:exec",
            "--image",
            &image,
            "--as-user",
            "1234",
            "rdmtest-exec",
            "--",
            "id",
            "-u",
        ],
        b"",
    )
    .ok()
    .stdout("1234\n");
    // Input reaches the command.
    root.dokku_stdin(
        &[
            "storage:exec",
            "--image",
            &image,
            "rdmtest-exec",
            "--",
            "cat",
        ],
        b"hello\n",
    )
    .ok()
    .stdout("hello\n");
    root.dokku(&["storage:exec", "absent"])
        .code(1)
        .stderr(" !     storage entry \"absent\" does not exist\n");
    root.dokku(&["storage:exec"])
        .code(1)
        .stderr(" !     storage:exec requires a storage entry name\n");
    fs::remove_dir_all(root.lib().join("data/storage/rdmtest-exec")).unwrap();
}
