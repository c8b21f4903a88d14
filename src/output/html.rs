//! One self-contained HTML page: the graph with a force layout, colours by type, search by
//! name, a date range, and the evidence of a node or edge on click. The script and style are
//! this project's own (`html/page.js`, `html/page.css`), inlined; a Content-Security-Policy
//! allows only those two (by hash) and no network at all.
//!
//! The graph is embedded as JSON in `<script type="application/json">`, with `<`, `>`, `&`,
//! U+2028 and U+2029 written as `\uXXXX`, so no name or sentence can close the element; the
//! script reads it with `JSON.parse` and shows every string with `textContent`.
//!
//! A candidate node (discovered, not in a dictionary: `extract --discover`, or a layer
//! written by `candidates -o`) is drawn with a dashed outline, and the legend says what that
//! means when the graph has one.
//!
//! Search reads simplified, traditional and pinyin: the writer embeds, for this graph's
//! labels only, a traditional → simplified map of their characters (`"t2s"`, from OpenCC's
//! table in `hanconv`) and each node's pinyin keys (`"pinyin"`: the name's and each alias's
//! reading in full and by initials, from the `pinyin` crate), so the page needs no table of
//! its own.
//!
//! At scale (tested at 2,000 nodes and 9,000 edges) the page lays the graph out with a
//! Barnes–Hut force layout capped in rounds, draws labels by a greedy placement (largest
//! degree first, a label only where its box meets no other), and offers a timeline brush,
//! relation, type and top-N filters, fit to the filtered set or the selection, an entity
//! table of dated visits, and export of the view (SVG, PNG) and the visible edges (CSV).
//!
//! Deep links: `page.html#select=ID&from=YYYY-MM-DD&to=YYYY-MM-DD&q=TEXT` selects a node,
//! sets the date range and the search on load (the browser test and the screenshot use them).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use pinyin::ToPinyin;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::corpus::graph::GraphView;
use crate::dict::Dictionary;
use crate::error::{Error, Result};

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
    let s = serde_json::to_string(v).map_err(|e| Error::json("the graph", e))?;
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

/// Every traditional form OpenCC gives a simplified character (`发` → `發`, `髮`).
fn s2t_chars() -> &'static HashMap<char, Vec<char>> {
    static TABLE: OnceLock<HashMap<char, Vec<char>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let one = |s: &str| {
            let mut c = s.chars();
            c.next().filter(|_| c.next().is_none())
        };
        hanconv::RawDictionary::STCharacters
            .var_iter()
            .filter_map(|(k, vs)| {
                let k = one(k)?;
                let v: Vec<char> = vs
                    .iter()
                    .filter_map(|v| one(v))
                    .filter(|&v| v != k)
                    .collect();
                (!v.is_empty()).then_some((k, v))
            })
            .collect()
    })
}

/// The traditional → simplified map for the characters of these labels: a query typed in
/// traditional script is read character by character into the labels' script. A character
/// the labels themselves use is never mapped (`乾` stays when a label has it, though it is
/// also a traditional form of `干`).
fn t2s_map<'a>(labels: impl Iterator<Item = &'a str>) -> BTreeMap<char, char> {
    let table = s2t_chars();
    let chars: BTreeSet<char> = labels.flat_map(str::chars).collect();
    let mut map = BTreeMap::new();
    for &c in &chars {
        for &t in table.get(&c).map(Vec::as_slice).unwrap_or(&[]) {
            if !chars.contains(&t) {
                map.entry(t).or_insert(c);
            }
        }
    }
    map
}

/// A label's pinyin search keys: its reading in full (`shimingxuan`) and by initials
/// (`smx`), lower-case, toneless, `ü` as `v`; ASCII letters and digits kept as they are.
/// Nothing when the label has no Han character.
fn pinyin_keys(label: &str) -> Option<[String; 2]> {
    let (mut full, mut initials, mut han) = (String::new(), String::new(), false);
    for c in label.chars() {
        if let Some(p) = c.to_pinyin() {
            han = true;
            let plain = p.plain().replace('ü', "v");
            full.push_str(&plain);
            initials.push_str(&plain[..1]);
        } else if c.is_ascii_alphanumeric() {
            full.push(c.to_ascii_lowercase());
            initials.push(c.to_ascii_lowercase());
        }
    }
    han.then_some([full, initials])
}

/// The pinyin keys of a name and its aliases, each once, in order.
fn search_keys(name: &str, aliases: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .filter_map(pinyin_keys)
        .flatten()
        .filter(|k| seen.insert(k.clone()))
        .collect()
}

/// Write what the page needs of the graph, as [`script_json`] would give it for one value
/// `{"documents", "version", "t2s", "nodes", "edges"}` (compact JSON), one node or edge at a
/// time.
fn write_page_data<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let put = |w: &mut dyn std::io::Write, v: &Value| -> std::io::Result<()> {
        w.write_all(script_json(v).map_err(super::io_err)?.as_bytes())
    };
    let nodes = graph.sorted_nodes(dict);
    let index: HashMap<usize, usize> = nodes.iter().enumerate().map(|(n, &i)| (i, n)).collect();
    w.write_all(b"{\"documents\":")?;
    put(w, &json!(graph.document_count()))?;
    w.write_all(b",\"version\":")?;
    put(w, &json!(env!("CARGO_PKG_VERSION")))?;
    let labels = nodes.iter().flat_map(|&i| {
        let e = &dict.entities[i];
        std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str))
    });
    let t2s: serde_json::Map<String, Value> = t2s_map(labels)
        .into_iter()
        .map(|(t, s)| (t.to_string(), json!(s.to_string())))
        .collect();
    w.write_all(b",\"t2s\":")?;
    put(w, &Value::Object(t2s))?;
    w.write_all(b",\"nodes\":[")?;
    for (n, &i) in nodes.iter().enumerate() {
        let e = &dict.entities[i];
        let place = dict
            .parent(i)
            .map(|p| dict.entities[p].name.clone())
            .unwrap_or_else(|| e.attr("place").to_string());
        if n > 0 {
            w.write_all(b",")?;
        }
        put(
            w,
            &json!({
                "id": e.id, "name": e.name, "type": e.ty.as_str(), "aliases": e.aliases,
                "kind": e.attr("kind"), "place": place,
                "candidate": super::dot::is_candidate(e),
                "pinyin": search_keys(&e.name, &e.aliases),
            }),
        )?;
    }
    w.write_all(b"],\"edges\":[")?;
    let mut first = true;
    let mut marker = super::readable::Marker::default();
    graph.for_each_edge(dict, |a, b, d| {
        let ev: Vec<Value> = d
            .evidence
            .iter()
            .map(|e| {
                // The readable text with its marks, the verbatim sentence a click away.
                let r = marker.read(dict, &e.sentence, a, b);
                let marks: Vec<[usize; 2]> = [r.source, r.target]
                    .into_iter()
                    .flatten()
                    .map(|(s, e)| [s, e])
                    .collect();
                let mut v = json!({
                    "doc": e.doc, "date": e.date, "sentence": e.sentence, "marks": marks,
                });
                if r.text != e.sentence {
                    v["text"] = json!(r.text);
                }
                if let Some(src) = e.date_source {
                    v["date_source"] = json!(src.as_str());
                }
                if let Some(u) = &e.url {
                    v["url"] = json!(u);
                }
                v
            })
            .collect();
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        put(
            w,
            &json!({
                "source": index[&a], "target": index[&b], "relation": d.rel.as_str(),
                "evidence": ev,
            }),
        )
    })?;
    w.write_all(b"]}")
}

/// Fill `{{NAME}}` placeholders in one pass (substituted text is never rescanned): `value`
/// writes a known placeholder's text and says it knew it; an unknown one is left as it is.
fn fill_with(
    template: &str,
    w: &mut dyn std::io::Write,
    mut value: impl FnMut(&str, &mut dyn std::io::Write) -> std::io::Result<bool>,
) -> std::io::Result<()> {
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        w.write_all(&rest.as_bytes()[..i])?;
        let after = &rest[i + 2..];
        let filled = match after.find("}}") {
            Some(j) => value(&after[..j], w)?.then_some(j),
            None => None,
        };
        match filled {
            Some(j) => rest = &after[j + 2..],
            None => {
                w.write_all(b"{{")?;
                rest = after;
            }
        }
    }
    w.write_all(rest.as_bytes())
}

/// Write the graph as one self-contained HTML page, its data streamed from the graph.
pub fn write_html<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let csp = format!(
        "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; form-action 'none'",
        csp_hash(PAGE_JS),
        csp_hash(PAGE_CSS)
    );
    fill_with(TEMPLATE, w, |key, w| {
        match key {
            "CSP" => w.write_all(csp.as_bytes())?,
            "CSS" => w.write_all(PAGE_CSS.as_bytes())?,
            "JS" => w.write_all(PAGE_JS.as_bytes())?,
            "DATA" => write_page_data(graph, dict, w)?,
            _ => return Ok(false),
        }
        Ok(true)
    })
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
        let mut out = Vec::new();
        fill_with("a{{X}}b{{Y}}c{{Z}}d{{", &mut out, |k, w| {
            let v: &[u8] = match k {
                "X" => b"{{Y}}",
                "Y" => b"y",
                _ => return Ok(false),
            };
            w.write_all(v)?;
            Ok(true)
        })
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a{{Y}}byc{{Z}}d{{");
    }

    #[test]
    fn search_keys_read_pinyin_in_full_and_by_initials() {
        assert_eq!(
            search_keys("时明轩", &["明轩".to_string()]),
            ["shimingxuan", "smx", "mingxuan", "mx"]
        );
        assert_eq!(search_keys("吕A座", &[]), ["lvazuo", "laz"]);
        assert!(search_keys("ABC", &[]).is_empty());
    }

    #[test]
    fn t2s_map_covers_the_labels_characters_only() {
        let m = t2s_map(["陈云发", "公司"].into_iter());
        assert_eq!(m.get(&'陳'), Some(&'陈'));
        assert_eq!(m.get(&'雲'), Some(&'云'));
        assert_eq!(m.get(&'發'), Some(&'发'));
        assert_eq!(m.get(&'髮'), Some(&'发'));
        assert!(!m.contains_key(&'書'), "书 is in no label");
        assert!(!m.values().any(|&s| s == '公'), "公 has no other form");
        let m = t2s_map(["乾隆", "干部"].into_iter());
        assert!(!m.contains_key(&'乾'), "a label's own character is kept");
        assert_eq!(m.get(&'幹'), Some(&'干'));
    }
}
