//! `htpasswd -nb <user> <password>` without apache2-utils: the `user:$apr1$salt$hash` line
//! (Apache's MD5 crypt, htpasswd's default) with a random 8-character salt.

use crate::error::{Error, Result};

const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The line `htpasswd -nb` prints (without its newlines). Usernames holding `:` fail as
/// htpasswd does (its message, exit status 6).
pub fn line(user: &str, password: &str) -> Result<String> {
    if user.contains(':') {
        return Err(Error::with_code("htpasswd: username contains illegal character ':'", 6).raw());
    }
    Ok(format!(
        "{user}:{}",
        apr1(password.as_bytes(), &random_salt()?)
    ))
}

/// 8 salt characters from the kernel's random source.
fn random_salt() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 8];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::new(format!("htpasswd: unable to generate a salt: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| ITOA64[usize::from(b & 0x3f)] as char)
        .collect())
}

/// `$apr1$<salt>$<hash>`: the FreeBSD MD5 crypt with Apache's magic (salt up to 8 chars).
pub fn apr1(password: &[u8], salt: &str) -> String {
    const MAGIC: &[u8] = b"$apr1$";
    let salt = &salt.as_bytes()[..salt.len().min(8)];
    let alternate = md5(&[password, salt, password].concat());
    let mut ctx = [password, MAGIC, salt].concat();
    let mut left = password.len();
    while left > 0 {
        let n = left.min(16);
        ctx.extend_from_slice(&alternate[..n]);
        left -= n;
    }
    let mut bits = password.len();
    while bits > 0 {
        ctx.push(if bits & 1 == 1 {
            0
        } else {
            password.first().copied().unwrap_or(0)
        });
        bits >>= 1;
    }
    let mut digest = md5(&ctx);
    for round in 0..1000 {
        let mut buf = Vec::with_capacity(64);
        if round & 1 == 1 {
            buf.extend_from_slice(password);
        } else {
            buf.extend_from_slice(&digest);
        }
        if round % 3 != 0 {
            buf.extend_from_slice(salt);
        }
        if round % 7 != 0 {
            buf.extend_from_slice(password);
        }
        if round & 1 == 1 {
            buf.extend_from_slice(&digest);
        } else {
            buf.extend_from_slice(password);
        }
        digest = md5(&buf);
    }
    let mut out = String::from_utf8_lossy(MAGIC).into_owned();
    out.push_str(&String::from_utf8_lossy(salt));
    out.push('$');
    let d = digest;
    for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
        let v = (u32::from(d[a]) << 16) | (u32::from(d[b]) << 8) | u32::from(d[c]);
        push64(&mut out, v, 4);
    }
    push64(&mut out, u32::from(d[11]), 2);
    out
}

fn push64(out: &mut String, mut v: u32, n: usize) {
    for _ in 0..n {
        out.push(ITOA64[(v & 0x3f) as usize] as char);
        v >>= 6;
    }
}

/// RFC 1321 MD5.
fn md5(input: &[u8]) -> [u8; 16] {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    // K[i] = floor(abs(sin(i + 1)) * 2^32)
    let k: Vec<u32> = (0..64)
        .map(|i| ((i as f64 + 1.0).sin().abs() * 4294967296.0) as u32)
        .collect();
    let mut state: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
    let mut msg = input.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((input.len() as u64).wrapping_mul(8)).to_le_bytes());
    for chunk in msg.chunks(64) {
        let m: Vec<u32> = chunk
            .chunks(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = state;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let rotated = a
                .wrapping_add(f)
                .wrapping_add(k[i])
                .wrapping_add(m[g])
                .rotate_left(S[i]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(rotated);
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d]) {
            *s = s.wrapping_add(v);
        }
    }
    let mut out = [0u8; 16];
    for (i, s) in state.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&s.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn md5_vectors() {
        assert_eq!(hex(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(&md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(hex(&md5(&[b'x'; 100])), "aed563ecafb4bcc5654c597a421547b2");
    }

    /// Expected values from `openssl passwd -apr1 -salt <salt> <password>`.
    #[test]
    fn apr1_matches_openssl() {
        assert_eq!(
            apr1(b"password", "abcdefgh"),
            "$apr1$abcdefgh$FBwExRW4dCc8aL.OvjpIE1"
        );
        assert_eq!(
            apr1(b"secret with spaces", "r31....."),
            "$apr1$r31.....$LeMvhNO/TodgelTBRiSoQ0"
        );
        assert_eq!(
            apr1(&[b'a'; 40], "Z/9xY8w."),
            "$apr1$Z/9xY8w.$mZjkiPp1jJYw6SPSoRuIn/"
        );
    }

    #[test]
    fn line_format_and_errors() {
        let l = line("admin", "pw").unwrap();
        let rest = l.strip_prefix("admin:$apr1$").unwrap();
        let (salt, _) = rest.split_once('$').unwrap();
        assert_eq!(salt.len(), 8);
        assert_eq!(l, format!("admin:{}", apr1(b"pw", salt)));
        let err = line("a:b", "pw").unwrap_err();
        assert_eq!(err.code(), 6);
        assert_eq!(
            err.rendered(false),
            "htpasswd: username contains illegal character ':'\n"
        );
    }
}
