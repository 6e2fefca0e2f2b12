//! Checking a certificate and key before they are installed. Upstream copies whatever it is
//! given; here a file that is not a PEM certificate (or private key), or a key that does not
//! belong to the certificate, is refused before anything is written: nginx would refuse it
//! later, breaking every app's reload.

use std::io::Write;
use std::process::{Command, Stdio};

use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::x509::SubjectPublicKeyInfo;

use dokku_common::{log, Error, Result};

use crate::pem;

pub const MSG_BAD_CRT: &str = "CRT file is not a valid PEM-encoded certificate";
pub const MSG_BAD_KEY: &str = "KEY file is not a valid PEM-encoded private key";
pub const MSG_MISMATCH: &str = "KEY file does not match the certificate in the CRT file";

/// The key bits of the first certificate, after checking that every certificate parses.
fn certificate_key_bits(crt: &[u8]) -> Result<Vec<u8>> {
    let certs: Vec<pem::Block> = pem::blocks(crt)
        .into_iter()
        .filter(|b| pem::is_certificate_label(&b.label))
        .collect();
    if certs.is_empty() {
        return Err(log::fail(MSG_BAD_CRT));
    }
    let mut first = None;
    for block in &certs {
        let der = block.der.as_deref().ok_or_else(|| log::fail(MSG_BAD_CRT))?;
        let (_, cert) = X509Certificate::from_der(der).map_err(|_| log::fail(MSG_BAD_CRT))?;
        if first.is_none() {
            first = Some(cert.public_key().subject_public_key.data.to_vec());
        }
    }
    first.ok_or_else(|| log::fail(MSG_BAD_CRT))
}

/// The first private key block, checked to be DER; `None` for an encrypted key.
fn key_block(key: &[u8]) -> Result<Option<pem::Block>> {
    let block = pem::blocks(key)
        .into_iter()
        .find(|b| pem::is_private_key_label(&b.label))
        .ok_or_else(|| log::fail(MSG_BAD_KEY))?;
    if block.label == "ENCRYPTED PRIVATE KEY" || block.encrypted_headers {
        return Ok(None);
    }
    let der = block.der.as_deref().ok_or_else(|| log::fail(MSG_BAD_KEY))?;
    match x509_parser::der_parser::parse_der(der) {
        Ok((rest, _)) if rest.is_empty() && der.first() == Some(&0x30) => Ok(Some(block)),
        _ => Err(log::fail(MSG_BAD_KEY)),
    }
}

/// The public key bits of a private key, as `openssl pkey -pubout` derives them; `None`
/// when openssl is not installed (the check is then skipped).
fn private_key_public_bits(key_pem: &[u8]) -> Result<Option<Vec<u8>>> {
    let child = Command::new("openssl")
        .args(["pkey", "-pubout", "-outform", "DER", "-passin", "pass:"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::new(format!("Unable to run openssl: {e}"))),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A key openssl cannot read may close the pipe early; the status tells.
        let _ = stdin.write_all(key_pem);
    }
    let out = child
        .wait_with_output()
        .map_err(|e| Error::new(format!("Unable to run openssl: {e}")))?;
    if !out.status.success() {
        return Err(log::fail(MSG_BAD_KEY));
    }
    let (_, spki) =
        SubjectPublicKeyInfo::from_der(&out.stdout).map_err(|_| log::fail(MSG_BAD_KEY))?;
    Ok(Some(spki.subject_public_key.data.to_vec()))
}

/// Refuse anything nginx could not serve: no certificate, no private key, or a key that does
/// not belong to the (first) certificate.
pub fn check_pair(crt: &[u8], key: &[u8]) -> Result<()> {
    let cert_bits = certificate_key_bits(crt)?;
    let Some(_) = key_block(key)? else {
        return Ok(());
    };
    match private_key_public_bits(key)? {
        Some(bits) if bits != cert_bits => Err(log::fail(MSG_MISMATCH)),
        _ => Ok(()),
    }
}
