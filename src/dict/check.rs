//! Dictionary checks: every layer in, [`Diagnostic`]s out.
//!
//! Errors are what the loader finds (a header or row whose cells do not line up, a missing
//! column, an empty id or name, a duplicate id, a reference to an unknown id, a bad or
//! reversed date range). Warnings are what is legal but likely to cost precision, each at
//! the `path:line` of the row it is about: a name or alias shared by two entities (when a
//! later layer gives a new id to a place, organization or official an earlier layer already
//! has, the warning names the existing id to use instead), a one-character alias, an alias
//! that is a common word by jieba's word frequencies (`田野`, `和平`), a `kind` or `level`
//! outside the documented values ([`KINDS`], [`LEVELS`]), and a post that only one person
//! holds at a time held by two people over overlapping dates.

use std::collections::BTreeMap;

use crate::dict::{Diagnostic, Dictionary, EntityType, Origin, Post, Severity};
use crate::page::normalize::is_han;

/// jieba frequency from which an alias counts as a common word.
pub const COMMON_WORD_FREQ: usize = 500;

/// The documented values of `organizations.tsv`'s `kind` column.
pub const KINDS: &[&str] = &[
    "company",
    "institute",
    "university",
    "lab",
    "park",
    "project",
    "association",
    "venue",
    "museum",
    "media",
    "agency",
    "government",
    "party",
    "legislature",
    "committee",
];

/// The documented values of `places.tsv`'s `level` column.
pub const LEVELS: &[&str] = &[
    "country",
    "sar",
    "province",
    "city",
    "prefecture",
    "district",
    "county",
    "zone",
    "town",
    "township",
    "street",
    "village",
    "community",
];

/// A warning at the row `origin` of `dict`.
fn at(dict: &Dictionary, origin: Origin, msg: String) -> Diagnostic {
    let path = dict
        .files
        .get(origin.file as usize)
        .map_or("?", String::as_str);
    Diagnostic::warning(path, origin.line as usize, msg)
}

/// The warnings for a resolved dictionary (errors come from the loader).
pub fn warnings(dict: &Dictionary) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    shared_names(dict, &mut out);
    aliases(dict, &mut out);
    kinds_and_levels(dict, &mut out);
    overlapping_posts(dict, &mut out);
    out
}

/// Names (or aliases) that stand for several entities, each reported at the row read last.
/// When that row repeats the name of an entity of the same type from an earlier layer under
/// a new id, the warning suggests the existing id: a row with that id corrects the entity
/// instead of adding a second one.
fn shared_names(dict: &Dictionary, out: &mut Vec<Diagnostic>) {
    let mut names: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in dict.entities.iter().enumerate() {
        for n in &e.match_names {
            names.entry(n.as_str()).or_default().push(i);
        }
    }
    let layer = |o: Origin| {
        dict.files
            .get(o.file as usize)
            .and_then(|p| p.rsplit_once('/'))
            .map(|(dir, _)| dir)
    };
    let mut suggested = std::collections::HashSet::new();
    for (n, mut ids) in names {
        ids.dedup();
        if ids.len() < 2 {
            continue;
        }
        let origin = |i: usize| dict.entities[i].origin;
        let last = ids
            .iter()
            .copied()
            .max_by_key(|&i| (origin(i).file, origin(i).line))
            .unwrap_or(ids[0]);
        let e = &dict.entities[last];
        let existing = ids.iter().copied().find(|&i| {
            i != last
                && dict.entities[i].ty == e.ty
                && origin(i).file < e.origin.file
                && layer(origin(i)) != layer(e.origin)
        });
        let msg = match existing {
            // A name and its alias both shared with the same entity: one warning.
            Some(i) if !suggested.insert((last, i)) => continue,
            Some(i) => format!(
                "`{n}` is already the {} `{}` of an earlier layer ({}): to correct that entry rather than add a second one as `{}`, use its id `{}`",
                e.ty.as_str(),
                dict.entities[i].id,
                dict.location(origin(i)),
                e.id,
                dict.entities[i].id,
            ),
            None => {
                let list: Vec<String> = ids
                    .iter()
                    .map(|&i| {
                        let x = &dict.entities[i];
                        format!("{} `{}` ({})", x.ty.as_str(), x.id, dict.location(x.origin))
                    })
                    .collect();
                format!("`{n}` names {}: {}", ids.len(), list.join(", "))
            }
        };
        out.push(at(dict, e.origin, msg));
    }
}

/// One-character aliases, and aliases that are common words.
fn aliases(dict: &Dictionary, out: &mut Vec<Diagnostic>) {
    let jieba = jieba_rs::Jieba::new();
    for e in &dict.entities {
        for a in &e.aliases {
            let n = a.chars().count();
            if n == 1 {
                out.push(at(
                    dict,
                    e.origin,
                    format!("one-character alias `{a}` of `{}`", e.id),
                ));
            } else if a.chars().all(is_han)
                && jieba.has_word(a)
                && jieba.suggest_freq(a) >= COMMON_WORD_FREQ
                && !is_proper_noun(&jieba, a)
            {
                out.push(at(
                    dict,
                    e.origin,
                    format!(
                        "alias `{a}` of `{}` is a common word (jieba frequency {})",
                        e.id,
                        jieba.suggest_freq(a)
                    ),
                ));
            }
        }
    }
}

/// A `kind` (organizations) or `level` (places) outside the documented values: the rules
/// read some of them (`media`, `government`, `country`…), and a typo silently loses that.
fn kinds_and_levels(dict: &Dictionary, out: &mut Vec<Diagnostic>) {
    for e in &dict.entities {
        let (column, known) = match e.ty {
            EntityType::Organization => ("kind", KINDS),
            EntityType::Place => ("level", LEVELS),
            EntityType::Official => continue,
        };
        let v = e.attr(column);
        if !v.is_empty() && !known.contains(&v) {
            out.push(at(
                dict,
                e.origin,
                format!(
                    "unknown {column} `{v}` of `{}` (documented: {})",
                    e.id,
                    known.join(", ")
                ),
            ));
        }
    }
}

/// Posts held by one person at a time, held by two over overlapping dates (reported at the
/// later row).
fn overlapping_posts(dict: &Dictionary, out: &mut Vec<Diagnostic>) {
    let mut by_post: BTreeMap<(&str, usize), Vec<&Post>> = BTreeMap::new();
    for p in &dict.posts {
        let shared = p.title.starts_with('副')
            || ["常委", "委员", "成员", "领导", "代表"]
                .iter()
                .any(|w| p.title.contains(w));
        if !shared {
            by_post
                .entry((p.title.as_str(), p.jurisdiction))
                .or_default()
                .push(p);
        }
    }
    for ((title, j), ps) in by_post {
        for (a, pa) in ps.iter().enumerate() {
            for pb in &ps[a + 1..] {
                if pa.official == pb.official {
                    continue;
                }
                let start = |p: &Post| p.from.unwrap_or((0, 1, 1));
                let end = |p: &Post| p.to.unwrap_or((9999, 12, 31));
                if start(pa) <= end(pb) && start(pb) <= end(pa) {
                    out.push(at(
                        dict,
                        pb.origin,
                        format!(
                            "`{title}` of `{}` held by `{}` and `{}` over overlapping dates (the other at {})",
                            dict.entities[j].id,
                            dict.entities[pa.official].id,
                            dict.entities[pb.official].id,
                            dict.location(pa.origin)
                        ),
                    ));
                }
            }
        }
    }
}

/// Does jieba tag the word as a proper noun (a person, place, organization, other name)?
pub fn is_proper_noun(jieba: &jieba_rs::Jieba, w: &str) -> bool {
    let tags = jieba.tag(w, false);
    tags.len() == 1 && matches!(tags[0].tag, "nr" | "nt" | "ns" | "nz" | "nrt" | "nrfg")
}

/// Counts of a check: errors, warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let e = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (e, diags.len() - e)
}

/// The layer a diagnostic belongs to: the folder of its file (`builtin:dictionaries` for the
/// built-in layer).
pub fn layer_of(d: &Diagnostic) -> &str {
    d.path
        .rsplit_once('/')
        .map_or(d.path.as_str(), |(dir, _)| dir)
}

/// Is this diagnostic about the built-in layer?
pub fn is_builtin(d: &Diagnostic) -> bool {
    d.path.starts_with("builtin:")
}
