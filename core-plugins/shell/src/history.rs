//! The shell's history in `~/.dokku_history`: one entry per line, read when the shell
//! starts and rewritten (atomically, mode 0600) whenever an entry is added.

use std::path::PathBuf;

use dokku_common::fs as dfs;

pub struct History {
    path: Option<PathBuf>,
    pub entries: Vec<String>,
}

/// `~`: `$HOME`, else the home directory of the current user.
fn home() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home));
    }
    dokku_common::account::user_by_uid(nix::unistd::getuid().as_raw()).map(|u| u.home)
}

impl History {
    pub fn load() -> History {
        let path = home().map(|h| h.join(".dokku_history"));
        let entries = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .map(|data| {
                String::from_utf8_lossy(&data)
                    .split('\n')
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        History { path, entries }
    }

    /// Record a line unless it repeats the previous entry.
    pub fn add(&mut self, line: &str) {
        if self.entries.last().map(|l| super::words::trim(l)) == Some(line) {
            return;
        }
        self.entries.push(line.to_string());
        self.save();
    }

    fn save(&self) {
        let Some(path) = &self.path else {
            return;
        };
        let mut data = String::new();
        for entry in &self.entries {
            data.push_str(entry);
            data.push('\n');
        }
        // The file belongs to whoever runs the shell: keep_owner. A history that cannot be
        // written must not stop the shell.
        let _ = dfs::write_atomic_keep_owner(path, data.as_bytes(), 0o600);
    }
}
