//! Heuristics for credentials written into manifests (env values, ConfigMap data). Shared
//! by `hardcoded-secret-env` and `configmap-secret` so both flag the same material.

use std::sync::LazyLock;

use regex::Regex;

/// Names that usually hold a credential. Polaris' extra cloud-credential names are
/// included (`AZURE_*KEY`, `OCI_CLI_KEY_CONTENT`; `GOOGLE_APPLICATION_CREDENTIALS` and
/// `AWS_SECRET_ACCESS_KEY` already match `credential` and `secret`).
static SENSITIVE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)passw(?:or)?d|secret|token|bearer|credential|api[_-]?key|private[_-]?key|^azure_.+key$|^oci_cli_key_content$",
    )
    .expect("valid regex")
});

/// A trailing word that makes the name a reference to a credential, not the credential:
/// `DB_PASSWORD_FILE`, `SECRET_NAME`, `TOKEN_URL`, `PASSWORD_MIN_LENGTH`.
static REFERENCE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[_.-](?:file|path|dir|name|url|uri|endpoint|ref|length|ttl|timeout)$")
        .expect("valid regex")
});

static PRIVATE_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-----BEGIN [^\n]*PRIVATE KEY").expect("valid regex"));

static AWS_ACCESS_KEY_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bAKIA[0-9A-Z]{16}\b").expect("valid regex"));

/// An absolute file path: where a credential is, not what it is.
static FILE_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:/[A-Za-z0-9._-]+)+/?$").expect("valid regex"));

/// A `$(VAR)` reference: the kubelet substitutes another variable (often one fed from a
/// secretKeyRef), so the manifest holds no literal.
static VAR_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\([A-Za-z_][A-Za-z0-9_.-]*\)").expect("valid regex"));

/// Whether `name` (an env var name or a ConfigMap key) names a credential.
pub fn sensitive_name(name: &str) -> bool {
    SENSITIVE_NAME.is_match(name) && !REFERENCE_SUFFIX.is_match(name)
}

/// What kind of secret material `value` contains, whatever its name.
pub fn secret_material(value: &str) -> Option<&'static str> {
    if PRIVATE_KEY.is_match(value) {
        Some("a private key")
    } else if AWS_ACCESS_KEY_ID.is_match(value) {
        Some("an AWS access key id")
    } else {
        None
    }
}

/// Whether a value stored under a sensitive name can be the credential itself: not empty,
/// not a boolean switch, not a file path, not built from `$(VAR)` references.
pub fn literal_credential(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off"
        )
        && !FILE_PATH.is_match(v)
        && !VAR_REF.is_match(v)
}

/// Why a `name`/`value` pair looks like a hard-coded credential, for a message that never
/// repeats the value.
pub fn classify(name: &str, value: &str) -> Option<String> {
    if let Some(what) = secret_material(value) {
        return Some(format!("holds {what} (****)"));
    }
    (sensitive_name(name) && literal_credential(value))
        .then(|| "has a credential-like name and a literal value (****)".to_string())
}

/// Decode standard or URL-safe base64, ignoring whitespace and padding (ConfigMap
/// `binaryData` is base64). `None` on any other character.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "DB_PASSWORD",
            "passwd",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "api-key",
            "APIKEY",
            "private_key",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "AZURE_BATCH_KEY",
            "OCI_CLI_KEY_CONTENT",
            "credentials.json",
        ] {
            assert!(sensitive_name(n), "{n}");
        }
        for n in [
            "DB_USER",
            "message",
            "DB_PASSWORD_FILE",
            "SECRET_NAME",
            "token_url",
            "PASSWORD_MIN_LENGTH",
            "AZURE_REGION",
        ] {
            assert!(!sensitive_name(n), "{n}");
        }
    }

    #[test]
    fn values() {
        assert!(literal_credential("hunter2"));
        assert!(!literal_credential(""));
        assert!(!literal_credential("  "));
        assert!(!literal_credential("false"));
        assert!(!literal_credential("/var/run/secrets/token"));
        assert!(!literal_credential("$(DB_PASSWORD)"));
        assert!(!literal_credential("postgres://app:$(DB_PASSWORD)@db/app"));
        assert_eq!(
            secret_material("-----BEGIN RSA PRIVATE KEY-----\nabc"),
            Some("a private key")
        );
        assert_eq!(
            secret_material("-----BEGIN PRIVATE KEY-----"),
            Some("a private key")
        );
        assert_eq!(secret_material("-----BEGIN CERTIFICATE-----"), None);
        assert_eq!(
            secret_material("id=AKIAABCDEFGHIJKLMNOP"),
            Some("an AWS access key id")
        );
        assert_eq!(secret_material("AKIAshort"), None);
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVs\nbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("not base64!"), None);
    }
}
