//! The benchmark scenarios of the plugn and dokku issues, and the report.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::stats::{run_interleaved, summarize, Case};

const PLUGINS: usize = 50;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo root")
}

fn write_exec(path: &Path, body: &str) -> Result<(), String> {
    fs::write(path, body).map_err(|e| e.to_string())?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())
}

/// A static do-nothing binary, so the binary-hook cases measure exec and not the dynamic loader.
fn static_hook(dir: &Path) -> Option<PathBuf> {
    let src = dir.join("hook.c");
    let out = dir.join("static-hook");
    fs::write(&src, "int main(void) { return 0; }\n").ok()?;
    let ok = Command::new("gcc").args(["-static", "-O2", "-o"]).arg(&out).arg(&src).status().ok()?.success();
    ok.then_some(out)
}

/// 50 enabled plugins; `sh5`/`bin5` implemented by the first five, `sh50`/`bin50` by all.
fn plugin_tree(root: &Path, static_bin: Option<&Path>) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
    let mk = |p: &Path| fs::create_dir_all(p).map_err(|e| e.to_string());
    mk(&root.join("enabled"))?;
    fs::write(root.join("config.toml"), "").map_err(|e| e.to_string())?;
    let (mut sh, mut bin) = (Vec::new(), Vec::new());
    for i in 0..PLUGINS {
        let name = format!("plugin-{i:02}");
        let dir = root.join("available").join(&name);
        mk(&dir)?;
        fs::write(dir.join("plugin.toml"), format!("[plugin]\ndescription = \"bench plugin {i}\"\nversion = \"0.1.0\"\n[plugin.config]\n"))
            .map_err(|e| e.to_string())?;
        let mut hooks = vec!["sh50"];
        if i < 5 {
            hooks.push("sh5");
        }
        for hook in hooks {
            write_exec(&dir.join(hook), "#!/bin/sh\nexit 0\n")?;
        }
        if let Some(bin_path) = static_bin {
            symlink(bin_path, dir.join("bin50")).map_err(|e| e.to_string())?;
            if i < 5 {
                symlink(bin_path, dir.join("bin5")).map_err(|e| e.to_string())?;
            }
        }
        symlink(&dir, root.join("enabled").join(&name)).map_err(|e| e.to_string())?;
        sh.push(root.join("enabled").join(&name).join("sh50"));
        bin.push(root.join("enabled").join(&name).join("bin50"));
    }
    Ok((sh, bin))
}

/// A dokku-rs install into a temporary root (no users, no ownership changes).
fn temp_install(root: &Path, bin_dir: &Path) -> Result<(), String> {
    let status = Command::new("python3")
        .arg(repo_root().join("packaging/install.py"))
        .env("DOKKU_RS_NO_SYSTEM", "1")
        .env("PREFIX", root.join("usr"))
        .env("DOKKU_LIB_ROOT", root.join("lib"))
        .env("DOKKU_ROOT", root.join("home"))
        .env("DOKKU_LOGS_DIR", root.join("log"))
        .env("BIN_DIR", bin_dir)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    status.success().then_some(()).ok_or_else(|| "temp install failed".to_string())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let rounds: usize = args.first().and_then(|r| r.parse().ok()).unwrap_or(40);
    let bin_dir = std::env::current_exe().map_err(|e| e.to_string())?.parent().unwrap().to_path_buf();
    let plugn = bin_dir.join("plugn").to_string_lossy().into_owned();
    let dokku = bin_dir.join("dokku").to_string_lossy().into_owned();
    let me = std::env::current_exe().map_err(|e| e.to_string())?.to_string_lossy().into_owned();

    let work = std::env::temp_dir().join(format!("dokku-rs-bench-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let result = (|| {
        let static_bin = static_hook(&work);
        let tree = work.join("plugins");
        let (sh_hooks, bin_hooks) = plugin_tree(&tree, static_bin.as_deref())?;
        let pp = tree.to_string_lossy().into_owned();
        let floor = |hooks: &[PathBuf], n: usize| -> Vec<String> {
            let mut v = vec![me.clone(), "--spawn-floor".into()];
            v.extend(hooks[..n].iter().map(|h| h.to_string_lossy().into_owned()));
            v
        };
        let trig = |hook: &str| Case::new(&format!("plugn trigger {hook}"), &[&plugn, "trigger", hook]).env("PLUGIN_PATH", &pp);
        let sh5: Vec<String> = floor(&sh_hooks, 5);
        let sh50: Vec<String> = floor(&sh_hooks, 50);
        let mut cases = vec![
            Case::new("/bin/true", &["/bin/true"]),
            trig("none").env("PLUGIN_PATH", &pp),
            trig("sh5"),
            Case::new("floor sh5", &sh5.iter().map(String::as_str).collect::<Vec<_>>()),
            trig("sh50"),
            Case::new("floor sh50", &sh50.iter().map(String::as_str).collect::<Vec<_>>()),
            Case::new("plugn list (50)", &[&plugn, "list"]).env("PLUGIN_PATH", &pp),
        ];
        if static_bin.is_some() {
            let b5 = floor(&bin_hooks.iter().map(|p| p.with_file_name("bin5")).collect::<Vec<_>>(), 5);
            let b50 = floor(&bin_hooks, 50);
            cases.push(trig("bin5"));
            cases.push(Case::new("floor bin5", &b5.iter().map(String::as_str).collect::<Vec<_>>()));
            cases.push(trig("bin50"));
            cases.push(Case::new("floor bin50", &b50.iter().map(String::as_str).collect::<Vec<_>>()));
        }

        let dk = work.join("dokku");
        let dokku_ready = Path::new(&dokku).exists() && temp_install(&dk, &bin_dir).is_ok();
        if dokku_ready {
            // The install's system user and group are the bench runner's own, so user-database
            // lookups resolve from /etc as they do for the dokku user on a real host.
            let user = std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| id("-un"));
            let group = id("-gn");
            let path = format!("{}:{}", dk.join("usr/bin").display(), std::env::var("PATH").unwrap_or_default());
            let with_env = |c: Case| {
                c.env("DOKKU_LIB_PATH", &dk.join("lib").to_string_lossy())
                    .env("DOKKU_ROOT", &dk.join("home").to_string_lossy())
                    .env("DOKKU_SYSTEM_USER", &user)
                    .env("DOKKU_SYSTEM_GROUP", &group)
                    .env("PATH", &path)
            };
            cases.push(with_env(Case::new("dokku version", &[&dokku, "version"])));
            cases.push(with_env(Case::new("dokku unknown command", &[&dokku, "no-such-command"])));
            cases.push(with_env(Case::new("dokku help", &[&dokku, "help"])));
            cases.push(with_env(Case::new("dokku plugin:list", &[&dokku, "plugin:list"])));
            // App state commands (issue 4): 100 apps, one app's config and domains.
            fs::write(dk.join("home/VHOST"), "dokku.me\n").map_err(|e| e.to_string())?;
            for i in 0..100 {
                let app = format!("app-{i:03}");
                setup(with_env(Case::new("setup", &[&dokku, "apps:create", &app])))?;
            }
            setup(with_env(Case::new("setup", &[&dokku, "config:set", "--no-restart", "app-000", "KEY=value"])))?;
            cases.push(with_env(Case::new("dokku apps:list (100 apps)", &[&dokku, "apps:list"])));
            cases.push(with_env(Case::new("dokku config:get", &[&dokku, "config:get", "app-000", "KEY"])));
            cases.push(with_env(Case::new("dokku config:set", &[&dokku, "config:set", "--no-restart", "app-000", "KEY=value"])));
            cases.push(with_env(Case::new("dokku domains:report --format json", &[&dokku, "domains:report", "app-000", "--format", "json"])));
            // What a durable state write costs on this disk: the same program with and without
            // one write_atomic of a small file next to the app's ENV.
            let durable_target = dk.join("lib/config/app-000/.bench-durable").to_string_lossy().into_owned();
            cases.push(Case::new("program start", &[&me, "--spawn-floor"]));
            cases.push(Case::new("program start + durable write", &[&me, "--durable-write", &durable_target]));
            // What every bash plugin pays: a hook that sources the bash API, against a bare one.
            let bare = work.join("bare-hook");
            let sourcing = work.join("sourcing-hook");
            write_exec(&bare, "#!/usr/bin/env bash\nset -eo pipefail\n:\n")?;
            let functions = dk.join("lib/core-plugins/available/common/functions");
            write_exec(&sourcing, &format!("#!/usr/bin/env bash\nset -eo pipefail\nsource {}\n:\n", functions.display()))?;
            let core = dk.join("lib/core-plugins/available").to_string_lossy().into_owned();
            cases.push(with_env(Case::new("bash hook, bare", &[&bare.to_string_lossy()])).env("PLUGIN_CORE_AVAILABLE_PATH", &core));
            cases.push(
                with_env(Case::new("bash hook sourcing functions", &[&sourcing.to_string_lossy()])).env("PLUGIN_CORE_AVAILABLE_PATH", &core),
            );
        }

        let counts: Vec<(String, usize)> =
            cases.iter().filter(|c| c.name.starts_with("dokku ")).filter_map(|c| Some((c.name.clone(), processes(c)?))).collect();
        run_interleaved(&mut cases, rounds, 3)?;
        report(&cases, rounds, &counts);
        Ok(())
    })();
    let _ = fs::remove_dir_all(&work);
    result
}

/// Run a case's command once, for setting state up.
fn setup(case: Case) -> Result<(), String> {
    let status = Command::new(&case.command[0])
        .args(&case.command[1..])
        .envs(case.env.iter().map(|(k, v)| (k, v)))
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    status.success().then_some(()).ok_or_else(|| format!("setup {:?} failed", case.command))
}

/// How many processes one run of a case starts (itself included), counted with strace when
/// it is installed: each process beyond the first is a hook the command had to fire.
fn processes(case: &Case) -> Option<usize> {
    let out = std::env::temp_dir().join(format!("dokku-rs-bench-strace-{}", std::process::id()));
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=execve", "-o"])
        .arg(&out)
        .args(&case.command)
        .envs(case.env.iter().map(|(k, v)| (k, v)))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    let text = fs::read_to_string(&out).ok();
    let _ = fs::remove_file(&out);
    if !status.success() && !case.name.contains("unknown") {
        return None;
    }
    let text = text?;
    let mut pids: Vec<&str> = text.lines().filter(|l| l.contains("execve(") && l.contains(" = 0")).filter_map(|l| l.split_whitespace().next()).collect();
    pids.sort();
    pids.dedup();
    Some(pids.len())
}

/// `id <flag>`: the runner's user (`-un`) or group (`-gn`) name.
fn id(flag: &str) -> String {
    Command::new("id").arg(flag).output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
}

fn report(cases: &[Case], rounds: usize, counts: &[(String, usize)]) {
    let median = |name: &str| cases.iter().find(|c| c.name == name).map(|c| summarize(&c.samples).median);
    let base = median("/bin/true").unwrap_or(f64::NAN);
    println!("{rounds} interleaved rounds; times in ms; spread = p25..p75; ratios of medians\n");
    println!("{:<28} {:>9} {:>17} {:>12}", "case", "median", "spread", "x /bin/true");
    for c in cases {
        let s = summarize(&c.samples);
        println!("{:<28} {:>9.3} {:>8.3}..{:<8.3} {:>12.2}", c.name, s.median, s.p25, s.p75, s.median / base);
    }
    println!();
    let target = |label: &str, value: Option<f64>, limit: f64| {
        if let Some(v) = value {
            let verdict = if v <= limit { "meets" } else { "MISSES" };
            println!("{label:<52} {v:>6.2}x  (target <= {limit}x: {verdict})");
        }
    };
    let ratio = |a: &str, b: &str| Some(median(a)? / median(b)?);
    target("plugn trigger, no hook / one /bin/true spawn", ratio("plugn trigger none", "/bin/true"), 2.0);
    target("plugn trigger, 50 sh hooks / direct-exec floor", ratio("plugn trigger sh50", "floor sh50"), 1.15);
    target("plugn trigger, 50 static hooks / direct-exec floor", ratio("plugn trigger bin50", "floor bin50"), 1.15);
    target("plugn trigger, 5 sh hooks / direct-exec floor", ratio("plugn trigger sh5", "floor sh5"), 1.15);
    target("plugn list, 50 plugins / one /bin/true spawn", ratio("plugn list (50)", "/bin/true"), 5.0);
    target("dokku version / one /bin/true spawn", ratio("dokku version", "/bin/true"), 3.0);
    target("dokku unknown command / one /bin/true spawn", ratio("dokku unknown command", "/bin/true"), 3.0);
    target("bash hook sourcing common/functions / bare bash hook", ratio("bash hook sourcing functions", "bash hook, bare"), 1.5);
    // Issue 4: at most 3 spawns plus one per hook process the command must start.
    for name in ["dokku apps:list (100 apps)", "dokku config:get", "dokku config:set", "dokku domains:report --format json"] {
        let Some((_, n)) = counts.iter().find(|(c, _)| c == name) else { continue };
        let hooks = n.saturating_sub(1);
        target(&format!("{name} ({hooks} hook processes) / /bin/true"), ratio(name, "/bin/true"), 3.0 + hooks as f64);
    }
    // config:set must write its file durably, which no ratio of program starts allows for;
    // the same target, with the measured cost of one durable write taken out.
    if let (Some(set), Some(start), Some(write), Some(t)) =
        (median("dokku config:set"), median("program start"), median("program start + durable write"), median("/bin/true"))
    {
        let durable = write - start;
        println!("{:<52} {:>6.3} ms", "durable write (write_atomic: fsync, rename, fsync dir)", durable);
        target("dokku config:set without its durable write / /bin/true", Some((set - durable) / t), 3.0);
    }
    if let Some(r) = ratio("dokku help", "/bin/true") {
        println!("{:<52} {r:>6.2}x  (no target)", "dokku help / one /bin/true spawn");
    }
    if let Some(r) = ratio("dokku plugin:list", "/bin/true") {
        println!("{:<52} {r:>6.2}x  (no target)", "dokku plugin:list / one /bin/true spawn");
    }
}
