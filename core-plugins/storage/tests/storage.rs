//! `storage:*` commands and storage triggers that need no docker daemon, through the real
//! `dokku` entry point in a temporary install: output bytes, exit statuses, stored files.

use dokku_rs_testkit::support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use dokku_rs_testkit::{Root, Run};
use support::{hook, prop, read};

const USAGE: &str = "Usage: dokku storage[:COMMAND]\n\nManage mounted volumes\n\nAdditional commands:\n\
\x20   storage:annotations:report [<name>] [<flag>]               Displays annotations for one or more storage entries\n\
\x20   storage:annotations:set <name> <key> [<value>]             Set or clear an annotation on a storage entry\n\
\x20   storage:create <name> [<path>] [flags]                     Register a named storage entry\n\
\x20   storage:destroy <name> [--force] [--destroy-host-dir]      Remove a named storage entry (must be unmounted from every app first)\n\
\x20   storage:ensure-directory [--chown option] <directory>      [DEPRECATED] use storage:create instead\n\
\x20   storage:exec <name> [-- <cmd>...]                          Run a command (or shell) in a temporary container that mounts the entry\n\
\x20   storage:info <name> [--format text|json]                   Show details for one storage entry\n\
\x20   storage:labels:report [<name>] [<flag>]                    Displays labels for one or more storage entries\n\
\x20   storage:labels:set <name> <key> [<value>]                  Set or clear a label on a storage entry\n\
\x20   storage:list <app> [--format text|json]                    List bind mounts for app's container(s) (host:container)\n\
\x20   storage:list-entries [--scheduler s] [--format text|json]  List registered storage entries\n\
\x20   storage:migrate [<app>|--all]                              Re-run the legacy -v to attachment migration for an app\n\
\x20   storage:mount <app> <host-dir:container-dir>               Create a new bind mount\n\
\x20   storage:report [<app>] [<flag>]                            Displays a storage report for one or more apps\n\
\x20   storage:set <name> <property> [<value>]                    Update a storage entry in place\n\
\x20   storage:unmount <app> <host-dir:container-dir>             Remove an existing bind mount\n\
\x20   storage:wait <name>                                        Wait for a storage entry's PVC to be bound (k3s)\n";

const DEPRECATED_ENSURE: &str =
    " !     Deprecated: please use 'storage:create' instead of 'storage:ensure-directory'\n";

fn root_with_app() -> Root {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    root
}

fn storage_dir(root: &Root) -> PathBuf {
    root.lib().join("data/storage")
}

fn entry_file(root: &Root, name: &str) -> PathBuf {
    root.lib()
        .join(format!("data/storage-registry/entries/{name}.json"))
}

fn mode_of(path: PathBuf) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// `legacy-<first 10 hex of sha1(host)>`, computed with the system's `sha1sum`.
fn legacy_name(host: &str) -> String {
    let input = if host.starts_with('/') {
        host.to_string()
    } else {
        format!("vol:{host}")
    };
    let out = std::process::Command::new("bash")
        .args(["-c", "printf %s \"$1\" | sha1sum", "-", &input])
        .output()
        .unwrap();
    format!("legacy-{}", &String::from_utf8_lossy(&out.stdout)[..10])
}

fn entry_names(root: &Root) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.lib().join("data/storage-registry/entries"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn help_and_flag_errors() {
    let root = Root::new();
    root.dokku(&["storage"]).ok().stdout(USAGE).stderr("");
    root.dokku(&["storage:help"]).ok().stdout(USAGE).stderr("");
    let all = root.dokku(&["help", "--all"]);
    assert!(
        all.stdout.lines().any(|l| l
            .starts_with("    storage:annotations:set <name> <key> [<value>] ")
            && l.trim_end()
                .ends_with(" Set or clear an annotation on a storage entry")),
        "{}",
        all.stdout
    );
    root.dokku(&["storage:mount", "--nope"]).code(2).stdout("").stderr(
        "Usage of storage:mount:\n\
\x20     --container-dir string    --container-dir: container path (named-entry form)\n\
\x20     --phase strings           --phase: phase to mount in (deploy, run; default both)\n\
\x20     --process-type string     --process-type: process type to mount for\n\
\x20     --volume-chown string     --volume-chown: chown option applied at mount time\n\
\x20     --volume-options string   --volume-options: comma-separated mount options (e.g. Z, noexec,nosuid)\n\
\x20     --volume-readonly         --volume-readonly: mount the volume read-only\n\
\x20     --volume-subpath string   --volume-subpath: subpath within the entry\n\
unknown flag: --nope\n",
    );
    root.dokku(&["storage:destroy", "-f"]).code(2).stderr(
        "Usage of storage:destroy:\n\
\x20     --destroy-host-dir   --destroy-host-dir: also remove the host directory and its contents (docker-local only)\n\
\x20     --force              --force: force destroy without confirmation\n\
unknown shorthand flag: 'f' in -f\n",
    );
    root.dokku(&["storage:ensure-directory", "--help"]).ok().stderr(
        "Usage of storage:ensure-directory:\n      --chown string   --chown: chown option (herokuish, heroku, paketo, root, false) (default \"herokuish\")\n",
    );
}

#[test]
fn create_info_list_entries() {
    let root = Root::new();
    root.dokku(&["storage:list-entries"])
        .ok()
        .stdout("-----> No storage entries registered\n");
    root.dokku(&["storage:list-entries", "--format", "json"])
        .ok()
        .stdout("[]\n");
    let host = storage_dir(&root).join("rdmtest-entry");
    let host = host.display();
    root.dokku(&["storage:create", "rdmtest-entry"])
        .ok()
        .stdout(&format!(
            "       Created {host}\n-----> Storage entry rdmtest-entry created\n"
        ))
        .stderr("");
    assert!(storage_dir(&root).join("rdmtest-entry").is_dir());
    assert_eq!(mode_of(storage_dir(&root).join("rdmtest-entry")), 0o755);
    let json = format!(
        "{{\n  \"name\": \"rdmtest-entry\",\n  \"scheduler\": \"docker-local\",\n  \"host_path\": \"{host}\",\n  \"schema_version\": 1\n}}"
    );
    assert_eq!(
        fs::read_to_string(entry_file(&root, "rdmtest-entry")).unwrap(),
        json
    );
    assert_eq!(mode_of(entry_file(&root, "rdmtest-entry")), 0o600);
    root.dokku(&["storage:info", "rdmtest-entry", "--format", "json"])
        .ok()
        .stdout(&format!("{json}\n"));
    root.dokku(&["storage:info", "rdmtest-entry"]).ok().stdout(&format!(
        "-----> Storage entry rdmtest-entry\n       Scheduler:        docker-local\n       Host path:        {host}\n"
    ));
    // Re-running converges instead of failing.
    root.dokku(&["storage:create", "--mode", "750", "rdmtest-entry"])
        .ok()
        .stdout("-----> Storage entry rdmtest-entry already exists, leaving in place\n       Setting directory mode to 0750\n-----> Storage entry rdmtest-entry created\n");
    assert_eq!(mode_of(storage_dir(&root).join("rdmtest-entry")), 0o750);
    root.dokku(&["storage:info", "rdmtest-entry"]).ok().stdout(&format!(
        "-----> Storage entry rdmtest-entry\n       Scheduler:        docker-local\n       Host path:        {host}\n       Mode:             0750\n"
    ));

    // A named docker volume: no directory is made for it.
    root.dokku(&["storage:create", "vol", "my_volume"])
        .ok()
        .stdout("-----> Storage entry vol created\n");
    assert!(!storage_dir(&root).join("vol").exists());
    // A k3s entry (no k3s plugin answers storage-create here).
    root.dokku(&[
        "storage:create",
        "--scheduler",
        "k3s",
        "--size",
        "1Gi",
        "--access-mode",
        "ReadWriteMany",
        "--annotation",
        "a=1,b=2",
        "--label",
        "tier=db",
        "claim",
    ])
    .ok()
    .stdout("-----> Storage entry claim created\n");
    root.dokku(&["storage:info", "claim"]).ok().stdout(
        "-----> Storage entry claim\n       Scheduler:        k3s\n       Size:             1Gi\n       Access mode:      ReadWriteMany\n",
    );
    root.dokku(&["storage:info", "claim", "--format", "json"]).ok().stdout(
        "{\n  \"name\": \"claim\",\n  \"scheduler\": \"k3s\",\n  \"size\": \"1Gi\",\n  \"access_mode\": \"ReadWriteMany\",\n  \"annotations\": {\n    \"a\": \"1\",\n    \"b\": \"2\"\n  },\n  \"labels\": {\n    \"tier\": \"db\"\n  },\n  \"schema_version\": 1\n}\n",
    );
    root.dokku(&["storage:create", "--scheduler", "k3s", "--size", "1Gi", "rdmtest-entry"])
        .code(1)
        .stderr(" !     storage entry \"rdmtest-entry\" already exists with scheduler \"docker-local\"; refusing to redefine\n");

    root.dokku(&["storage:list-entries"]).ok().stdout(&format!(
        "-----> Storage entries:\n       claim\tk3s\t\n       rdmtest-entry\tdocker-local\t{host}\n       vol\tdocker-local\tmy_volume\n"
    ));
    root.dokku(&["storage:list-entries", "--scheduler", "k3s"])
        .ok()
        .stdout("-----> Storage entries:\n       claim\tk3s\t\n");
    root.dokku(&["storage:list-entries", "--scheduler", "none"])
        .ok()
        .stdout("-----> No storage entries registered\n");
    let listed = root.dokku(&[
        "storage:list-entries",
        "--format",
        "json",
        "--scheduler",
        "docker-local",
    ]);
    listed.ok();
    assert!(
        listed
            .stdout
            .starts_with("[\n  {\n    \"name\": \"rdmtest-entry\",\n"),
        "{}",
        listed.stdout
    );
    assert!(listed
        .stdout
        .ends_with("    \"host_path\": \"my_volume\",\n    \"schema_version\": 1\n  }\n]\n"));

    root.dokku(&["storage:info"])
        .code(1)
        .stderr(" !     storage entry name is required\n");
    root.dokku(&["storage:info", "absent"])
        .code(1)
        .stderr(" !     storage entry \"absent\" does not exist\n");
    root.dokku(&["storage:info", "../../../VERSION"])
        .code(1)
        .stderr(" !     storage entry \"../../../VERSION\" does not exist\n");
}

#[test]
fn create_refuses_bad_input_and_writes_nothing() {
    let root = Root::new();
    let custom = root.dir.join("custom");
    let custom = custom.to_str().unwrap();
    let default = |name: &str| storage_dir(&root).join(name).display().to_string();
    let long = "a".repeat(46);
    for (args, err) in [
        (vec!["storage:create"], "storage entry name is required".to_string()),
        (vec!["storage:create", "rdm_invalid"], "storage entry name \"rdm_invalid\" must be a DNS-1123 label (lowercase letters, digits, and dashes; cannot start or end with a dash)".into()),
        (vec!["storage:create", "RdmTest"], "storage entry name \"RdmTest\" must be a DNS-1123 label (lowercase letters, digits, and dashes; cannot start or end with a dash)".into()),
        (vec!["storage:create", &long], format!("storage entry name \"{long}\" is too long (max 45 characters); helm release names cap our budget")),
        (vec!["storage:create", "legacy-foo"], "storage entry name \"legacy-foo\" must not start with reserved prefix \"legacy-\"".into()),
        (vec!["storage:create", "rel", "foo/bar"], "storage entry \"rel\" host_path must be an absolute path or a docker named volume token, got \"foo/bar\"".into()),
        (vec!["storage:create", "dot", "./data"], "storage entry \"dot\" host_path must be an absolute path or a docker named volume token, got \"./data\"".into()),
        (vec!["storage:create", "up", "../data"], "storage entry \"up\" host_path must be an absolute path or a docker named volume token, got \"../data\"".into()),
        (vec!["storage:create", "esc", "/srv/../etc"], "storage entry \"esc\" host_path must not contain \"..\", got \"/srv/../etc\"".into()),
        (vec!["storage:create", "--mode", "0888", "m"], "Unsupported directory mode \"0888\". Value must be a 3 or 4 digit octal mode, such as 0755".into()),
        (vec!["storage:create", "--mode", "u+rwx", "m"], "Unsupported directory mode \"u+rwx\". Value must be a 3 or 4 digit octal mode, such as 0755".into()),
        (vec!["storage:create", "--mode", "0777", "m", custom], format!("--mode is only supported when the storage entry uses the default host path ({}); omit --mode and manage {custom} manually", default("m"))),
        (vec!["storage:create", "--chown", "herokuish", "c", custom], format!("--chown is only supported when the storage entry uses the default host path ({}); omit --chown and manage {custom} manually", default("c"))),
        (vec!["storage:create", "--reclaim-policy", "Delete", "r", custom], format!("storage entry \"r\" (docker-local) only accepts --reclaim-policy Delete on the default host path ({})", default("r"))),
        (vec!["storage:create", "--reclaim-policy", "Never", "r"], "storage entry \"r\" has unsupported reclaim policy \"Never\"".into()),
        (vec!["storage:create", "--scheduler", "nomad", "s"], "storage entry \"s\" has unsupported scheduler \"nomad\" (supported: docker-local, k3s)".into()),
        (vec!["storage:create", "--size", "1Gi", "s"], "storage entry \"s\" (docker-local) does not accept --size".into()),
        (vec!["storage:create", "--scheduler", "k3s", "--size", "1Gi", "--mode", "0777", "k"], "storage entry \"k\" (k3s) does not accept --mode".into()),
        (vec!["storage:create", "--scheduler", "k3s", "k"], "storage entry \"k\" (k3s) requires --size".into()),
        (vec!["storage:create", "--scheduler", "k3s", "--size", "1", "--access-mode", "Any", "k"], "storage entry \"k\" has unsupported access mode \"Any\"".into()),
        (vec!["storage:create", "--label", "novalue", "l"], "expected key=value, got \"novalue\"".into()),
    ] {
        root.dokku(&args).code(1).stdout("").stderr(&format!(" !     {err}\n"));
    }
    assert!(entry_names(&root).is_empty(), "{:?}", entry_names(&root));
    assert_eq!(fs::read_dir(storage_dir(&root)).unwrap().count(), 0);
    assert!(!PathBuf::from(custom).exists());
}

#[test]
fn destroy_rules() {
    let root = root_with_app();
    root.dokku(&["storage:destroy"])
        .code(1)
        .stderr(" !     storage entry name is required\n");
    root.dokku(&["storage:destroy", "absent", "--force"])
        .code(1)
        .stderr(" !     storage entry \"absent\" does not exist\n");

    root.dokku(&["storage:create", "busy"]).ok();
    root.dokku(&["storage:mount", "web", "busy", "--container-dir", "/data"])
        .ok();
    root.dokku(&["storage:destroy", "busy", "--force"])
        .code(1)
        .stderr(" !     storage entry \"busy\" is still mounted by app(s): web\n");
    root.dokku(&["storage:unmount", "web", "busy"])
        .ok()
        .stdout("");

    // Confirmation: EOF, a wrong answer, then the right one.
    root.dokku(&["storage:destroy", "busy"]).code(1).stdout("> ").stderr(
        " !     WARNING: Potentially Destructive Action\n !     This command will destroy storage entry busy.\n !     To proceed, type \"busy\"\n !     EOF\n",
    );
    root.dokku_stdin(&["storage:destroy", "busy"], b"nope\n")
        .code(1)
        .stderr_has("Confirmation did not match test. Aborted.\n");
    assert!(entry_file(&root, "busy").exists());
    root.dokku_stdin(&["storage:destroy", "busy"], b"busy\n")
        .ok()
        .stdout("> -----> Storage entry busy destroyed\n");
    assert!(!entry_file(&root, "busy").exists());
    assert!(
        storage_dir(&root).join("busy").is_dir(),
        "the directory stays by default"
    );

    root.dokku(&["storage:create", "gforce"]).ok();
    root.dokku(&["--force", "storage:destroy", "gforce"])
        .ok()
        .stdout("-----> Storage entry gforce destroyed\n")
        .stderr("");

    // --destroy-host-dir warns before asking, then removes the directory and its contents.
    root.dokku(&["storage:create", "drop"]).ok();
    fs::write(storage_dir(&root).join("drop/payload"), "x").unwrap();
    let dir = storage_dir(&root).join("drop");
    root.dokku_stdin(&["storage:destroy", "drop", "--destroy-host-dir"], b"drop\n")
        .ok()
        .stdout(&format!(
            ">        Removed {}\n-----> Storage entry drop destroyed\n",
            dir.display()
        ))
        .stderr(&format!(
            " !     Storage entry drop is backed by {}, which will be removed along with its contents.\n !     WARNING: Potentially Destructive Action\n !     This command will destroy storage entry drop.\n !     To proceed, type \"drop\"\n",
            dir.display()
        ));
    assert!(!dir.exists());
    root.dokku(&["storage:create", "drop2"]).ok();
    root.dokku(&["storage:destroy", "drop2", "--destroy-host-dir", "--force"])
        .ok()
        .stdout(&format!(
            "       Removed {}\n-----> Storage entry drop2 destroyed\n",
            storage_dir(&root).join("drop2").display()
        ));
    assert!(!storage_dir(&root).join("drop2").exists());

    // A Delete reclaim policy removes it too.
    root.dokku(&["storage:create", "--reclaim-policy", "Delete", "reclaim"])
        .ok();
    root.dokku(&["storage:destroy", "reclaim", "--force"]).ok();
    assert!(!storage_dir(&root).join("reclaim").exists());

    // A custom host path is never removed.
    let custom = root.dir.join("custom");
    fs::create_dir_all(&custom).unwrap();
    root.dokku(&["storage:create", "custom", custom.to_str().unwrap()])
        .ok();
    root.dokku(&["storage:destroy", "custom", "--destroy-host-dir", "--force"])
        .code(1)
        .stderr(&format!(
            " !     --destroy-host-dir is only supported when the storage entry uses the default host path ({}); omit --destroy-host-dir and manage {} manually\n",
            storage_dir(&root).join("custom").display(),
            custom.display()
        ));
    root.dokku(&["storage:destroy", "custom", "--force"]).ok();
    assert!(custom.is_dir());

    // An older entry with Delete on a custom path is destroyable, with a warning.
    fs::write(
        entry_file(&root, "olddel"),
        format!("{{\"name\":\"olddel\",\"scheduler\":\"docker-local\",\"host_path\":\"{}\",\"reclaim_policy\":\"Delete\",\"schema_version\":1}}", custom.display()),
    )
    .unwrap();
    root.dokku(&["storage:destroy", "olddel", "--force"])
        .ok()
        .stderr(&format!(
        " !     Leaving {} in place; reclaim policy Delete only removes the default host path\n",
        custom.display()
    ));
    assert!(custom.is_dir());

    fs::write(
        entry_file(&root, "k3s-entry"),
        "{\"name\":\"k3s-entry\",\"scheduler\":\"k3s\",\"size\":\"1Gi\",\"schema_version\":1}",
    )
    .unwrap();
    root.dokku(&["storage:destroy", "k3s-entry", "--destroy-host-dir", "--force"])
        .code(1)
        .stderr(" !     --destroy-host-dir only applies to docker-local storage entries; \"k3s-entry\" is scheduler \"k3s\" and follows --reclaim-policy\n");
    root.dokku(&["storage:destroy", "k3s-entry", "--force"])
        .ok();
}

#[test]
fn set_properties() {
    let root = Root::new();
    root.dokku(&["storage:create", "--mode", "0755", "ent"])
        .ok();
    root.dokku(&["storage:set", "ent", "mode", "0770"])
        .ok()
        .stdout("       Setting directory mode to 0770\n-----> Storage entry ent updated\n")
        .stderr("");
    assert_eq!(mode_of(storage_dir(&root).join("ent")), 0o770);
    root.dokku(&["storage:set", "ent", "--mode", "750"])
        .ok()
        .stdout("       Setting directory mode to 0750\n-----> Storage entry ent updated\n")
        .stderr(" !     Deprecated: please use 'storage:set <name> <property> [<value>]' instead of flags\n");
    assert_eq!(mode_of(storage_dir(&root).join("ent")), 0o750);
    root.dokku(&["storage:set", "ent", "namespace", "apps"])
        .ok()
        .stdout("-----> Storage entry ent updated\n");
    let info = root.dokku(&["storage:info", "ent", "--format", "json"]);
    assert!(
        info.stdout
            .contains("\"namespace\": \"apps\",\n  \"mode\": \"0750\",\n"),
        "{}",
        info.stdout
    );
    root.dokku(&["storage:set", "ent", "mode"]).ok();
    root.dokku(&["storage:set", "ent", "namespace"]).ok();
    root.dokku(&["storage:set", "ent", "--annotation", "team=billing"])
        .ok()
        .stderr(" !     Deprecated: please use 'storage:annotations:set' and 'storage:labels:set' instead of --annotation and --label\n");
    assert_eq!(
        fs::read_to_string(entry_file(&root, "ent")).unwrap(),
        format!(
            "{{\n  \"name\": \"ent\",\n  \"scheduler\": \"docker-local\",\n  \"host_path\": \"{}\",\n  \"annotations\": {{\n    \"team\": \"billing\"\n  }},\n  \"schema_version\": 1\n}}",
            storage_dir(&root).join("ent").display()
        )
    );
    let before = fs::read(entry_file(&root, "ent")).unwrap();
    for (args, err) in [
        (vec!["storage:set", "ent"], "No property specified"),
        (vec!["storage:set", "ent", "bogus", "value"], "Invalid property specified, valid properties include: access-mode, chown, mode, namespace, reclaim-policy, size, storage-class-name"),
        (vec!["storage:set", "ent", "mode", "0770", "--chown", "herokuish"], "storage:set accepts either a property and a value or flags, not both"),
        (vec!["storage:set", "ent", "access-mode", "ReadWriteMany"], "storage:set cannot change access-mode in place; recreate the entry"),
        (vec!["storage:set", "ent", "storage-class-name", "longhorn"], "storage:set cannot change storage-class-name in place; recreate the entry"),
        (vec!["storage:set", "ent", "mode", "999"], "Unsupported directory mode \"999\". Value must be a 3 or 4 digit octal mode, such as 0755"),
        (vec!["storage:set", "ent", "size", "1Gi"], "storage entry \"ent\" (docker-local) does not accept --size"),
        (vec!["storage:set", "ent", "reclaim-policy", "Sometimes"], "storage entry \"ent\" has unsupported reclaim policy \"Sometimes\""),
        (vec!["storage:set", "ent", "chown", "nobody"], "Unsupported chown permissions"),
        (vec!["storage:set", "absent", "mode", "0700"], "storage entry \"absent\" does not exist"),
    ] {
        root.dokku(&args).code(1).stdout("").stderr(&format!(" !     {err}\n"));
    }
    assert_eq!(
        fs::read(entry_file(&root, "ent")).unwrap(),
        before,
        "nothing was written"
    );
}

#[test]
fn annotations_and_labels() {
    let root = Root::new();
    root.dokku(&["storage:annotations:report"])
        .ok()
        .stdout("-----> No storage entries registered\n");
    root.dokku(&["storage:create", "ent"]).ok();
    root.dokku(&["storage:create", "other"]).ok();
    root.dokku(&["storage:annotations:set", "ent", "team", "billing"])
        .ok()
        .stdout("=====> Setting annotation team to billing\n");
    root.dokku(&[
        "storage:annotations:set",
        "ent",
        "backup.velero.io/backup-volumes",
        "data",
    ])
    .ok();
    root.dokku(&[
        "storage:labels:set",
        "ent",
        "app.kubernetes.io/part-of",
        "billing",
    ])
    .ok()
    .stdout("=====> Setting label app.kubernetes.io/part-of to billing\n");
    root.dokku(&["storage:annotations:report", "ent"]).ok().stdout(
        "=====> ent annotations information\n       Annotation backup.velero.io/backup-volumes:data\n       Annotation team:                           billing\n",
    );
    root.dokku(&["storage:labels:report", "ent"])
        .ok()
        .stdout("=====> ent labels information\n       Label app.kubernetes.io/part-of:billing\n");
    root.dokku(&["storage:labels:report"]).ok().stdout(
        "=====> ent labels information\n       Label app.kubernetes.io/part-of:billing\n=====> other labels information\n",
    );
    root.dokku(&["storage:annotations:report", "ent", "--format", "json"])
        .ok()
        .stdout("{\"backup.velero.io/backup-volumes\":\"data\",\"team\":\"billing\"}\n");
    root.dokku(&["storage:annotations:report", "other", "--format", "json"])
        .ok()
        .stdout("{}\n");
    root.dokku(&[
        "storage:annotations:report",
        "ent",
        "--storage-annotations.team",
    ])
    .ok()
    .stdout("billing\n");
    root.dokku(&[
        "storage:labels:report",
        "ent",
        "--storage-labels.app.kubernetes.io/part-of",
    ])
    .ok()
    .stdout("billing\n");
    for (args, err) in [
        (vec!["storage:annotations:report", "ent", "--storage-annotations.absent"], "Invalid flag passed, valid flags: --storage-annotations.backup.velero.io/backup-volumes, --storage-annotations.team"),
        (vec!["storage:annotations:report", "other", "--storage-annotations.absent"], "Invalid flag passed, valid flags: "),
        (vec!["storage:annotations:report", "--storage-annotations.team"], "storage:annotations:report requires a storage entry name when an info flag is specified"),
        (vec!["storage:labels:report", "ent", "--a", "--b"], "storage:report command allows only a single flag"),
        (vec!["storage:labels:report", "ent", "--format", "xml"], "Invalid format: xml"),
        (vec!["storage:labels:report", "ent", "--format", "json", "--storage-labels.x"], "--format flag cannot be specified when specifying an info flag"),
        (vec!["storage:labels:report", "absent"], "storage entry \"absent\" does not exist"),
        (vec!["storage:annotations:set"], "storage entry name is required"),
        (vec!["storage:annotations:set", "ent"], "No annotation key specified"),
        (vec!["storage:labels:set", "ent"], "No label key specified"),
        (vec!["storage:annotations:set", "absent", "k", "v"], "storage entry \"absent\" does not exist"),
    ] {
        root.dokku(&args).code(1).stdout("").stderr(&format!(" !     {err}\n"));
    }
    // Unsetting one key keeps the others; the last one drops the map from the file.
    root.dokku(&["storage:annotations:set", "ent", "team"])
        .ok()
        .stdout("=====> Unsetting annotation team\n");
    root.dokku(&[
        "storage:annotations:set",
        "ent",
        "backup.velero.io/backup-volumes",
    ])
    .ok();
    root.dokku(&["storage:labels:set", "ent", "app.kubernetes.io/part-of"])
        .ok();
    let json = fs::read_to_string(entry_file(&root, "ent")).unwrap();
    assert!(
        !json.contains("annotations") && !json.contains("labels"),
        "{json}"
    );
}

#[test]
fn legacy_mounts() {
    let root = root_with_app();
    let name = legacy_name("/tmp/mount");
    root.dokku(&["storage:mount", "web", "/tmp/mount:/mount"])
        .ok()
        .stdout("")
        .stderr("");
    assert_eq!(
        fs::read_to_string(entry_file(&root, &name)).unwrap(),
        format!("{{\n  \"name\": \"{name}\",\n  \"scheduler\": \"docker-local\",\n  \"host_path\": \"/tmp/mount\",\n  \"schema_version\": 1\n}}")
    );
    assert_eq!(
        read(prop(&root, "storage", "web", "mounts")).unwrap(),
        format!("{{\"entry_name\":\"{name}\",\"container_path\":\"/mount\",\"phases\":[\"deploy\",\"run\"],\"process_type\":\"_default_\"}}\n")
    );
    root.dokku(&["--quiet", "storage:list", "web"])
        .ok()
        .stdout("/tmp/mount:/mount\n");
    root.dokku(&["storage:list", "web"])
        .ok()
        .stdout("-----> web volume bind-mounts:\n       /tmp/mount:/mount\n");
    root.dokku(&["storage:list", "web", "--format", "json"]).ok().stdout(&format!(
        "[{{\"entry_name\":\"{name}\",\"host_path\":\"/tmp/mount\",\"container_path\":\"/mount\"}}]\n"
    ));
    root.dokku(&["storage:mount", "web", "/tmp/mount:/mount"])
        .code(1)
        .stderr(" !     Mount path already exists.\n");
    root.dokku(&["storage:mount", "web", "mount_volume:/vol:ro,Z"])
        .ok();
    root.dokku(&["--quiet", "storage:list", "web"]).ok().stdout(
        if name < legacy_name("mount_volume") {
            "/tmp/mount:/mount\nmount_volume:/vol:ro,Z\n"
        } else {
            "mount_volume:/vol:ro,Z\n/tmp/mount:/mount\n"
        },
    );
    root.dokku(&["storage:unmount", "web", "/tmp/mount:/mount"])
        .ok()
        .stdout("");
    root.dokku(&["storage:unmount", "web", "/tmp/mount:/mount"])
        .code(1)
        .stderr(" !     Mount path does not exist.\n");
    root.dokku(&["storage:unmount", "web", "mount_volume:/vol"])
        .ok();
    root.dokku(&["storage:list", "web", "--format", "json"])
        .ok()
        .stdout("[]\n");
    root.dokku(&["--quiet", "storage:list", "web"])
        .ok()
        .stdout("");
    root.dokku(&["storage:list", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Invalid --format value specified\n");
    root.dokku(&["storage:list", "absent"])
        .code(20)
        .stderr(" !     App absent does not exist\n");
}

#[test]
fn bad_mounts_write_nothing() {
    let root = root_with_app();
    let colon = " !     Storage path must be two valid paths divided by colon.\n";
    let volume = " !     Volume name must be two characters or more. Volume name must not contain invalid characters. Storage path must be two valid paths divided by colon.\n";
    for (mount, err) in [
        ("/tmp/mount", " !     storage entry \"/tmp/mount\" does not exist; create it first with `dokku storage:create`\n"),
        ("/tmp:mount", colon),
        ("a:/x", volume),
        ("..:/x", volume),
        ("tmp/mount:/x", volume),
        ("./x:/y", volume),
        ("/srv/../etc:/x", " !     Storage path must not contain \"..\" components.\n"),
        ("/srv:/app/../etc", " !     Storage path must not contain \"..\" components.\n"),
        ("/srv:b:/c", " !     attachment container path \"b\" must be absolute\n"),
    ] {
        root.dokku(&["storage:mount", "web", mount]).code(1).stdout("").stderr(err);
    }
    root.dokku(&["storage:mount", "absent", "/a:/b"])
        .code(20)
        .stderr(" !     App absent does not exist\n");
    root.dokku(&["storage:create", "ent"]).ok();
    for (args, err) in [
        (
            vec!["storage:mount", "web", "ent"],
            "--container-dir is required when mounting a named storage entry",
        ),
        (
            vec!["storage:mount", "web", "ent", "--container-dir", "data"],
            "attachment container path \"data\" must be absolute",
        ),
        (
            vec![
                "storage:mount",
                "web",
                "ent",
                "--container-dir",
                "/a/../etc",
            ],
            "attachment container path \"/a/../etc\" must not contain \"..\"",
        ),
        (
            vec![
                "storage:mount",
                "web",
                "ent",
                "--container-dir",
                "/d",
                "--phase",
                "build",
            ],
            "attachment phase \"build\" is not supported (must be \"deploy\" or \"run\")",
        ),
        (
            vec!["storage:mount", "web", "absent", "--container-dir", "/d"],
            "storage entry \"absent\" does not exist; create it first with `dokku storage:create`",
        ),
    ] {
        root.dokku(&args)
            .code(1)
            .stdout("")
            .stderr(&format!(" !     {err}\n"));
    }
    assert_eq!(entry_names(&root), ["ent.json"]);
    assert!(!prop(&root, "storage", "web", "mounts").exists());
}

#[test]
fn named_mounts_report_and_deploy_arguments() {
    let root = root_with_app();
    root.dokku(&["storage:create", "data"]).ok();
    root.dokku(&["storage:create", "cache"]).ok();
    let data = storage_dir(&root).join("data").display().to_string();
    let cache = storage_dir(&root).join("cache").display().to_string();
    root.dokku(&[
        "storage:mount",
        "web",
        "data",
        "--container-dir",
        "/data",
        "--volume-options",
        "Z",
        "--volume-chown",
        "herokuish",
        "--volume-subpath",
        "uploads",
    ])
    .ok()
    .stdout("-----> Storage entry data mounted at /data on web\n");
    root.dokku(&[
        "storage:mount",
        "web",
        "data",
        "--container-dir",
        "/data",
        "--volume-options",
        "noexec,nosuid",
        "--volume-readonly",
    ])
    .ok()
    .stdout("-----> Storage entry data mount at /data on web updated\n");
    root.dokku(&[
        "storage:mount",
        "web",
        "cache",
        "--container-dir",
        "/cache",
        "--phase",
        "run",
        "--process-type",
        "worker",
    ])
    .ok();
    assert_eq!(
        read(prop(&root, "storage", "web", "mounts")).unwrap(),
        "{\"entry_name\":\"data\",\"container_path\":\"/data\",\"phases\":[\"deploy\",\"run\"],\"process_type\":\"_default_\",\"readonly\":true,\"volume_options\":\"noexec,nosuid\"}\n\
         {\"entry_name\":\"cache\",\"container_path\":\"/cache\",\"phases\":[\"run\"],\"process_type\":\"worker\"}\n"
    );
    root.dokku(&["storage:list", "web", "--format", "json"]).ok().stdout(&format!(
        "[{{\"entry_name\":\"data\",\"host_path\":\"{data}\",\"container_path\":\"/data\",\"readonly\":true,\"volume_options\":\"noexec,nosuid\"}}]\n"
    ));

    // The deploy and run arguments, as the scheduler asks for them.
    hook(
        &root,
        "storage",
        &["docker-args-deploy", "web", "latest", "web", "1"],
        Some(b"ignored"),
    )
    .ok()
    .stdout(&format!(" -v {data}:/data:ro,noexec,nosuid"));
    hook(
        &root,
        "storage",
        &["docker-args-run", "web", "latest"],
        None,
    )
    .ok()
    .stdout(&format!(
        " -v {cache}:/cache -v {data}:/data:ro,noexec,nosuid"
    ));
    let through_plugn = root.plugn(&["trigger", "docker-args-run", "web", "latest"]);
    through_plugn.ok();
    assert!(
        through_plugn.stdout.contains(&format!(
            " -v {cache}:/cache -v {data}:/data:ro,noexec,nosuid"
        )),
        "{}",
        through_plugn.stdout
    );
    hook(
        &root,
        "storage",
        &["docker-args-deploy", "nope", "latest"],
        None,
    )
    .ok()
    .stdout("");
    hook(&root, "storage", &["storage-app-mounts", "web", "run"], None).ok().stdout(&format!(
        "[{{\"entry\":{{\"name\":\"cache\",\"scheduler\":\"docker-local\",\"host_path\":\"{cache}\",\"schema_version\":1}},\"attachment\":{{\"entry_name\":\"cache\",\"container_path\":\"/cache\",\"phases\":[\"run\"],\"process_type\":\"worker\"}}}},{{\"entry\":{{\"name\":\"data\",\"scheduler\":\"docker-local\",\"host_path\":\"{data}\",\"schema_version\":1}},\"attachment\":{{\"entry_name\":\"data\",\"container_path\":\"/data\",\"phases\":[\"deploy\",\"run\"],\"process_type\":\"_default_\",\"readonly\":true,\"volume_options\":\"noexec,nosuid\"}}}}]\n"
    ));
    hook(&root, "storage", &["storage-app-mounts", "web"], None)
        .ok()
        .stdout_has("\"container_path\":\"/data\"");
    let deprecated = " !     Deprecated: please use the 'storage-app-mounts' plugn trigger or the storage Go package directly instead of 'storage-list'\n";
    hook(&root, "storage", &["storage-list", "web", "run"], None)
        .ok()
        .stdout(&format!("{cache}:/cache\n{data}:/data:ro,noexec,nosuid\n"))
        .stderr(deprecated);
    hook(&root, "storage", &["storage-list", "web", "", "json"], None)
        .ok()
        .stdout(&format!("[{{\"entry_name\":\"data\",\"host_path\":\"{data}\",\"container_path\":\"/data\",\"readonly\":true,\"volume_options\":\"noexec,nosuid\"}}]\n"));

    // The report: mounts per phase, and one group of lines per attachment.
    let report = root.dokku(&["storage:report", "web"]);
    report.ok().stderr("");
    assert_eq!(
        report.stdout,
        format!(
        "=====> web storage information\n\
\x20      Storage attachment 1 container path: /data\n\
\x20      Storage attachment 1 entry name:     data\n\
\x20      Storage attachment 1 host path:      {data}\n\
\x20      Storage attachment 1 phases:         deploy,run\n\
\x20      Storage attachment 1 process type:   _default_\n\
\x20      Storage attachment 1 readonly:       true\n\
\x20      Storage attachment 1 subpath:        \n\
\x20      Storage attachment 1 volume chown:   \n\
\x20      Storage attachment 1 volume options: noexec,nosuid\n\
\x20      Storage attachment 2 container path: /cache\n\
\x20      Storage attachment 2 entry name:     cache\n\
\x20      Storage attachment 2 host path:      {cache}\n\
\x20      Storage attachment 2 phases:         run\n\
\x20      Storage attachment 2 process type:   worker\n\
\x20      Storage attachment 2 readonly:       false\n\
\x20      Storage attachment 2 subpath:        \n\
\x20      Storage attachment 2 volume chown:   \n\
\x20      Storage attachment 2 volume options: \n\
\x20      Storage build mounts:                \n\
\x20      Storage deploy mounts:               -v {data}:/data:ro,noexec,nosuid\n\
\x20      Storage run mounts:                  -v {cache}:/cache -v {data}:/data:ro,noexec,nosuid\n"
    )
    );
    root.dokku(&[
        "storage:report",
        "web",
        "--storage-attachment.2.process-type",
    ])
    .ok()
    .stdout("worker\n");
    let json = root.dokku(&["storage:report", "web", "--format", "json"]);
    for key in [
        "\"attachment.1.volume-options\":\"noexec,nosuid\"",
        "\"storage-attachment.1.volume-options\":\"noexec,nosuid\"",
        "\"build-mounts\":\"\"",
        "\"storage-build-mounts\":\"\"",
        "\"run-mounts\":\"-v ",
    ] {
        assert!(json.stdout.contains(key), "{key}: {}", json.stdout);
    }

    // Unmounting: ambiguous without --container-dir once mounted twice.
    root.dokku(&["storage:mount", "web", "data", "--container-dir", "/other"])
        .ok();
    root.dokku(&["storage:unmount", "web", "data"])
        .code(1)
        .stderr(" !     storage entry \"data\" is mounted at multiple paths on app \"web\" (/data, /other); pass --container-dir to disambiguate\n");
    root.dokku(&[
        "storage:unmount",
        "web",
        "data",
        "--container-dir",
        "/nowhere",
    ])
    .code(1)
    .stderr(" !     storage entry \"data\" is not mounted at \"/nowhere\" on app \"web\"\n");
    root.dokku(&[
        "storage:unmount",
        "web",
        "data",
        "--container-dir",
        "/other",
    ])
    .ok()
    .stdout("");

    // A missing entry is skipped by the report, with warnings.
    fs::remove_file(entry_file(&root, "cache")).unwrap();
    let degraded = root.dokku(&["storage:report", "web", "--format", "json"]);
    degraded.ok();
    assert!(
        !degraded.stdout.contains("attachment.2."),
        "{}",
        degraded.stdout
    );
    assert!(degraded.stdout.contains("\"storage-deploy-mounts\":\"-v "));
    assert!(degraded.stdout.contains("\"storage-run-mounts\":\"\""));
    assert_eq!(
        degraded.stderr,
        " !     Skipping attachment on \"web\": missing entry \"cache\" (storage entry \"cache\" does not exist)\n"
    );
    hook(&root, "storage", &["docker-args-run", "web", "latest"], None)
        .code(1)
        .stdout("")
        .stderr(" !     attachment on \"web\" references missing entry \"cache\": storage entry \"cache\" does not exist\n");
}

#[test]
fn global_report() {
    let root = Root::new();
    root.dokku(&["storage:report", "--global"])
        .ok()
        .stdout("-----> No storage entries registered\n");
    root.dokku(&["storage:report", "--global", "--format", "json"])
        .ok()
        .stdout("[]\n");
    root.dokku(&["storage:create", "ent"]).ok();
    // No apps at all: upstream reports `null` for the apps.
    root.dokku(&["storage:report", "--global", "--format", "json"]).ok().stdout(&format!(
        "[\n  {{\n    \"entry\": {{\n      \"name\": \"ent\",\n      \"scheduler\": \"docker-local\",\n      \"host_path\": \"{}\",\n      \"schema_version\": 1\n    }},\n    \"mounted_by\": null\n  }}\n]\n",
        storage_dir(&root).join("ent").display()
    ));
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&["storage:create", "spare"]).ok();
    root.dokku(&["storage:mount", "web", "ent", "--container-dir", "/d"])
        .ok();
    root.dokku(&["storage:mount", "api", "ent", "--container-dir", "/d"])
        .ok();
    root.dokku(&["storage:report", "--global"]).ok().stdout(
        "-----> Storage report (global):\n       ent\tdocker-local\tmounted by: api, web\n       spare\tdocker-local\tmounted by: —\n",
    );
    let json = root.dokku(&["storage:report", "--global", "--format", "json"]);
    assert!(
        json.stdout
            .contains("\"mounted_by\": [\n      \"api\",\n      \"web\"\n    ]"),
        "{}",
        json.stdout
    );
    assert!(
        json.stdout.contains("\"mounted_by\": []"),
        "{}",
        json.stdout
    );
    root.dokku(&["storage:report", "--global", "--a", "--b"])
        .ok()
        .stdout("");
}

#[test]
fn app_lifecycle_triggers() {
    let root = root_with_app();
    root.dokku(&["storage:create", "ent"]).ok();
    root.dokku(&["storage:mount", "web", "ent", "--container-dir", "/d"])
        .ok();
    let mounts = read(prop(&root, "storage", "web", "mounts")).unwrap();
    root.dokku(&["apps:clone", "web", "copy"]).ok();
    assert_eq!(
        read(prop(&root, "storage", "copy", "mounts")).unwrap(),
        mounts
    );
    root.dokku(&["apps:rename", "copy", "moved"]).ok();
    assert_eq!(
        read(prop(&root, "storage", "moved", "mounts")).unwrap(),
        mounts
    );
    assert!(!root.lib().join("config/storage/copy").exists());
    root.dokku(&["--force", "apps:destroy", "moved"]).ok();
    assert!(!root.lib().join("config/storage/moved").exists());
    // Entries are global: destroying an app keeps them.
    assert!(entry_file(&root, "ent").exists());
    root.dokku(&["storage:destroy", "ent", "--force"])
        .code(1)
        .stderr(" !     storage entry \"ent\" is still mounted by app(s): web\n");
    root.dokku(&["--force", "apps:destroy", "web"]).ok();
    root.dokku(&["storage:destroy", "ent", "--force"]).ok();
    for args in [
        vec!["post-delete", ""],
        vec!["post-app-clone-setup", "", "x"],
    ] {
        hook(&root, "storage", &args, None).ok();
    }
}

#[test]
fn migration_of_legacy_docker_options() {
    let root = root_with_app();
    let opts = root.lib().join("config/docker-options/web");
    fs::create_dir_all(&opts).unwrap();
    fs::write(
        opts.join("_default_.deploy"),
        "--restart=always\n-v /tmp/legacy-mount:/legacy\n-v /tmp/ro:/ro:ro\n",
    )
    .unwrap();
    fs::write(opts.join("_default_.run"), "-v /tmp/legacy-mount:/legacy\n").unwrap();
    let (legacy, ro) = (legacy_name("/tmp/legacy-mount"), legacy_name("/tmp/ro"));

    root.dokku(&["storage:list", "web", "--format", "json"])
        .ok()
        .stdout("[]\n");
    root.dokku(&["storage:migrate", "web"])
        .ok()
        .stdout("-----> Re-migrated web\n")
        .stderr("");
    assert_eq!(
        fs::read_to_string(opts.join("_default_.deploy")).unwrap(),
        "--restart=always\n"
    );
    assert_eq!(fs::read_to_string(opts.join("_default_.run")).unwrap(), "");
    assert_eq!(
        read(prop(&root, "storage", "web", "legacy-mounts-migrated")).as_deref(),
        Some("true")
    );
    // Mount strings are drained in sorted order: /tmp/legacy-mount before /tmp/ro.
    let expected = [
        format!("{{\"entry_name\":\"{legacy}\",\"container_path\":\"/legacy\",\"phases\":[\"deploy\",\"run\"],\"process_type\":\"_default_\"}}\n"),
        format!("{{\"entry_name\":\"{ro}\",\"container_path\":\"/ro\",\"phases\":[\"deploy\"],\"process_type\":\"_default_\",\"readonly\":true}}\n"),
    ];
    assert_eq!(
        read(prop(&root, "storage", "web", "mounts")).unwrap(),
        expected.concat()
    );
    root.dokku(&["--quiet", "storage:list", "web"])
        .ok()
        .stdout_has("/tmp/legacy-mount:/legacy\n");
    hook(
        &root,
        "storage",
        &["docker-args-run", "web", "latest"],
        None,
    )
    .ok()
    .stdout(" -v /tmp/legacy-mount:/legacy");
    // Idempotent.
    root.dokku(&["storage:migrate", "web"]).ok();
    assert_eq!(
        read(prop(&root, "storage", "web", "mounts")).unwrap(),
        expected.concat()
    );

    // No -v lines: the marker is not written; an old flag file becomes the marker.
    root.dokku(&["apps:create", "api"]).ok();
    root.dokku(&["storage:migrate", "api"]).ok();
    assert!(!prop(&root, "storage", "api", "legacy-mounts-migrated").exists());
    let flags = root.lib().join("data/storage-registry/migrations");
    fs::create_dir_all(&flags).unwrap();
    fs::write(flags.join("api"), "").unwrap();
    root.dokku(&["storage:migrate", "--all"])
        .ok()
        .stdout("-----> Re-migrated 2 app(s)\n");
    assert_eq!(
        read(prop(&root, "storage", "api", "legacy-mounts-migrated")).as_deref(),
        Some("true")
    );
    assert!(!flags.join("api").exists());

    for (args, code, err) in [
        (
            vec!["storage:migrate"],
            1,
            " !     storage:migrate requires an app name (or --all)\n",
        ),
        (
            vec!["storage:migrate", "web", "--all"],
            1,
            " !     storage:migrate accepts either an app name or --all, not both\n",
        ),
        (
            vec!["storage:migrate", "absent"],
            20,
            " !     App absent does not exist\n",
        ),
    ] {
        root.dokku(&args).code(code).stderr(err);
    }
}

#[test]
fn install_trigger() {
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    let opts = root.lib().join("config/docker-options/web");
    fs::create_dir_all(&opts).unwrap();
    fs::write(opts.join("_default_.deploy"), "-v /srv/data:/data\n").unwrap();
    let _ = fs::remove_dir_all(root.lib().join("data/storage"));
    hook(&root, "storage", &["install"], None)
        .ok()
        .stdout("")
        .stderr("");
    for dir in [
        "data/storage",
        "data/storage-registry/entries",
        "data/storage-registry/migrations",
        "config/storage",
    ] {
        assert!(root.lib().join(dir).is_dir(), "{dir}");
    }
    assert_eq!(
        read(prop(&root, "storage", "web", "legacy-mounts-migrated")).as_deref(),
        Some("true")
    );
    assert!(entry_file(&root, &legacy_name("/srv/data")).exists());
    // Marked apps are not migrated again by install.
    fs::write(opts.join("_default_.deploy"), "-v /srv/other:/other\n").unwrap();
    hook(&root, "storage", &["install"], None).ok();
    assert!(!entry_file(&root, &legacy_name("/srv/other")).exists());
    // A temporary root never gets a sudoers file (only a real system install does).
    assert!(!root.dir.join("etc").exists());
}

fn helper(root: &Root, name: &str, args: &[&str]) -> Run {
    let path = root
        .lib()
        .join("core-plugins/available/storage/bin")
        .join(name);
    Run::from(
        root.command(&path)
            .args(args)
            .env("DOKKU_LIB_ROOT", root.lib())
            .output()
            .unwrap(),
    )
}

#[test]
fn root_helpers_refuse_bad_arguments() {
    let root = Root::new();
    fs::create_dir_all(storage_dir(&root).join("d")).unwrap();
    let range = " !     Unsupported chown permissions. Supported values: 0-65535 (and user namespace offset variants, 165536-231071)\n";
    let integer = " !     Unsupported chown permissions. Value must be a non-negative integer.\n";
    let chars =
        " !     Directory can only contain the following set of characters: [A-Za-z0-9_-]\n";
    for (args, err) in [
        (vec!["d", "65536"], range),
        (vec!["d", "165535"], range),
        (vec!["d", "231072"], range),
        (vec!["d", "-1"], integer),
        (vec!["d", "abc"], integer),
        (vec!["../escape", "1000"], chars),
        (
            vec!["", "1000"],
            " !     Please specify a directory to create\n",
        ),
    ] {
        helper(&root, "chown-storage-dir", &args)
            .code(1)
            .stdout("")
            .stderr(err);
    }
    let mode = " !     Unsupported directory mode. Value must be a 3 or 4 digit octal mode, such as 0755\n";
    for (args, err) in [
        (vec!["d", "0888"], mode),
        (vec!["d", "07555"], mode),
        (vec!["d", "u+rwx"], mode),
        (vec!["../escape", "0777"], chars),
    ] {
        helper(&root, "chmod-storage-dir", &args)
            .code(1)
            .stderr(err);
    }
    helper(&root, "chmod-storage-dir", &["d", "0711"]).ok();
    assert_eq!(mode_of(storage_dir(&root).join("d")), 0o711);
    // Symbolic links are never followed.
    std::os::unix::fs::symlink(root.dir.join("outside"), storage_dir(&root).join("link")).unwrap();
    helper(&root, "chmod-storage-dir", &["link", "0777"])
        .code(1)
        .stderr(&format!(
            " !     {} is a symbolic link\n",
            storage_dir(&root).join("link").display()
        ));
    helper(&root, "destroy-storage-dir", &["../escape"])
        .code(1)
        .stderr(chars);
    helper(&root, "destroy-storage-dir", &["absent"]).ok();
    helper(&root, "destroy-storage-dir", &["link"])
        .code(1)
        .stderr(&format!(
            " !     {} exists but is not a directory\n",
            storage_dir(&root).join("link").display()
        ));
    fs::write(storage_dir(&root).join("d/payload"), "x").unwrap();
    helper(&root, "destroy-storage-dir", &["d"]).ok();
    assert!(!storage_dir(&root).join("d").exists());
}

#[test]
fn ensure_directory_validation() {
    let root = Root::new();
    for (dir, err) in [
        (
            "@",
            "Directory can only contain the following set of characters: [A-Za-z0-9_-]",
        ),
        (
            "web/",
            "Directory can only contain the following set of characters: [A-Za-z0-9_-]",
        ),
        (
            "web/web",
            "Directory can only contain the following set of characters: [A-Za-z0-9_-]",
        ),
        (
            "..",
            "Directory can only contain the following set of characters: [A-Za-z0-9_-]",
        ),
    ] {
        root.dokku(&["storage:ensure-directory", dir])
            .code(1)
            .stdout("")
            .stderr(&format!("{DEPRECATED_ENSURE} !     {err}\n"));
    }
    root.dokku(&["storage:ensure-directory"])
        .code(1)
        .stderr(&format!(
            "{DEPRECATED_ENSURE} !     Please specify a directory to create\n"
        ));
    root.dokku(&["storage:ensure-directory", "--chown", "nobody", "web"])
        .code(1)
        .stderr(&format!(
            "{DEPRECATED_ENSURE} !     Unsupported chown permissions\n"
        ));
    assert_eq!(fs::read_dir(storage_dir(&root)).unwrap().count(), 0);
    root.dokku(&["storage:ensure-directory", "--chown", "false", "web"])
        .ok()
        .stdout(&format!(
            "-----> Ensuring {} exists\n       Directory ready for mounting\n",
            storage_dir(&root).join("web").display()
        ))
        .stderr(DEPRECATED_ENSURE);
    assert!(storage_dir(&root).join("web").is_dir());
}

#[test]
fn wait_for_docker_local_entries() {
    let root = Root::new();
    root.dokku(&["storage:create", "ent"]).ok();
    root.dokku(&["storage:wait", "ent"]).ok().stdout("");
    fs::remove_dir(storage_dir(&root).join("ent")).unwrap();
    root.dokku(&["storage:wait", "ent"])
        .code(1)
        .stderr(&format!(
            " !     storage entry \"ent\" host path {} is not present\n",
            storage_dir(&root).join("ent").display()
        ));
    root.dokku(&["storage:wait", "absent"])
        .code(1)
        .stderr(" !     storage entry \"absent\" does not exist\n");
}
