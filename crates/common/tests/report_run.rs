//! `report::run` against a temporary DOKKU_ROOT (own test binary: it sets the environment).

use dokku_common::report::{run, Flag, Reporter};
use dokku_common::Result;

struct Ps;

impl Reporter for Ps {
    fn report_type(&self) -> &str {
        "ps"
    }

    fn flags(&self, _app: &str) -> Result<Vec<Flag<'_>>> {
        Ok(vec![Flag::new("--ps-restart-policy", |_| {
            "on-failure:10".to_string()
        })])
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn run_targets() {
    let root = std::env::temp_dir().join(format!("dokku-common-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("home")).unwrap();
    std::fs::create_dir_all(root.join("lib/plugins/enabled")).unwrap();
    std::env::set_var("DOKKU_ROOT", root.join("home"));
    std::env::set_var("DOKKU_LIB_ROOT", root.join("lib"));
    std::env::set_var("PLUGIN_PATH", root.join("lib/plugins"));

    // no apps: a warning, success
    assert!(run("ps", &[], &Ps).is_ok());
    let err = run("ps", &s(&["web"]), &Ps).unwrap_err();
    assert_eq!((err.message(), err.code()), ("App web does not exist", 20));
    std::fs::create_dir(root.join("home/web")).unwrap();
    assert!(run("ps", &s(&["web", "--ps-restart-policy"]), &Ps).is_ok());
    assert!(run("ps", &[], &Ps).is_ok());
    assert!(run("ps", &s(&["--global", "--format", "json"]), &Ps).is_ok());
    let err = run("ps", &s(&["web", "--nope"]), &Ps).unwrap_err();
    assert_eq!(
        err.message(),
        "Invalid flag passed, valid flags: --ps-restart-policy"
    );
    let err = run("ps", &s(&["web", "--a", "--b"]), &Ps).unwrap_err();
    assert_eq!(err.message(), "ps:report command allows only a single flag");

    let _ = std::fs::remove_dir_all(&root);
}
