//! What a dictionary change can reach: every entity's fingerprint, and the difference
//! between the dictionary a store was extracted with and the one given now.
//!
//! A page's relations depend on the dictionary only through what the matcher finds in its
//! text and what the rules then look up of those hits. So after a change, a page needs to
//! be extracted again only if
//!
//! - its text holds one of the *patterns* of a changed entity — its names and aliases as
//!   matched, and the titles of its posts (a title written without a name is resolved
//!   from the posts held at the places on the page) — in the old dictionary or the new; or
//! - its stored relations name a changed entity (as source, target or ambiguous reading).
//!
//! An entity *changed* when it was added or removed, or when its fingerprint differs: its
//! type, names, every column, its chain of parents (ids), and its posts (title,
//! jurisdiction and its chain of parents, dates). The chain is in the fingerprint because
//! the rules ask whether one entity lies within another: moving a district to another city
//! changes every firm placed in it.
//!
//! Everything else extraction reads is in the *rules* fingerprint: the trigger lexicon and
//! the build of visitgraph itself (its source files, hashed at build time). When that
//! changes, every page is extracted again.

use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::Xxh3;

use crate::dict::Dictionary;

/// The store's view of one entity: what the `entities` table holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntityRow {
    pub(crate) id: String,
    pub(crate) ty: &'static str,
    pub(crate) name: String,
    /// Tab-separated.
    pub(crate) aliases: String,
    pub(crate) kind: Option<String>,
    pub(crate) place: Option<String>,
    pub(crate) candidate: bool,
    /// XXH3-128 of everything extraction reads of the entity, in hex.
    pub(crate) fingerprint: String,
    /// Names as matched and post titles, tab-separated.
    pub(crate) patterns: String,
}

/// Field separator inside a fingerprint (no dictionary cell holds it).
const SEP: &[u8] = &[0x1f];

fn chain(dict: &Dictionary, idx: usize, h: &mut Xxh3) {
    let mut at = dict.parent(idx);
    // A cycle cannot load (the loader refuses it); the bound is only a guard.
    for _ in 0..64 {
        let Some(p) = at else { break };
        h.update(dict.entities[p].id.as_bytes());
        h.update(SEP);
        at = dict.parent(p);
    }
}

/// Every entity of `dict` as a store row, in dictionary order.
pub(crate) fn rows(dict: &Dictionary) -> Vec<EntityRow> {
    let mut titles: Vec<Vec<usize>> = vec![Vec::new(); dict.entities.len()];
    for (i, p) in dict.posts.iter().enumerate() {
        if let Some(t) = titles.get_mut(p.official) {
            t.push(i);
        }
    }
    dict.entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut h = Xxh3::new();
            h.update(e.ty.as_str().as_bytes());
            h.update(SEP);
            let mut patterns: Vec<&str> = e.match_names.iter().map(String::as_str).collect();
            for n in &e.match_names {
                h.update(n.as_bytes());
                h.update(SEP);
            }
            h.update(b"\x1e");
            for (k, v) in e.attrs.iter() {
                h.update(k.as_bytes());
                h.update(b"=");
                h.update(v.as_bytes());
                h.update(SEP);
            }
            h.update(b"\x1e");
            chain(dict, i, &mut h);
            for &pi in &titles[i] {
                let p = &dict.posts[pi];
                h.update(b"\x1e");
                h.update(p.title.as_bytes());
                h.update(SEP);
                h.update(dict.entities[p.jurisdiction].id.as_bytes());
                h.update(SEP);
                chain(dict, p.jurisdiction, &mut h);
                h.update(format!("{:?}{:?}", p.from, p.to).as_bytes());
                patterns.push(&p.title);
            }
            patterns.sort_unstable();
            patterns.dedup();
            let attr = |k: &str| e.attrs.get(k).filter(|v| !v.is_empty()).cloned();
            EntityRow {
                id: e.id.clone(),
                ty: e.ty.as_str(),
                name: e.name.clone(),
                aliases: e.aliases.join("\t"),
                kind: attr("kind"),
                place: attr("place").or_else(|| attr("parent")),
                candidate: e.attr("candidate") == "true",
                fingerprint: format!("{:032x}", h.digest128()),
                patterns: patterns.join("\t"),
            }
        })
        .collect()
}

/// The rules fingerprint: this build of visitgraph and the trigger lexicon.
pub(crate) fn rules_fingerprint(dict: &Dictionary) -> String {
    let mut h = Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(SEP);
    h.update(env!("VISITGRAPH_BUILD").as_bytes());
    for (w, r) in &dict.triggers {
        h.update(SEP);
        h.update(w.as_bytes());
        h.update(b"=");
        h.update(r.as_bytes());
    }
    format!("{:032x}", h.digest128())
}

/// The whole dictionary's fingerprint: the rules and every entity's.
pub(crate) fn dictionary_fingerprint(rules: &str, rows: &[EntityRow]) -> String {
    let mut h = Xxh3::new();
    h.update(rules.as_bytes());
    for r in rows {
        h.update(SEP);
        h.update(r.id.as_bytes());
        h.update(b"=");
        h.update(r.fingerprint.as_bytes());
    }
    format!("{:032x}", h.digest128())
}

/// The prefilter of [`Delta::text_touches`]: for each pattern its rarest character among
/// the dictionary's patterns (a surname or `公司` is in every page; a given name's second
/// character is not), then every character that normalizes to one of those (itself, its
/// traditional forms, its full-width form, the other ASCII case). Normalization maps one
/// character to one character or drops it, so a page whose normalized text holds a pattern
/// holds one of these characters as written.
fn prefilter(patterns: &[&str], rows: &[EntityRow]) -> Option<aho_corasick::AhoCorasick> {
    let mut freq: FxHashMap<char, u32> = FxHashMap::default();
    for r in rows {
        for c in r.patterns.chars() {
            *freq.entry(c).or_default() += 1;
        }
    }
    let mut keys: FxHashSet<char> = FxHashSet::default();
    for p in patterns {
        let key = p
            .chars()
            .filter(|c| !c.is_whitespace())
            .min_by_key(|c| freq.get(c).copied().unwrap_or(0))?;
        keys.insert(key.to_ascii_lowercase());
    }
    let simplify = crate::page::normalize::simplify_char;
    let raw: Vec<String> = (0..=0xFFFFu32)
        .chain(0x20000..=0x3_134F)
        .filter_map(char::from_u32)
        .filter(|&r| keys.contains(&simplify(r).to_ascii_lowercase()))
        .map(String::from)
        .collect();
    aho_corasick::AhoCorasick::new(&raw).ok()
}

/// An entity as the store last saw it: its fingerprint and patterns.
pub(crate) type StoredEntity = (String, String);

/// What changed between the stored dictionary and the new one.
#[derive(Debug, Default)]
pub(crate) struct Delta {
    /// Every page must be extracted again (the rules changed, or the store is new).
    pub(crate) all: bool,
    /// Ids added, removed or changed.
    pub(crate) changed: FxHashSet<String>,
    /// The changed entities' patterns, old and new: a page whose text holds one is
    /// extracted again.
    patterns: Option<aho_corasick::AhoCorasick>,
    /// Every way one key character of each pattern (its rarest among the dictionary's
    /// names) can be written in a page before normalization: a page holding none of them
    /// holds no pattern, and needs no normalizing to be sure.
    prefilter: Option<aho_corasick::AhoCorasick>,
    /// Rows (indices into the new rows) to write, and ids to delete.
    pub(crate) upserts: Vec<usize>,
    pub(crate) deletes: Vec<String>,
}

impl Delta {
    /// Everything is to be extracted (and every row written).
    pub(crate) fn everything(rows: usize) -> Delta {
        Delta {
            all: true,
            upserts: (0..rows).collect(),
            ..Delta::default()
        }
    }

    /// Nothing changed.
    pub(crate) fn nothing() -> Delta {
        Delta::default()
    }

    /// The difference between the stored entities and `rows`.
    pub(crate) fn between(stored: &FxHashMap<String, StoredEntity>, rows: &[EntityRow]) -> Delta {
        let mut d = Delta::default();
        let mut pats: FxHashSet<&str> = FxHashSet::default();
        let mut now: FxHashSet<&str> = FxHashSet::default();
        for (i, r) in rows.iter().enumerate() {
            now.insert(&r.id);
            match stored.get(&r.id) {
                Some((fp, _)) if *fp == r.fingerprint => {}
                old => {
                    d.changed.insert(r.id.clone());
                    d.upserts.push(i);
                    pats.extend(r.patterns.split('\t'));
                    if let Some((_, p)) = old {
                        pats.extend(p.split('\t'));
                    }
                }
            }
        }
        let mut gone: Vec<&String> = stored
            .keys()
            .filter(|k| !now.contains(k.as_str()))
            .collect();
        gone.sort();
        for id in gone {
            d.changed.insert(id.clone());
            d.deletes.push(id.clone());
            if let Some((_, p)) = stored.get(id) {
                pats.extend(p.split('\t'));
            }
        }
        pats.remove("");
        if !pats.is_empty() {
            let mut list: Vec<&str> = pats.into_iter().collect();
            list.sort_unstable();
            d.prefilter = prefilter(&list, rows);
            // Any occurrence counts, overlapping or not: a standard automaton, ASCII case
            // folded as the matcher folds it.
            d.patterns = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&list)
                .ok();
            // (A build that fails — it cannot for a few thousand short patterns — leaves
            // no automaton: then every page is read again, which is always right.)
            if d.patterns.is_none() {
                d.all = true;
            }
        }
        d
    }

    /// Does the page's text hold a changed entity's pattern (after normalization, as the
    /// matcher reads it)?
    pub(crate) fn text_touches(&self, text: &str) -> bool {
        let Some(ac) = &self.patterns else {
            return false;
        };
        if let Some(pre) = &self.prefilter
            && !pre.is_match(text)
        {
            return false;
        }
        let n = crate::page::normalize::normalize(text);
        ac.is_match(&n.text)
    }

    /// Is this entity id changed (or unknown)?
    pub(crate) fn touches(&self, id: &str) -> bool {
        self.changed.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, patterns: &str, fp: &str) -> EntityRow {
        EntityRow {
            id: id.into(),
            ty: "official",
            name: patterns.split('\t').next().unwrap_or("").into(),
            aliases: String::new(),
            kind: None,
            place: None,
            candidate: false,
            fingerprint: fp.into(),
            patterns: patterns.into(),
        }
    }

    #[test]
    fn a_changed_name_is_found_however_the_page_writes_it() {
        let stored: FxHashMap<String, StoredEntity> = [
            ("wang".to_string(), ("a".to_string(), "王小明".to_string())),
            (
                "firm".to_string(),
                ("b".to_string(), "晶湖科技\t晶湖".to_string()),
            ),
        ]
        .into_iter()
        .collect();
        // 刘蔚诗 is new, 晶湖's row changed, 王小明 did not.
        let rows = [
            row("wang", "王小明", "a"),
            row("firm", "晶湖科技\t晶湖", "c"),
            row("liu", "刘蔚诗\t市长", "d"),
        ];
        let d = Delta::between(&stored, &rows);
        assert!(!d.all);
        let ids: Vec<&str> = {
            let mut v: Vec<&str> = d.changed.iter().map(String::as_str).collect();
            v.sort_unstable();
            v
        };
        assert_eq!(ids, ["firm", "liu"]);
        assert!(d.prefilter.is_some());
        for page in [
            "副省長劉(liú)蔚詩帶隊調研。",
            "刘蔚诗到企业调研。",
            "走访晶湖。",
            "市长到企业调研。",
            "ＡＢ晶(jīng)湖",
        ] {
            assert!(d.text_touches(page), "{page}");
        }
        for page in ["王小明到企业调研。", "天气晴。", "劉蔚"] {
            assert!(!d.text_touches(page), "{page}");
        }
        // An entity gone is changed too, with its old patterns.
        let d = Delta::between(&stored, &rows[..1]);
        assert!(d.touches("firm") && d.text_touches("晶湖"));
    }
}
