//! Sprig's certificate generators: the x509 template Sprig fills (CN subject, IP and DNS
//! SANs, key encipherment + digital signature usage, server and client auth, validity
//! from now), encoded as Go's `x509.CreateCertificate` lays it out.

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::{Object, Value};
use sha2::{Digest, Sha256};
use x509_cert::der::{Decode, Encode};

use super::der;
use super::keys::PrivateKey;
use crate::time::Time;

/// Sprig's `certificate{Cert, Key}` (PEM strings).
#[derive(Clone, Debug)]
pub struct Certificate {
    pub cert: String,
    pub key: String,
}

pub const CERT_TYPE: &str = "sprig.certificate";

impl Object for Certificate {
    fn type_name(&self) -> String {
        CERT_TYPE.into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::string(self.cert.as_str())),
            "Key" => Some(Value::string(self.key.as_str())),
            _ => None,
        }
    }
    fn format_v(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Certificate {
    pub fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }

    /// encoding/json's view: the exported fields.
    pub fn json(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("Cert".to_string(), Value::string(self.cert.as_str()));
        m.insert("Key".to_string(), Value::string(self.key.as_str()));
        Value::map(m)
    }
}

/// Sprig's `getNetIPs`: each item a string holding an IP address.
fn ips(items: &[Value]) -> Result<Vec<Vec<u8>>, String> {
    items
        .iter()
        .map(|v| {
            let Value::String(s) = v else {
                return Err(format!(
                    "error parsing ip: {} is not a string",
                    kspm_gotmpl::fmt::format_value(v)
                ));
            };
            let ip: std::net::IpAddr = s.parse().map_err(|_| format!("error parsing ip: {s}"))?;
            Ok(match ip {
                std::net::IpAddr::V4(a) => a.octets().to_vec(),
                std::net::IpAddr::V6(a) => match a.to_ipv4_mapped() {
                    Some(v4) => v4.octets().to_vec(),
                    None => a.octets().to_vec(),
                },
            })
        })
        .collect()
}

/// Sprig's `getAlternateDNSStrs`.
fn dns_names(items: &[Value]) -> Result<Vec<String>, String> {
    items
        .iter()
        .map(|v| match v {
            Value::String(s) => Ok(s.to_string()),
            other => Err(format!(
                "error processing alternate dns name: {} is not a string",
                kspm_gotmpl::fmt::format_value(other)
            )),
        })
        .collect()
}

fn list_items(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l) => l.items.clone(),
        _ => Vec::new(),
    }
}

/// The template of one certificate.
pub struct Template {
    pub cn: String,
    pub ips: Vec<Vec<u8>>,
    pub dns: Vec<String>,
    pub days: i64,
    pub is_ca: bool,
}

impl Template {
    pub fn new(cn: &str, ip_list: &Value, dns_list: &Value, days: i64) -> Result<Template, String> {
        Ok(Template {
            cn: cn.to_string(),
            ips: ips(&list_items(ip_list))?,
            dns: dns_names(&list_items(dns_list))?,
            days,
            is_ca: false,
        })
    }

    fn name(&self) -> Vec<u8> {
        let mut rdns = Vec::new();
        if !self.cn.is_empty() {
            rdns.push(der::set(&[der::seq(&[
                der::oid(&[2, 5, 4, 3]),
                der::name_string(&self.cn),
            ])]));
        }
        der::seq(&rdns)
    }
}

/// The parts of the issuing certificate that the new one refers to.
pub struct Issuer<'a> {
    pub subject: Vec<u8>,
    pub key_id: Option<Vec<u8>>,
    pub key: &'a PrivateKey,
}

/// SubjectKeyId as Go (1.25) derives it for CAs: the first 160 bits of SHA-256 over the
/// public key's bits.
fn key_id(spki: &[u8]) -> Result<Vec<u8>, String> {
    let parsed =
        x509_cert::spki::SubjectPublicKeyInfoOwned::from_der(spki).map_err(|e| e.to_string())?;
    Ok(Sha256::digest(parsed.subject_public_key.raw_bytes())[..20].to_vec())
}

fn time_der(t: &Time) -> Vec<u8> {
    let utc = t.in_loc(crate::time::Location::utc());
    let p = |l: &str| utc.format(l).parse::<u32>().unwrap_or(0);
    der::time(
        utc.format("2006").parse().unwrap_or(1),
        p("1"),
        p("2"),
        p("15"),
        p("4"),
        p("5"),
    )
}

/// Go's `CreateCertificate(template, parent, pub, signer)` for Sprig's templates, PEM
/// encoded, with the subject key's PEM.
pub fn create(
    tpl: &Template,
    subject_key: &PrivateKey,
    issuer: Option<Issuer<'_>>,
) -> Result<Certificate, String> {
    let spki = subject_key
        .spki()
        .map_err(|e| format!("error creating certificate: {e}"))?;
    let subject = tpl.name();
    let own_key_id = if tpl.is_ca {
        Some(key_id(&spki)?)
    } else {
        None
    };
    let (issuer_name, signer, authority_key_id) = match &issuer {
        Some(i) => (
            i.subject.clone(),
            i.key,
            if i.subject != subject {
                i.key_id.clone()
            } else {
                None
            },
        ),
        None => (subject.clone(), subject_key, None),
    };
    // Go: a uniform number below 2^128 (DER adds a zero byte when the top bit is set).
    let serial = crate::random::bytes(16);
    let now = Time::now();
    let not_after = now.add(tpl.days.saturating_mul(86_400_000_000_000));
    let mut exts = Vec::new();
    let ku: u8 = if tpl.is_ca { 0b1010_0100 } else { 0b1010_0000 };
    let unused = if tpl.is_ca { 2 } else { 5 };
    exts.push(der::seq(&[
        der::oid(&[2, 5, 29, 15]),
        der::boolean(true),
        der::octets(&der::bits(&[ku], unused)),
    ]));
    exts.push(der::seq(&[
        der::oid(&[2, 5, 29, 37]),
        der::octets(&der::seq(&[
            der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 1]),
            der::oid(&[1, 3, 6, 1, 5, 5, 7, 3, 2]),
        ])),
    ]));
    let bc = if tpl.is_ca {
        der::seq(&[der::boolean(true)])
    } else {
        der::seq(&[])
    };
    exts.push(der::seq(&[
        der::oid(&[2, 5, 29, 19]),
        der::boolean(true),
        der::octets(&bc),
    ]));
    if let Some(id) = &own_key_id {
        exts.push(der::seq(&[
            der::oid(&[2, 5, 29, 14]),
            der::octets(&der::octets(id)),
        ]));
    }
    if let Some(id) = &authority_key_id {
        exts.push(der::seq(&[
            der::oid(&[2, 5, 29, 35]),
            der::octets(&der::seq(&[der::tlv(0x80, id)])),
        ]));
    }
    if !tpl.dns.is_empty() || !tpl.ips.is_empty() {
        let mut names: Vec<Vec<u8>> = tpl
            .dns
            .iter()
            .map(|d| der::tlv(0x82, d.as_bytes()))
            .collect();
        names.extend(tpl.ips.iter().map(|ip| der::tlv(0x87, ip)));
        let mut ext = vec![der::oid(&[2, 5, 29, 17])];
        if tpl.cn.is_empty() {
            ext.push(der::boolean(true));
        }
        ext.push(der::octets(&der::seq(&names)));
        exts.push(der::seq(&ext));
    }
    let alg = signer
        .algorithm()
        .map_err(|e| format!("error creating certificate: {e}"))?;
    let tbs = der::seq(&[
        der::explicit(0, &der::small_int(2)),
        der::uint(&serial),
        alg.clone(),
        issuer_name,
        der::seq(&[time_der(&now), time_der(&not_after)]),
        subject,
        spki,
        der::explicit(3, &der::seq(&exts)),
    ]);
    let sig = signer
        .sign(&tbs)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    let cert = der::seq(&[tbs, alg, der::bits(&sig, 0)]);
    Ok(Certificate {
        cert: der::pem("CERTIFICATE", &cert),
        key: subject_key.to_pem()?,
    })
}

/// The subject and SubjectKeyId of a PEM certificate (Go's `x509.ParseCertificate`).
pub fn parse_issuer(pem: &str) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
    let (_, bytes) = der::pem_decode(pem).ok_or("unable to decode certificate")?;
    let cert = x509_cert::Certificate::from_der(&bytes).map_err(|e| {
        format!(
            "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate: {e}"
        )
    })?;
    let subject = cert
        .tbs_certificate
        .subject
        .to_der()
        .map_err(|e| e.to_string())?;
    let skid = cert.tbs_certificate.extensions.as_ref().and_then(|exts| {
        exts.iter()
            .find(|e| e.extn_id.to_string() == "2.5.29.14")
            .and_then(|e| {
                let inner = e.extn_value.as_bytes();
                x509_cert::der::asn1::OctetString::from_der(inner)
                    .ok()
                    .map(|o| o.as_bytes().to_vec())
            })
    });
    Ok((subject, skid))
}

/// Whether PEM text holds a parsable certificate (buildCustomCert's check).
pub fn check_certificate(pem: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(pem);
    let (_, bytes) = der::pem_decode(&text).ok_or("unable to decode certificate")?;
    x509_cert::Certificate::from_der(&bytes)
        .map(|_| ())
        .map_err(|e| {
            format!(
                "error parsing certificate: decodedCert.Bytes: x509: malformed certificate: {e}"
            )
        })
}
