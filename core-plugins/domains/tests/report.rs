//! `domains:report` in text and JSON (stripped keys only, as the bash-era plugins), for an
//! app, `--global` and every app; single flags and errors.

mod common;

use common::*;

const WEB: &str = "=====> web domains information
       Domains app enabled:           true
       Domains app vhosts:            web.dokku.me
       Domains global enabled:        true
       Domains global vhosts:         dokku.me
";

#[test]
fn app_report() {
    let root = root_with_app();
    root.dokku(&["domains:report", "web"])
        .ok()
        .stdout(WEB)
        .stderr("");
    root.dokku(&["domains:report", "web", "--format", "stdout"])
        .ok()
        .stdout(WEB);
    root.dokku(&["domains:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"app-enabled\":\"true\",\"app-vhosts\":\"web.dokku.me\",\"global-enabled\":\"true\",\"global-vhosts\":\"dokku.me\"}\n")
        .stderr("");
    // the header is quiet-aware
    root.dokku(&["--quiet", "domains:report", "web"])
        .ok()
        .stdout(WEB.split_once('\n').unwrap().1);

    root.dokku(&["domains:add", "web", "a.com", "*.b.com"]).ok();
    for (flag, value) in [
        ("--domains-app-enabled", "true"),
        ("--domains-app-vhosts", "web.dokku.me a.com *.b.com"),
        ("--domains-global-enabled", "true"),
        ("--domains-global-vhosts", "dokku.me"),
    ] {
        root.dokku(&["domains:report", "web", flag])
            .ok()
            .stdout(&format!("{value}\n"))
            .stderr("");
    }

    root.dokku(&["domains:disable", "web"]).ok();
    root.dokku(&["domains:clear-global"]).ok();
    root.dokku(&["domains:report", "web"]).ok().stdout(
        "=====> web domains information
       Domains app enabled:           false
       Domains app vhosts:            
       Domains global enabled:        false
       Domains global vhosts:         
",
    );
    root.dokku(&["domains:report", "web", "--format", "json"])
        .ok()
        .stdout("{\"app-enabled\":\"false\",\"app-vhosts\":\"\",\"global-enabled\":\"false\",\"global-vhosts\":\"\"}\n");
}

#[test]
fn global_report() {
    let root = Root::new();
    root.dokku(&["domains:report", "--global"]).ok().stdout(
        "=====> --global domains information
       Domains global enabled:        false
       Domains global vhosts:         
",
    );
    root.dokku(&["domains:set-global", "dokku.me", "other.org"])
        .ok();
    root.dokku(&["domains:report", "--global"]).ok().stdout(
        "=====> --global domains information
       Domains global enabled:        true
       Domains global vhosts:         dokku.me other.org
",
    );
    root.dokku(&["domains:report", "--global", "--format", "json"])
        .ok()
        .stdout("{\"global-enabled\":\"true\",\"global-vhosts\":\"dokku.me other.org\"}\n");
    root.dokku(&["domains:report", "--global", "--domains-global-enabled"])
        .ok()
        .stdout("true\n");
    root.dokku(&["domains:report", "--global", "--domains-app-vhosts"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid flag passed, valid flags: --domains-global-enabled, --domains-global-vhosts\n");
}

#[test]
fn global_file_as_the_go_report_reads_it() {
    let root = Root::new();
    // Lines are not trimmed for the enabled check; values have whitespace collapsed.
    std::fs::write(root.home().join("VHOST"), "  dokku.me \n\nother.org").unwrap();
    root.dokku(&["domains:report", "--global", "--domains-global-vhosts"])
        .ok()
        .stdout("dokku.me other.org\n");
    std::fs::write(root.home().join("VHOST"), " dokku.me\n").unwrap();
    root.dokku(&["domains:report", "--global", "--format", "json"])
        .ok()
        .stdout("{\"global-enabled\":\"false\",\"global-vhosts\":\"\"}\n");
}

#[test]
fn every_app_and_errors() {
    let root = Root::new();
    root.dokku(&["domains:report"])
        .ok()
        .stdout("")
        .stderr(" !     You haven't deployed any applications yet\n");
    std::fs::write(root.home().join("VHOST"), "dokku.me\n").unwrap();
    root.dokku(&["apps:create", "web"]).ok();
    root.dokku(&["apps:create", "api"]).ok();
    let all = root.dokku(&["domains:report"]);
    all.ok().stderr("");
    assert_eq!(all.stdout, format!("{}{WEB}", WEB.replace("web", "api")));
    root.dokku(&["domains:report", "--format", "json"]).ok().stdout(
        "{\"app-enabled\":\"true\",\"app-vhosts\":\"api.dokku.me\",\"global-enabled\":\"true\",\"global-vhosts\":\"dokku.me\"}\n{\"app-enabled\":\"true\",\"app-vhosts\":\"web.dokku.me\",\"global-enabled\":\"true\",\"global-vhosts\":\"dokku.me\"}\n",
    );

    root.dokku(&["domains:report", "nope"])
        .code(20)
        .stdout("")
        .stderr(" !     App nope does not exist\n");
    root.dokku(&["domains:report", "web", "--domains-invalid-flag"])
        .code(1)
        .stdout("")
        .stderr(" !     Invalid flag passed, valid flags: --domains-app-enabled, --domains-app-vhosts, --domains-global-enabled, --domains-global-vhosts\n");
    root.dokku(&[
        "domains:report",
        "web",
        "--domains-app-vhosts",
        "--domains-app-enabled",
    ])
    .code(1)
    .stderr(" !     domains:report command allows only a single flag\n");
    root.dokku(&[
        "domains:report",
        "web",
        "--format",
        "json",
        "--domains-app-vhosts",
    ])
    .code(1)
    .stderr(" !     --format flag cannot be specified when specifying an info flag\n");
    root.dokku(&["domains:report", "web", "--format", "xml"])
        .code(1)
        .stderr(" !     Format must be \"stdout\" or \"json\": \"xml\"\n");
}

#[test]
fn report_trigger() {
    let root = root_with_app();
    root.dokku(&["plugin:trigger", "report", "web"])
        .ok()
        .stdout_has(WEB);
}
