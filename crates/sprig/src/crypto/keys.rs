//! Private keys as Sprig makes and reads them: RSA (PKCS#1 "RSA PRIVATE KEY"), ECDSA P-256
//! (SEC 1 "EC PRIVATE KEY"), Ed25519 (PKCS#8 "PRIVATE KEY") and DSA (Sprig's own
//! ASN.1 sequence "DSA PRIVATE KEY"); their public keys and signatures for certificates.

use p256::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rand_core::OsRng;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use sha2::{Digest, Sha256};

use super::der;

pub enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    Ecdsa(p256::SecretKey),
    Ed25519(ed25519_dalek::SigningKey),
    Dsa(Box<dsa::SigningKey>),
}

const OID_ED25519: [u64; 4] = [1, 3, 101, 112];

impl PrivateKey {
    pub fn rsa(bits: usize) -> Result<PrivateKey, String> {
        rsa::RsaPrivateKey::new(&mut OsRng, bits)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| e.to_string())
    }

    /// `genPrivateKey`'s key types.
    pub fn generate(typ: &str) -> Result<PrivateKey, String> {
        match typ {
            "" | "rsa" => PrivateKey::rsa(4096),
            "dsa" => {
                let components = dsa::Components::generate(&mut OsRng, dsa::KeySize::DSA_2048_256);
                Ok(PrivateKey::Dsa(Box::new(dsa::SigningKey::generate(
                    &mut OsRng, components,
                ))))
            }
            "ecdsa" => Ok(PrivateKey::Ecdsa(p256::SecretKey::random(&mut OsRng))),
            "ed25519" => Ok(PrivateKey::Ed25519(ed25519_dalek::SigningKey::generate(
                &mut OsRng,
            ))),
            _ => Err(format!("Unknown type {typ}")),
        }
    }

    /// Go's `pemBlockForKey`, encoded.
    pub fn to_pem(&self) -> Result<String, String> {
        Ok(match self {
            PrivateKey::Rsa(k) => {
                let d = k.to_pkcs1_der().map_err(|e| e.to_string())?;
                der::pem("RSA PRIVATE KEY", d.as_bytes())
            }
            PrivateKey::Ecdsa(k) => {
                // Go's MarshalECPrivateKey: version, scalar, the named curve, the public point.
                use p256::elliptic_curve::sec1::ToEncodedPoint;
                let point = k.public_key().to_encoded_point(false);
                let body = der::seq(&[
                    der::small_int(1),
                    der::octets(&k.to_bytes()),
                    der::explicit(0, &der::oid(&[1, 2, 840, 10045, 3, 1, 7])),
                    der::explicit(1, &der::bits(point.as_bytes(), 0)),
                ]);
                der::pem("EC PRIVATE KEY", &body)
            }
            PrivateKey::Ed25519(k) => {
                let body = der::seq(&[
                    der::small_int(0),
                    der::seq(&[der::oid(&OID_ED25519)]),
                    der::octets(&der::octets(&k.to_bytes())),
                ]);
                der::pem("PRIVATE KEY", &body)
            }
            PrivateKey::Dsa(k) => {
                let c = k.verifying_key().components();
                let body = der::seq(&[
                    der::small_int(0),
                    der::uint(&c.p().to_bytes_be()),
                    der::uint(&c.q().to_bytes_be()),
                    der::uint(&c.g().to_bytes_be()),
                    der::uint(&k.verifying_key().y().to_bytes_be()),
                    der::uint(&k.x().to_bytes_be()),
                ]);
                der::pem("DSA PRIVATE KEY", &body)
            }
        })
    }

    /// Sprig's `parsePrivateKeyPEM`, with its error texts.
    pub fn from_pem(text: &str) -> Result<PrivateKey, String> {
        let (label, bytes) = der::pem_decode(text).ok_or("no PEM data in input")?;
        if label == "PRIVATE KEY" {
            if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(&bytes) {
                return Ok(PrivateKey::Rsa(Box::new(k)));
            }
            if let Ok(k) = p256::SecretKey::from_pkcs8_der(&bytes) {
                return Ok(PrivateKey::Ecdsa(k));
            }
            if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_der(&bytes) {
                return Ok(PrivateKey::Ed25519(k));
            }
            return Err("decoding PEM as PKCS#8: x509: failed to parse private key".into());
        }
        let Some(kind) = label.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {label}"));
        };
        match kind {
            "RSA" => rsa::RsaPrivateKey::from_pkcs1_der(&bytes)
                .map(|k| PrivateKey::Rsa(Box::new(k)))
                .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
            "EC" => p256::SecretKey::from_sec1_der(&bytes)
                .map(PrivateKey::Ecdsa)
                .map_err(|e| format!("parsing EC private key from PEM: {e}")),
            "DSA" => {
                parse_dsa(&bytes).map_err(|e| format!("parsing DSA private key from PEM: {e}"))
            }
            _ => Err(format!("invalid private key type {label}")),
        }
    }

    /// The DER SubjectPublicKeyInfo of the public key.
    pub fn spki(&self) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(k) => rsa::RsaPublicKey::from(k.as_ref())
                .to_public_key_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            PrivateKey::Ecdsa(k) => k
                .public_key()
                .to_public_key_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            PrivateKey::Ed25519(k) => Ok(der::seq(&[
                der::seq(&[der::oid(&OID_ED25519)]),
                der::bits(&k.verifying_key().to_bytes(), 0),
            ])),
            PrivateKey::Dsa(_) => Err("x509: unsupported public key type: *dsa.PublicKey".into()),
        }
    }

    /// The signature AlgorithmIdentifier Go's `CreateCertificate` picks for this key
    /// (SHA-256 for RSA and ECDSA).
    pub fn algorithm(&self) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(_) => Ok(der::seq(&[
                der::oid(&[1, 2, 840, 113_549, 1, 1, 11]),
                der::null(),
            ])),
            PrivateKey::Ecdsa(_) => Ok(der::seq(&[der::oid(&[1, 2, 840, 10045, 4, 3, 2])])),
            PrivateKey::Ed25519(_) => Ok(der::seq(&[der::oid(&OID_ED25519)])),
            PrivateKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }

    /// The signature of `msg` with the algorithm of [`PrivateKey::algorithm`].
    pub fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(k) => {
                let digest = Sha256::digest(msg);
                let sig = k
                    .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest)
                    .map_err(|e| e.to_string())?;
                Ok(sig)
            }
            PrivateKey::Ecdsa(k) => {
                use p256::ecdsa::signature::Signer;
                let sk = p256::ecdsa::SigningKey::from(k);
                let sig: p256::ecdsa::Signature = sk.sign(msg);
                Ok(sig.to_der().as_bytes().to_vec())
            }
            PrivateKey::Ed25519(k) => {
                use ed25519_dalek::Signer;
                Ok(k.sign(msg).to_bytes().to_vec())
            }
            PrivateKey::Dsa(_) => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }
}

/// Read a DER SEQUENCE of INTEGERs.
fn der_ints(b: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    fn read(b: &[u8]) -> Result<(u8, &[u8], &[u8]), String> {
        let err = || "asn1: syntax error: data truncated".to_string();
        let tag = *b.first().ok_or_else(err)?;
        let l0 = *b.get(1).ok_or_else(err)?;
        let (len, hdr) = if l0 < 0x80 {
            (l0 as usize, 2)
        } else {
            let n = (l0 & 0x7f) as usize;
            let bytes = b.get(2..2 + n).ok_or_else(err)?;
            (
                bytes.iter().fold(0usize, |a, x| (a << 8) | *x as usize),
                2 + n,
            )
        };
        let body = b.get(hdr..hdr + len).ok_or_else(err)?;
        Ok((tag, body, &b[hdr + len..]))
    }
    let (tag, mut body, _) = read(b)?;
    if tag != 0x30 {
        return Err("asn1: structure error: tags don't match".into());
    }
    let mut out = Vec::new();
    while !body.is_empty() {
        let (tag, v, rest) = read(body)?;
        if tag != 0x02 {
            return Err("asn1: structure error: tags don't match".into());
        }
        out.push(v.to_vec());
        body = rest;
    }
    Ok(out)
}

fn parse_dsa(b: &[u8]) -> Result<PrivateKey, String> {
    let ints = der_ints(b)?;
    if ints.len() != 6 {
        return Err("asn1: structure error: too few fields".into());
    }
    let n = |i: usize| dsa::BigUint::from_bytes_be(&ints[i]);
    let components =
        dsa::Components::from_components(n(1), n(2), n(3)).map_err(|e| e.to_string())?;
    let vk = dsa::VerifyingKey::from_components(components, n(4)).map_err(|e| e.to_string())?;
    dsa::SigningKey::from_components(vk, n(5))
        .map(|k| PrivateKey::Dsa(Box::new(k)))
        .map_err(|e| e.to_string())
}
