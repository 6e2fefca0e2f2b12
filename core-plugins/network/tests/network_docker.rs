//! The network commands and triggers against the real docker daemon. Every network,
//! container and image a test creates is removed by the `Docker` guard, also on failure.

use dokku_rs_testkit::support;

use std::fs;

use dokku_rs_testkit::Root;
use support::{add_plugin, docker, docker_ok, hook, mark_deployed, Docker};

fn network_id(name: &str) -> String {
    docker_ok(&["network", "inspect", "--format", "{{.Id}}", name])[..12].to_string()
}

fn network_exists(name: &str) -> bool {
    docker(&["network", "inspect", name]).0 == 0
}

fn aliases(container: &str, network: &str) -> String {
    docker_ok(&[
        "inspect",
        "--format",
        &format!("{{{{json (index .NetworkSettings.Networks \"{network}\").Aliases}}}}"),
        container,
    ])
}

fn ip_on(container: &str, network: &str) -> String {
    docker_ok(&[
        "inspect",
        "--format",
        &format!("{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}"),
        container,
    ])
}

#[test]
fn create_inspect_list_destroy() {
    let d = Docker::new();
    let root = Root::new();
    let net = d.network_name("net");

    root.dokku(&["network:exists", &net])
        .code(1)
        .stdout("")
        .stderr(" !     Network does not exist\n");
    root.dokku(&["network:create", &net])
        .ok()
        .stdout(&format!("-----> Creating network {net}\n"))
        .stderr("");
    assert_eq!(
        docker_ok(&[
            "network",
            "inspect",
            "--format",
            "{{index .Labels \"com.dokku.network-name\"}} {{.Attachable}} {{.Driver}}",
            &net
        ]),
        format!("{net} true bridge")
    );
    let dup = root.dokku(&["network:create", &net]);
    dup.code(1)
        .stdout(&format!("-----> Creating network {net}\n"));
    assert!(
        dup.stderr
            .starts_with(" !     Unable to create network: Error response from daemon: ")
            && dup.stderr.contains("already exists"),
        "{}",
        dup.stderr
    );
    root.dokku(&["network:exists", &net])
        .ok()
        .stdout("-----> Network exists\n")
        .stderr("");
    root.dokku(&["--quiet", "network:exists", &net])
        .ok()
        .stdout("");

    let id = network_id(&net);
    root.dokku(&["network:info", &net]).ok().stderr("").stdout(&format!(
        "=====> {net} network information\n       ID:             {id}\n       Name:           {net}\n       Driver:         bridge\n       Scope:          local\n       Dokku managed:  true\n"
    ));
    let json = format!(
        "{{\"CreatedAt\":\"2024-02-25T01:55:24.275184461Z\",\"DokkuManaged\":true,\"Driver\":\"bridge\",\"ID\":\"{id}\",\"Internal\":false,\"IPv6\":false,\"Labels\":{{\"com.dokku.network-name\":\"{net}\"}},\"Name\":\"{net}\",\"Scope\":\"local\"}}"
    );
    root.dokku(&["network:info", &net, "--format", "json"])
        .ok()
        .stdout(&format!("{json}\n"));
    root.dokku(&["network:info", &net, "--format", "xml"])
        .code(1)
        .stderr(" !     Invalid format specified, use either text or json\n");
    root.dokku(&["network:info"])
        .code(1)
        .stderr(" !     No network name specified\n");
    root.dokku(&["network:info", "dokku-rs-test-absent"])
        .code(1)
        .stderr(" !     Network does not exist\n");

    let list = root.dokku(&["network:list"]);
    list.ok().stderr("");
    assert!(
        list.stdout.starts_with("=====> Networks\n"),
        "{}",
        list.stdout
    );
    assert!(list.stdout.lines().any(|l| l == "bridge"));
    assert!(list.stdout.lines().any(|l| l == net));
    let managed = root.dokku(&["network:list", "--dokku-managed"]);
    assert!(managed.stdout.lines().any(|l| l == net));
    assert!(!managed.stdout.lines().any(|l| l == "bridge" || l == "host"));
    let all_json = root.dokku(&["network:list", "--format", "json"]);
    assert!(all_json.stdout.starts_with('[') && all_json.stdout.ends_with("]\n"));
    assert!(all_json.stdout.contains(&json), "{}", all_json.stdout);
    assert!(all_json
        .stdout
        .contains("\"DokkuManaged\":false,\"Driver\":\"bridge\""));
    let managed_json = root.dokku(&["network:list", "--dokku-managed", "--format", "json"]);
    assert!(!managed_json.stdout.contains("\"DokkuManaged\":false"));
    assert!(managed_json.stdout.contains(&json));
    root.dokku(&["--quiet", "network:list", "--dokku-managed"])
        .ok()
        .stdout_has(&format!("{net}\n"));

    // Destroying asks for the name unless forced.
    root.dokku_stdin(&["network:destroy", &net], b"wrong\n")
        .code(1)
        .stdout("> ")
        .stderr(&format!(
            " !     WARNING: Potentially Destructive Action\n !     This command will destroy network {net}.\n !     To proceed, type \"{net}\"\nConfirmation did not match test. Aborted.\n"
        ));
    assert!(network_exists(&net));
    root.dokku_stdin(&["network:destroy", &net], format!("{net}\n").as_bytes())
        .ok()
        .stdout(&format!("> -----> Destroying network {net}\n"));
    assert!(!network_exists(&net));
    let missing = root.dokku(&["--force", "network:destroy", &net]);
    missing
        .code(1)
        .stdout(&format!("-----> Destroying network {net}\n"));
    assert!(
        missing
            .stderr
            .starts_with(" !     Unable to destroy network: Error response from daemon: ")
            && missing.stderr.contains("not found"),
        "{}",
        missing.stderr
    );
    root.dokku(&["network:create", &net]).ok();
    root.dokku(&["network:destroy", &net, "--force"])
        .ok()
        .stdout(&format!("-----> Destroying network {net}\n"));
    assert!(!network_exists(&net));
}

#[test]
fn names_docker_cannot_address_are_refused() {
    let d = Docker::new();
    let root = Root::new();
    root.dokku(&["network:create"])
        .code(1)
        .stdout("")
        .stderr(" !     No network name specified\n");
    root.dokku(&["network:destroy"])
        .code(1)
        .stderr(" !     No network name specified\n");
    root.dokku(&["network:exists"])
        .code(1)
        .stderr(" !     No network name specified\n");
    let base = d.network_name("bad");
    for name in [
        format!("-{base}"),
        format!("{base}/x"),
        format!("{base} x"),
        format!(".{base}"),
        "..".to_string(),
    ] {
        root.dokku(&["network:create", "--", &name])
            .code(1)
            .stdout("")
            .stderr(&format!(" !     Invalid network name specified: {name}\n"));
        assert!(!network_exists(&name), "{name}");
    }
    let predefined = root.dokku(&["network:create", "host"]);
    predefined.code(1).stdout("-----> Creating network host\n");
    assert!(
        predefined.stderr.contains("predefined"),
        "{}",
        predefined.stderr
    );
}

#[test]
fn attaching_containers() {
    let d = Docker::new();
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    let image = d.image();
    let (net1, net2) = (d.network_name("create"), d.network_name("deploy"));
    root.dokku(&["network:create", &net1]).ok();
    root.dokku(&["network:create", &net2]).ok();
    root.dokku(&["network:set", "--global", "tld", "svc.test"])
        .ok();
    let cid = d.container(
        &image,
        &[
            "--hostname",
            "hostx",
            "--label",
            "com.dokku.process-type=web",
        ],
    );

    // Nothing to attach, and non-app containers are left alone.
    hook(
        &root,
        "network",
        &["post-container-create", "app", &cid, "web", "deploy", "web"],
        None,
    )
    .ok()
    .stdout("");
    root.dokku(&["network:set", "web", "attach-post-create", &net1])
        .ok();
    hook(
        &root,
        "network",
        &[
            "post-container-create",
            "service",
            &cid,
            "web",
            "deploy",
            "web",
        ],
        None,
    )
    .ok();
    let attached = |c: &str| {
        docker_ok(&[
            "inspect",
            "--format",
            "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
            c,
        ])
    };
    assert_eq!(attached(&cid), "bridge");

    hook(
        &root,
        "network",
        &["post-container-create", "app", &cid, "web", "deploy", "web"],
        None,
    )
    .ok()
    .stdout("")
    .stderr("");
    let a = aliases(&cid, &net1);
    assert!(
        a.contains("\"web.web.svc.test\"") && a.contains("\"hostx.web.web.svc.test\""),
        "{a}"
    );
    // Attached already: nothing to do.
    hook(
        &root,
        "network",
        &["post-container-create", "app", &cid, "web", "deploy", "web"],
        None,
    )
    .ok()
    .stderr("");

    // Outside the deploy phase there are no aliases.
    let other = d.container(&image, &[]);
    hook(
        &root,
        "network",
        &["post-container-create", "app", &other, "web", "run", ""],
        None,
    )
    .ok();
    assert!(!ip_on(&other, &net1).is_empty());

    root.dokku(&[
        "network:set",
        "web",
        "attach-post-create",
        "dokku-rs-test-absent",
    ])
    .ok();
    hook(
        &root,
        "network",
        &["post-container-create", "app", &cid, "web", "deploy", "web"],
        None,
    )
    .code(1)
    .stderr(" !     Network dokku-rs-test-absent does not exist\n");
    root.dokku(&["network:set", "web", "attach-post-create"])
        .ok();

    // core-post-deploy: the running containers join the attach-post-deploy networks.
    root.dokku(&["network:set", "web", "attach-post-deploy", &net2])
        .ok();
    hook(
        &root,
        "network",
        &["core-post-deploy", "web", "", "", "latest"],
        None,
    )
    .code(1)
    .stdout(&format!("-----> Associating app with network {net2}\n"))
    .stderr(" !     App web has not been deployed\n");
    mark_deployed(&root, "web");
    fs::write(root.home().join("web/CONTAINER.web.1"), format!("{cid}\n")).unwrap();
    hook(
        &root,
        "network",
        &["core-post-deploy", "web", "", "", "latest"],
        None,
    )
    .ok()
    .stdout(&format!("-----> Associating app with network {net2}\n"))
    .stderr("");
    let a = aliases(&cid, &net2);
    assert!(
        a.contains("\"web.web.svc.test\"") && a.contains("\"hostx.web.web.svc.test\""),
        "{a}"
    );
    hook(&root, "network", &["core-post-deploy", "web"], None).ok();

    // The address on the initial network, else on bridge.
    hook(
        &root,
        "network",
        &["network-get-ipaddr", "web", "web", &cid],
        None,
    )
    .ok()
    .stdout(&format!("{}\n", ip_on(&cid, "bridge")));
    root.dokku(&["network:set", "web", "initial-network", &net2])
        .ok();
    hook(
        &root,
        "network",
        &["network-get-ipaddr", "web", "web", &cid],
        None,
    )
    .ok()
    .stdout(&format!("{}\n", ip_on(&cid, &net2)));
    let host = d.container(&image, &["--network", "host"]);
    hook(
        &root,
        "network",
        &["network-get-ipaddr", "web", "web", &host],
        None,
    )
    .ok()
    .stdout("127.0.0.1\n");
}

#[test]
fn rebuild_refreshes_ip_files() {
    let d = Docker::new();
    let root = Root::new();
    root.dokku(&["apps:create", "web"]).ok();
    // The scale comes from a fixture instead of the ps plugin.
    root.plugn(&["disable", "ps"]).ok();
    add_plugin(
        &root,
        "scale-fixture",
        &[("ps-current-scale", "echo web=1")],
    );
    let image = d.image();
    let cid = d.container(&image, &[]);

    root.dokku(&["network:rebuild", "web"]).ok().stdout("");
    assert!(
        !root.home().join("web/IP.web.1").exists(),
        "not deployed: nothing"
    );

    fs::write(root.home().join("web/CONTAINER.web.1"), format!("{cid}\n")).unwrap();
    mark_deployed(&root, "web");
    root.dokku(&["network:rebuild", "web"])
        .ok()
        .stdout("-----> Ensuring network configuration is in sync for web\n")
        .stderr("");
    let ip = ip_on(&cid, "bridge");
    assert_eq!(
        fs::read_to_string(root.home().join("web/IP.web.1")).unwrap(),
        ip
    );

    fs::remove_file(root.home().join("web/IP.web.1")).unwrap();
    root.dokku(&["network:rebuildall"])
        .ok()
        .stdout("-----> Ensuring network configuration is in sync for web\n");
    assert_eq!(
        fs::read_to_string(root.home().join("web/IP.web.1")).unwrap(),
        ip
    );

    // A stopped container keeps its old file; a static listener skips the refresh.
    docker_ok(&["stop", "-t", "0", &cid]);
    fs::remove_file(root.home().join("web/IP.web.1")).unwrap();
    root.dokku(&["network:rebuild", "web"]).ok();
    assert!(!root.home().join("web/IP.web.1").exists());
    root.dokku(&["network:set", "web", "static-web-listener", "10.0.0.1:80"])
        .ok();
    root.dokku(&["network:rebuild", "web"]).ok().stdout("");
}
