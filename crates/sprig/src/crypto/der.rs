//! The little DER (and PEM) that Go's x509 output needs: definite-length TLVs, INTEGER,
//! OID, BIT STRING, times.

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

pub fn set(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x31, &parts.concat())
}

/// A non-negative INTEGER from big-endian magnitude bytes.
pub fn uint(be: &[u8]) -> Vec<u8> {
    let mut b: Vec<u8> = be.iter().copied().skip_while(|x| *x == 0).collect();
    if b.is_empty() || b[0] & 0x80 != 0 {
        b.insert(0, 0);
    }
    tlv(0x02, &b)
}

pub fn small_int(v: u8) -> Vec<u8> {
    uint(&[v])
}

pub fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut push = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        body.extend_from_slice(&tmp);
    };
    push(arcs[0] * 40 + arcs[1]);
    for a in &arcs[2..] {
        push(*a);
    }
    tlv(0x06, &body)
}

pub fn null() -> Vec<u8> {
    vec![0x05, 0x00]
}

pub fn octets(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

pub fn bits(b: &[u8], unused: u8) -> Vec<u8> {
    let mut c = vec![unused];
    c.extend_from_slice(b);
    tlv(0x03, &c)
}

pub fn boolean(v: bool) -> Vec<u8> {
    vec![0x01, 0x01, if v { 0xff } else { 0 }]
}

/// Context-specific constructed `[n]` (EXPLICIT).
pub fn explicit(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, content)
}

/// A string in a Name: PrintableString when every character allows it, else UTF8String
/// (as Go's asn1 package chooses).
pub fn name_string(s: &str) -> Vec<u8> {
    let printable = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c));
    tlv(if printable { 0x13 } else { 0x0c }, s.as_bytes())
}

/// UTCTime for 1950–2049, GeneralizedTime otherwise.
pub fn time(year: i64, month: u32, day: u32, h: u32, m: u32, s: u32) -> Vec<u8> {
    if (1950..2050).contains(&year) {
        let t = format!("{:02}{month:02}{day:02}{h:02}{m:02}{s:02}Z", year % 100);
        tlv(0x17, t.as_bytes())
    } else {
        let t = format!("{year:04}{month:02}{day:02}{h:02}{m:02}{s:02}Z");
        tlv(0x18, t.as_bytes())
    }
}

/// Go's `pem.EncodeToMemory` without headers.
pub fn pem(label: &str, der: &[u8]) -> String {
    let b64 = crate::encoding::b64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Go's `pem.Decode`: the first block's type and bytes.
pub fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + 11..];
    let type_end = rest.find("-----")?;
    let label = &rest[..type_end];
    let body_start = &rest[type_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let end = body_start.find(&end_marker)?;
    let body = &body_start[..end];
    let data: String = body
        .lines()
        .filter(|l| !l.contains(':'))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = crate::encoding::b64_decode(data.as_bytes()).ok()?;
    Some((label.to_string(), der))
}
