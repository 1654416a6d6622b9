//! Helm's template engine and `helm template` output, natively: renders charts with kspm-gotmpl, Sprig and Helm's functions
