//! Names as converters write them in traditional script, brought back.
//!
//! [`normalize`](crate::page::normalize) reads traditional script character by character
//! (OpenCC's one-to-one table), so its offsets stay trivial. Converters that wrote the
//! pages (OpenCC and its ports) go phrase by phrase, and some phrases come out in a variant
//! that maps back to a *different* simplified character: 家具 → 傢俱 → 家俱, 竹溪 → 竹谿 →
//! 竹谿. A dictionary name holding such a phrase is therefore also matched in that form:
//! [`round_trip`] gives it, from OpenCC's own phrase table (embedded by `hanconv`).
//!
//! Only the phrases whose round trip differs are kept (a few thousand of the table's 49,000),
//! indexed by first character, so a name without one costs a hash lookup per character.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::page::normalize::simplify_char;

/// Phrases by their first character: (simplified phrase, its traditional form read back
/// character by character), longest first.
type Phrases = HashMap<char, Vec<(&'static str, String)>>;

fn phrases() -> &'static Phrases {
    static P: OnceLock<Phrases> = OnceLock::new();
    P.get_or_init(|| {
        let mut map: Phrases = HashMap::new();
        for (simp, trad) in hanconv::RawDictionary::STPhrases.iter() {
            let back: String = trad.chars().map(simplify_char).collect();
            if back != simp
                && back.chars().count() == simp.chars().count()
                && let Some(c) = simp.chars().next()
            {
                map.entry(c).or_default().push((simp, back));
            }
        }
        for v in map.values_mut() {
            v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(b.0)));
        }
        map
    })
}

/// Build the phrase table now (`extract` does it on a thread of its own while the
/// dictionaries load, as it loads jieba's word list), not inside the matcher's compile.
pub fn prepare() {
    phrases();
}

/// The round-trip forms by their first character: (form read back, simplified phrase),
/// longest first.
fn inverse() -> &'static HashMap<char, Vec<(String, &'static str)>> {
    static I: OnceLock<HashMap<char, Vec<(String, &'static str)>>> = OnceLock::new();
    I.get_or_init(|| {
        let mut map: HashMap<char, Vec<(String, &'static str)>> = HashMap::new();
        for (simp, back) in phrases().values().flatten() {
            if let Some(c) = back.chars().next() {
                map.entry(c).or_default().push((back.clone(), simp));
            }
        }
        for v in map.values_mut() {
            v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        }
        map
    })
}

/// The inverse of [`round_trip`]: a name read from a converter's traditional script, in
/// simplified script as it is written (`湖北鸿泰家俱有限公司` → `湖北鸿泰家具有限公司`), when
/// it holds such a form.
///
/// ```
/// use visitgraph::page::variants::canonical;
/// assert_eq!(canonical("鸿泰家俱有限公司").as_deref(), Some("鸿泰家具有限公司"));
/// assert_eq!(canonical("芯澄微电子有限公司"), None);
/// ```
pub fn canonical(name: &str) -> Option<String> {
    rewrite(name, inverse(), |(from, to)| (from.as_str(), *to))
}

/// `name` as a phrase converter writes it in traditional script, read back character by
/// character, when that differs from `name` (`湖北鸿泰家具有限公司` → `湖北鸿泰家俱有限公司`);
/// phrases leftmost-longest, as OpenCC converts.
///
/// ```
/// use visitgraph::page::variants::round_trip;
/// assert_eq!(round_trip("鸿泰家具有限公司").as_deref(), Some("鸿泰家俱有限公司"));
/// assert_eq!(round_trip("芯澄微电子有限公司"), None);
/// ```
pub fn round_trip(name: &str) -> Option<String> {
    rewrite(name, phrases(), |(simp, back)| (*simp, back.as_str()))
}

/// Rewrite `name` phrase by phrase, leftmost-longest, from a table by first character
/// (`pair` gives an entry's `(from, to)`); `None` when nothing changed.
fn rewrite<T>(
    name: &str,
    table: &HashMap<char, Vec<T>>,
    pair: impl Fn(&T) -> (&str, &str),
) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while let Some(c) = name[i..].chars().next() {
        let hit = table.get(&c).and_then(|v| {
            v.iter()
                .map(&pair)
                .find(|(from, _)| name[i..].starts_with(from))
        });
        match hit {
            Some((from, to)) => {
                out.push_str(to);
                i += from.len();
            }
            None => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    (out != name).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_of_names() {
        for (name, want) in [
            ("湖北鸿泰家具有限公司", Some("湖北鸿泰家俱有限公司")),
            ("竹溪望山民宿", Some("竹谿望山民宿")),
            // Character by character already: no variant.
            ("长江存储科技有限责任公司", None),
            ("上海微电子装备(集团)股份有限公司", None),
            ("", None),
        ] {
            assert_eq!(round_trip(name).as_deref(), want, "{name}");
            // And back.
            if let Some(w) = want {
                assert_eq!(canonical(w).as_deref(), Some(name), "{w}");
            }
        }
        assert_eq!(canonical("长江存储科技有限责任公司"), None);
        // The trigger lexicon has no word a converter changes this way (so cues need no
        // variants); a new word that had one would show here.
        let text = include_str!("../../dictionaries/triggers.tsv");
        let changed: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .filter(|w| round_trip(w).is_some())
            .collect();
        assert!(changed.is_empty(), "{changed:?}");
    }
}
