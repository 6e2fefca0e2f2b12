//! `ssh-keys:remove <name>` and `ssh-keys:remove --fingerprint <fingerprint>`.

use dokku_common::args::nth;
use dokku_common::log::fail;
use dokku_common::Result;

use crate::keyfile::{self, KeyFile};

pub fn run(args: &[String]) -> Result<()> {
    let file = KeyFile::from_env();
    // Upstream checks the file before looking at its arguments.
    file.verify()?;
    let (first, fingerprint) = (nth(args, 0), nth(args, 1));
    let marker = if first == "--fingerprint" {
        if fingerprint.is_empty() {
            return Err(fail(
                "A fingerprint is required to remove a key, ie: dokku ssh-keys:remove --fingerprint FINGERPRINT",
            ));
        }
        // What sshcommand's sed address matches: the start of the forced command.
        format!("\"FINGERPRINT={fingerprint} ").into_bytes()
    } else {
        if first.is_empty() {
            return Err(fail(
                "A name is required to remove a key, ie: dokku ssh-keys:remove <name>",
            ));
        }
        let mut marker = b" ".to_vec();
        marker.extend(keyfile::name_marker(first));
        marker.push(b' ');
        marker
    };
    let _lock = file.lock()?;
    let current = file.read()?.unwrap_or_default();
    let kept = keyfile::without_lines_containing(&current, &marker);
    if kept != current {
        file.write(&kept)?;
    }
    Ok(())
}
