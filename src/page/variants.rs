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
    let table = phrases();
    let mut out = String::with_capacity(name.len());
    let mut changed = false;
    let mut i = 0;
    while let Some(c) = name[i..].chars().next() {
        let hit = table
            .get(&c)
            .and_then(|v| v.iter().find(|(simp, _)| name[i..].starts_with(simp)));
        match hit {
            Some((simp, back)) => {
                out.push_str(back);
                i += simp.len();
                changed = true;
            }
            None => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    (changed && out != name).then_some(out)
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
        }
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
