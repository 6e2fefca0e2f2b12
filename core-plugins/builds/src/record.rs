//! One build record, `data/builds/<app>/<id>.json`, byte-compatible with upstream's Go
//! `Build` struct: written with `json.MarshalIndent` (two-space indent, no final newline),
//! fields in declaration order, `finished_at` and `exit_code` left out until the build is
//! finalized. Reading follows `json.Unmarshal`: keys match case-insensitively, unknown keys
//! and `null`s are ignored, a value of the wrong type is an error.

use serde_json::Value;

use dokku_common::text::push_go_json_string;

use crate::time::{build_duration, Timestamp};

pub const RUNNING: &str = "running";
pub const SUCCEEDED: &str = "succeeded";
pub const FAILED: &str = "failed";
pub const CANCELED: &str = "canceled";
/// Shown for a running record whose process is gone; never written.
pub const ABANDONED: &str = "abandoned";

pub const KIND_BUILD: &str = "build";
pub const KIND_DEPLOY: &str = "deploy";

/// Every source a build may record; anything else is stored as `unknown`.
pub const SOURCES: &[&str] = &[
    "git-hook",
    "ps:rebuild",
    "ps:restart",
    "ps:start",
    "deploy",
    "config-redeploy",
    "git:sync",
    "git:from-archive",
    "git:from-image",
    "git:load-image",
    "unknown",
];

/// Sources that produce a new image are builds; the rest redeploy an existing one.
pub fn default_kind(source: &str) -> &'static str {
    match source {
        "git-hook" | "ps:rebuild" | "git:sync" | "git:from-archive" | "git:from-image"
        | "git:load-image" => KIND_BUILD,
        _ => KIND_DEPLOY,
    }
}

pub fn is_terminal(status: &str) -> bool {
    matches!(status, SUCCEEDED | FAILED | CANCELED)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Build {
    pub id: String,
    pub app: String,
    pub kind: String,
    pub pid: i64,
    pub started_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub status: String,
    pub source: String,
    pub exit_code: Option<i64>,
}

/// Whether a process exists, as upstream's `CheckPIDAlive`: `kill(pid, 0)` succeeds or is
/// refused with `EPERM`. Pids that are not positive (or do not fit a `pid_t`) are dead.
pub fn pid_alive(pid: i64) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    if raw <= 0 {
        return false;
    }
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(raw), None) {
        Ok(()) => true,
        Err(nix::errno::Errno::EPERM) => true,
        Err(_) => false,
    }
}

impl Build {
    /// The status to show: `abandoned` for a running record whose process is gone.
    pub fn display_status(&self) -> &str {
        if self.status == RUNNING && !pid_alive(self.pid) {
            ABANDONED
        } else {
            &self.status
        }
    }

    /// Running on disk and its process is alive.
    pub fn is_live(&self) -> bool {
        self.status == RUNNING && pid_alive(self.pid)
    }

    /// Finish (or now) minus start, as upstream prints it.
    pub fn duration(&self) -> String {
        let end = self.finished_at.unwrap_or_else(Timestamp::now);
        build_duration(&self.started_at, &end)
    }

    /// Mark the record finished now with `status` and `exit_code`.
    pub fn finish(&mut self, status: &str, exit_code: i64) {
        self.status = status.to_string();
        self.finished_at = Some(Timestamp::now());
        self.exit_code = Some(exit_code);
    }

    fn fields(&self) -> Vec<(&'static str, String)> {
        let string = |s: &str| {
            let mut out = String::new();
            push_go_json_string(&mut out, s);
            out
        };
        let mut fields = vec![
            ("id", string(&self.id)),
            ("app", string(&self.app)),
            ("kind", string(&self.kind)),
            ("pid", self.pid.to_string()),
            ("started_at", string(&self.started_at.rfc3339_nano())),
        ];
        if let Some(t) = &self.finished_at {
            fields.push(("finished_at", string(&t.rfc3339_nano())));
        }
        fields.push(("status", string(&self.status)));
        fields.push(("source", string(&self.source)));
        if let Some(code) = self.exit_code {
            fields.push(("exit_code", code.to_string()));
        }
        fields
    }

    /// The on-disk form (`json.MarshalIndent(b, "", "  ")`).
    pub fn to_file_json(&self) -> String {
        let body: Vec<String> = self
            .fields()
            .into_iter()
            .map(|(k, v)| format!("  \"{k}\": {v}"))
            .collect();
        format!("{{\n{}\n}}", body.join(",\n"))
    }

    /// The `builds:list`/`builds:info` JSON object: the record's fields, then
    /// `display_status`, `duration` and `log_path`, compact.
    pub fn to_view_json(&self, log_path: &str) -> String {
        let mut fields = self.fields();
        let string = |s: &str| {
            let mut out = String::new();
            push_go_json_string(&mut out, s);
            out
        };
        fields.push(("display_status", string(self.display_status())));
        fields.push(("duration", string(&self.duration())));
        fields.push(("log_path", string(log_path)));
        let body: Vec<String> = fields
            .into_iter()
            .map(|(k, v)| format!("\"{k}\":{v}"))
            .collect();
        format!("{{{}}}", body.join(","))
    }

    /// Decode a record as Go's `json.Unmarshal` into the struct would.
    pub fn from_json(bytes: &[u8]) -> Result<Build, String> {
        let value: Value = serde_json::from_slice(bytes).map_err(json_syntax_error)?;
        let mut build = Build::default();
        let object = match value {
            Value::Object(map) => map,
            Value::Null => return Ok(build),
            other => {
                return Err(format!(
                    "json: cannot unmarshal {} into Go value of type builds.Build",
                    json_type(&other)
                ))
            }
        };
        let mut first_error: Option<String> = None;
        for (key, value) in object {
            let Some(field) = FIELDS.iter().find(|f| f.eq_ignore_ascii_case(&key)) else {
                continue;
            };
            if let Err(e) = build.set_field(field, value) {
                // Type mismatches are collected and the first reported, as Go does;
                // a malformed time stops decoding at once.
                if e.starts_with("parsing time") {
                    return Err(e);
                }
                first_error.get_or_insert(e);
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(build),
        }
    }

    fn set_field(&mut self, field: &str, value: Value) -> Result<(), String> {
        if value.is_null() {
            match field {
                "finished_at" => self.finished_at = None,
                "exit_code" => self.exit_code = None,
                _ => {}
            }
            return Ok(());
        }
        let mismatch = |value: &Value, go_type: &str| {
            let what = match value {
                Value::Number(n) => format!("number {n}"),
                other => json_type(other).to_string(),
            };
            format!("json: cannot unmarshal {what} into Go struct field Build.{field} of type {go_type}")
        };
        let text = |value: &Value, go_type: &str| match value {
            Value::String(s) => Ok(s.clone()),
            other => Err(mismatch(other, go_type)),
        };
        let int = |value: &Value| {
            value
                .as_i64()
                .filter(|_| value.is_i64() || value.is_u64())
                .ok_or_else(|| mismatch(value, "int"))
        };
        let time = |value: &Value| match value {
            Value::String(s) => Timestamp::parse(s),
            _ => Err("Time.UnmarshalJSON: input is not a JSON string".to_string()),
        };
        match field {
            "id" => self.id = text(&value, "string")?,
            "app" => self.app = text(&value, "string")?,
            "kind" => self.kind = text(&value, "builds.BuildKind")?,
            "status" => self.status = text(&value, "builds.BuildStatus")?,
            "source" => self.source = text(&value, "builds.BuildSource")?,
            "pid" => self.pid = int(&value)?,
            "exit_code" => self.exit_code = Some(int(&value)?),
            "started_at" => self.started_at = time(&value)?,
            "finished_at" => self.finished_at = Some(time(&value)?),
            _ => {}
        }
        Ok(())
    }
}

const FIELDS: &[&str] = &[
    "id",
    "app",
    "kind",
    "pid",
    "started_at",
    "finished_at",
    "status",
    "source",
    "exit_code",
];

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Truncated input reads as Go words it; other syntax errors keep serde's description.
fn json_syntax_error(e: serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => "unexpected end of JSON input".to_string(),
        _ => e.to_string(),
    }
}

/// A build id: 8 base36 characters of the current Unix milliseconds (the low digits),
/// then 6 base36 characters of randomness, so ids sort by start time.
pub fn generate_id() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let mut random = [0u8; 6];
    if !read_random(&mut random) {
        // Time-derived noise: uniqueness is weaker, never absent.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        for (i, b) in random.iter_mut().enumerate() {
            *b = (nanos >> (8 * i)) as u8;
        }
    }
    let noise = random.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64);
    format!("{}{}", base36_tail(ms, 8), base36_tail(noise, 6))
}

fn read_random(buf: &mut [u8]) -> bool {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(buf))
        .is_ok()
}

/// The last `width` lowercase base36 digits of `n`, zero-padded.
fn base36_tail(mut n: u64, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Build {
        Build {
            id: "lq2x9k1ma1b2c3".into(),
            app: "web".into(),
            kind: KIND_BUILD.into(),
            pid: 4242,
            started_at: Timestamp::parse("2024-05-01T10:00:00.123456789Z").unwrap(),
            finished_at: None,
            status: RUNNING.into(),
            source: "git-hook".into(),
            exit_code: None,
        }
    }

    #[test]
    fn file_json_matches_marshal_indent() {
        let mut b = sample();
        assert_eq!(
            b.to_file_json(),
            "{\n  \"id\": \"lq2x9k1ma1b2c3\",\n  \"app\": \"web\",\n  \"kind\": \"build\",\n  \"pid\": 4242,\n  \"started_at\": \"2024-05-01T10:00:00.123456789Z\",\n  \"status\": \"running\",\n  \"source\": \"git-hook\"\n}"
        );
        b.finished_at = Some(Timestamp::parse("2024-05-01T10:01:00Z").unwrap());
        b.exit_code = Some(-1);
        b.status = CANCELED.into();
        b.app = "a<b>&".into();
        assert_eq!(
            b.to_file_json(),
            "{\n  \"id\": \"lq2x9k1ma1b2c3\",\n  \"app\": \"a\\u003cb\\u003e\\u0026\",\n  \"kind\": \"build\",\n  \"pid\": 4242,\n  \"started_at\": \"2024-05-01T10:00:00.123456789Z\",\n  \"finished_at\": \"2024-05-01T10:01:00Z\",\n  \"status\": \"canceled\",\n  \"source\": \"git-hook\",\n  \"exit_code\": -1\n}"
        );
        assert_eq!(Build::from_json(b.to_file_json().as_bytes()).unwrap(), b);
    }

    #[test]
    fn view_json() {
        let mut b = sample();
        b.finished_at = Some(Timestamp::parse("2024-05-01T10:01:05.9Z").unwrap());
        b.exit_code = Some(0);
        b.status = SUCCEEDED.into();
        assert_eq!(
            b.to_view_json("/x/web/lq2x9k1ma1b2c3.log"),
            "{\"id\":\"lq2x9k1ma1b2c3\",\"app\":\"web\",\"kind\":\"build\",\"pid\":4242,\"started_at\":\"2024-05-01T10:00:00.123456789Z\",\"finished_at\":\"2024-05-01T10:01:05.9Z\",\"status\":\"succeeded\",\"source\":\"git-hook\",\"exit_code\":0,\"display_status\":\"succeeded\",\"duration\":\"1m6s\",\"log_path\":\"/x/web/lq2x9k1ma1b2c3.log\"}"
        );
    }

    #[test]
    fn decoding_like_go() {
        let b = Build::from_json(
            br#"{"ID":"x","Pid":7,"extra":[1],"status":null,"exit_code":null,"started_at":null}"#,
        )
        .unwrap();
        assert_eq!((b.id.as_str(), b.pid, b.exit_code), ("x", 7, None));
        assert_eq!(b.started_at, Timestamp::default());
        assert_eq!(Build::from_json(b"null").unwrap(), Build::default());
        let err = |s: &str| Build::from_json(s.as_bytes()).unwrap_err();
        assert_eq!(
            err("[]"),
            "json: cannot unmarshal array into Go value of type builds.Build"
        );
        assert_eq!(
            err(r#"{"pid":"12"}"#),
            "json: cannot unmarshal string into Go struct field Build.pid of type int"
        );
        assert_eq!(
            err(r#"{"pid":1.5}"#),
            "json: cannot unmarshal number 1.5 into Go struct field Build.pid of type int"
        );
        assert_eq!(
            err(r#"{"kind":3}"#),
            "json: cannot unmarshal number 3 into Go struct field Build.kind of type builds.BuildKind"
        );
        assert_eq!(
            err(r#"{"started_at":5}"#),
            "Time.UnmarshalJSON: input is not a JSON string"
        );
        assert!(err(r#"{"started_at":"yesterday"}"#).starts_with("parsing time \"yesterday\""));
        assert_eq!(err("{\"id\":"), "unexpected end of JSON input");
        assert_eq!(err(""), "unexpected end of JSON input");
        assert!(!err("{x}").is_empty());
    }

    #[test]
    fn ids() {
        assert_eq!(base36_tail(0, 6), "000000");
        assert_eq!(base36_tail(35, 3), "00z");
        assert_eq!(base36_tail(36u64.pow(8) + 1, 8), "00000001");
        let id = generate_id();
        assert_eq!(id.len(), 14);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
        let mut ids: Vec<String> = (0..200).map(|_| generate_id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 200);
    }

    #[test]
    fn kinds_and_liveness() {
        assert_eq!(default_kind("git-hook"), KIND_BUILD);
        assert_eq!(default_kind("git:load-image"), KIND_BUILD);
        assert_eq!(default_kind("ps:restart"), KIND_DEPLOY);
        assert_eq!(default_kind("unknown"), KIND_DEPLOY);
        assert!(pid_alive(std::process::id() as i64));
        assert!(pid_alive(1));
        assert!(!pid_alive(0));
        assert!(!pid_alive(-1));
        assert!(!pid_alive(1 << 40));
        assert!(is_terminal(CANCELED) && !is_terminal(RUNNING) && !is_terminal(ABANDONED));
    }
}
