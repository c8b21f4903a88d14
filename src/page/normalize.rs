//! The normalize stage: original text in, [`Normalized`] text out.
//!
//! Everything downstream (dictionaries, cues, dates) is written in simplified script with
//! half-width ASCII, so this stage rewrites the page into that form **character by
//! character**:
//!
//! * traditional → simplified with OpenCC's `TSCharacters` table (through the MIT-licensed
//!   `hanconv` crate, which embeds OpenCC's Apache-2.0 data). Only the one-to-one character
//!   table is used, never phrase tables, so one original character gives at most one
//!   normalized character and offsets stay trivial;
//! * full-width ASCII (`（`, `Ａ`, `１`, the ideographic space) → half-width;
//! * pinyin annotations pasted after characters (`區(qū)`) are *removed*, and only those:
//!   a parenthesised group is pinyin when it directly follows a Han character and holds a
//!   single lowercase syllable (tone marks or a tone digit allowed). `(常州)`, `(21日)`,
//!   `(AMKOR)` and `(集团)` are kept;
//! * spaces padding a two-character name in a list (`王  斐、宋　可`) are *removed*: two or
//!   more, or an ideographic one, between two Han characters one of which stands alone.
//!
//! The result keeps, for every normalized character, the index of the original character it
//! came from, so a span found in normalized text maps back to the original document in
//! Unicode characters (as Python indexes a `str`).
//!
//! ```
//! use visitgraph::page::normalize::normalize;
//! let n = normalize("區(qū)領(lǐng)導調研澎芯半導體（常州）有限公司");
//! assert_eq!(n.text, "区领导调研澎芯半导体(常州)有限公司");
//! // "导" came from 導, the 13th character of the original (區 ( q ū ) 領 ( l ǐ n g ) 導).
//! assert_eq!(n.orig_char(2), 12);
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

/// A page rewritten to simplified, half-width, pinyin-free text with a map back to the
/// original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// Byte offset in `text` of every normalized character, plus `text.len()` at the end.
    char_starts: Vec<u32>,
    /// Original byte offset of every normalized character, plus the original length.
    orig_bytes: Vec<u32>,
    /// Where pinyin groups were dropped: `(normalized index of the next character, original
    /// characters dropped so far)`. Nothing else changes the character count, so a
    /// normalized index plus the drops before it is the original index (no counting).
    dropped: Vec<(u32, u32)>,
    /// Does the text hold an ASCII capital (the matcher, when it reads UTF-8, lowercases only
    /// then)?
    upper: bool,
    /// Character index of every line break (`\n`, `\r`), noted while normalizing so the
    /// document stage need not look them up.
    breaks: Vec<u32>,
    /// Two bytes per character from [`normalize_coded`]'s alphabet (`None` after plain
    /// [`normalize`]).
    coded: Option<Vec<u8>>,
}

impl Normalized {
    /// Number of characters in the normalized text.
    pub fn char_len(&self) -> usize {
        self.char_starts.len() - 1
    }

    /// Normalized character index of a byte offset in `text` (must be a char boundary).
    pub fn char_at_byte(&self, byte: usize) -> usize {
        match self.char_starts.binary_search(&(byte as u32)) {
            Ok(i) | Err(i) => i,
        }
    }

    /// [`Normalized::char_at_byte`] for a byte at or after character `from` (a forward
    /// walk, for hits that come in text order).
    pub(crate) fn char_at_byte_from(&self, from: usize, byte: usize) -> usize {
        let from = from.min(self.char_len());
        let b0 = self.char_starts[from] as usize;
        if b0 > byte {
            return self.char_at_byte(byte);
        }
        // The `byte - b0` bytes from there hold at least a quarter as many characters and at
        // most as many: a binary search in that window, not a walk over every character (a
        // walk from line to line was a sixth of the document stage).
        let hi = (from + (byte - b0)).min(self.char_len());
        let lo = (from + (byte - b0) / 4).min(hi);
        lo + self.char_starts[lo..=hi].partition_point(|&s| (s as usize) < byte)
    }

    /// Byte offset in `text` of a normalized character index (`char_len()` allowed).
    pub fn byte_of_char(&self, ch: usize) -> usize {
        self.char_starts[ch.min(self.char_len())] as usize
    }

    /// Original character index of normalized character `ch` (`char_len()` maps to the end
    /// of the original).
    pub fn orig_char(&self, ch: usize) -> usize {
        let ch = ch.min(self.char_len());
        let i = self.dropped.partition_point(|&(at, _)| at as usize <= ch);
        ch + if i == 0 {
            0
        } else {
            self.dropped[i - 1].1 as usize
        }
    }

    /// Original `[start, end)` character span of a normalized `[start, end)` character span.
    pub fn orig_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.orig_char(start);
        if end <= start {
            return (s, s);
        }
        // Up to and including the last character's original (not a pinyin group after it).
        (s, self.orig_char(end - 1) + 1)
    }

    /// Byte offset in the original page of normalized character `ch` (`char_len()` maps to
    /// the end of the original).
    #[cfg(test)]
    pub(crate) fn orig_byte(&self, ch: usize) -> usize {
        self.orig_bytes[ch.min(self.char_len())] as usize
    }

    /// The original text of a normalized `[start, end)` character span, sliced from the
    /// page it was normalized from (no copy of the page as characters).
    pub(crate) fn orig_str<'a>(&self, original: &'a str, start: usize, end: usize) -> &'a str {
        let at = |ch: usize| self.orig_bytes[ch.min(self.char_len())] as usize;
        if end <= start {
            return "";
        }
        // Up to the end of the last character's original, not over a pinyin group after it.
        let last = at(end - 1);
        let last_len = original[last..].chars().next().map_or(0, char::len_utf8);
        original.get(at(start)..last + last_len).unwrap_or("")
    }

    /// The page made readable: `original` (the text this was normalized from) with its Han
    /// characters in simplified script and its pinyin glosses dropped, every other
    /// character as written (full-width punctuation stays full-width). One character per
    /// normalized character, so the normalized text's character offsets hold in it.
    pub fn readable(&self, original: &str) -> String {
        let mut out = String::with_capacity(self.text.len());
        for (i, c) in self.text.chars().enumerate() {
            let at = self.orig_bytes[i] as usize;
            let o = original
                .get(at..)
                .and_then(|r| r.chars().next())
                .unwrap_or(c);
            out.push(if is_han(c) || is_han(o) { c } else { o });
        }
        out
    }

    /// Does the normalized text hold an ASCII capital letter? (Noted while normalizing, so
    /// the matcher need not look.)
    pub(crate) fn has_ascii_upper(&self) -> bool {
        self.upper
    }

    /// The text in the alphabet [`normalize_coded`] was given, two bytes per character
    /// (`None` after plain [`normalize`]).
    pub(crate) fn coded(&self) -> Option<&[u8]> {
        self.coded.as_deref()
    }

    /// Character index of every line break (`\n` or `\r`), in order.
    pub(crate) fn line_breaks(&self) -> impl Iterator<Item = usize> + '_ {
        self.breaks.iter().map(|&i| i as usize)
    }

    /// The normalized text between two character indices.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        &self.text[self.byte_of_char(start)..self.byte_of_char(end.max(start))]
    }
}

/// Traditional → simplified for the Basic Multilingual Plane, as a dense table of `u16`
/// indexed by code point (a lookup per character is on the hot path, 128 KB stays in cache,
/// and a decoded three-byte character indexes it with no bounds check), plus a map for the
/// rest. An entry below [`BMP_BASE`] sends a character to the general path: 0 for those
/// mapped outside the BMP, and for U+3000 and the full-width ASCII forms, which the general
/// path rewrites first; every other entry from U+2E80 on is a BMP character (never a
/// surrogate), which the fast path writes as three bytes.
struct T2s {
    bmp: Box<[u16; 0x10000]>,
    astral: HashMap<char, char>,
}

const BMP_BASE: u32 = 0x2E80;

fn t2s_table() -> &'static T2s {
    static TABLE: OnceLock<T2s> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut bmp: Box<[u16; 0x10000]> = Box::new([0; 0x10000]);
        for (u, e) in bmp.iter_mut().enumerate() {
            *e = u as u16;
        }
        let mut astral = HashMap::new();
        for (k, v) in hanconv::RawDictionary::TSCharacters.iter() {
            let mut kc = k.chars();
            let mut vc = v.chars();
            if let (Some(a), None, Some(b), None) = (kc.next(), kc.next(), vc.next(), vc.next())
                && a != b
                && (a as u32) >= BMP_BASE
            {
                if (a as u32) <= 0xFFFF && (BMP_BASE..=0xFFFF).contains(&(b as u32)) {
                    bmp[a as usize] = b as u32 as u16;
                } else {
                    if (a as u32) <= 0xFFFF {
                        bmp[a as usize] = 0;
                    }
                    astral.insert(a, b);
                }
            }
        }
        // OpenCC keeps 瞭 (as in 瞭望) first; in news text 瞭解 is by far the common use.
        bmp['瞭' as usize] = '了' as u32 as u16;
        // Characters the fast path leaves to the general one.
        bmp[0x3000] = 0;
        bmp[0xFF01..=0xFF5E].fill(0);
        // Not characters (and never decoded from a `str`).
        bmp[0xD800..=0xDFFF].fill(0);
        T2s { bmp, astral }
    })
}

/// Simplified form of one character (the character itself when it has none).
#[inline]
pub(crate) fn simplify_char(c: char) -> char {
    simplify_in(t2s_table(), c)
}

#[inline(always)]
fn simplify_in(t: &T2s, c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{00A0}' => ' ',
        _ => c,
    };
    if (c as u32) < BMP_BASE {
        return c;
    }
    if (c as u32) <= 0xFFFF {
        match t.bmp[c as usize] {
            0 => *t.astral.get(&c).unwrap_or(&c),
            u => char::from_u32(u32::from(u)).unwrap_or(c),
        }
    } else {
        *t.astral.get(&c).unwrap_or(&c)
    }
}

/// Simplify a whole string character by character (used for dictionary entries too, so a
/// dictionary row written in traditional script still matches).
pub(crate) fn simplify(s: &str) -> String {
    // Sized up front: a large dictionary has millions of names, and a `String` collected
    // from `chars()` starts at a quarter of the bytes and reallocates for most of them.
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().map(simplify_char));
    out
}

/// Is `c` a CJK ideograph?
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Strip tone marks: `ǎ` → `a`, `ǖ` → `ü`.
fn detone(c: char) -> Option<char> {
    Some(match c {
        'a'..='z' => c,
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'ü' => 'v',
        'ń' | 'ň' | 'ǹ' => 'n',
        'ḿ' => 'm',
        _ => return None,
    })
}

const INITIALS: &[&str] = &[
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
    "z", "c", "s", "y", "w", "",
];
const FINALS: &[&str] = &[
    "a", "o", "e", "i", "u", "v", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "ve", "ue", "er", "an",
    "en", "in", "un", "vn", "ang", "eng", "ing", "ong", "ia", "iao", "ian", "iang", "iong", "ua",
    "uo", "uai", "uan", "uang", "van", "uan", "ueng",
];

/// Is `s` (already de-toned, `ü` as `v`) one pinyin syllable?
fn is_syllable(s: &str) -> bool {
    if matches!(s, "ng" | "hm" | "m" | "n") {
        return true;
    }
    INITIALS.iter().any(|i| {
        s.strip_prefix(i)
            .is_some_and(|rest| !rest.is_empty() && FINALS.contains(&rest))
    })
}

/// If `rest` starts with a `(` that opens a pinyin annotation, the number of bytes and
/// characters up to and including its `)`.
fn pinyin_group(rest: &str) -> Option<(usize, usize)> {
    // At most seven letters: held on the stack (this runs at every `(` after a Han character).
    let mut syl = [0u8; 8];
    let mut len = 0usize;
    let mut toned = false;
    for (n, (b, c)) in rest.char_indices().enumerate().skip(1) {
        if n > 8 {
            break;
        }
        if c == ')' || c == '）' {
            let syl = std::str::from_utf8(&syl[..len]).ok()?;
            if syl.is_empty() {
                return None;
            }
            // A bare ASCII syllable must look like a syllable; tone marks make it certain.
            let ok =
                is_syllable(syl) && (toned || syl.len() >= 2 || matches!(syl, "a" | "e" | "o"));
            return ok.then_some((b + c.len_utf8(), n + 1));
        }
        if let Some(d) = detone(c) {
            toned |= d != c && c != 'ü';
            // `detone` gives ASCII letters only.
            *syl.get_mut(len)? = d as u8;
            len += 1;
        } else if ('1'..='5').contains(&c) && len > 0 {
            toned = true;
        } else {
            return None;
        }
    }
    None
}

/// Normalize a page. See the module docs for what changes.
pub fn normalize(original: &str) -> Normalized {
    run(original, NoCodes)
}

/// [`normalize`], also writing the text in an alphabet of two-byte codes as it goes (the
/// matcher's: see [`Normalized::coded`]): one pass over the page instead of a second one
/// that decodes the normalized text again. `code` gives a character's code.
pub(crate) fn normalize_coded(original: &str, code: impl Fn(char) -> u16) -> Normalized {
    let mut coder = Coder {
        code,
        out: Vec::with_capacity(original.len()),
    };
    let mut n = run(original, &mut coder);
    n.coded = Some(coder.out);
    n
}

/// Where each normalized character's code goes, if anywhere.
trait CodeSink {
    fn push(&mut self, c: char);
}

struct NoCodes;

impl CodeSink for NoCodes {
    #[inline(always)]
    fn push(&mut self, _: char) {}
}

struct Coder<F> {
    code: F,
    out: Vec<u8>,
}

impl<F: Fn(char) -> u16> CodeSink for &mut Coder<F> {
    #[inline(always)]
    fn push(&mut self, c: char) {
        self.out.extend_from_slice(&(self.code)(c).to_be_bytes());
    }
}

/// A run of spaces (ASCII, ideographic, no-break) at byte `b` that pads a two-character
/// name in a list (`市领导王  斐、宋　可陪同`): two spaces or more, or an ideographic one,
/// between two Han characters one of which stands alone (no Han character on its other
/// side). Its length in bytes and characters. A single ASCII space (a phrase break in a
/// headline) and a gap between two longer words (`首页　新闻`) are kept.
fn name_padding(original: &str, b: usize, text: &[u8], starts: &[u32]) -> Option<(usize, u32)> {
    let rest = &original[b..];
    let mut len = 0;
    let mut chars = 0u32;
    let mut wide = false;
    for c in rest.chars() {
        match c {
            ' ' | '\u{00A0}' => {}
            '\u{3000}' => wide = true,
            _ => break,
        }
        len += c.len_utf8();
        chars += 1;
    }
    if len == 0 || !(wide || chars >= 2) {
        return None;
    }
    let kept = |k: usize| {
        let at = *starts.get(starts.len().checked_sub(k)?)? as usize;
        std::str::from_utf8(&text[at..]).ok()?.chars().next()
    };
    let (prev, before_prev) = (kept(1)?, kept(2));
    let mut after = rest[len..].chars();
    let next = after.next()?;
    let after_next = after.next();
    let lone = |c: Option<char>| !c.is_some_and(|c| is_han(simplify_char(c)));
    (is_han(prev) && is_han(next) && (lone(before_prev) || lone(after_next)))
        .then_some((len, chars))
}

fn run(original: &str, mut codes: impl CodeSink) -> Normalized {
    // One pass over the bytes: no per-character allocation, no copy of the page as
    // characters. The text is built as bytes, a whole character at a time.
    let bytes = original.as_bytes();
    let cap = original.len() / 2 + 1;
    let mut text: Vec<u8> = Vec::with_capacity(original.len() + 4);
    let mut char_starts = Vec::with_capacity(cap);
    let mut orig_bytes: Vec<u32> = Vec::with_capacity(cap);
    let mut dropped = Vec::new();
    let mut dropped_chars = 0u32;
    let mut upper = false;
    let mut breaks = Vec::new();
    let table = t2s_table();
    let mut b = 0usize;
    while b < bytes.len() {
        let x = bytes[b];
        // The common case, a three-byte character whose table entry is a BMP character
        // (Han, CJK punctuation): decoded, looked up and written as three bytes here.
        if (0xE0..0xF0).contains(&x)
            && let Some(&[y, z]) = bytes.get(b + 1..b + 3)
        {
            let c = (u32::from(x & 0x0F) << 12) | (u32::from(y & 0x3F) << 6) | u32::from(z & 0x3F);
            let u = u32::from(table.bmp[c as usize]);
            if u >= BMP_BASE {
                char_starts.push(text.len() as u32);
                orig_bytes.push(b as u32);
                text.extend_from_slice(&[
                    0xE0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3F) as u8,
                    0x80 | (u & 0x3F) as u8,
                ]);
                codes.push(char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER));
                b += 3;
                continue;
            }
        }
        // Spaces padding a two-character name (王  斐, 宋　可) are dropped.
        if (x == b' ' || x == 0xE3 || x == 0xC2)
            && let Some((len, chars)) = name_padding(original, b, &text, &char_starts)
        {
            b += len;
            dropped_chars += chars;
            dropped.push((char_starts.len() as u32, dropped_chars));
            continue;
        }
        // ASCII (markup, digits, punctuation) but a parenthesis, which may open pinyin.
        if x < 0x80 && x != b'(' {
            if x == b'\n' || x == b'\r' {
                breaks.push(char_starts.len() as u32);
            }
            char_starts.push(text.len() as u32);
            orig_bytes.push(b as u32);
            text.push(x);
            codes.push(char::from(x));
            upper |= x.is_ascii_uppercase();
            b += 1;
            continue;
        }
        let c = if x < 0x80 {
            char::from(x)
        } else {
            match original[b..].chars().next() {
                Some(c) => c,
                None => break,
            }
        };
        // Pinyin follows a Han character: the last one kept (a dropped group keeps none).
        if (c == '(' || c == '（')
            && orig_bytes
                .last()
                .and_then(|&o| original[o as usize..].chars().next())
                .is_some_and(is_han)
            && let Some((mut len, mut chars)) = pinyin_group(&original[b..])
        {
            // A space some converters leave after each annotation (組(zǔ) 織) goes with it
            // when text, not ASCII, follows.
            if original.as_bytes().get(b + len) == Some(&b' ')
                && original[b + len + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| !n.is_ascii())
            {
                len += 1;
                chars += 1;
            }
            b += len;
            dropped_chars += chars as u32;
            dropped.push((char_starts.len() as u32, dropped_chars));
            continue;
        }
        char_starts.push(text.len() as u32);
        orig_bytes.push(b as u32);
        let sc = simplify_in(table, c);
        // Full-width capitals become ASCII ones.
        upper |= sc.is_ascii_uppercase();
        text.extend_from_slice(sc.encode_utf8(&mut [0u8; 4]).as_bytes());
        codes.push(sc);
        b += c.len_utf8();
    }
    char_starts.push(text.len() as u32);
    orig_bytes.push(original.len() as u32);
    // Checking the bytes again would cost a quarter of this function.
    // SAFETY: every write above is one whole character's UTF-8: an ASCII byte, a `char`'s
    // own encoding, or the three-byte encoding of a table entry from U+2E80 to U+FFFF,
    // which are all characters (the table holds only code points of BMP characters; the
    // `table_entries_are_characters` test checks it).
    #[allow(unsafe_code)]
    let text = unsafe { String::from_utf8_unchecked(text) };
    Normalized {
        text,
        char_starts,
        orig_bytes,
        dropped,
        upper,
        breaks,
        coded: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_entries_are_characters() {
        let t = t2s_table();
        for (c, &u) in t.bmp.iter().enumerate() {
            let u = u32::from(u);
            if u >= BMP_BASE {
                assert!(char::from_u32(u).is_some(), "U+{c:04X} maps to U+{u:04X}");
            }
        }
        // The fast path and the general one agree on every BMP character from U+0800 on, on
        // its own and after a Han character (where a parenthesis may open pinyin).
        for c in (0x800..=0xFFFFu32).filter_map(char::from_u32) {
            for page in [c.to_string(), format!("区{c}"), format!("{c}a")] {
                let n = normalize(&page);
                let want: String = page.chars().map(simplify_char).collect();
                assert_eq!(n.text, want, "{page:?}");
            }
        }
    }

    #[test]
    fn spaces_padding_two_character_names_are_dropped() {
        let cases = [
            // Padded names in a list, with two ASCII spaces and an ideographic one.
            ("市领导王  斐、宋\u{3000}可陪同", "市领导王斐、宋可陪同"),
            ("王\u{3000}斐到公司", "王斐到公司"),
            // Traditional script with pinyin before the padding.
            ("市領導王(wáng)\u{3000}斐、宋可陪同", "市领导王斐、宋可陪同"),
            ("國\u{3000}務\u{3000}院", "国务院"),
            // Kept: one ASCII space, a gap between longer words, a space before ASCII.
            ("王 斐到公司", "王 斐到公司"),
            ("首页\u{3000}新闻", "首页 新闻"),
            ("林远舟  调研芯澄", "林远舟  调研芯澄"),
            ("本报讯  (记者", "本报讯  (记者"),
            ("王  a", "王  a"),
        ];
        for (page, want) in cases {
            let n = normalize(page);
            assert_eq!(n.text, want, "{page:?}");
            // Every kept character still maps to its original.
            let orig: Vec<char> = page.chars().collect();
            for (i, c) in n.text.chars().enumerate() {
                assert_eq!(simplify_char(orig[n.orig_char(i)]), c, "{page:?} at {i}");
            }
        }
    }

    #[test]
    fn pinyin_removed_real_parentheses_kept() {
        let cases = [
            ("區(qū)領(lǐng)導(dǎo)", "区领导"),
            ("澎芯半導(dǎo)體(常州)有限公司", "澎芯半导体(常州)有限公司"),
            ("今天(21日)上午", "今天(21日)上午"),
            ("AMKOR的獨資企業(yè)", "AMKOR的独资企业"),
            ("封測服務商(AMKOR)", "封测服务商(AMKOR)"),
            ("上海微電子裝備(集團)股份", "上海微电子装备(集团)股份"),
            ("發(fā)展", "发展"),
            ("長(zhang3)江", "长江"),
            ("全角（苏州）ＡＢＣ１２", "全角(苏州)ABC12"),
            ("芯片(mini)线", "芯片(mini)线"),
            ("實驗(shì)室(yàn)", "实验室"),
            ("詳細瞭解", "详细了解"),
            ("組(zǔ) 織(zhī) 委員(yuán) 會", "组织委员会"),
            ("參(cān) 加 ABC", "参加 ABC"),
            ("發(fā) A", "发 A"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input).text, want, "input {input}");
        }
    }

    #[test]
    fn each_character_maps_to_its_original() {
        for orig in [
            "區(qū)長(zhǎng)王斐，（全角）ＡＢ１　x",
            "發(fā)展(常州)有限公司(AMKOR)區(qū)",
            "組(zǔ) 織(zhī) 委員(yuán) 會",
            "plain ascii",
            "",
            "長(zhang3)江(jiāng)",
            "𠀀繁體\u{00A0}字",
        ] {
            let n = normalize(orig);
            for (i, c) in n.text.chars().enumerate() {
                let o = orig[n.orig_byte(i)..].chars().next();
                assert_eq!(o.map(simplify_char), Some(c), "{orig} at {i}");
            }
            assert_eq!(n.orig_byte(n.char_len()), orig.len(), "{orig}");
        }
    }

    #[test]
    fn char_at_byte_from_any_start() {
        for orig in [
            "區(qū)長王斐，ＡＢ１　x𠀀é",
            "plain",
            "",
            "长江存储科技有限责任公司2025年",
        ] {
            let n = normalize(orig);
            let starts: Vec<usize> = n.text.char_indices().map(|(b, _)| b).collect();
            for byte in (0..=n.text.len()).filter(|&b| n.text.is_char_boundary(b)) {
                let want = starts.iter().filter(|&&s| s < byte).count();
                for from in 0..=n.char_len() + 1 {
                    assert_eq!(
                        n.char_at_byte_from(from, byte),
                        want,
                        "{orig} {from} {byte}"
                    );
                }
                assert_eq!(n.char_at_byte(byte), want);
            }
        }
    }

    #[test]
    fn notes_ascii_capitals() {
        for (t, want) in [
            ("AMKOR公司", true),
            ("ＡＢＣ", true),
            ("amkor公司", false),
            ("区长", false),
            ("", false),
        ] {
            assert_eq!(normalize(t).has_ascii_upper(), want, "{t}");
        }
    }

    #[test]
    fn original_indices_without_counting() {
        for orig in [
            "區(qū)長(zhǎng)王斐",
            "發(fā)展(常州)有限公司(AMKOR)區(qū)",
            "实(shí)",
            "plain ascii",
            "",
            "（全角）長(zhang3)江(jiāng)",
        ] {
            let n = normalize(orig);
            for ch in 0..=n.char_len() + 1 {
                let b = n.orig_byte(ch);
                assert_eq!(n.orig_char(ch), orig[..b].chars().count(), "{orig} at {ch}");
            }
        }
    }

    #[test]
    fn offsets_map_back_to_original() {
        let orig = "區(qū)長(zhǎng)王斐";
        let n = normalize(orig);
        assert_eq!(n.text, "区长王斐");
        let oc: Vec<char> = orig.chars().collect();
        let (s, e) = n.orig_span(2, 4);
        assert_eq!(oc[s..e].iter().collect::<String>(), "王斐");
        let (s, e) = n.orig_span(0, 2);
        assert_eq!(oc[s..e].iter().collect::<String>(), "區(qū)長");
    }
}
