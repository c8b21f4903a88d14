//! The `visitgraph/1` JSON layout, defined once: the top-level keys and their order, the
//! header `extract` writes, where nodes and edges go, and an edge's fields — written by
//! `extract` ([`crate::output::json`]) and by `merge` ([`crate::corpus::merge`]), streamed
//! ([`Writer`]) or as a `serde_json::Value` ([`to_value`], [`Edge`]'s `Serialize`).
//!
//! The layout is networkx's node-link layout with the `edges` key, pretty-printed as
//! serde_json prints it (two spaces), with one trailing newline. The streamed bytes are
//! written by hand, in the bytes serde_json's pretty printer would write. Why: the edges are
//! nearly all of a large graph's JSON (their evidence sentences), and through serde every
//! byte of every string went through its escape-table loop and every key and indentation
//! through the formatter: half of the output stage's time. Here a string with nothing to
//! escape (the usual sentence) is checked eight bytes at a time and copied whole. The
//! header, meta and nodes still go through serde ([`serde_at`]). Tests hold the bytes to
//! `serde_json::to_string_pretty` of the same graph as a `Value`, and the escaping to
//! serde_json's on random strings.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::{Value, json};

use crate::page::Evidence;

/// The `format` of a graph.
pub(crate) const FORMAT: &str = "visitgraph/1";

/// Top-level keys, in output order: the header ([`Header`]: the first [`HEADER`]), then
/// the nodes and the edges.
pub(crate) const KEYS: [&str; 7] = [
    "format",
    "directed",
    "multigraph",
    "graph",
    "meta",
    "nodes",
    "edges",
];
/// Keys of the header.
pub(crate) const HEADER: usize = 5;
pub(crate) const META: usize = 4;
pub(crate) const NODES: usize = 5;
pub(crate) const EDGES: usize = 6;

/// The values of the header's keys (`KEYS[..HEADER]`), each left out if `None` (a merged
/// graph takes them from its first shard, which may lack one).
pub(crate) type Header = [Option<Value>; HEADER];

/// The header `extract` writes.
pub(crate) fn header(multigraph: bool, meta: Value) -> Header {
    [
        Some(json!(FORMAT)),
        Some(json!(true)),
        Some(json!(multigraph)),
        Some(json!({})),
        Some(meta),
    ]
}

/// The graph as a value: the header's keys, then `nodes` and `edges` (the in-memory
/// reference the tests hold the streamed bytes to).
#[cfg(test)]
pub(crate) fn to_value(header: Header, nodes: Vec<Value>, edges: Vec<Value>) -> Value {
    let mut m: serde_json::Map<String, Value> = KEYS
        .iter()
        .zip(header)
        .filter_map(|(k, v)| Some((k.to_string(), v?)))
        .collect();
    m.insert(KEYS[NODES].into(), Value::Array(nodes));
    m.insert(KEYS[EDGES].into(), Value::Array(edges));
    Value::Object(m)
}

/// A piece of evidence as an edge holds it: its date, its bytes by hand, and (for the
/// reference) by serde.
pub(crate) trait EvidenceItem: Serialize {
    fn date(&self) -> Option<&str>;
    /// The item as serde's pretty printer writes it `depth` levels deep.
    fn write(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()>;
}

impl EvidenceItem for Evidence {
    fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }

    fn write(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        write_head(self, out, depth);
        if let Some(u) = &self.url {
            key(out, depth + 1, "url", false);
            string(out, u);
        }
        newline(out, depth);
        out.push(b'}');
        Ok(())
    }
}

/// A piece of evidence as `extract` writes it: the [`Evidence`] fields, then `text` (the
/// sentence in simplified script without pinyin glosses; left out when that is the
/// sentence itself) and `marks` (where the edge's `source` and `target` are named in the
/// text, `[start, end)` in characters; an end not named there has none), then `url`.
pub(crate) struct ReadEvidence<'a> {
    pub(crate) ev: &'a Evidence,
    pub(crate) text: Option<String>,
    pub(crate) source: Option<(usize, usize)>,
    pub(crate) target: Option<(usize, usize)>,
}

impl ReadEvidence<'_> {
    fn marks(&self) -> impl Iterator<Item = (&'static str, (usize, usize))> {
        [("source", self.source), ("target", self.target)]
            .into_iter()
            .filter_map(|(k, m)| Some((k, m?)))
    }
}

impl Serialize for ReadEvidence<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let e = self.ev;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("doc", &e.doc)?;
        m.serialize_entry("date", &e.date)?;
        if let Some(x) = e.date_source {
            m.serialize_entry("date_source", &x)?;
        }
        m.serialize_entry("sentence", &e.sentence)?;
        m.serialize_entry("start", &e.start)?;
        m.serialize_entry("end", &e.end)?;
        if let Some(t) = &self.text {
            m.serialize_entry("text", t)?;
        }
        let marks: serde_json::Map<String, Value> = self
            .marks()
            .map(|(k, (a, b))| (k.to_string(), serde_json::json!([a, b])))
            .collect();
        m.serialize_entry("marks", &marks)?;
        if let Some(u) = &e.url {
            m.serialize_entry("url", u)?;
        }
        m.end()
    }
}

impl EvidenceItem for ReadEvidence<'_> {
    fn date(&self) -> Option<&str> {
        self.ev.date.as_deref()
    }

    fn write(&self, out: &mut Vec<u8>, depth: usize) -> io::Result<()> {
        let e = self.ev;
        write_head(e, out, depth);
        if let Some(t) = &self.text {
            key(out, depth + 1, "text", false);
            string(out, t);
        }
        key(out, depth + 1, "marks", false);
        out.push(b'{');
        let mut any = false;
        for (k, (a, b)) in self.marks() {
            key(out, depth + 2, k, !any);
            out.push(b'[');
            newline(out, depth + 3);
            number(out, a);
            out.push(b',');
            newline(out, depth + 3);
            number(out, b);
            newline(out, depth + 2);
            out.push(b']');
            any = true;
        }
        if any {
            newline(out, depth + 1);
        }
        out.push(b'}');
        if let Some(u) = &e.url {
            key(out, depth + 1, "url", false);
            string(out, u);
        }
        newline(out, depth);
        out.push(b'}');
        Ok(())
    }
}

/// An evidence object's opening brace and its fields up to `end`, as serde's pretty printer
/// writes them `depth` levels deep.
fn write_head(e: &Evidence, out: &mut Vec<u8>, depth: usize) {
    out.push(b'{');
    key(out, depth + 1, "doc", true);
    string(out, &e.doc);
    key(out, depth + 1, "date", false);
    match &e.date {
        Some(x) => string(out, x),
        None => out.extend_from_slice(b"null"),
    }
    if let Some(x) = e.date_source {
        key(out, depth + 1, "date_source", false);
        string(out, x.as_str());
    }
    key(out, depth + 1, "sentence", false);
    string(out, &e.sentence);
    key(out, depth + 1, "start", false);
    number(out, e.start);
    key(out, depth + 1, "end", false);
    number(out, e.end);
}

/// One edge: `source`, `target`, `relation`, `dates` (of its evidence, sorted, distinct),
/// `weight` (its evidence count), `ambiguous` (if any), `evidence`.
pub(crate) struct Edge<'a, I> {
    pub(crate) source: &'a str,
    pub(crate) target: &'a str,
    pub(crate) relation: &'a str,
    /// Ids, sorted, distinct.
    pub(crate) ambiguous: &'a [&'a str],
    /// Sorted, distinct.
    pub(crate) evidence: I,
}

impl<'a, E, I> Edge<'a, I>
where
    E: EvidenceItem + 'a,
    I: IntoIterator<Item = &'a E> + Copy,
    I::IntoIter: ExactSizeIterator,
{
    fn dates(&self) -> BTreeSet<&'a str> {
        self.evidence.into_iter().filter_map(E::date).collect()
    }

    /// The edge as an item of the top-level `edges` array (the object sits 2 deep), for
    /// [`Writer::edge_bytes`] (on another thread) or [`Writer::edge`].
    pub(crate) fn write(&self, out: &mut Vec<u8>) -> io::Result<()> {
        const KEYS: usize = 3;
        out.push(b'{');
        key(out, KEYS, "source", true);
        string(out, self.source);
        key(out, KEYS, "target", false);
        string(out, self.target);
        key(out, KEYS, "relation", false);
        string(out, self.relation);
        key(out, KEYS, "dates", false);
        strings(out, KEYS + 1, self.dates());
        key(out, KEYS, "weight", false);
        let evidence = self.evidence.into_iter();
        number(out, evidence.len());
        if !self.ambiguous.is_empty() {
            key(out, KEYS, "ambiguous", false);
            strings(out, KEYS + 1, self.ambiguous.iter().copied());
        }
        key(out, KEYS, "evidence", false);
        out.push(b'[');
        let any = evidence.len() > 0;
        for (n, e) in evidence.enumerate() {
            if n > 0 {
                out.push(b',');
            }
            newline(out, KEYS + 1);
            e.write(out, KEYS + 1)?;
        }
        if any {
            newline(out, KEYS);
        }
        out.push(b']');
        newline(out, KEYS - 1);
        out.push(b'}');
        Ok(())
    }
}

impl<'a, E, I> Serialize for Edge<'a, I>
where
    E: EvidenceItem + 'a,
    I: IntoIterator<Item = &'a E> + Copy,
    I::IntoIter: ExactSizeIterator,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Seq<I>(I);
        impl<'a, E: Serialize + 'a, I: IntoIterator<Item = &'a E> + Copy> Serialize for Seq<I> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(None)?;
                for e in self.0 {
                    seq.serialize_element(e)?;
                }
                seq.end()
            }
        }
        let mut m = s.serialize_map(Some(6 + usize::from(!self.ambiguous.is_empty())))?;
        m.serialize_entry("source", self.source)?;
        m.serialize_entry("target", self.target)?;
        m.serialize_entry("relation", self.relation)?;
        m.serialize_entry("dates", &self.dates())?;
        m.serialize_entry("weight", &self.evidence.into_iter().len())?;
        if !self.ambiguous.is_empty() {
            m.serialize_entry("ambiguous", self.ambiguous)?;
        }
        m.serialize_entry("evidence", &Seq(self.evidence))?;
        m.end()
    }
}

/// Bytes handed to the output at a time by [`Writer::begin`].
pub(crate) const CHUNK: usize = 1 << 20;

/// Writes a graph in the layout, streamed: the header, then nodes one by one, then
/// ([`Writer::edges`]) edges one by one, then [`Writer::end`]. Written into a buffer of its
/// own, handed to the output a chunk at a time.
pub(crate) struct Writer<W: Write> {
    w: W,
    out: Vec<u8>,
    /// Bytes held before they go to `w`.
    chunk: usize,
    /// Items in the open array.
    items: usize,
}

impl<W: Write> Writer<W> {
    /// Open the graph: its header and the `nodes` array, handed to `w` a [`CHUNK`] at a
    /// time.
    pub(crate) fn begin(w: W, header: &Header) -> io::Result<Writer<W>> {
        Writer::chunked(w, header, CHUNK)
    }

    /// [`Writer::begin`], handing `w` what is written past `chunk` bytes (0: every node
    /// and edge as it is written).
    pub(crate) fn chunked(w: W, header: &Header, chunk: usize) -> io::Result<Writer<W>> {
        let mut out = Vec::with_capacity(chunk + (chunk >> 2));
        out.push(b'{');
        let present = KEYS
            .iter()
            .zip(header)
            .filter_map(|(k, v)| Some((k, v.as_ref()?)));
        for (n, (k, v)) in present.enumerate() {
            key(&mut out, 1, k, n == 0);
            serde_at(&mut out, v, 1)?;
        }
        key(&mut out, 1, KEYS[NODES], false);
        out.push(b'[');
        Ok(Writer {
            w,
            out,
            chunk,
            items: 0,
        })
    }

    /// The next item of the open array: its separator and indentation.
    fn item(&mut self) {
        if self.items > 0 {
            self.out.push(b',');
        }
        self.items += 1;
        newline(&mut self.out, 2);
    }

    /// Hand the output what is written, past a chunk.
    fn spill(&mut self) -> io::Result<()> {
        if self.out.len() >= self.chunk {
            self.w.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    /// Close the open array.
    fn close(&mut self) {
        if self.items > 0 {
            newline(&mut self.out, 1);
        }
        self.out.push(b']');
        self.items = 0;
    }

    /// A node.
    pub(crate) fn node(&mut self, node: &impl Serialize) -> io::Result<()> {
        self.item();
        serde_at(&mut self.out, node, 2)?;
        self.spill()
    }

    /// A node already printed as [`serde_at`] prints it 2 deep.
    pub(crate) fn node_printed(&mut self, node: &[u8]) -> io::Result<()> {
        self.item();
        self.out.extend_from_slice(node);
        self.spill()
    }

    /// Close the nodes, open the edges.
    pub(crate) fn edges(&mut self) -> io::Result<()> {
        self.close();
        key(&mut self.out, 1, KEYS[EDGES], false);
        self.out.push(b'[');
        self.spill()
    }

    /// An edge.
    pub(crate) fn edge<'a, E, I>(&mut self, e: &Edge<'a, I>) -> io::Result<()>
    where
        E: EvidenceItem + 'a,
        I: IntoIterator<Item = &'a E> + Copy,
        I::IntoIter: ExactSizeIterator,
    {
        self.item();
        e.write(&mut self.out)?;
        self.spill()
    }

    /// An edge already written by [`Edge::write`].
    pub(crate) fn edge_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.item();
        self.out.extend_from_slice(bytes);
        self.spill()
    }

    /// Close the edges and the graph.
    pub(crate) fn end(mut self) -> io::Result<()> {
        self.close();
        self.out.extend_from_slice(b"\n}\n");
        self.w.write_all(&self.out)
    }
}

/// A line break and `depth` levels of two-space indentation.
pub(crate) fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    for _ in 0..depth {
        out.extend_from_slice(b"  ");
    }
}

/// `v` pretty-printed by serde_json as if nested `depth` levels deep.
pub(crate) fn serde_at(
    out: &mut Vec<u8>,
    v: &(impl Serialize + ?Sized),
    depth: usize,
) -> io::Result<()> {
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
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
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
pub(crate) fn number(out: &mut Vec<u8>, mut n: usize) {
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
pub(crate) fn key(out: &mut Vec<u8>, depth: usize, k: &str, first: bool) {
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

    /// The streamed layout is the bytes of pretty-printing its value, for every shape of
    /// header (`extract`'s, or a merged shard's with keys missing), node list and edge
    /// (no evidence, undated, ambiguous, strings to escape).
    #[test]
    fn the_writer_writes_the_value_s_bytes() {
        let ev = |doc: &str, date: Option<&str>, start| Evidence {
            doc: doc.into(),
            date: date.map(String::from),
            date_source: date.map(|_| crate::page::DateSource::Published),
            sentence: "他说：\"来了\"\n\t。".into(),
            start,
            end: start + 12,
            url: doc
                .contains('\\')
                .then(|| "https://x.cn/a?b=\"中\"&c=\\d".to_string()),
        };
        let evidence = [
            vec![],
            vec![ev("a", None, 0)],
            vec![
                ev("a", Some("2024-01-02"), 3),
                ev("b\\c", Some("2023-12-31"), 99),
                ev("c", None, 7),
            ],
        ];
        let ambiguous: [&[&str]; 2] = [&[], &["x", "中"]];
        let mut edges = Vec::new();
        for ev in &evidence {
            for amb in ambiguous {
                edges.push(Edge {
                    source: "p\"1",
                    target: "o/2",
                    relation: "visited",
                    ambiguous: amb,
                    evidence: ev,
                });
            }
        }
        let meta = json!({"tool": "t", "documents": 3, "dictionaries": [{"a": []}]});
        let mut shard = header(true, meta.clone());
        shard[1] = None;
        shard[3] = Some(json!({"name": "x"}));
        for h in [header(false, meta), shard] {
            for (nodes, edges) in [(0, &edges[..0]), (2, &edges[..1]), (3, &edges[..])] {
                let nodes: Vec<Value> = (0..nodes)
                    .map(|i| json!({"id": i, "aliases": []}))
                    .collect();
                let mut got = Vec::new();
                let mut w = Writer::chunked(&mut got, &h, 100).unwrap();
                for n in &nodes {
                    w.node(n).unwrap();
                }
                w.edges().unwrap();
                for e in edges {
                    w.edge(e).unwrap();
                }
                w.end().unwrap();
                let values = edges
                    .iter()
                    .map(|e| serde_json::to_value(e).unwrap())
                    .collect();
                let want =
                    serde_json::to_string_pretty(&to_value(h.clone(), nodes, values)).unwrap();
                assert_eq!(String::from_utf8(got).unwrap(), want + "\n");
            }
        }
    }
}
