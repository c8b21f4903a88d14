//! HTML to text: a small forgiving scanner, not a full HTML5 parser — scraped pages are
//! often broken, and all we need is the readable text, the headline and the date.
//!
//! - `<script>`, `<style>`, `<noscript>`, `<template>`, `<svg>`, `<iframe>`, `<object>`
//!   and comments are dropped with their content; other tags are dropped, their text kept.
//! - Block elements (`p`, `div`, `h1`–`h6`, `section`, `article`, `ul`, `table`…) end a
//!   paragraph (a blank line); `br`, `li`, `tr`, `dt`, `dd`… end a line. Runs of blank lines
//!   collapse into one; lines are trimmed.
//! - Whitespace runs in the source become one space, or nothing where a source line break
//!   falls between two Chinese characters (a hard-wrapped paragraph); `<pre>` keeps its lines.
//! - Character references are decoded: `&#20013;`, `&#x4e2d;`, and the usual named ones
//!   (`&nbsp;` becomes a plain space).
//! - The headline is the first `<h1>`, or else `<title>` up to its first site separator
//!   (`_`, `|`, ` - `); the publication date is the first usual meta tag
//!   (`article:published_time`, `pubdate`, `publishdate`, `og:release_date`,
//!   `datePublished`…) that holds a full date.

/// What a page gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The readable text, block breaks as line breaks.
    pub text: String,
    /// The headline (`<h1>` or `<title>`), if any.
    pub title: Option<String>,
    /// The publication date from the meta tags, `YYYY-MM-DD`.
    pub published: Option<String>,
}

const SKIP_CONTENT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "head",
];

const PARAGRAPH: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "ul",
    "ol",
    "dl",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "blockquote",
    "figure",
    "form",
    "fieldset",
    "center",
    "body",
    "html",
];

const LINE: &[&str] = &[
    "br",
    "li",
    "tr",
    "dt",
    "dd",
    "hr",
    "caption",
    "figcaption",
    "address",
    "pre",
    "option",
    "legend",
    "summary",
    "details",
];

const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:release_date",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publication_date",
    "publishedtime",
    "firstpublishedtime",
    "datepublished",
    "date.issued",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "weibo:article:create_at",
    "date",
];

/// Convert a page.
pub fn to_text(html: &str) -> Page {
    let mut s = Scanner {
        src: html,
        pos: 0,
        out: String::with_capacity(html.len() / 2),
        pending_space: None,
        pre: 0,
        title: None,
        h1: None,
        in_h1: false,
        date: None,
    };
    s.run();
    let text = tidy(&s.out);
    let title =
        s.h1.map(|h| squash(&h))
            .filter(|h| !h.is_empty())
            .or_else(|| s.title.map(|t| headline_of_title(&squash(&t))))
            .filter(|h| !h.is_empty());
    Page {
        text,
        title,
        published: s.date,
    }
}

struct Scanner<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    /// A whitespace run waits here; `true` when it held a line break.
    pending_space: Option<bool>,
    pre: usize,
    title: Option<String>,
    h1: Option<String>,
    in_h1: bool,
    date: Option<String>,
}

fn is_wide(c: char) -> bool {
    !c.is_ascii() && !c.is_whitespace()
}

impl Scanner<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn run(&mut self) {
        while self.pos < self.src.len() {
            let rest = self.rest();
            if let Some(body) = rest.strip_prefix("<!--") {
                self.pos = match body.find("-->") {
                    Some(i) => self.pos + 4 + i + 3,
                    None => self.src.len(),
                };
            } else if rest.starts_with("<!") || rest.starts_with("<?") {
                self.pos = match rest.find('>') {
                    Some(i) => self.pos + i + 1,
                    None => self.src.len(),
                };
            } else if rest.starts_with('<')
                && rest[1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
            {
                self.tag();
            } else if rest.starts_with('&') {
                let (text, used) = entity(rest);
                self.pos += used;
                for c in text.chars() {
                    self.push_char(c);
                }
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                self.pos += c.len_utf8();
                self.push_char(c);
            }
        }
    }

    fn push_char(&mut self, c: char) {
        let c = if c == '\u{a0}' { ' ' } else { c };
        if self.pre > 0 && (c == '\n' || c == '\r') {
            if c == '\n' {
                self.pending_space = None;
                self.out.push('\n');
            }
            return;
        }
        if c.is_ascii_whitespace() {
            let nl = c == '\n' || c == '\r';
            self.pending_space = Some(self.pending_space.unwrap_or(false) || nl);
            return;
        }
        if let Some(nl) = self.pending_space.take() {
            let prev = self.out.chars().next_back();
            let at_line_start = prev.is_none_or(|p| p == '\n');
            let joined_wrap = nl && prev.is_some_and(is_wide) && is_wide(c);
            if !at_line_start && !joined_wrap {
                self.out.push(' ');
                if self.in_h1
                    && let Some(h) = &mut self.h1
                {
                    h.push(' ');
                }
            }
        }
        self.out.push(c);
        if self.in_h1
            && let Some(h) = &mut self.h1
        {
            h.push(c);
        }
    }

    /// End the line (a second break in a row is not a blank line, except for `<br>`).
    fn newline(&mut self) {
        self.pending_space = None;
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    /// End the paragraph: a blank line.
    fn paragraph(&mut self) {
        self.newline();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// At `<`: read a tag and act on it.
    fn tag(&mut self) {
        let rest = self.rest();
        let Some((name, closing, attrs, len)) = parse_tag(rest) else {
            // An unterminated tag runs to the end of the file.
            self.pos = self.src.len();
            return;
        };
        self.pos += len;
        let name = name.to_ascii_lowercase();
        let name = name.as_str();
        if !closing && SKIP_CONTENT.contains(&name) {
            if name == "head" {
                // Keep scanning inside <head> for <title> and <meta>, but emit no text.
                self.head();
            } else {
                self.skip_to_close(name);
            }
            return;
        }
        match name {
            "title" if !closing => {
                let raw = self.raw_until_close("title");
                if self.title.is_none() {
                    self.title = Some(decode_entities(&raw));
                }
                return;
            }
            "meta" => {
                self.meta(&attrs);
                return;
            }
            "h1" if !closing && self.h1.is_none() => {
                self.in_h1 = true;
                self.h1 = Some(String::new());
            }
            "h1" if closing => self.in_h1 = false,
            "pre" if !closing => self.pre += 1,
            "pre" if closing => self.pre = self.pre.saturating_sub(1),
            _ => {}
        }
        if name == "br" {
            self.pending_space = None;
            self.out.push('\n');
        } else if PARAGRAPH.contains(&name) {
            self.paragraph();
        } else if LINE.contains(&name) {
            self.newline();
        } else if matches!(name, "td" | "th") {
            self.pending_space = Some(false);
        }
    }

    /// Inside `<head>`: only `<title>` and `<meta>` matter; stop at `</head>` or `<body>`.
    fn head(&mut self) {
        while self.pos < self.src.len() {
            let rest = self.rest();
            let Some(i) = rest.find('<') else {
                return;
            };
            if !rest[..i].trim().is_empty() {
                // Text: the head has ended (as browsers read it).
                return;
            }
            self.pos += i;
            let rest = self.rest();
            if let Some(body) = rest.strip_prefix("<!--") {
                self.pos = match body.find("-->") {
                    Some(j) => self.pos + 4 + j + 3,
                    None => self.src.len(),
                };
                continue;
            }
            let Some((name, closing, attrs, len)) = parse_tag(rest) else {
                return;
            };
            let lname = name.to_ascii_lowercase();
            match (lname.as_str(), closing) {
                ("head", true) => {
                    self.pos += len;
                    return;
                }
                ("body", false) => return,
                ("title", false) => {
                    self.pos += len;
                    let raw = self.raw_until_close("title");
                    if self.title.is_none() {
                        self.title = Some(decode_entities(&raw));
                    }
                }
                ("meta", _) => {
                    self.pos += len;
                    self.meta(&attrs);
                }
                (n, false) if SKIP_CONTENT.contains(&n) && n != "head" => {
                    self.pos += len;
                    self.skip_to_close(n);
                }
                ("link" | "base" | "html" | "head", _) | (_, true) => self.pos += len,
                // Any other element starts the body.
                _ => return,
            }
        }
    }

    fn meta(&mut self, attrs: &[(String, String)]) {
        if self.date.is_some() {
            return;
        }
        let key = attrs
            .iter()
            .find(|(k, _)| matches!(k.as_str(), "property" | "name" | "itemprop" | "http-equiv"))
            .map(|(_, v)| v.to_ascii_lowercase());
        let Some(key) = key else { return };
        if !DATE_KEYS.contains(&key.as_str()) {
            return;
        }
        if let Some((_, content)) = attrs.iter().find(|(k, _)| k == "content")
            && let Some(d) = crate::page::date::full_date_in(content)
        {
            self.date = Some(crate::page::date::format(d));
        }
    }

    /// The raw text up to `</name>` (case-insensitive); the position moves past it.
    fn raw_until_close(&mut self, name: &str) -> String {
        let rest = self.rest();
        let (end, after) = find_close(rest, name).unwrap_or((rest.len(), rest.len()));
        let raw = rest[..end].to_string();
        self.pos += after;
        raw
    }

    fn skip_to_close(&mut self, name: &str) {
        let _ = self.raw_until_close(name);
    }
}

/// `</name …>` in `s`, case-insensitive: (start of the close tag, end of it).
fn find_close(s: &str, name: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find("</") {
        let at = from + i;
        let n = at + 2;
        let end = n + name.len();
        if end <= bytes.len()
            && bytes[n..end].eq_ignore_ascii_case(name.as_bytes())
            && bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric())
        {
            let close = s[end..].find('>').map(|j| end + j + 1).unwrap_or(s.len());
            return Some((at, close));
        }
        from = at + 2;
    }
    None
}

type Attrs = Vec<(String, String)>;

/// Parse a tag at the start of `s` (`<name attr="v" …>` or `</name>`): name, closing,
/// attributes (lower-case names, decoded values) and the length in bytes. `None` when the
/// tag never ends.
fn parse_tag(s: &str) -> Option<(String, bool, Attrs, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
        i += 1;
    }
    let name = s[start..i].to_string();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some((name, closing, attrs, i + 1));
        }
        let ks = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        // Attribute names are ASCII in practice; slice on char boundaries regardless.
        let key = s.get(ks..i).unwrap_or("").to_ascii_lowercase();
        if i == ks {
            // A stray byte (`"` or a non-ASCII character): step over it.
            i += s[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let vs = i + 1;
                    let ve = s[vs..].find(q as char).map(|j| vs + j)?;
                    value = decode_entities(&s[vs..ve]);
                    i = ve + 1;
                }
                Some(_) => {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(s.get(vs..i).unwrap_or(""));
                }
                None => return None,
            }
        }
        attrs.push((key, value));
    }
}

const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("ensp", " "),
    ("emsp", " "),
    ("thinsp", " "),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("mdash", "—"),
    ("ndash", "–"),
    ("hellip", "…"),
    ("middot", "·"),
    ("bull", "•"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("times", "×"),
    ("divide", "÷"),
    ("deg", "°"),
    ("yen", "¥"),
    ("sect", "§"),
    ("para", "¶"),
    ("shy", ""),
    ("zwj", ""),
    ("zwnj", ""),
];

/// A character reference at the start of `s` (which starts with `&`): its text and the
/// bytes it used. An unknown or malformed reference is the `&` itself.
fn entity(s: &str) -> (String, usize) {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, start) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let mut i = start;
        while i < b.len()
            && i - start < 8
            && (if hex {
                b[i].is_ascii_hexdigit()
            } else {
                b[i].is_ascii_digit()
            })
        {
            i += 1;
        }
        if i == start {
            return ("&".into(), 1);
        }
        let n = u32::from_str_radix(&s[start..i], if hex { 16 } else { 10 }).unwrap_or(0xfffd);
        let c = match n {
            0 => '\u{fffd}',
            _ => char::from_u32(n).unwrap_or('\u{fffd}'),
        };
        if b.get(i) == Some(&b';') {
            i += 1;
        }
        return (c.to_string(), i);
    }
    let mut i = 1;
    while i < b.len() && i < 12 && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    if b.get(i) == Some(&b';')
        && let Some((_, t)) = NAMED.iter().find(|(n, _)| *n == &s[1..i])
    {
        return (t.to_string(), i + 1);
    }
    ("&".into(), 1)
}

/// Decode the character references in an attribute value or `<title>`.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('&') {
            let (t, used) = entity(rest);
            out.push_str(&t);
            i += used;
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Whitespace runs to one space, trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `标题_网站名` / `标题 | 网站` / `标题 - 网站` → `标题`.
fn headline_of_title(t: &str) -> String {
    let cut = [" - ", " – ", " — ", "_", "|", "｜", "——"]
        .iter()
        .filter_map(|sep| t.find(sep))
        .min();
    match cut {
        Some(i) if !t[..i].trim().is_empty() => t[..i].trim().to_string(),
        _ => t.trim().to_string(),
    }
}

/// Trim lines, collapse blank runs to one blank line, drop blank lines at both ends.
fn tidy(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank = false;
    for line in raw.split('\n') {
        let t = line.trim();
        if t.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_markup_go_blocks_become_lines() {
        let p = to_text(
            "<!DOCTYPE html><html><head><title>标题一_某某网</title>\
             <meta property=\"article:published_time\" content=\"2024-10-17T08:45:00+08:00\">\
             <style>p{color:red}</style><script>var a='<p>不要</p>';</script></head>\
             <body><!-- 注释 --><nav><ul><li>首页</li><li>要闻</li></ul></nav>\
             <h1>真正的<em>标题</em></h1><p>第一段,&ldquo;引号&rdquo;&amp;&#x4e2d;&#25991;&nbsp;A</p>\
             <p>第二\n段<br>换行</p><noscript>请启用</noscript><table><tr><td>甲</td><td>乙</td></tr></table></body></html>",
        );
        assert_eq!(p.title.as_deref(), Some("真正的标题"));
        assert_eq!(p.published.as_deref(), Some("2024-10-17"));
        assert_eq!(
            p.text,
            "首页\n要闻\n\n真正的标题\n\n第一段,“引号”&中文 A\n\n第二段\n换行\n\n甲 乙\n"
        );
    }

    #[test]
    fn title_is_used_without_h1_and_broken_markup_survives() {
        let p = to_text(
            "<title>某市领导调研 | 新闻网</title><meta name=PubDate content=\"2023/6/8 09:20\"><p>文字 <b>粗",
        );
        assert_eq!(p.title.as_deref(), Some("某市领导调研"));
        assert_eq!(p.published.as_deref(), Some("2023-06-08"));
        assert_eq!(p.text, "文字 粗\n");
        for junk in [
            "<",
            "<a",
            "<a href=\"",
            "&",
            "&#",
            "&#x110000;",
            "<script>",
            "<!--",
            "</",
        ] {
            let _ = to_text(junk);
        }
    }
}
