//! Surnames: where a person's name starts, and how its id is read.
//!
//! Takes characters of running text; gives the length of the surname they start with (one
//! character, or two for a compound such as 欧阳 or 上官) and, for ids, the surname's own
//! reading: a surname is often read otherwise than the same character in a word (单 shan,
//! 阚 kan, 仇 qiu, 区 ou, 解 xie), and an id read the word's way would split one person in
//! two the day someone fixes it. The lexicon is `dictionaries/surnames.tsv`, embedded;
//! characters that are mostly function words (是, 有, 和…) are left out of it on purpose.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The embedded lexicon: `surname<TAB>reading`, `#` comments, a header line.
const LEXICON: &str = include_str!("../../dictionaries/surnames.tsv");

/// Surname → its reading (empty: the character's common reading).
fn table() -> &'static BTreeMap<&'static str, &'static str> {
    static T: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    T.get_or_init(|| {
        LEXICON
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("surname\t") && !l.is_empty())
            .map(|l| {
                let mut cols = l.split('\t');
                let name = cols.next().unwrap_or_default();
                (name, cols.next().unwrap_or_default().trim())
            })
            .collect()
    })
}

/// The length in characters of the surname `s` starts with, the compound first.
///
/// `欧阳靖川` → 2, `王斐` → 1, `是国内` → none (see the tests below).
pub(crate) fn surname_len(s: &[char]) -> Option<usize> {
    let t = table();
    let mut buf = [0u8; 8];
    if s.len() >= 2 {
        let two: String = s[..2].iter().collect();
        if t.contains_key(two.as_str()) {
            return Some(2);
        }
    }
    let one = s.first()?.encode_utf8(&mut buf);
    t.contains_key(&*one).then_some(1)
}

/// The surname reading of a name's first one or two characters, when the lexicon gives one:
/// its length in characters and the reading (`单宏宇` → `(1, "shan")`).
pub(crate) fn reading(name: &str) -> Option<(usize, &'static str)> {
    let chars: Vec<char> = name.chars().take(3).collect();
    let len = surname_len(&chars)?;
    let key: String = chars[..len].iter().collect();
    let r = table().get(key.as_str())?;
    (!r.is_empty()).then_some((len, *r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        for (text, want) in [
            ("欧阳靖川", Some(2)),
            ("上官宁", Some(2)),
            ("王斐", Some(1)),
            ("逄立群", Some(1)),
            ("綦文博", Some(1)),
            ("是国内", None),
            ("有关", None),
        ] {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(surname_len(&chars), want, "{text}");
        }
    }

    #[test]
    fn readings() {
        assert_eq!(reading("单宏宇"), Some((1, "shan")));
        assert_eq!(reading("阚一鸣"), Some((1, "kan")));
        assert_eq!(reading("区志明"), Some((1, "ou")));
        assert_eq!(reading("尉迟恭"), Some((2, "yuchi")));
        assert_eq!(reading("王斐"), None);
    }
}
