//! Reading a certificate tarball from stdin without extracting it.
//!
//! Upstream copies stdin to a temporary file, checks it (size, entry count, absolute and
//! `..` member names, unsafe symlinks), extracts it with GNU tar into a temporary directory,
//! checks the extracted symlinks, then picks the one non-hidden `*crt` and `*key` file. Here
//! the archive is parsed in memory instead: the same checks run in the same order with the
//! same messages, extraction is simulated (so nothing but the copy of stdin, in a private
//! directory, is ever written), and only the two chosen members are read.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use dokku_common::property::{Store, GLOBAL};
use dokku_common::{env, log, Error, Result};

const MAX_SIZE_DEFAULT: u64 = 1_073_741_824;
const MAX_FILES_DEFAULT: u64 = 10_000;
/// The largest GNU long name or pax header kept in memory.
const MAX_META_SIZE: u64 = 1 << 20;

/// The two files picked from an archive.
#[derive(Debug)]
pub struct Pair {
    pub crt: Vec<u8>,
    pub key: Vec<u8>,
}

/// The bomb protection limits (`git` global properties `archive-max-size`/`-files`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_size: u64,
    pub max_files: u64,
}

impl Limits {
    pub fn from_properties() -> Limits {
        let store = Store::from_env();
        let get = |key: &str, default: u64| {
            store
                .get_default("git", GLOBAL, key, &default.to_string())
                .trim()
                .parse()
                .unwrap_or(default)
        };
        Limits {
            max_size: get("archive-max-size", MAX_SIZE_DEFAULT),
            max_files: get("archive-max-files", MAX_FILES_DEFAULT),
        }
    }
}

/// A private (0700) temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// `<tmp>/dokku-<pid>-<label>.XXXXXX`.
    pub fn new(label: &str) -> Result<TempDir> {
        let template =
            std::env::temp_dir().join(format!("dokku-{}-{label}.XXXXXX", env::dokku_pid()));
        nix::unistd::mkdtemp(&template)
            .map(TempDir)
            .map_err(|e| Error::new(format!("Unable to create temporary directory: {e}")))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Upstream's `[archive-security]` audit line, on stderr.
fn security_event(event: &str, archive_type: &str, source: &str, details: &str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, mo, d, h, mi, s) = crate::certinfo::civil(now);
    let user = env::var("SUDO_USER")
        .or_else(|| env::var("USER"))
        .unwrap_or_else(|| "unknown".to_string());
    log::write_stderr(&format!(
        "[archive-security] timestamp={y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z user={user} event={event} archive_type={archive_type} source={source} details={details}\n"
    ));
}

/// What the archive holds that matters here.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    File,
    HardLink(String),
    Symlink(String),
    Dir,
    Other,
}

#[derive(Debug, Clone)]
struct Member {
    /// The name as stored (what `tar -tf` lists).
    name: String,
    kind: Kind,
}

/// Why the bytes could not be read as a tar archive.
#[derive(Debug)]
struct NotTar;

fn parse_octal(field: &[u8]) -> Option<u64> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        // base-256: big-endian, first byte's high bit is the marker.
        if field[0] & 0x40 != 0 {
            return None; // negative
        }
        let mut v: u64 = (field[0] & 0x3f) as u64;
        for &b in &field[1..] {
            v = v.checked_mul(256)?.checked_add(b as u64)?;
        }
        return Some(v);
    }
    let text: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(|b| *b != 0 && *b != b' ')
        .collect();
    if text.is_empty() {
        return Some(0);
    }
    let mut v: u64 = 0;
    for b in text {
        if !(b'0'..=b'7').contains(&b) {
            return None;
        }
        v = v.checked_mul(8)?.checked_add((b - b'0') as u64)?;
    }
    Some(v)
}

fn cstr(field: &[u8]) -> String {
    let end = field.iter().position(|b| *b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

fn checksum_ok(block: &[u8; 512]) -> bool {
    let Some(stored) = parse_octal(&block[148..156]) else {
        return false;
    };
    let mut unsigned: u64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in block.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += b as u64;
        signed += b as i8 as i64;
    }
    stored == unsigned || stored as i64 == signed
}

/// Read exactly one block; `Ok(false)` on a clean end of input.
fn read_block(r: &mut impl Read, block: &mut [u8; 512]) -> std::result::Result<bool, NotTar> {
    let mut filled = 0;
    while filled < 512 {
        match r.read(&mut block[filled..]) {
            Ok(0) if filled == 0 => return Ok(false),
            Ok(0) => return Err(NotTar),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(NotTar),
        }
    }
    Ok(true)
}

/// Read `size` bytes of content (plus padding), keeping them when `keep`.
fn content(
    r: &mut impl Read,
    size: u64,
    keep: bool,
) -> std::result::Result<Option<Vec<u8>>, NotTar> {
    let padded = size.div_ceil(512) * 512;
    let mut kept = Vec::new();
    let mut left = padded;
    let mut buf = [0u8; 8192];
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        let n = match r.read(&mut buf[..want]) {
            Ok(0) => return Err(NotTar),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(NotTar),
        };
        if keep {
            let done = padded - left;
            if done < size {
                let take = ((size - done) as usize).min(n);
                kept.extend_from_slice(&buf[..take]);
            }
        }
        left -= n as u64;
    }
    Ok(keep.then_some(kept))
}

/// pax records `"<len> key=value\n"`.
fn pax_records(data: &[u8]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = data;
    while !rest.is_empty() {
        let Some(space) = rest.iter().position(|b| *b == b' ') else {
            break;
        };
        let Some(len) = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
        else {
            break;
        };
        if len <= space + 1 || len > rest.len() {
            break;
        }
        let record = &rest[space + 1..len];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Some(eq) = record.iter().position(|b| *b == b'=') {
            out.insert(
                String::from_utf8_lossy(&record[..eq]).into_owned(),
                String::from_utf8_lossy(&record[eq + 1..]).into_owned(),
            );
        }
        rest = &rest[len..];
    }
    out
}

/// The members of an archive and the contents asked for, by member index.
type Walked = (Vec<Member>, BTreeMap<usize, Vec<u8>>);

/// Walk every member. `wanted` holds the indexes whose content must be returned.
fn walk(r: &mut impl Read, wanted: &[usize]) -> std::result::Result<Walked, NotTar> {
    let mut members = Vec::new();
    let mut contents = BTreeMap::new();
    let mut block = [0u8; 512];
    let mut long_name: Option<String> = None;
    let mut long_link: Option<String> = None;
    let mut pax: BTreeMap<String, String> = BTreeMap::new();
    let mut seen_block = false;
    loop {
        if !read_block(r, &mut block)? {
            // Zero bytes are not an archive (GNU tar says so); a missing end marker is fine.
            if !seen_block {
                return Err(NotTar);
            }
            break;
        }
        seen_block = true;
        if block.iter().all(|b| *b == 0) {
            // The end-of-archive marker (an archive of only zeros is a valid empty one).
            break;
        }
        if !checksum_ok(&block) {
            return Err(NotTar);
        }
        let typeflag = block[156];
        let stored_size = parse_octal(&block[124..136]).ok_or(NotTar)?;
        match typeflag {
            b'L' | b'K' | b'x' => {
                // Names and pax records are small; a huge one is not worth holding.
                if stored_size > MAX_META_SIZE {
                    return Err(NotTar);
                }
                let data = content(r, stored_size, true)?.unwrap_or_default();
                match typeflag {
                    b'L' => long_name = Some(cstr(&data)),
                    b'K' => long_link = Some(cstr(&data)),
                    _ => pax.extend(pax_records(&data)),
                }
                continue;
            }
            b'g' | b'V' | b'M' | b'N' => {
                content(r, stored_size, false)?;
                continue;
            }
            _ => {}
        }
        let ustar = &block[257..263] == b"ustar\0";
        let mut name = cstr(&block[0..100]);
        if ustar {
            let prefix = cstr(&block[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        let mut link = cstr(&block[157..257]);
        if let Some(n) = long_name.take() {
            name = n;
        }
        if let Some(l) = long_link.take() {
            link = l;
        }
        if let Some(p) = pax.remove("path") {
            name = p;
        }
        if let Some(l) = pax.remove("linkpath") {
            link = l;
        }
        let size = match pax.remove("size") {
            Some(s) => s.trim().parse().map_err(|_| NotTar)?,
            None => stored_size,
        };
        pax.clear();
        let kind = match typeflag {
            b'0' | 0 | b'7' if name.ends_with('/') && typeflag == 0 => Kind::Dir,
            b'0' | 0 | b'7' => Kind::File,
            b'1' => Kind::HardLink(link),
            b'2' => Kind::Symlink(link),
            b'5' => Kind::Dir,
            _ => Kind::Other,
        };
        // Hard links, symlinks, devices and directories carry no data.
        let data_size = match kind {
            Kind::File | Kind::Other => size,
            _ => 0,
        };
        let index = members.len();
        let keep = wanted.contains(&index);
        if let Some(data) = content(r, data_size, keep)? {
            contents.insert(index, data);
        }
        members.push(Member { name, kind });
    }
    Ok((members, contents))
}

/// A source of the archive's bytes: the copy of stdin, decompressed when needed.
struct Source {
    path: PathBuf,
    decompressor: Option<&'static str>,
    limit: u64,
}

/// A reader that fails once more than `limit` bytes came through.
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::other("archive too large"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

impl Source {
    fn walk(&self, wanted: &[usize]) -> std::result::Result<Walked, NotTar> {
        let file = File::open(&self.path).map_err(|_| NotTar)?;
        let Some(program) = self.decompressor else {
            return walk(&mut io::BufReader::new(file), wanted);
        };
        // GNU tar recognises compressed archives by their magic and pipes them through the
        // matching decompressor; so do we.
        let mut child: Child = Command::new(program)
            .arg("-dc")
            .stdin(Stdio::from(file))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|_| NotTar)?;
        let stdout = child.stdout.take().ok_or(NotTar)?;
        let mut reader = Limited {
            inner: io::BufReader::new(stdout),
            left: self.limit,
        };
        let result = walk(&mut reader, wanted);
        // Drain what follows the end of the archive so the decompressor can finish.
        let drained = io::copy(&mut reader, &mut io::sink()).is_ok();
        let status = child.wait().map_err(|_| NotTar)?;
        if !drained || !status.success() {
            return Err(NotTar);
        }
        result
    }
}

fn decompressor_for(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0x1f, 0x8b]) {
        Some("gzip")
    } else if head.starts_with(b"BZh") {
        Some("bzip2")
    } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Some("xz")
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some("zstd")
    } else {
        None
    }
}

/// Normalised path components: `./`, empty and `.` components dropped.
fn components(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_string)
        .collect()
}

/// GNU tar's treatment of hard link targets: leading `/` and everything up to the last `..`
/// component are removed.
fn safer_link_target(target: &str) -> Vec<String> {
    let comps: Vec<&str> = target.split('/').collect();
    let start = comps.iter().rposition(|c| *c == "..").map_or(0, |i| i + 1);
    components(&comps[start..].join("/"))
}

/// A node of the simulated extraction directory.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Dir,
    /// A regular file and the member holding its content.
    File(usize),
    Symlink(String),
}

/// The simulated extraction directory.
#[derive(Default)]
struct Tree {
    nodes: BTreeMap<Vec<String>, Node>,
}

const MAX_HOPS: usize = 40;

impl Tree {
    /// `readlink -f` inside the tree: every component but the last must exist; `None` when
    /// it fails (a loop, a missing or non-directory intermediate component).
    fn canonical(&self, path: &[String]) -> Option<Vec<String>> {
        self.walk_path(path, false)
    }

    /// The directory an entry goes into, creating missing ones as `tar` does.
    fn place_parent(&mut self, parent: &[String]) -> Option<Vec<String>> {
        let resolved = self.walk_path(parent, true)?;
        for i in 1..=resolved.len() {
            self.nodes
                .entry(resolved[..i].to_vec())
                .or_insert(Node::Dir);
        }
        matches!(self.nodes.get(&resolved), Some(Node::Dir) | None).then_some(resolved)
    }

    fn walk_path(&self, path: &[String], create: bool) -> Option<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        let mut todo: std::collections::VecDeque<String> = path.iter().cloned().collect();
        let mut hops = 0;
        while let Some(comp) = todo.pop_front() {
            if comp.is_empty() || comp == "." {
                continue;
            }
            if comp == ".." {
                out.pop()?;
                continue;
            }
            let mut candidate = out.clone();
            candidate.push(comp);
            match self.nodes.get(&candidate) {
                Some(Node::Symlink(target)) => {
                    hops += 1;
                    if hops > MAX_HOPS || target.starts_with('/') || target.is_empty() {
                        return None;
                    }
                    for c in target.split('/').rev() {
                        todo.push_front(c.to_string());
                    }
                }
                Some(Node::Dir) => out = candidate,
                Some(Node::File(_)) if todo.is_empty() && !create => out = candidate,
                Some(Node::File(_)) => return None,
                None if todo.is_empty() || create => out = candidate,
                None => return None,
            }
        }
        Some(out)
    }
}

/// Every way the import can fail, with upstream's messages.
fn reject(event: &str, source: &str, details: &str, message: &str) -> Error {
    security_event(event, "tar", source, details);
    log::fail(message)
}

fn not_tar() -> Error {
    log::fail(crate::tls::MSG_TAR_EXPECTED)
}

/// Copy stdin into `dest` up to `max` bytes, counting everything read.
fn copy_stdin(dest: &Path, max: u64) -> Result<u64> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
        .map_err(|e| Error::new(format!("Unable to store the archive: {e}")))?;
    let mut stdin = io::stdin().lock();
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match stdin.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::new(format!("Unable to read stdin: {e}"))),
        };
        // Past the limit only the count matters; the rest is not stored.
        if total < max {
            let keep = ((max - total) as usize).min(n);
            file.write_all(&buf[..keep])
                .map_err(|e| Error::new(format!("Unable to store the archive: {e}")))?;
        }
        total += n as u64;
    }
    Ok(total)
}

/// Read the tarball on stdin and pick its certificate and key, failing as upstream does.
pub fn import_stdin() -> Result<Pair> {
    let limits = Limits::from_properties();
    let work = TempDir::new("cmd-certs-set")?;
    let archive = work.path().join("archive.tar");
    let source_label = archive.display().to_string();
    let dest_label = work.path().display().to_string();

    let size = copy_stdin(&archive, limits.max_size)?;
    if size > limits.max_size {
        return Err(reject(
            "rejected_archive_too_large",
            &source_label,
            &format!("size={size} max={}", limits.max_size),
            &format!(
                "Archive exceeds maximum allowed size of {} bytes",
                limits.max_size
            ),
        ));
    }
    let mut head = [0u8; 6];
    let head_len = File::open(&archive)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let source = Source {
        path: archive.clone(),
        decompressor: decompressor_for(&head[..head_len]),
        limit: limits.max_size,
    };
    let (members, _) = source.walk(&[]).map_err(|_| not_tar())?;

    if members.len() as u64 > limits.max_files {
        return Err(reject(
            "rejected_archive_too_many_files",
            &source_label,
            &format!("count={} max={}", members.len(), limits.max_files),
            &format!(
                "Archive contains {} entries which exceeds the maximum of {}",
                members.len(),
                limits.max_files
            ),
        ));
    }
    check_names(&members, &source_label)?;

    security_event(
        "extraction_started",
        "tar",
        &source_label,
        &format!("dest={dest_label}"),
    );
    let tree = extract(&members)?;
    check_extracted_symlinks(&tree, &dest_label)?;
    security_event(
        "extraction_completed",
        "tar",
        &source_label,
        &format!("dest={dest_label}"),
    );

    let crt_index = pick(&tree, "crt")?;
    let key_index = pick(&tree, "key")?;
    let (_, contents) = source
        .walk(&[crt_index, key_index])
        .map_err(|_| not_tar())?;
    Ok(Pair {
        crt: contents.get(&crt_index).cloned().unwrap_or_default(),
        key: contents.get(&key_index).cloned().unwrap_or_default(),
    })
}

/// Upstream's pre-extraction checks, in its order.
fn check_names(members: &[Member], source: &str) -> Result<()> {
    if members.iter().any(|m| m.name.starts_with('/')) {
        return Err(reject(
            "rejected_absolute_path",
            source,
            "absolute path detected",
            "Archive contains entries with absolute paths",
        ));
    }
    if members.iter().any(|m| m.name.split('/').any(|c| c == "..")) {
        return Err(reject(
            "rejected_path_traversal",
            source,
            "parent directory traversal detected",
            "Archive contains entries with parent directory traversal",
        ));
    }
    for member in members {
        let Kind::Symlink(target) = &member.kind else {
            continue;
        };
        if target.starts_with('/') {
            return Err(reject(
                "rejected_unsafe_symlink",
                source,
                &format!("absolute symlink target={target}"),
                "Archive contains symlinks with absolute targets",
            ));
        }
        if target.contains("..") {
            return Err(reject(
                "rejected_unsafe_symlink",
                source,
                &format!("traversal symlink target={target}"),
                "Archive contains symlinks pointing outside extraction directory",
            ));
        }
    }
    Ok(())
}

fn extract_failed() -> Error {
    log::fail("Unable to extract the tar archive")
}

/// Replay the members the way `tar -x` lays them out, without writing anything.
fn extract(members: &[Member]) -> Result<Tree> {
    let mut tree = Tree::default();
    for (index, member) in members.iter().enumerate() {
        let comps = components(&member.name);
        let Some((leaf, parent)) = comps.split_last() else {
            continue;
        };
        let mut path = tree.place_parent(parent).ok_or_else(extract_failed)?;
        path.push(leaf.clone());
        if member.kind == Kind::Other {
            // Devices and fifos are not regular files: `find -type f` never lists them.
            continue;
        }
        let existing = tree.nodes.get(&path).cloned();
        let node = match &member.kind {
            Kind::Dir => match existing {
                Some(Node::Dir) | None => Node::Dir,
                Some(_) => return Err(extract_failed()),
            },
            _ if existing == Some(Node::Dir) => return Err(extract_failed()),
            Kind::File => Node::File(index),
            Kind::Symlink(target) => Node::Symlink(target.clone()),
            Kind::HardLink(target) => {
                let target = tree
                    .canonical(&safer_link_target(target))
                    .ok_or_else(extract_failed)?;
                match tree.nodes.get(&target) {
                    Some(Node::File(source)) => Node::File(*source),
                    _ => return Err(extract_failed()),
                }
            }
            Kind::Other => continue,
        };
        tree.nodes.insert(path, node);
    }
    Ok(tree)
}

/// Upstream resolves every extracted symlink with `readlink -f` and rejects the archive
/// when one cannot be resolved inside the extraction directory.
fn check_extracted_symlinks(tree: &Tree, dest: &str) -> Result<()> {
    for (path, node) in &tree.nodes {
        if !matches!(node, Node::Symlink(_)) {
            continue;
        }
        if tree.canonical(path).is_none() {
            security_event(
                "rejected_extracted_symlink",
                "post_extraction",
                &format!("{dest}/{}", path.join("/")),
                &format!("target= dir={dest}"),
            );
            return Err(log::fail(
                "Archive contains symlinks pointing outside extraction directory",
            ));
        }
    }
    Ok(())
}

/// `find . -not -path '*/\.*' -type f | grep ".<ext>$"`: exactly one match.
fn pick(tree: &Tree, ext: &str) -> Result<usize> {
    let found: Vec<usize> = tree
        .nodes
        .iter()
        .filter_map(|(path, node)| match node {
            Node::File(source)
                if !path.iter().any(|c| c.starts_with('.'))
                    && path.last().is_some_and(|l| l.ends_with(ext)) =>
            {
                Some(*source)
            }
            _ => None,
        })
        .collect();
    match found.len() {
        0 => Err(log::fail(format!("Tar archive is missing .{ext} file"))),
        1 => Ok(found[0]),
        _ => Err(log::fail(format!(
            "Tar archive contains more than one .{ext} file"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, typeflag: u8, size: u64, link: &str) -> [u8; 512] {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(b"0000644");
        h[108..115].copy_from_slice(b"0000000");
        h[116..123].copy_from_slice(b"0000000");
        let s = format!("{size:011o}");
        h[124..135].copy_from_slice(s.as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = typeflag;
        h[157..157 + link.len()].copy_from_slice(link.as_bytes());
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u64 = h.iter().map(|b| *b as u64).sum();
        let c = format!("{sum:06o}\0 ");
        h[148..156].copy_from_slice(c.as_bytes());
        h
    }

    fn archive(entries: &[(&str, u8, &[u8], &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, t, data, link) in entries {
            out.extend_from_slice(&header(name, *t, data.len() as u64, link));
            out.extend_from_slice(data);
            out.resize(out.len().div_ceil(512) * 512, 0);
        }
        out.extend_from_slice(&[0u8; 1024]);
        out
    }

    #[test]
    fn walks_members_and_contents() {
        let a = archive(&[
            ("dir/", b'5', b"", ""),
            ("dir/server.crt", b'0', b"CRT", ""),
            ("server.key", b'0', b"KEY", ""),
            ("l", b'2', b"", "dir"),
        ]);
        let (members, contents) = walk(&mut &a[..], &[1, 2]).unwrap();
        assert_eq!(members.len(), 4);
        assert_eq!(members[3].kind, Kind::Symlink("dir".into()));
        assert_eq!(contents[&1], b"CRT");
        assert_eq!(contents[&2], b"KEY");
        let tree = extract(&members).unwrap();
        assert!(check_extracted_symlinks(&tree, "/x").is_ok());
        assert_eq!(pick(&tree, "crt").unwrap(), 1);
        assert_eq!(pick(&tree, "key").unwrap(), 2);
    }

    #[test]
    fn not_tar() {
        assert!(walk(&mut &b""[..], &[]).is_err());
        assert!(walk(&mut &[0u8; 1024][..], &[]).unwrap().0.is_empty());
        assert!(walk(&mut &[7u8; 2048][..], &[]).is_err());
        let mut a = archive(&[("a", b'0', b"xyz", "")]);
        a.truncate(600);
        assert!(walk(&mut &a[..], &[]).is_err(), "content cut short");
    }

    #[test]
    fn long_names_and_pax() {
        let long = "d/".repeat(80) + "server.crt";
        let a = archive(&[
            ("././@LongLink", b'L', format!("{long}\0").as_bytes(), ""),
            ("short", b'0', b"A", ""),
            ("pax", b'x', b"18 path=pax/x.key\n", ""),
            ("ignored", b'0', b"B", ""),
        ]);
        let (members, _) = walk(&mut &a[..], &[]).unwrap();
        assert_eq!(members[0].name, long);
        assert_eq!(members[1].name, "pax/x.key");
    }

    #[test]
    fn simulated_links() {
        let a = archive(&[
            ("real.crt", b'0', b"C", ""),
            (".hidden/k.key", b'0', b"K", ""),
            ("copy.key", b'1', b"", "/.hidden/k.key"),
            ("loop1", b'2', b"", "loop2"),
        ]);
        let (mut members, _) = walk(&mut &a[..], &[]).unwrap();
        let tree = extract(&members).unwrap();
        assert_eq!(
            pick(&tree, "key").unwrap(),
            1,
            "hard link shares the content"
        );
        assert!(
            check_extracted_symlinks(&tree, "/x").is_ok(),
            "dangling is fine"
        );
        members.push(Member {
            name: "loop2".into(),
            kind: Kind::Symlink("loop1".into()),
        });
        let tree = extract(&members).unwrap();
        assert!(check_extracted_symlinks(&tree, "/x").is_err());
        members.push(Member {
            name: "bad".into(),
            kind: Kind::HardLink("missing".into()),
        });
        assert!(extract(&members).is_err());
    }

    #[test]
    fn octal_fields() {
        assert_eq!(parse_octal(b"0000644\0"), Some(0o644));
        assert_eq!(parse_octal(b"  17 \0"), Some(15));
        assert_eq!(parse_octal(b"\0\0\0"), Some(0));
        assert_eq!(parse_octal(b"9"), None);
        assert_eq!(parse_octal(&[0x80, 0, 1, 0]), Some(256));
        assert_eq!(
            safer_link_target("/a/../../b/c"),
            vec!["b".to_string(), "c".to_string()]
        );
    }
}
