//! Sprig v3.3.0 template functions (as Helm ships them) for kspm-gotmpl
