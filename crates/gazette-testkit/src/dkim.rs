//! DKIM, checked by a real verifier: PyPI's `dkimpy`, installed with `pip --target` (its
//! `dkim/__init__.py` named by `GAZETTE_TEST_DKIMPY`) and run by `GAZETTE_TEST_PYTHON`. The
//! public key is handed to it as the DNS record would hold it, so no lookup leaves the machine.
//! Keys are made by Debian's `openssl`, as an operator would make theirs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::configured_file;
use crate::feed_validators::{python, run_with_input};

pub const DKIMPY_VAR: &str = "GAZETTE_TEST_DKIMPY";

pub fn dkimpy() -> Option<PathBuf> {
    configured_file("PyPI's dkimpy", DKIMPY_VAR)
}

/// A new 2048-bit RSA key in `dir`: the private key file (PKCS#1 PEM, as `smtp.dkim_key_file`
/// takes it) and the public key as its DNS record carries it (`p=`, base64 of the DER).
pub fn make_key(dir: &Path) -> (PathBuf, String) {
    let key = dir.join("dkim.pem");
    let made = Command::new("openssl")
        .args(["genrsa", "-traditional", "-out"])
        .arg(&key)
        .arg("2048")
        .output()
        .unwrap_or_else(|e| panic!("running openssl genrsa: {e}"));
    assert!(made.status.success(), "openssl genrsa: {made:?}");
    let public = Command::new("openssl")
        .args(["rsa", "-pubout", "-outform", "DER", "-in"])
        .arg(&key)
        .output()
        .unwrap_or_else(|e| panic!("running openssl rsa: {e}"));
    assert!(public.status.success(), "openssl rsa: {public:?}");
    use base64::Engine as _;
    let record = base64::engine::general_purpose::STANDARD.encode(public.stdout);
    (key, record)
}

/// Whether dkimpy finds `message`'s DKIM signature good, the selector's record holding
/// `public_key`; None when dkimpy or Python is not configured.
pub fn verifies(message: &str, public_key: &str) -> Option<bool> {
    const SCRIPT: &str = r#"
import sys, dkim
record = ("v=DKIM1; k=rsa; p=" + sys.argv[1]).encode()
ok = dkim.verify(sys.stdin.buffer.read(), dnsfunc=lambda name, timeout=5: record)
print("good" if ok else "bad")
"#;
    let dkimpy = dkimpy()?;
    let python = python()?;
    let path = dkimpy.parent()?.parent()?;
    let output = run_with_input(
        Command::new(python)
            .env("PYTHONPATH", path)
            .args(["-c", SCRIPT, public_key]),
        message,
    );
    assert!(
        output.status.success(),
        "dkimpy failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8_lossy(&output.stdout).trim() == "good")
}
