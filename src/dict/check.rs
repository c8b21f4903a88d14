//! Dictionary checks: every layer in, [`Diagnostic`]s out.
//!
//! Errors are what the loader finds (a missing column, an empty id or name, a duplicate id,
//! a reference to an unknown id, a bad or reversed date range). Warnings are what is legal
//! but likely to cost precision: an alias shared by two entities, a one-character alias, an
//! alias that is a common word by jieba's word frequencies (`田野`, `和平`), and a post that
//! only one person holds at a time held by two people over overlapping dates.

use std::collections::BTreeMap;

use crate::dict::{Diagnostic, Dictionary, Post, Severity};
use crate::page::normalize::is_han;

/// jieba frequency from which an alias counts as a common word.
pub const COMMON_WORD_FREQ: usize = 500;

/// The warnings for a resolved dictionary (errors come from the loader).
pub fn warnings(dict: &Dictionary) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut names: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in dict.entities.iter().enumerate() {
        for n in &e.match_names {
            names.entry(n.as_str()).or_default().push(i);
        }
    }
    let where_ = |i: usize| format!("{} `{}`", dict.entities[i].ty.as_str(), dict.entities[i].id);
    for (n, ids) in &names {
        let mut ids = ids.clone();
        ids.dedup();
        if ids.len() > 1 {
            let list: Vec<String> = ids.iter().map(|&i| where_(i)).collect();
            out.push(Diagnostic::warning(
                "aliases",
                0,
                format!("`{n}` names {}: {}", ids.len(), list.join(", ")),
            ));
        }
    }
    let jieba = jieba_rs::Jieba::new();
    for e in &dict.entities {
        for a in &e.aliases {
            let n = a.chars().count();
            if n == 1 {
                out.push(Diagnostic::warning(
                    "aliases",
                    0,
                    format!("one-character alias `{a}` of `{}`", e.id),
                ));
            } else if a.chars().all(is_han)
                && jieba.has_word(a)
                && jieba.suggest_freq(a) >= COMMON_WORD_FREQ
                && !is_proper_noun(&jieba, a)
            {
                out.push(Diagnostic::warning(
                    "aliases",
                    0,
                    format!(
                        "alias `{a}` of `{}` is a common word (jieba frequency {})",
                        e.id,
                        jieba.suggest_freq(a)
                    ),
                ));
            }
        }
    }
    // Posts held by one person at a time.
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
                    out.push(Diagnostic::warning(
                        "posts",
                        0,
                        format!(
                            "`{title}` of `{}` held by `{}` and `{}` over overlapping dates",
                            dict.entities[j].id,
                            dict.entities[pa.official].id,
                            dict.entities[pb.official].id
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Does jieba tag the word as a proper noun (a person, place, organization, other name)?
pub fn is_proper_noun(jieba: &jieba_rs::Jieba, w: &str) -> bool {
    let tags = jieba.tag(w, false);
    tags.len() == 1 && matches!(tags[0].tag, "nr" | "ns" | "nt" | "nz" | "nrt" | "nrfg")
}

/// Counts of a check: errors, warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let e = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (e, diags.len() - e)
}
