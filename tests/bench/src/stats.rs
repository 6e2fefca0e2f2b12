//! Timing a set of commands round-robin, and summarising the samples.

use std::process::{Command, Stdio};
use std::time::Instant;

pub struct Case {
    pub name: String,
    pub command: Vec<String>,
    pub env: Vec<(String, String)>,
    pub samples: Vec<f64>,
}

impl Case {
    pub fn new(name: &str, command: &[&str]) -> Self {
        Case { name: name.into(), command: command.iter().map(|s| s.to_string()).collect(), env: Vec::new(), samples: Vec::new() }
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    fn once(&mut self) -> Result<(), String> {
        let mut cmd = Command::new(&self.command[0]);
        cmd.args(&self.command[1..]).envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        let start = Instant::now();
        let status = cmd.status().map_err(|e| format!("{}: {e}", self.name))?;
        self.samples.push(start.elapsed().as_secs_f64() * 1e3);
        if !status.success() && !self.name.starts_with("dokku unknown") {
            return Err(format!("{} failed: {status}", self.name));
        }
        Ok(())
    }
}

/// Run every case once per round, rounds interleaved so drift hits all cases alike.
pub fn run_interleaved(cases: &mut [Case], rounds: usize, warmup: usize) -> Result<(), String> {
    for round in 0..rounds + warmup {
        for case in cases.iter_mut() {
            case.once()?;
        }
        if round + 1 == warmup {
            for case in cases.iter_mut() {
                case.samples.clear();
            }
        }
    }
    Ok(())
}

pub struct Summary {
    pub median: f64,
    pub p25: f64,
    pub p75: f64,
}

pub fn summarize(samples: &[f64]) -> Summary {
    let mut s = samples.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| s[((s.len() - 1) as f64 * q).round() as usize];
    Summary { median: at(0.5), p25: at(0.25), p75: at(0.75) }
}
