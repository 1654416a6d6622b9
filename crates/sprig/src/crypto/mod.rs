//! Sprig's crypto functions: digests, bcrypt/htpasswd, the master-password derivation,
//! keys and certificates, AES-CBC, random bytes and UUIDs.

mod certs;
mod der;
mod keys;

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use hmac::{Hmac, Mac};
use kspm_gotmpl::{FuncMap, Param, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

pub use certs::Certificate;
use certs::{CERT_TYPE, Issuer, Template};
use keys::PrivateKey;

use crate::encoding::{b64_decode, b64_encode};
use crate::util::{Ret, arg, n, reg, s, string};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `hash/adler32`.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// x/crypto/bcrypt `GenerateFromPassword` at the default cost, as `$2a$`.
fn bcrypt_hash(password: &str) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    match bcrypt::hash_with_result(password, 10) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

const MASTER_SEED: &str = "com.lyndir.masterpassword";

fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// The Master Password algorithm (scrypt key from password and user, HMAC-SHA256 seed
/// from site and counter, characters from the template classes).
fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(tpls) = templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let derived = scrypt::Params::new(15, 8, 2, 64)
        .map_err(|e| e.to_string())
        .and_then(|p| {
            scrypt::scrypt(password.as_bytes(), &salt, &p, &mut key).map_err(|e| e.to_string())
        });
    if let Err(e) = derived {
        return format!("failed to derive password: {e}");
    }
    let mut msg = MASTER_SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return "failed to derive password".into();
    };
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let tpl = tpls[seed[0] as usize % tpls.len()].as_bytes();
    tpl.iter()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_chars(*c);
            char::from(chars[seed[i + 1] as usize % chars.len()])
        })
        .collect()
}

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let p = password.as_bytes();
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    key
}

fn encrypt_aes(password: &str, plain: &str) -> Ret {
    if plain.is_empty() {
        return Ok(string(""));
    }
    let mut content = plain.as_bytes().to_vec();
    let pad = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(pad as u8, pad));
    let iv = crate::random::bytes(16);
    let len = content.len();
    let enc = Aes256CbcEnc::new(&aes_key(password).into(), iv.as_slice().into());
    enc.encrypt_padded_mut::<NoPadding>(&mut content, len)
        .map_err(|e| e.to_string())?;
    let mut out = iv;
    out.extend_from_slice(&content);
    Ok(string(b64_encode(&out)))
}

fn decrypt_aes(password: &str, crypt64: &str) -> Ret {
    if crypt64.is_empty() {
        return Ok(string(""));
    }
    let crypt = b64_decode(crypt64.as_bytes())
        .map_err(|at| format!("illegal base64 data at input byte {at}"))?;
    if crypt.len() < 16 {
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt.len()
        ));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    let mut buf = body.to_vec();
    let dec = Aes256CbcDec::new(&aes_key(password).into(), iv.into());
    dec.decrypt_padded_mut::<NoPadding>(&mut buf)
        .map_err(|e| e.to_string())?;
    let Some(&last) = buf.last() else {
        return Err("runtime error: index out of range [-1]".into());
    };
    let keep = buf.len().checked_sub(last as usize).ok_or_else(|| {
        format!(
            "runtime error: slice bounds out of range [:{}]",
            buf.len() as i64 - i64::from(last)
        )
    })?;
    Ok(string(String::from_utf8_lossy(&buf[..keep]).into_owned()))
}

fn certificate_arg(v: &Value) -> Result<Certificate, String> {
    match v {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Certificate>()
            .cloned()
            .ok_or_else(|| {
                format!(
                    "wrong type for value; expected {CERT_TYPE}; got {}",
                    o.type_name()
                )
            }),
        other => Err(format!(
            "wrong type for value; expected {CERT_TYPE}; got {}",
            other.type_name()
        )),
    }
}

fn parse_key(pem: &str) -> Result<PrivateKey, String> {
    PrivateKey::from_pem(pem).map_err(|e| format!("parsing private key: {e}"))
}

fn rsa2048() -> Result<PrivateKey, String> {
    PrivateKey::rsa(2048).map_err(|e| format!("error generating rsa key: {e}"))
}

fn ca(cn: &str, days: i64, key: &PrivateKey) -> Ret {
    let tpl = Template {
        cn: cn.to_string(),
        ips: Vec::new(),
        dns: Vec::new(),
        days,
        is_ca: true,
    };
    Ok(certs::create(&tpl, key, None)?.value())
}

fn signed(a: &[Value], key: &PrivateKey) -> Ret {
    let ca_cert = certificate_arg(&arg(a, 4))?;
    let (subject, key_id) = certs::parse_issuer(&ca_cert.cert)?;
    let ca_key = PrivateKey::from_pem(&ca_cert.key)
        .map_err(|e| format!("error parsing private key: {e}"))?;
    let tpl = Template::new(s(a, 0), &arg(a, 1), &arg(a, 2), n(a, 3))?;
    let issuer = Issuer {
        subject,
        key_id,
        key: &ca_key,
    };
    Ok(certs::create(&tpl, key, Some(issuer))?.value())
}

pub fn register(m: &mut FuncMap) {
    use Param::{Int, List, String as Str, Uint32};
    let cert = Param::Named(CERT_TYPE);
    reg(m, "sha1sum", vec![Str], |a| {
        Ok(string(hex(&Sha1::digest(s(&a, 0).as_bytes()))))
    });
    reg(m, "sha256sum", vec![Str], |a| {
        Ok(string(hex(&Sha256::digest(s(&a, 0).as_bytes()))))
    });
    reg(m, "sha512sum", vec![Str], |a| {
        Ok(string(hex(&Sha512::digest(s(&a, 0).as_bytes()))))
    });
    reg(m, "adler32sum", vec![Str], |a| {
        Ok(string(adler32(s(&a, 0).as_bytes()).to_string()))
    });
    reg(m, "bcrypt", vec![Str], |a| {
        Ok(string(bcrypt_hash(s(&a, 0))))
    });
    reg(m, "htpasswd", vec![Str, Str], |a| {
        let user = s(&a, 0);
        if user.contains(':') {
            return Ok(string(format!("invalid username: {user}")));
        }
        Ok(string(format!("{user}:{}", bcrypt_hash(s(&a, 1)))))
    });
    reg(m, "derivePassword", vec![Uint32, Str, Str, Str, Str], |a| {
        Ok(string(derive_password(
            n(&a, 0) as u32,
            s(&a, 1),
            s(&a, 2),
            s(&a, 3),
            s(&a, 4),
        )))
    });
    reg(m, "randBytes", vec![Int], |a| {
        let count = n(&a, 0);
        if count < 0 {
            return Err("runtime error: makeslice: len out of range".into());
        }
        Ok(string(b64_encode(&crate::random::bytes(count as usize))))
    });
    reg(m, "uuidv4", vec![], |_| Ok(string(crate::random::uuidv4())));
    reg(m, "encryptAES", vec![Str, Str], |a| {
        encrypt_aes(s(&a, 0), s(&a, 1))
    });
    reg(m, "decryptAES", vec![Str, Str], |a| {
        decrypt_aes(s(&a, 0), s(&a, 1))
    });
    reg(m, "genPrivateKey", vec![Str], |a| {
        Ok(string(match PrivateKey::generate(s(&a, 0)) {
            Ok(k) => k
                .to_pem()
                .unwrap_or_else(|e| format!("failed to generate private key: {e}")),
            Err(e) if e.starts_with("Unknown type") => e,
            Err(e) => format!("failed to generate private key: {e}"),
        }))
    });
    reg(m, "buildCustomCert", vec![Str, Str], |a| {
        let cert =
            b64_decode(s(&a, 0).as_bytes()).map_err(|_| "unable to decode base64 certificate")?;
        let key =
            b64_decode(s(&a, 1).as_bytes()).map_err(|_| "unable to decode base64 private key")?;
        certs::check_certificate(&cert)?;
        let key_text = String::from_utf8_lossy(&key).into_owned();
        PrivateKey::from_pem(&key_text).map_err(|e| format!("error parsing private key: {e}"))?;
        Ok(Certificate {
            cert: String::from_utf8_lossy(&cert).into_owned(),
            key: key_text,
        }
        .value())
    });
    reg(m, "genCA", vec![Str, Int], |a| {
        ca(s(&a, 0), n(&a, 1), &rsa2048()?)
    });
    reg(m, "genCAWithKey", vec![Str, Int, Str], |a| {
        ca(s(&a, 0), n(&a, 1), &parse_key(s(&a, 2))?)
    });
    reg(m, "genSelfSignedCert", vec![Str, List, List, Int], |a| {
        let tpl = Template::new(s(&a, 0), &arg(&a, 1), &arg(&a, 2), n(&a, 3))?;
        Ok(certs::create(&tpl, &rsa2048()?, None)?.value())
    });
    reg(
        m,
        "genSelfSignedCertWithKey",
        vec![Str, List, List, Int, Str],
        |a| {
            let tpl = Template::new(s(&a, 0), &arg(&a, 1), &arg(&a, 2), n(&a, 3))?;
            Ok(certs::create(&tpl, &parse_key(s(&a, 4))?, None)?.value())
        },
    );
    reg(
        m,
        "genSignedCert",
        vec![Str, List, List, Int, cert.clone()],
        |a| signed(&a, &rsa2048()?),
    );
    reg(
        m,
        "genSignedCertWithKey",
        vec![Str, List, List, Int, cert, Str],
        |a| signed(&a, &parse_key(s(&a, 5))?),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests() {
        assert_eq!(adler32(b"abc"), 38_600_999);
        assert_eq!(
            hex(&Sha1::digest(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn aes_round_trip() {
        let Ok(Value::String(enc)) = encrypt_aes("secretkey", "plaintext") else {
            panic!()
        };
        let Ok(Value::String(dec)) = decrypt_aes("secretkey", &enc) else {
            panic!()
        };
        assert_eq!(&*dec, "plaintext");
    }

    #[test]
    fn master_password() {
        assert_eq!(
            derive_password(1, "basic", "password", "user", "example.com"),
            "pIS54PLs"
        );
        assert_eq!(
            derive_password(2, "long", "password", "user", "example.com"),
            "Fovi2@JifpTupx"
        );
    }

    #[test]
    fn certificates_chain() {
        let key = PrivateKey::generate("ecdsa").unwrap();
        let Value::Object(o) = ca("root", 30, &key).unwrap() else {
            panic!()
        };
        let root = o.as_any().downcast_ref::<Certificate>().unwrap().clone();
        let (subject, skid) = certs::parse_issuer(&root.cert).unwrap();
        assert!(skid.is_some());
        let leaf_key = PrivateKey::generate("ed25519").unwrap();
        let tpl = Template::new(
            "leaf",
            &Value::list(vec![Value::string("10.0.0.1")]),
            &Value::list(vec![Value::string("a.example")]),
            10,
        )
        .unwrap();
        let ca_key = PrivateKey::from_pem(&root.key).unwrap();
        let leaf = certs::create(
            &tpl,
            &leaf_key,
            Some(Issuer {
                subject,
                key_id: skid,
                key: &ca_key,
            }),
        )
        .unwrap();
        assert!(leaf.cert.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(certs::check_certificate(leaf.cert.as_bytes()).is_ok());
        assert!(leaf.key.contains("BEGIN PRIVATE KEY"));
    }
}
