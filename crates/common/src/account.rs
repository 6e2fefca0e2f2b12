//! Users and groups, read from `/etc/passwd` and `/etc/group`.
//!
//! The release binaries are statically linked (one program start costs less than a dynamic
//! `/bin/true`), and a static glibc cannot safely load NSS modules: a lookup that reaches
//! one (e.g. `systemd` for a missing name) crashes the process. So lookups read the local
//! account files, where the dokku user and group that the package creates live. Accounts
//! that exist only in a directory service (LDAP, `systemd-homed`) are not seen.

use std::path::{Path, PathBuf};

const PASSWD: &str = "/etc/passwd";
const GROUP: &str = "/etc/group";

/// One `/etc/passwd` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: PathBuf,
}

/// One `/etc/group` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

/// The user called `name`.
pub fn user_by_name(name: &str) -> Option<User> {
    users(Path::new(PASSWD)).find(|u| u.name == name)
}

/// The first user with `uid` (as `getpwuid` returns it).
pub fn user_by_uid(uid: u32) -> Option<User> {
    users(Path::new(PASSWD)).find(|u| u.uid == uid)
}

/// The group called `name`.
pub fn group_by_name(name: &str) -> Option<Group> {
    groups(Path::new(GROUP)).find(|g| g.name == name)
}

/// What `initgroups(user, gid)` sets: `gid` and every group listing `user` as a member.
pub fn group_list(user: &str, gid: u32) -> Vec<u32> {
    let mut list = vec![gid];
    for group in groups(Path::new(GROUP)) {
        if group.members.iter().any(|m| m == user) && !list.contains(&group.gid) {
            list.push(group.gid);
        }
    }
    list
}

/// The name of the effective user, or its uid when it has no entry (as `id -un` fails over).
pub fn effective_user_name() -> String {
    let uid = nix::unistd::geteuid().as_raw();
    user_by_uid(uid)
        .map(|u| u.name)
        .unwrap_or_else(|| uid.to_string())
}

fn lines(path: &Path) -> impl Iterator<Item = String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        // `+`/`-` lines are NIS compat markers, not accounts.
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(['+', '-']))
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

fn users(path: &Path) -> impl Iterator<Item = User> {
    lines(path).filter_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() < 7 || f[0].is_empty() {
            return None;
        }
        Some(User {
            name: f[0].to_string(),
            uid: f[2].parse().ok()?,
            gid: f[3].parse().ok()?,
            home: PathBuf::from(f[5]),
        })
    })
}

fn groups(path: &Path) -> impl Iterator<Item = Group> {
    lines(path).filter_map(|line| {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() < 4 || f[0].is_empty() {
            return None;
        }
        Some(Group {
            name: f[0].to_string(),
            gid: f[2].parse().ok()?,
            members: f[3]
                .split(',')
                .filter(|m| !m.is_empty())
                .map(str::to_string)
                .collect(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> (crate::fs::testutil::TempDir, PathBuf) {
        let dir = crate::fs::testutil::TempDir::new();
        let path = dir.path().join("f");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn parses_passwd_entries_and_skips_junk() {
        let (_d, p) = file(
            "# comment\nroot:x:0:0:root:/root:/bin/bash\n+nis::::::\nbroken:x:zz:0::/:/bin/sh\n\
             dokku:x:1000:1001:,,,:/home/dokku:/bin/bash\nshort:x:1:1\n",
        );
        let all: Vec<User> = users(&p).collect();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[1],
            User {
                name: "dokku".into(),
                uid: 1000,
                gid: 1001,
                home: PathBuf::from("/home/dokku"),
            }
        );
    }

    #[test]
    fn parses_group_members() {
        let (_d, p) = file("dokku:x:1001:\ndocker:x:998:dokku,alice\nbad:x:\n");
        let all: Vec<Group> = groups(&p).collect();
        assert_eq!(all.len(), 2);
        assert!(all[0].members.is_empty());
        assert_eq!(all[1].members, vec!["dokku".to_string(), "alice".to_string()]);
    }

    #[test]
    fn real_files_resolve_root() {
        let root = user_by_uid(0).expect("root in /etc/passwd");
        assert_eq!(root.name, "root");
        assert_eq!(user_by_name("root").map(|u| u.uid), Some(0));
        assert_eq!(group_by_name("root").map(|g| g.gid), Some(0));
        assert!(user_by_name("no-such-user-dokku-rs").is_none());
        assert_eq!(group_list("root", 0)[0], 0);
    }
}
