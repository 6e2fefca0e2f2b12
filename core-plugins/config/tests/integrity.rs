//! Integrity of the ENV file under concurrency and crashes (issue 4 §7): `config:set`
//! processes are SIGKILLed at random moments while another writer keeps completing its own
//! `config:set` calls. After every kill the file must parse, every key of the killed call must
//! hold either its old or its new value (all of them the same one: a call is atomic), and every
//! key set by a completed call must be there.

mod common;

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

use common::*;
use dokku_rs_testkit::Root;

const KILLS: usize = 200;
const BUDGET: Duration = Duration::from_secs(40);
const KEYS: [&str; 3] = ["K0", "K1", "K2"];

/// A small xorshift generator: reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// The new value of generation `i`: everything the format has to escape.
fn value(i: usize) -> String {
    format!("gen-{i} \"q\" 'single' $HOME ${{X}} `x`! \\ \n é = x\\")
}

fn writer_value(j: usize) -> String {
    format!("w{j}\n\"$\\")
}

/// The environment as the plugin itself reads it (the parse must succeed).
fn current(root: &Root) -> BTreeMap<String, String> {
    let run = root.dokku(&["config:export", "--format", "json", "web"]);
    assert_eq!(
        run.code,
        0,
        "ENV does not parse: {}\n{}",
        run.stderr,
        read(env_path(root, "web"))
    );
    serde_json::from_str(run.stdout.trim_end()).expect("json export")
}

#[test]
fn killed_writers_never_corrupt_or_lose_keys() {
    let root = root_with_app();
    let seed_pairs: Vec<String> = KEYS.iter().map(|k| format!("{k}=seed")).collect();
    let mut args = vec!["config:set", "--no-restart", "web"];
    args.extend(seed_pairs.iter().map(String::as_str));
    root.dokku(&args).ok();

    let root = Arc::new(root);
    let stop = Arc::new(AtomicBool::new(false));
    let completed = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (root, stop, completed) = (root.clone(), stop.clone(), completed.clone());
        std::thread::spawn(move || {
            let mut j = 0;
            while !stop.load(Ordering::SeqCst) {
                let pair = format!("W{j}={}", writer_value(j));
                let run = dokku_env(
                    &root,
                    &["config:set", "--no-restart", "web", &pair],
                    &[("DOKKU_QUIET_OUTPUT", "1")],
                );
                assert_eq!(run.code, 0, "writer call {j} failed: {}", run.stderr);
                j += 1;
                completed.store(j, Ordering::SeqCst);
            }
        })
    };

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("rng seed {seed}");
    let mut rng = Rng(seed);
    let start = Instant::now();
    let mut previous = "seed".to_string();
    let (mut kills, mut finished, mut i) = (0usize, 0usize, 0usize);
    // Upper bound of the random delay before the kill, adapted so that most calls are killed
    // somewhere inside their run rather than before exec or after exit.
    let mut max_delay_us = 20_000u64;
    while kills < KILLS && start.elapsed() < BUDGET {
        i += 1;
        let new = value(i);
        let pairs: Vec<String> = KEYS.iter().map(|k| format!("{k}={new}")).collect();
        let mut cmd = root.command(root.bin("dokku"));
        cmd.args(["config:set", "--no-restart", "web"])
            .args(&pairs)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        let mut child = cmd.spawn().expect("spawn config:set");
        std::thread::sleep(Duration::from_micros(rng.below(max_delay_us)));
        let killed = match child.try_wait().unwrap() {
            Some(_) => false,
            None => {
                let _ = killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
                true
            }
        };
        let status = child.wait().unwrap();
        let was_killed = killed && status.code().is_none();
        if was_killed {
            kills += 1;
            max_delay_us = (max_delay_us + max_delay_us / 20).min(60_000);
        } else {
            assert!(status.success(), "config:set {i} failed: {status:?}");
            finished += 1;
            max_delay_us = (max_delay_us * 4 / 5).max(500);
        }

        let writer_done = completed.load(Ordering::SeqCst);
        let env = current(&root);
        let got: Vec<&str> = KEYS.iter().map(|k| env[*k].as_str()).collect();
        assert!(
            got.iter().all(|v| *v == got[0]),
            "call {i} applied partially: {got:?}"
        );
        if was_killed {
            assert!(
                got[0] == previous || got[0] == new,
                "call {i}: {:?} is neither the old {previous:?} nor the new value",
                got[0]
            );
        } else {
            assert_eq!(got[0], new, "completed call {i} lost");
        }
        previous = got[0].to_string();
        for j in 0..writer_done {
            assert_eq!(
                env.get(&format!("W{j}")).map(String::as_str),
                Some(writer_value(j).as_str()),
                "completed writer call {j} lost after call {i}"
            );
        }
    }
    stop.store(true, Ordering::SeqCst);
    writer.join().expect("writer thread");
    let elapsed = start.elapsed();
    eprintln!(
        "{kills} kills, {finished} completed calls, {} writer calls in {elapsed:?}",
        completed.load(Ordering::SeqCst)
    );
    assert!(kills >= KILLS, "only {kills} kills in {elapsed:?}");

    // Everything the writer completed is there, and nothing but ENV (and at most the temp
    // file of the very last killed call) is left in the directory.
    let env = current(&root);
    for j in 0..completed.load(Ordering::SeqCst) {
        assert_eq!(env[&format!("W{j}")], writer_value(j));
    }
    root.dokku(&["config:set", "--no-restart", "web", "LAST=1"])
        .ok();
    let names: Vec<String> = std::fs::read_dir(env_path(&root, "web").parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["ENV".to_string()],
        "stale temporary files are cleaned up"
    );
}

#[test]
fn concurrent_writers_keep_every_key() {
    let root = Arc::new(root_with_app());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let root = root.clone();
            std::thread::spawn(move || {
                for n in 0..10 {
                    let pair = format!("T{t}_{n}=v{t}.{n}");
                    root.dokku(&["config:set", "--no-restart", "web", &pair])
                        .ok();
                    let unset = format!("T{t}_{n}");
                    if n % 3 == 0 {
                        root.dokku(&["config:unset", "--no-restart", "web", &unset])
                            .ok();
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let env = current(&root);
    for t in 0..4 {
        for n in 0..10 {
            let key = format!("T{t}_{n}");
            if n % 3 == 0 {
                assert!(!env.contains_key(&key), "{key} should be unset");
            } else {
                assert_eq!(env[&key], format!("v{t}.{n}"));
            }
        }
    }
}
