//! XML escaping shared by GraphML and GEXF.

/// Is `c` allowed in an XML 1.0 document?
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escape text for an XML attribute value or element content: `& < > " '` become
/// references, characters XML 1.0 forbids are dropped, and tab/newline/CR become character
/// references so attribute values keep them.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' => o.push_str("&#9;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            c if xml_char(c) => o.push(c),
            _ => {}
        }
    }
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_illegal_characters() {
        assert_eq!(
            super::esc("<img src=x onerror=\"a('1')\">&\u{0}\u{1b}\u{FFFE}\n"),
            "&lt;img src=x onerror=&quot;a(&apos;1&apos;)&quot;&gt;&amp;&#10;"
        );
    }
}
