//! The `visitgraph/1` JSON of a graph's edges, written by hand in the bytes serde_json's
//! pretty printer would write. Why: the edges are nearly all of a large graph's JSON (their
//! evidence sentences), and through serde every byte of every string went through its
//! escape-table loop and every key and indentation through the formatter: half of the
//! output stage's time. Here a string with nothing to escape (the usual sentence) is
//! checked eight bytes at a time and copied whole. The header, meta and nodes still go
//! through serde ([`serde_at`]). Tests hold the bytes to `serde_json::to_string_pretty` of
//! the same graph as a `Value`, and the escaping to serde_json's on random strings.

use std::collections::BTreeSet;

use crate::corpus::graph::EdgeData;
use crate::dict::Dictionary;

/// A line break and `depth` levels of two-space indentation.
pub(super) fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    for _ in 0..depth {
        out.extend_from_slice(b"  ");
    }
}

/// `v` pretty-printed by serde_json as if nested `depth` levels deep.
pub(super) fn serde_at(
    out: &mut Vec<u8>,
    v: &impl serde::Serialize,
    depth: usize,
) -> serde_json::Result<()> {
    let s = serde_json::to_vec_pretty(v)?;
    // A string's line breaks are escaped, so every raw one is the printer's.
    for (i, line) in s.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            newline(out, depth);
        }
        out.extend_from_slice(line);
    }
    Ok(())
}

/// Does any of these eight bytes need escaping in a JSON string (a control character, `"`
/// or `\`)? Bit tricks on a word: exact for the `any` question.
fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    (below_space
        | zero_byte(w ^ (ONES * u64::from(b'"')))
        | zero_byte(w ^ (ONES * u64::from(b'\\'))))
        != 0
}

/// `s` as a JSON string, escaped as serde_json escapes it.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut i = 0;
    // Whole words with nothing to escape are copied as they are.
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        if needs_escape(u64::from_le_bytes(w)) {
            break;
        }
        i += 8;
    }
    let mut start = 0;
    for (j, &c) in b.iter().enumerate().skip(i) {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&b[start..j]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(c >> 4)]);
                out.push(HEX[usize::from(c & 0xf)]);
                start = j + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&b[start..j]);
        out.extend_from_slice(esc);
        start = j + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// An unsigned integer in decimal.
fn number(out: &mut Vec<u8>, mut n: usize) {
    let mut d = [0u8; 20];
    let mut k = d.len();
    loop {
        k -= 1;
        d[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&d[k..]);
}

/// A key of an object whose keys sit `depth` deep; `first` opens the object's lines.
pub(super) fn key(out: &mut Vec<u8>, depth: usize, k: &str, first: bool) {
    if !first {
        out.push(b',');
    }
    newline(out, depth);
    string(out, k);
    out.extend_from_slice(b": ");
}

/// An array of strings whose items sit `depth` deep.
fn strings<'a>(out: &mut Vec<u8>, depth: usize, items: impl IntoIterator<Item = &'a str>) {
    out.push(b'[');
    let mut any = false;
    for s in items {
        if any {
            out.push(b',');
        }
        newline(out, depth);
        string(out, s);
        any = true;
    }
    if any {
        newline(out, depth - 1);
    }
    out.push(b']');
}

/// One edge as an item of the top-level `edges` array (the object sits 2 deep), the bytes
/// of `EdgeOut` through serde's pretty printer.
pub(super) fn edge(out: &mut Vec<u8>, dict: &Dictionary, a: usize, b: usize, d: &EdgeData) {
    const KEYS: usize = 3;
    out.push(b'{');
    key(out, KEYS, "source", true);
    string(out, &dict.entities[a].id);
    key(out, KEYS, "target", false);
    string(out, &dict.entities[b].id);
    key(out, KEYS, "relation", false);
    string(out, d.rel.as_str());
    key(out, KEYS, "dates", false);
    let dates: BTreeSet<&str> = d
        .evidence
        .iter()
        .filter_map(|e| e.date.as_deref())
        .collect();
    strings(out, KEYS + 1, dates);
    key(out, KEYS, "weight", false);
    number(out, d.evidence.len());
    if !d.ambiguous.is_empty() {
        key(out, KEYS, "ambiguous", false);
        let ids: BTreeSet<&str> = d
            .ambiguous
            .iter()
            .map(|&i| dict.entities[i].id.as_str())
            .collect();
        strings(out, KEYS + 1, ids);
    }
    key(out, KEYS, "evidence", false);
    out.push(b'[');
    for (n, e) in d.evidence.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        newline(out, KEYS + 1);
        out.push(b'{');
        key(out, KEYS + 2, "doc", true);
        string(out, &e.doc);
        key(out, KEYS + 2, "date", false);
        match &e.date {
            Some(x) => string(out, x),
            None => out.extend_from_slice(b"null"),
        }
        key(out, KEYS + 2, "sentence", false);
        string(out, &e.sentence);
        key(out, KEYS + 2, "start", false);
        number(out, e.start);
        key(out, KEYS + 2, "end", false);
        number(out, e.end);
        newline(out, KEYS + 1);
        out.push(b'}');
    }
    if !d.evidence.is_empty() {
        newline(out, KEYS);
    }
    out.push(b']');
    newline(out, KEYS - 1);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// Strings are escaped byte for byte as serde_json escapes them, around and across
        /// the eight-byte words.
        #[test]
        fn strings_are_serdes(s in "[\\x00-\\x21\\x22\\x5c\\x7f a-z文。\u{2028}😀]{0,40}") {
            let mut out = Vec::new();
            string(&mut out, &s);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        }
    }

    #[test]
    fn numbers_and_nesting_are_serdes() {
        for n in [0usize, 7, 10, 99, 12345, usize::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
        let v = serde_json::json!({"a": [1, {"b": []}], "c": {}});
        let mut out = b"[".to_vec();
        newline(&mut out, 2);
        serde_at(&mut out, &v, 2).unwrap();
        newline(&mut out, 1);
        out.push(b']');
        let nested = serde_json::to_string_pretty(&serde_json::json!([[v]])).unwrap();
        let inner = nested
            .strip_prefix("[\n  ")
            .unwrap()
            .strip_suffix("\n]")
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), inner);
    }
}
