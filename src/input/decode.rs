//! Bytes to text: the encoding is detected from the bytes, never guessed from the file name.
//!
//! 1. A byte-order mark wins: UTF-8, UTF-16LE, UTF-16BE.
//! 2. Valid UTF-8 is UTF-8.
//! 3. *Almost* UTF-8 (at least nine in ten non-ASCII sequences valid) is UTF-8 with the bad
//!    bytes replaced by U+FFFD — a scraper that cut a character in half, not a GBK page.
//! 4. The charset the transport declared (a WARC response's HTTP `Content-Type`; see
//!    [`decode_hinted`]), when the bytes decode under it without a single error: servers
//!    often declare one wrongly, so the bytes must agree.
//! 5. An HTML page's own `<meta charset>` / `content="…; charset=…"`, when the bytes decode
//!    under it without a single error.
//! 6. Otherwise [chardetng] guesses (no top-level-domain hint) among the legacy encodings
//!    (GBK/GB18030, Big5, …) and `encoding_rs` decodes, replacing bad sequences by U+FFFD.
//!
//! Then the text is judged: if more than one character in ten (whitespace aside) is U+FFFD,
//! NUL or another control character, it is *binary* and refused. Otherwise NUL characters are
//! removed (they are never part of a page; a warning says how many) and the text is kept. An
//! empty or whitespace-only file is refused as *empty*.

use encoding_rs::Encoding;

/// Text decoded from a file, with what had to be repaired.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text (NUL characters removed).
    pub text: String,
    /// The encoding used (`UTF-8`, `GBK`, `Big5`, `UTF-16LE`…).
    pub encoding: &'static str,
    /// Invalid byte sequences replaced by U+FFFD.
    pub replaced: usize,
    /// NUL characters removed.
    pub nuls: usize,
}

impl Decoded {
    /// One line on what was repaired, if anything.
    pub fn repairs(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.replaced > 0 {
            parts.push(format!(
                "{} invalid byte sequence{} replaced by U+FFFD (read as {})",
                self.replaced,
                if self.replaced == 1 { "" } else { "s" },
                self.encoding
            ));
        }
        if self.nuls > 0 {
            parts.push(format!(
                "{} NUL byte{} removed",
                self.nuls,
                if self.nuls == 1 { "" } else { "s" }
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Why bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reject {
    /// Nothing but whitespace.
    Empty,
    /// Mostly undecodable or control bytes; the message gives the share.
    Binary(String),
}

/// Is `c` a character no page has: U+FFFD (an undecodable sequence), NUL or another control?
fn is_bad(c: char) -> bool {
    c == '\u{fffd}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0b' | '\x0c'))
}

/// Decode `bytes`; `html` lets an HTML page's declared charset count.
pub fn decode(bytes: &[u8], html: bool) -> Result<Decoded, Reject> {
    decode_hinted(bytes, html, None)
}

/// Decode `bytes` as [`decode`] does, with `hint`, the charset the transport declared (HTTP
/// `Content-Type: text/html; charset=gbk`), tried before the page's own declaration.
pub fn decode_hinted(
    bytes: &[u8],
    html: bool,
    hint: Option<&'static Encoding>,
) -> Result<Decoded, Reject> {
    let (text, encoding, replaced) = to_text(bytes, html, hint);
    if text.trim().is_empty() {
        return Err(Reject::Empty);
    }
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        if !c.is_whitespace() {
            total += 1;
            if is_bad(c) {
                bad += 1;
            }
        }
    }
    if bad * 10 > total {
        return Err(Reject::Binary(format!(
            "binary data, not text ({}% of the characters are control or undecodable bytes)",
            bad * 100 / total.max(1)
        )));
    }
    let nuls = text.matches('\0').count();
    let text = if nuls > 0 {
        text.replace('\0', "")
    } else {
        text
    };
    if text.trim().is_empty() {
        return Err(Reject::Empty);
    }
    Ok(Decoded {
        text,
        encoding,
        replaced,
        nuls,
    })
}

fn with(enc: &'static Encoding, bytes: &[u8]) -> (String, &'static str, usize) {
    let (cow, had_errors) = enc.decode_without_bom_handling(bytes);
    let replaced = if !had_errors {
        0
    } else if enc == encoding_rs::UTF_8 {
        bytes
            .utf8_chunks()
            .filter(|c| !c.invalid().is_empty())
            .count()
    } else {
        cow.matches('\u{fffd}').count()
    };
    (cow.into_owned(), enc.name(), replaced)
}

fn to_text(
    bytes: &[u8],
    html: bool,
    hint: Option<&'static Encoding>,
) -> (String, &'static str, usize) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return with(enc, &bytes[bom..]);
    }
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return (s.to_string(), "UTF-8", 0);
    }
    if mostly_utf8(bytes) {
        return with(encoding_rs::UTF_8, bytes);
    }
    let declared = hint
        .into_iter()
        .chain(html.then(|| declared_charset(bytes)).flatten());
    for enc in declared {
        if enc == encoding_rs::UTF_8 || enc.name().starts_with("UTF-16") {
            continue;
        }
        let (cow, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return (cow.into_owned(), enc.name(), 0);
        }
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    with(det.guess(None, chardetng::Utf8Detection::Allow), bytes)
}

/// At least nine in ten non-ASCII sequences are valid UTF-8 (and there are some).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid > 0 && invalid * 10 <= valid
}

/// The charset an HTML page declares in its first 4 KiB (`<meta charset="gbk">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && lower[i].is_ascii_whitespace() {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len() && (lower[i].is_ascii_alphanumeric() || b"-_:.".contains(&lower[i])) {
            i += 1;
        }
        if let Some(enc) = Encoding::for_label(&lower[start..i]) {
            return Some(enc);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "庞翊川调研智能传感和新能源重点企业\n发布时间:2024-10-17\n\n10月16日下午,区委书记庞翊川带队调研我区智能传感和新能源重点企业。\n";

    #[test]
    fn legacy_encodings_are_detected() {
        for enc in [encoding_rs::GBK, encoding_rs::GB18030] {
            let (b, _, _) = enc.encode(PAGE);
            let d = decode(&b, false).unwrap();
            assert_eq!(d.text, PAGE, "{}", enc.name());
            assert_eq!(d.replaced, 0);
        }
        let trad = "發佈時間:2024-04-18\n4月17日,市委書記帶隊到海門區調研海工裝備和紡織產業發展情況,現場幫助企業破解難題。\n";
        let (b, _, _) = encoding_rs::BIG5.encode(trad);
        assert_eq!(decode(&b, false).unwrap().text, trad);
    }

    #[test]
    fn boms_win() {
        let mut le = vec![0xff, 0xfe];
        let mut be = vec![0xfe, 0xff];
        for u in PAGE.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&le, false).unwrap().text, PAGE);
        assert_eq!(decode(&be, false).unwrap().text, PAGE);
        let mut u8bom = b"\xef\xbb\xbf".to_vec();
        u8bom.extend(PAGE.as_bytes());
        assert_eq!(decode(&u8bom, false).unwrap().text, PAGE);
    }

    #[test]
    fn a_few_bad_bytes_in_utf8_are_replaced() {
        let mut b = PAGE.as_bytes().to_vec();
        b.insert(9, 0xff);
        b.insert(40, 0xc3);
        let d = decode(&b, false).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 2);
        assert!(d.text.contains("新能源重点企业"));
    }

    #[test]
    fn nuls_are_removed_and_counted() {
        let b = PAGE.replace("调研", "调\0研\0");
        let d = decode(b.as_bytes(), false).unwrap();
        assert_eq!((d.text.as_str(), d.nuls), (PAGE, 4));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode(b"", false).unwrap_err(), Reject::Empty);
        assert_eq!(decode(b" \r\n\t ", false).unwrap_err(), Reject::Empty);
        assert!(matches!(decode(&[0u8; 64], false), Err(Reject::Binary(_))));
        // A deterministic stand-in for compressed data.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..20000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(&noise);
        assert!(matches!(decode(&png, false), Err(Reject::Binary(_))));
        assert!(matches!(decode(&noise, false), Err(Reject::Binary(_))));
    }

    #[test]
    fn html_declared_charset_is_used_when_clean() {
        let page = format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>{PAGE}</body></html>"
        );
        let (b, _, _) = encoding_rs::GBK.encode(&page);
        assert_eq!(decode(&b, true).unwrap().text, page);
    }
}
