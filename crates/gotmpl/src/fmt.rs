//! Go's `fmt` printing (`Sprint`, `Sprintln`, `Sprintf`) over [`Value`]s: every verb,
//! flag, width, precision and argument index that Go's `fmt` has for these types, with
//! Go's error output (`%!d(string=hi)`, `%!s(MISSING)`, `%!(EXTRA …)`).

use crate::strconv;
use crate::value::Value;

/// Go's `fmt.Sprint`: operands in `%v`, with a space between two operands when neither is
/// a string.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = is_string_kind(a);
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.print_arg(a, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// Go's `fmt.Sprintln`: operands in `%v` separated by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::default();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(a, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

/// `fmt.Sprint(v)` of one value (`%v`).
pub fn format_value(v: &Value) -> String {
    let mut p = Printer::default();
    p.print_arg(v, 'v');
    p.buf
}

fn is_string_kind(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Object(o) => o.kind() == "string",
        _ => false,
    }
}

#[derive(Default, Clone, Copy)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

#[derive(Default)]
struct Printer {
    buf: String,
    f: Flags,
    reordered: bool,
    good_arg_num: bool,
}

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// Width and precision beyond this are treated as bad (Go's `tooLarge`).
const TOO_LARGE: i64 = 1_000_000;

impl Printer {
    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero { '0' } else { ' ' };
        for _ in 0..n {
            self.buf.push(c);
        }
    }

    /// Pads `s` to the width, counting runes, on the side the `-` flag says.
    fn pad(&mut self, s: &str) {
        let Some(wid) = self.f.wid else {
            self.buf.push_str(s);
            return;
        };
        let n = s.chars().count();
        let fill = wid.saturating_sub(n);
        if !self.f.minus {
            self.write_padding(fill);
            self.buf.push_str(s);
        } else {
            self.buf.push_str(s);
            self.write_padding(fill);
        }
    }

    fn truncate<'a>(&self, s: &'a str) -> &'a str {
        if let Some((i, _)) = self.f.prec.and_then(|p| s.char_indices().nth(p)) {
            return &s[..i];
        }
        s
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s);
        self.pad(s);
    }

    fn fmt_q(&mut self, s: &[u8]) {
        let s = match self.f.prec {
            Some(_) => {
                let st = String::from_utf8_lossy(s);
                let t = self.truncate(&st).to_string();
                t.into_bytes()
            }
            None => s.to_vec(),
        };
        if self.f.sharp && strconv::can_backquote(&s) {
            let q = format!("`{}`", String::from_utf8_lossy(&s));
            self.pad(&q);
            return;
        }
        let q = if self.f.plus {
            strconv::quote_to_ascii(&s)
        } else {
            strconv::quote_bytes(&s)
        };
        self.pad(&q);
    }

    /// Hex encoding of a string or byte slice (`%x`, `% x`, `%#x`).
    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let mut length = b.len();
        if let Some(p) = self.f.prec {
            length = length.min(p);
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if let Some(w) = self.f.wid {
                self.write_padding(w);
            }
            return;
        }
        let wid = self.f.wid.unwrap_or(0);
        if wid > width && !self.f.minus {
            self.write_padding(wid - width);
        }
        let x = if digits[10] == b'a' { 'x' } else { 'X' };
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(x);
        }
        for (i, &c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(x);
                }
            }
            self.buf.push(digits[(c >> 4) as usize] as char);
            self.buf.push(digits[(c & 15) as usize] as char);
        }
        if wid > width && self.f.minus {
            self.write_padding(wid - width);
        }
    }

    fn fmt_integer(&mut self, u: u64, base: u32, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative {
            (u as i64).unsigned_abs()
        } else {
            u
        };
        let mut prec = 0usize;
        if let Some(p) = self.f.prec {
            prec = p;
            if p == 0 && u == 0 {
                let old = self.f.zero;
                self.f.zero = false;
                let w = self.f.wid.unwrap_or(0);
                self.write_padding(w);
                self.f.zero = old;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid.is_some() {
            prec = self.f.wid.unwrap_or(0);
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        // Digits right to left.
        let mut rev: Vec<u8> = Vec::with_capacity(24);
        if u == 0 {
            rev.push(b'0');
        }
        while u > 0 {
            rev.push(digits[(u % base as u64) as usize]);
            u /= base as u64;
        }
        while rev.len() < prec {
            rev.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => {
                    rev.push(b'b');
                    rev.push(b'0');
                }
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => {
                    rev.push(if digits[10] == b'a' { b'x' } else { b'X' });
                    rev.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            rev.push(b'o');
            rev.push(b'0');
        }
        if negative {
            rev.push(b'-');
        } else if self.f.plus {
            rev.push(b'+');
        } else if self.f.space {
            rev.push(b' ');
        }
        rev.reverse();
        let s = String::from_utf8(rev).unwrap_or_default();
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_c(&mut self, u: u64) {
        let c = char::from_u32(u32::try_from(u).unwrap_or(0xFFFD)).unwrap_or('\u{FFFD}');
        let mut b = [0u8; 4];
        let s: &str = c.encode_utf8(&mut b);
        self.pad(s);
    }

    fn fmt_qc(&mut self, u: u64) {
        let c = char::from_u32(u32::try_from(u).unwrap_or(0xFFFD)).unwrap_or('\u{FFFD}');
        let q = strconv::quote_rune(c, self.f.plus);
        self.pad(&q);
    }

    fn fmt_unicode(&mut self, u: u64) {
        let prec = self.f.prec.unwrap_or(4).max(4);
        let mut s = format!("U+{u:0prec$X}");
        let printable = u32::try_from(u)
            .ok()
            .and_then(char::from_u32)
            .filter(|c| strconv::is_print(*c));
        if let (true, Some(c)) = (self.f.sharp, printable) {
            s.push_str(&format!(" '{c}'"));
        }
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_float(&mut self, v: f64, size: u32, verb: char, default_prec: i32) {
        let prec = self.f.prec.map(|p| p as i32).unwrap_or(default_prec);
        let fmt_byte = match verb {
            'v' => b'g',
            'F' => b'f',
            c => c as u8,
        };
        let mut num = strconv::format_float(v, fmt_byte, prec, size);
        if self.f.sharp && verb != 'b' {
            num = sharp_float(&num, verb, prec);
        }
        let (mut sign, body) = match num.as_bytes().first() {
            Some(b'-') => ('-', num[1..].to_string()),
            Some(b'+') => ('+', num[1..].to_string()),
            _ => ('+', num.clone()),
        };
        if self.f.space && sign == '+' && !self.f.plus {
            sign = ' ';
        }
        if body.starts_with("Inf") || body.starts_with("NaN") {
            let old = self.f.zero;
            self.f.zero = false;
            if body.starts_with("NaN") && !self.f.space && !self.f.plus {
                self.pad(&body);
            } else {
                self.pad(&format!("{sign}{body}"));
            }
            self.f.zero = old;
            return;
        }
        if self.f.plus || sign != '+' {
            let full = format!("{sign}{body}");
            let wid = self.f.wid.unwrap_or(0);
            let n = full.chars().count();
            if self.f.zero && !self.f.minus && self.f.wid.is_some() && wid > n {
                self.buf.push(sign);
                self.write_padding(wid - n);
                self.buf.push_str(&body);
                return;
            }
            self.pad(&full);
            return;
        }
        self.pad(&body);
    }

    fn bad_verb(&mut self, verb: char, arg: &Value) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        match arg {
            Value::Nil | Value::Invalid => self.buf.push_str("<nil>"),
            v => {
                self.buf.push_str(&v.type_name());
                self.buf.push('=');
                self.print_arg(v, 'v');
            }
        }
        self.buf.push(')');
    }

    fn print_arg(&mut self, arg: &Value, verb: char) {
        if matches!(arg, Value::Nil | Value::Invalid) {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, arg),
            }
            return;
        }
        if verb == 'T' {
            let t = arg.type_name();
            self.fmt_s(&t);
            return;
        }
        self.print_value(arg, verb, 0);
    }

    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        match v {
            Value::Invalid | Value::Nil => {
                if depth == 0 {
                    self.print_arg(v, verb);
                } else if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.buf.push_str("<nil>");
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad(if *b { "true" } else { "false" }),
                _ => self.bad_verb(verb, v),
            },
            Value::Int(i, _) => self.fmt_int_verb(*i as u64, true, verb, v),
            Value::Uint(u, _) => self.fmt_int_verb(*u, false, verb, v),
            Value::Float(x, k) => {
                let size = if *k == crate::value::FloatKind::Float32 {
                    32
                } else {
                    64
                };
                match verb {
                    'v' => self.fmt_float(*x, size, 'g', -1),
                    'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(*x, size, verb, -1),
                    'f' | 'e' | 'E' | 'F' => self.fmt_float(*x, size, verb, 6),
                    _ => self.bad_verb(verb, v),
                }
            }
            Value::String(s) => match verb {
                'v' => {
                    if self.f.sharp_v {
                        self.fmt_q(s.as_bytes());
                    } else {
                        self.fmt_s(s);
                    }
                }
                's' => self.fmt_s(s),
                'x' => self.fmt_sbx(s.as_bytes(), LDIGITS),
                'X' => self.fmt_sbx(s.as_bytes(), UDIGITS),
                'q' => self.fmt_q(s.as_bytes()),
                _ => self.bad_verb(verb, v),
            },
            Value::Bytes(b) => self.fmt_bytes(b, verb, v),
            Value::List(l) => {
                if self.f.sharp_v {
                    self.buf.push_str(&l.type_name);
                    self.buf.push('{');
                    for (i, it) in l.items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.print_value(it, verb, depth + 1);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (i, it) in l.items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.print_value(it, verb, depth + 1);
                    }
                    self.buf.push(']');
                }
            }
            Value::Map(m) => {
                let m = m.borrow();
                if self.f.sharp_v {
                    self.buf.push_str(&m.type_name);
                    self.buf.push('{');
                } else {
                    self.buf.push_str("map[");
                }
                for (i, (k, val)) in m.entries.iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.push_str(", ");
                        } else {
                            self.buf.push(' ');
                        }
                    }
                    let key = Value::String(k.as_str().into());
                    self.print_value(&key, verb, depth + 1);
                    self.buf.push(':');
                    self.print_value(val, verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
            Value::Object(o) => {
                let s = o.format_v();
                match verb {
                    'v' | 's' => self.fmt_s(&s),
                    'q' => self.fmt_q(s.as_bytes()),
                    'x' => self.fmt_sbx(s.as_bytes(), LDIGITS),
                    'X' => self.fmt_sbx(s.as_bytes(), UDIGITS),
                    _ => self.bad_verb(verb, v),
                }
            }
        }
    }

    fn fmt_int_verb(&mut self, u: u64, signed: bool, verb: char, v: &Value) {
        match verb {
            'v' => {
                if self.f.sharp_v && !signed {
                    self.fmt_0x64(u, true);
                } else {
                    self.fmt_integer(u, 10, signed, verb, LDIGITS);
                }
            }
            'd' => self.fmt_integer(u, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(u, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(u, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(u, 16, signed, verb, UDIGITS),
            'c' => self.fmt_c(u),
            'q' => self.fmt_qc(u),
            'U' => self.fmt_unicode(u),
            _ => self.bad_verb(verb, v),
        }
    }

    fn fmt_0x64(&mut self, u: u64, leading: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading;
        self.fmt_integer(u, 16, false, 'v', LDIGITS);
        self.f.sharp = sharp;
    }

    fn fmt_bytes(&mut self, b: &[u8], verb: char, v: &Value) {
        match verb {
            'v' | 'd' => {
                if self.f.sharp_v {
                    self.buf.push_str("[]byte{");
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.fmt_0x64(c as u64, true);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer(c as u64, 10, false, verb, LDIGITS);
                    }
                    self.buf.push(']');
                }
            }
            's' => {
                let s = String::from_utf8_lossy(b);
                self.fmt_s(&s);
            }
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => self.fmt_q(b),
            _ => {
                // Other verbs print the bytes as a list of uint8.
                self.buf.push('[');
                for (i, &c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    let item = Value::Uint(c as u64, crate::value::UintKind::Uint8);
                    self.fmt_int_verb(c as u64, false, verb, &item);
                }
                self.buf.push(']');
                let _ = v;
            }
        }
    }

    fn do_printf(&mut self, format: &str, a: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0usize;
        'format: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // skip %
            self.f = Flags::default();
            // Flags, with a fast path for a simple lower-case verb.
            while i < end {
                let c = fb[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = !self.f.minus,
                    b'+' => self.f.plus = true,
                    b'-' => {
                        self.f.minus = true;
                        self.f.zero = false;
                    }
                    b' ' => self.f.space = true,
                    _ => {
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.print_arg(&a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format;
                        }
                        break;
                    }
                }
                i += 1;
            }
            // Argument index, width.
            (arg_num, i, after_index) = self.arg_number(arg_num, format, i, a.len());
            if i < end && fb[i] == b'*' {
                i += 1;
                let (n, ok, na) = int_from_arg(a, arg_num);
                arg_num = na;
                if !ok {
                    self.buf.push_str("%!(BADWIDTH)");
                    self.f.wid = None;
                } else if n < 0 {
                    self.f.wid = Some((-n) as usize);
                    self.f.minus = true;
                    self.f.zero = false;
                } else {
                    self.f.wid = Some(n as usize);
                }
                after_index = false;
            } else {
                let (n, isnum, ni) = parse_num(fb, i, end);
                i = ni;
                self.f.wid = if isnum { Some(n) } else { None };
                if after_index && isnum {
                    self.good_arg_num = false;
                }
            }
            // Precision.
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, format, i, a.len());
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (n, ok, na) = int_from_arg(a, arg_num);
                    arg_num = na;
                    if n < 0 || !ok {
                        self.f.prec = None;
                    } else {
                        self.f.prec = Some(n as usize);
                    }
                    if !ok {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (n, isnum, ni) = parse_num(fb, i, end);
                    i = ni;
                    self.f.prec = Some(if isnum { n } else { 0 });
                }
            }
            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, format, i, a.len());
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('?');
            i += verb.len_utf8();
            if verb == '%' {
                self.buf.push('%');
            } else if !self.good_arg_num {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(BADINDEX)");
            } else if arg_num >= a.len() {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(MISSING)");
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(&a[arg_num], verb);
                arg_num += 1;
            }
        }
        if !self.reordered && arg_num < a.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, arg) in a[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if matches!(arg, Value::Nil | Value::Invalid) {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&arg.type_name());
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &str,
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        let fb = format.as_bytes();
        if fb.len() <= i || fb[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&fb[i..]);
        if ok && index >= 0 && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }
}

/// `%#g` and friends: keep a decimal point (and for `%g` trailing zeros up to the
/// precision), as Go's `#` flag does.
fn sharp_float(num: &str, verb: char, prec: i32) -> String {
    let mut digits: i32 = match verb {
        'v' | 'g' | 'G' | 'x' if prec == -1 => 6,
        'v' | 'g' | 'G' | 'x' => prec,
        _ => 0,
    };
    let (sign, unsigned) = match num.as_bytes().first() {
        Some(b'-' | b'+') => num.split_at(1),
        _ => ("", num),
    };
    let (body, tail) = match unsigned.find(['e', 'E', 'p', 'P']) {
        Some(p) => unsigned.split_at(p),
        None => (unsigned, ""),
    };
    let mut has_point = false;
    let mut saw_nonzero = false;
    for c in body.chars() {
        if c == '.' {
            has_point = true;
            continue;
        }
        if c != '0' {
            saw_nonzero = true;
        }
        if saw_nonzero {
            digits -= 1;
        }
    }
    let mut out = format!("{sign}{body}");
    if !has_point {
        if body == "0" {
            digits -= 1;
        }
        out.push('.');
    }
    while digits > 0 {
        out.push('0');
        digits -= 1;
    }
    out.push_str(tail);
    out
}

fn parse_num(s: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut isnum = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if !(-TOO_LARGE..=TOO_LARGE).contains(&num) {
            return (0, false, end);
        }
        num = num * 10 + (s[i] - b'0') as i64;
        isnum = true;
        i += 1;
    }
    (num as usize, isnum, i)
}

fn parse_arg_number(f: &[u8]) -> (i64, usize, bool) {
    if f.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..f.len() {
        if f[i] == b']' {
            let (w, ok, newi) = parse_num(f, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (w as i64 - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

fn int_from_arg(a: &[Value], arg_num: usize) -> (i64, bool, usize) {
    if arg_num >= a.len() {
        return (0, false, arg_num);
    }
    let (mut n, mut ok) = match &a[arg_num] {
        Value::Int(i, _) => (*i, true),
        Value::Uint(u, _) => match i64::try_from(*u) {
            Ok(i) => (i, true),
            Err(_) => (0, false),
        },
        _ => (0, false),
    };
    if !(-TOO_LARGE..=TOO_LARGE).contains(&n) {
        n = 0;
        ok = false;
    }
    (n, ok, arg_num + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn basics() {
        assert_eq!(sprintf("%d-%s", &[Value::int(3), s("x")]), "3-x");
        assert_eq!(sprintf("%d", &[s("hi")]), "%!d(string=hi)");
        assert_eq!(sprintf("%s", &[]), "%!s(MISSING)");
        assert_eq!(sprintf("a", &[s("x")]), "a%!(EXTRA string=x)");
        assert_eq!(sprintf("%05d", &[Value::int(-42)]), "-0042");
        assert_eq!(sprintf("%#08x", &[Value::int(255)]), "0x000000ff");
        assert_eq!(sprintf("%x", &[s("hi")]), "6869");
        assert_eq!(sprintf("%[2]s %[1]s", &[s("a"), s("b")]), "b a");
        assert_eq!(
            sprintf("%6.2f|%-6s|", &[Value::float64(1.23456), s("ab")]),
            "  1.23|ab    |"
        );
        assert_eq!(
            sprint(&[Value::int(1), Value::int(2), s("a"), Value::int(3)]),
            "1 2a3"
        );
        assert_eq!(
            sprint(&[Value::float64(1e6), Value::float64(100000.0)]),
            "1e+06 100000"
        );
    }
}
