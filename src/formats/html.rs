//! One self-contained HTML page: the graph with a force layout, colours by type, search by
//! name, a date range, and the evidence of a node or edge on click. The script and style are
//! this project's own (`html/page.js`, `html/page.css`), inlined; a Content-Security-Policy
//! allows only those two (by hash) and no network at all.
//!
//! The graph is embedded as JSON in `<script type="application/json">`, with `<`, `>`, `&`,
//! U+2028 and U+2029 written as `\uXXXX`, so no name or sentence can close the element; the
//! script reads it with `JSON.parse` and shows every string with `textContent`.
//!
//! Deep links: `page.html#select=ID&from=YYYY-MM-DD&to=YYYY-MM-DD&q=TEXT` selects a node,
//! sets the date range and the search on load (the browser test and the screenshot use them).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::dictionary::Dictionary;
use crate::error::{Error, Result};
use crate::graph::VisitGraph;

const TEMPLATE: &str = include_str!("html/page.html");
const PAGE_JS: &str = include_str!("html/page.js");
const PAGE_CSS: &str = include_str!("html/page.css");

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                o.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                o.push('=');
            }
        }
    }
    o
}

fn csp_hash(s: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(s.as_bytes())))
}

/// JSON safe inside a `<script>` element: `<`, `>`, `&`, U+2028, U+2029 as `\uXXXX` (they
/// only ever occur inside JSON strings, where the escape means the same character).
pub fn script_json(v: &Value) -> Result<String> {
    let s = serde_json::to_string(v)
        .map_err(|e| Error::Usage(format!("cannot serialize the graph: {e}")))?;
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("\\u003c"),
            '>' => o.push_str("\\u003e"),
            '&' => o.push_str("\\u0026"),
            '\u{2028}' => o.push_str("\\u2028"),
            '\u{2029}' => o.push_str("\\u2029"),
            c => o.push(c),
        }
    }
    Ok(o)
}

/// What the page needs of the graph.
fn page_data(graph: &VisitGraph, dict: &Dictionary) -> Value {
    let nodes = graph.sorted_nodes(dict);
    let index: std::collections::HashMap<usize, usize> =
        nodes.iter().enumerate().map(|(n, &i)| (i, n)).collect();
    let jn: Vec<Value> = nodes
        .iter()
        .map(|&i| {
            let e = &dict.entities[i];
            let place = dict
                .parent(i)
                .map(|p| dict.entities[p].name.clone())
                .unwrap_or_else(|| e.attr("place").to_string());
            json!({
                "id": e.id, "name": e.name, "type": e.ty.as_str(), "aliases": e.aliases,
                "kind": e.attr("kind"), "place": place,
            })
        })
        .collect();
    let je: Vec<Value> = graph
        .sorted_edges(dict)
        .into_iter()
        .map(|(a, b, d)| {
            let ev: Vec<Value> = d
                .evidence
                .iter()
                .map(|e| json!({"doc": e.doc, "date": e.date, "sentence": e.sentence}))
                .collect();
            json!({
                "source": index[&a], "target": index[&b], "relation": d.rel.as_str(),
                "evidence": ev,
            })
        })
        .collect();
    json!({
        "documents": graph.documents,
        "version": env!("CARGO_PKG_VERSION"),
        "nodes": jn,
        "edges": je,
    })
}

/// Fill `{{NAME}}` placeholders in one pass (substituted text is never rescanned).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut o = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        o.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}").and_then(|j| {
            values
                .iter()
                .find(|(k, _)| *k == &after[..j])
                .map(|v| (j, v))
        }) {
            Some((j, (_, v))) => {
                o.push_str(v);
                rest = &after[j + 2..];
            }
            None => {
                o.push_str("{{");
                rest = after;
            }
        }
    }
    o.push_str(rest);
    o
}

/// The graph as one self-contained HTML page.
pub fn to_html(graph: &VisitGraph, dict: &Dictionary) -> Result<String> {
    let data = script_json(&page_data(graph, dict))?;
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; form-action 'none'",
        csp_hash(PAGE_JS),
        csp_hash(PAGE_CSS)
    );
    Ok(fill(
        TEMPLATE,
        &[
            ("CSP", &csp),
            ("CSS", PAGE_CSS),
            ("DATA", &data),
            ("JS", PAGE_JS),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn embedded_json_cannot_close_the_script() {
        let v = json!({"name": "</script><img src=x onerror=alert(1)>&\u{2028}"});
        let s = script_json(&v).unwrap();
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill("a{{X}}b{{Y}}c{{Z}}", &[("X", "{{Y}}"), ("Y", "y")]),
            "a{{Y}}byc{{Z}}"
        );
    }
}
