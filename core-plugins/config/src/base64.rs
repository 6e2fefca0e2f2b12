//! `config:set --encoded`: Go's `base64.StdEncoding.DecodeString`, with its error offsets
//! (`illegal base64 data at input byte N`). Padding is required, `\r` and `\n` are skipped,
//! non-zero trailing bits are tolerated.

fn sextet(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn corrupt(at: usize) -> String {
    format!("illegal base64 data at input byte {at}")
}

fn is_newline(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Decode one quantum starting at `si`: the new position, the bytes decoded, and whether the
/// input ended (padding seen).
fn quantum(src: &[u8], mut si: usize, out: &mut Vec<u8>) -> Result<(usize, bool), String> {
    let mut buf = [0u8; 4];
    let mut len = 4;
    let mut j = 0;
    let mut ended = false;
    while j < 4 {
        if si == src.len() {
            if j == 0 {
                return Ok((si, true));
            }
            return Err(corrupt(si - j));
        }
        let c = src[si];
        si += 1;
        if let Some(v) = sextet(c) {
            buf[j] = v;
            j += 1;
            continue;
        }
        if is_newline(c) {
            continue;
        }
        if c != b'=' {
            return Err(corrupt(si - 1));
        }
        match j {
            0 | 1 => return Err(corrupt(si - 1)),
            2 => {
                while si < src.len() && is_newline(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return Err(corrupt(src.len()));
                }
                if src[si] != b'=' {
                    return Err(corrupt(si - 1));
                }
                si += 1;
            }
            _ => {}
        }
        while si < src.len() && is_newline(src[si]) {
            si += 1;
        }
        if si < src.len() {
            return Err(corrupt(si));
        }
        len = j;
        ended = true;
        break;
    }
    let val = (u32::from(buf[0]) << 18)
        | (u32::from(buf[1]) << 12)
        | (u32::from(buf[2]) << 6)
        | u32::from(buf[3]);
    let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
    out.extend_from_slice(&bytes[..len - 1]);
    Ok((si, ended))
}

pub fn decode(s: &str) -> Result<Vec<u8>, String> {
    let src = s.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let (next, ended) = quantum(src, si, &mut out)?;
        si = next;
        if ended {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes() {
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("bXl2YWx1ZQo=").unwrap(), b"myvalue\n");
        assert_eq!(decode("bXl2YWx1ZQ==").unwrap(), b"myvalue");
        assert_eq!(decode("eA==").unwrap(), b"x");
        assert_eq!(decode("YWJj").unwrap(), b"abc");
        assert_eq!(decode("YW\nJj\r\n").unwrap(), b"abc");
        assert_eq!(decode("eB==").unwrap(), b"x");
    }

    #[test]
    fn errors_like_go() {
        assert_eq!(
            decode("eA").unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            decode("e").unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            decode("YWJ").unwrap_err(),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            decode("eA=").unwrap_err(),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            decode("e===").unwrap_err(),
            "illegal base64 data at input byte 1"
        );
        assert_eq!(
            decode("not base64!").unwrap_err(),
            "illegal base64 data at input byte 3"
        );
        assert_eq!(
            decode("eA==YWJj").unwrap_err(),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            decode("eA=x").unwrap_err(),
            "illegal base64 data at input byte 2"
        );
        assert_eq!(
            decode("YWJjZA").unwrap_err(),
            "illegal base64 data at input byte 4"
        );
    }
}
