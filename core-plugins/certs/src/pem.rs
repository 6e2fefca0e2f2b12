//! PEM blocks as OpenSSL's readers find them: `-----BEGIN <label>-----` lines, optional
//! RFC 1421 headers (`Proc-Type: …`), base64 lines, `-----END <label>-----`. Text outside
//! blocks is ignored.

/// One decoded block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub label: String,
    /// Whether the block carried `Proc-Type: 4,ENCRYPTED` (a legacy encrypted key).
    pub encrypted_headers: bool,
    /// The decoded DER, or `None` when the base64 was invalid.
    pub der: Option<Vec<u8>>,
}

fn begin_label(line: &str) -> Option<&str> {
    line.strip_prefix("-----BEGIN ")?.strip_suffix("-----")
}

/// Every block of `data`, in order. A block without its END line is dropped.
pub fn blocks(data: &[u8]) -> Vec<Block> {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r').trim());
    while let Some(line) = lines.next() {
        let Some(label) = begin_label(line) else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        let mut encrypted_headers = false;
        let mut closed = false;
        for inner in lines.by_ref() {
            if inner == end {
                closed = true;
                break;
            }
            if inner.contains(':') {
                // An RFC 1421 header line, not base64.
                if inner.starts_with("Proc-Type:") && inner.contains("ENCRYPTED") {
                    encrypted_headers = true;
                }
                continue;
            }
            body.push_str(inner);
        }
        if closed {
            out.push(Block {
                label: label.to_string(),
                encrypted_headers,
                der: base64_decode(&body),
            });
        }
    }
    out
}

/// Standard base64 with padding; whitespace has already been removed by the caller.
pub fn base64_decode(input: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a') as u32 + 26),
            b'0'..=b'9' => Some((c - b'0') as u32 + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let bytes: Vec<u8> = input.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if bytes.is_empty() || bytes.len() & 3 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let chunks = bytes.len() / 4;
    for (i, chunk) in bytes.chunks(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != chunks) {
            return None;
        }
        let mut acc = 0u32;
        for &c in &chunk[..4 - pad] {
            acc = (acc << 6) | value(c)?;
        }
        acc <<= 6 * pad as u32;
        let decoded = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Some(out)
}

/// Labels OpenSSL reads a certificate from.
pub fn is_certificate_label(label: &str) -> bool {
    matches!(
        label,
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE"
    )
}

/// Labels of the private key encodings nginx (through OpenSSL) loads.
pub fn is_private_key_label(label: &str) -> bool {
    matches!(
        label,
        "PRIVATE KEY"
            | "RSA PRIVATE KEY"
            | "EC PRIVATE KEY"
            | "DSA PRIVATE KEY"
            | "ENCRYPTED PRIVATE KEY"
    )
}

/// The DER of the first certificate block, as `openssl x509 -in` reads it.
pub fn first_certificate(data: &[u8]) -> Option<Vec<u8>> {
    blocks(data)
        .into_iter()
        .find(|b| is_certificate_label(&b.label))
        .and_then(|b| b.der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aGVsbG8h").unwrap(), b"hello!");
        assert_eq!(base64_decode("aGk=").unwrap(), b"hi");
        assert_eq!(base64_decode("aA==").unwrap(), b"h");
        assert!(base64_decode("aGk").is_none());
        assert!(base64_decode("a=Gk").is_none());
        assert!(base64_decode("aA==aA==").is_none());
        assert!(base64_decode("a*==").is_none());
        assert!(base64_decode("").is_none());
    }

    #[test]
    fn blocks_and_headers() {
        let data = b"junk\n-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\naGk=\n-----END RSA PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\naA==\n-----END CERTIFICATE-----\n-----BEGIN X-----\naA==\n";
        let b = blocks(data);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].label, "RSA PRIVATE KEY");
        assert!(b[0].encrypted_headers);
        assert_eq!(b[0].der.as_deref(), Some(&b"hi"[..]));
        assert_eq!(b[1].label, "CERTIFICATE");
        assert!(!b[1].encrypted_headers);
        assert_eq!(first_certificate(data).unwrap(), b"h");
        assert!(first_certificate(b"nothing").is_none());
    }
}
