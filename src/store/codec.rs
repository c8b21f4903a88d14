//! A page's relations as the store keeps them: one JSON array per page, entities by id.
//!
//! Ids, not the dictionary's indices: indices move whenever an entity is added before
//! another, ids do not. JSON, not a private binary layout: SQLite's `json_each` reads it, so
//! the store's views (`visits`, `companions`, `relations`) are plain SQL over it.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::delta::Delta;
use crate::dict::Dictionary;
use crate::page::relate::Rel;
use crate::page::{DateSource, FoundBatch};

#[derive(Serialize)]
struct RelOut<'a> {
    rel: &'static str,
    source: &'a str,
    target: &'a str,
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_source: Option<&'static str>,
    sentence: &'a str,
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ambiguous: Vec<&'a str>,
}

#[derive(Deserialize)]
struct RelIn<'a> {
    #[serde(borrow)]
    rel: Cow<'a, str>,
    #[serde(borrow)]
    source: Cow<'a, str>,
    #[serde(borrow)]
    target: Cow<'a, str>,
    #[serde(borrow)]
    date: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    date_source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    sentence: Cow<'a, str>,
    start: usize,
    end: usize,
    #[serde(borrow, default)]
    ambiguous: Vec<Cow<'a, str>>,
}

/// The relations `from..` of `batch` (one page's) as the store's JSON.
pub(crate) fn encode(batch: &FoundBatch, from: usize, dict: &Dictionary) -> String {
    let id = |i: usize| dict.entities.get(i).map_or("", |e| e.id.as_str());
    let rels: Vec<RelOut<'_>> = (from..batch.len())
        .map(|i| {
            let f = batch.get(i);
            RelOut {
                rel: f.rel.as_str(),
                source: id(f.source),
                target: id(f.target),
                date: f.evidence.date,
                date_source: f.evidence.date_source.map(DateSource::as_str),
                sentence: f.evidence.sentence,
                start: f.evidence.start,
                end: f.evidence.end,
                ambiguous: f.ambiguous.iter().map(|&a| id(a)).collect(),
            }
        })
        .collect();
    // Serializing strings and numbers cannot fail.
    serde_json::to_string(&rels).unwrap_or_else(|_| "[]".to_string())
}

/// Read a page's stored relations into `out` as page `doc` (at `url`), if none of them
/// names an entity that changed or is gone: `false` (and nothing added) when the page must
/// be extracted again, or when the JSON cannot be read.
pub(crate) fn decode_into(
    json: &str,
    dict: &Dictionary,
    delta: &Delta,
    doc: &str,
    url: Option<&str>,
    out: &mut FoundBatch,
) -> bool {
    let Ok(rels) = serde_json::from_str::<Vec<RelIn<'_>>>(json) else {
        return false;
    };
    let index = |id: &str| -> Option<usize> {
        if delta.touches(id) {
            return None;
        }
        dict.by_id.get(id).copied()
    };
    let mut read = Vec::with_capacity(rels.len());
    for r in &rels {
        let rel = match r.rel.as_ref() {
            "visited" => Rel::Visited,
            "accompanied" => Rel::Accompanied,
            _ => return false,
        };
        let (Some(s), Some(t)) = (index(&r.source), index(&r.target)) else {
            return false;
        };
        let amb: Option<Vec<usize>> = r.ambiguous.iter().map(|a| index(a)).collect();
        let Some(amb) = amb else { return false };
        read.push((s, t, rel, amb));
    }
    if !rels.is_empty() {
        out.begin_read_page(doc, url);
    }
    for (r, (s, t, rel, amb)) in rels.iter().zip(read) {
        let source = r.date_source.as_deref().and_then(DateSource::parse);
        let date = r
            .date
            .as_deref()
            .map(|d| (d, source.unwrap_or(DateSource::Text)));
        out.push_read(s, t, rel, date, &r.sentence, (r.start, r.end), &amb);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::{DictionaryBuilder, Layer};

    fn dict() -> Dictionary {
        let layer = Layer::from_texts(
            "t",
            &[
                ("officials.tsv", "id\tname\taliases\nzhang\t张三\t\n"),
                (
                    "organizations.tsv",
                    "id\tname\taliases\tkind\tplace\nfirm\t甲乙科技有限公司\t甲乙科技\tcompany\t\n",
                ),
            ],
        );
        DictionaryBuilder::new()
            .no_builtin(true)
            .layer(layer)
            .build()
            .expect("dictionary")
    }

    #[test]
    fn relations_come_back_as_they_were_stored() {
        let d = dict();
        let ex = crate::page::Extractor::new(d).expect("compile");
        let page = "标题\n\n3月5日,张三到甲乙科技有限公司调研。\n";
        let mut b = FoundBatch::new();
        ex.extract_into("a.txt", page, crate::page::Provenance::default(), &mut b);
        assert_eq!(b.len(), 1, "one visit");
        let json = encode(&b, 0, &ex.dict);
        assert!(
            json.contains(r#""source":"zhang","target":"firm""#),
            "{json}"
        );
        let mut c = FoundBatch::new();
        assert!(decode_into(
            &json,
            &ex.dict,
            &Delta::nothing(),
            "a.txt",
            None,
            &mut c
        ));
        let got: Vec<_> = c.iter().map(|f| f.to_found().evidence).collect();
        let want: Vec<_> = b.iter().map(|f| f.to_found().evidence).collect();
        assert_eq!(got, want);
        // A changed entity refuses the stored relations, and nothing is added.
        let mut delta = Delta::nothing();
        delta.changed.insert("firm".into());
        let mut e = FoundBatch::new();
        assert!(!decode_into(&json, &ex.dict, &delta, "a.txt", None, &mut e));
        assert!(e.is_empty());
        // So does an id the dictionary no longer has, or JSON that is not ours.
        let gone = json.replace("\"firm\"", "\"elsewhere\"");
        assert!(!decode_into(
            &gone,
            &ex.dict,
            &Delta::nothing(),
            "a",
            None,
            &mut e
        ));
        assert!(!decode_into(
            "{",
            &ex.dict,
            &Delta::nothing(),
            "a",
            None,
            &mut e
        ));
        assert!(e.is_empty());
    }
}
