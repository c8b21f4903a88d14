//! The document stage: normalized text in, a [`Document`] out: publication date,
//! and the page cut into paragraphs marked body or furniture, body cut into sentences.
//!
//! Scraped pages carry navigation, share buttons, related-headline lists and footers that
//! name other officials and firms, often next to the very cue words we look for. Only body
//! paragraphs yield relations; the rest is *furniture*. The body starts at the first
//! paragraph that reads as prose (it has a full stop) and ends at the first tail marker
//! (`相关新闻`, `原标题`, `责任编辑`, `上一篇`…); lines that look like list items (a bullet,
//! a breadcrumb, a bare headline without punctuation) are furniture wherever they are.
//!
//! A sentence broken over many short lines (a title chain, then the name, then the cue, each
//! on its own line) is joined back: a line ending in `,` or `、`, or a short unpunctuated line
//! inside such a run, continues onto the next.

use crate::page::date::{self, PubDate};
use crate::page::normalize::Normalized;

/// What a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParaKind {
    /// Before the body: site name, breadcrumb, headline, meta line.
    Preamble,
    /// Article text.
    Body,
    /// Navigation, lists, tails, footers.
    Furniture,
}

/// A run of joined lines, as a normalized character span.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Body or not.
    pub kind: ParaKind,
}

/// A page cut into its parts; all spans are normalized character indices.
#[derive(Debug, Clone)]
pub struct Document {
    /// The publication date.
    pub pub_date: PubDate,
    /// Every paragraph, in order.
    pub paragraphs: Vec<Paragraph>,
    /// Body sentences, in order.
    pub sentences: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Empty,
    Bullet,
    Nav,
    Meta,
    EndMarker,
    Text,
}

const END_MARKERS: &[&str] = &[
    "相关新闻",
    "相关阅读",
    "相关推荐",
    "相关链接",
    "相关文章",
    "相关报道",
    "热点推荐",
    "热点新闻",
    "延伸阅读",
    "推荐阅读",
    "猜你喜欢",
    "更多>>",
    "更多>",
    "上一篇",
    "下一篇",
    "原标题",
    "责任编辑",
    "编辑:",
    "网站地图",
    "关键词:",
    "关键字:",
    "扫一扫",
    "分享到",
    "打印本页",
    "版权所有",
    "视频推荐",
    "今日推荐",
    "最新闻",
    "热门",
    "关注微信",
    "【纠错】",
];

const META_KEYS: &[&str] = &[
    "发布时间",
    "发布日期",
    "发布于",
    "时间:",
    "日期:",
    "来源:",
    "最后更新",
    "更新时间",
    "浏览",
    "字号",
    "作者:",
    "阅读次数",
    "点击数",
];

/// Does a line hold one of the [`META_KEYS`]? One automaton pass instead of a substring
/// search per key (each of which stops at every CJK lead byte).
fn has_meta_key(line: &str) -> bool {
    static AC: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    match AC.get_or_init(|| aho_corasick::AhoCorasick::new(META_KEYS).ok()) {
        Some(ac) => ac.is_match(line),
        None => META_KEYS.iter().any(|k| line.contains(k)),
    }
}

/// What kind of line this is; `meta` is set when the line was looked at for a
/// [`META_KEYS`] key (the publication date's search asks again, for the first lines).
fn classify(line: &str, meta: &mut Option<bool>) -> LineKind {
    let t = line.trim();
    // Most lines start with a Han character: checked by range before the Unicode tables
    // (U+4E00–U+9FFF are all assigned letters).
    if t.is_empty()
        || t.chars()
            .all(|c| !matches!(c, '\u{4E00}'..='\u{9FFF}') && !c.is_alphanumeric())
    {
        return LineKind::Empty;
    }
    if END_MARKERS.iter().any(|m| t.starts_with(m)) {
        return LineKind::EndMarker;
    }
    // Menus, bullets and meta lines are short; a long line is text whatever it holds (a
    // page saved without line breaks is one long line).
    let n = t.chars().count();
    if n > 300 {
        return LineKind::Text;
    }
    let first = t.chars().next().unwrap_or(' ');
    if matches!(
        first,
        '·' | '•'
            | '>'
            | '►'
            | '▪'
            | '■'
            | '◆'
            | '●'
            | '○'
            | '*'
            | '【'
            | '['
            | '-'
            | '—'
            | '|'
    ) {
        // "- 原标题:" style tails count as end markers.
        let rest = t.trim_start_matches(['-', '—', ' ', '·', '•']);
        if END_MARKERS.iter().any(|m| rest.starts_with(m)) {
            return LineKind::EndMarker;
        }
        return LineKind::Bullet;
    }
    if n < 120 && !t.contains('。') {
        let key = has_meta_key(t);
        *meta = Some(key);
        if key {
            return LineKind::Meta;
        }
    }
    // One byte search for `>` and `|`: a ` > ` or two `|` make a menu, and so does a `>`
    // with 首页.
    let tb = t.as_bytes();
    let (mut gt, mut bars) = (false, 0);
    for i in memchr::memchr2_iter(b'>', b'|', tb) {
        if tb[i] == b'|' {
            bars += 1;
        } else if i > 0 && tb[i - 1] == b' ' && tb.get(i + 1) == Some(&b' ') {
            return LineKind::Nav;
        } else {
            gt = true;
        }
    }
    if gt && t.contains("首页") || bars >= 2 || t.starts_with("首页") || t.starts_with("当前位置")
    {
        return LineKind::Nav;
    }
    if t.starts_with("http") {
        return LineKind::Nav;
    }
    LineKind::Text
}

/// Does `s` hold prose punctuation (`。,、;!?`, full-width forms already half-width)? Byte
/// searches, not a character walk: the comma, by far the most common, is looked for first.
/// Is the `?` at byte `at` a character lost in conversion (晚?报社), not a question mark:
/// Han on both sides and no question particle before it?
fn lost_character(para: &str, at: usize) -> bool {
    let before = para[..at].chars().next_back();
    let after = para[at + 1..].chars().next();
    let han = |c: Option<char>| c.is_some_and(|c| matches!(c, '\u{4E00}'..='\u{9FFF}'));
    han(before)
        && han(after)
        && !before.is_some_and(|c| {
            matches!(
                c,
                '吗' | '呢' | '么' | '吧' | '啊' | '呀' | '嘛' | '谁' | '何'
            )
        })
}

/// Does a line open with a day (`5月6日下午`, `7月18日`)?
fn starts_with_day(t: &str) -> bool {
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    let rest = &t[digits..];
    (1..=2).contains(&digits)
        && (rest.starts_with('日')
            || rest.starts_with('月') && {
                let r = &rest['月'.len_utf8()..];
                let d = r.chars().take_while(|c| c.is_ascii_digit()).count();
                (1..=2).contains(&d) && r[d..].starts_with('日')
            })
}

/// A photo caption wholly in parentheses or opening with 图为 (`(图为甲一行参观X展厅)`): text
/// of the story even without punctuation.
fn is_caption(t: &str) -> bool {
    let t = t.trim();
    let inner = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .unwrap_or(t);
    (inner.starts_with("图为") || inner.starts_with("图:")) && inner.chars().count() >= 6
}

fn has_prose_punct(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr3(b',', b';', b'!', b).is_some()
        || memchr::memchr(b'?', b).is_some()
        || memchr::memmem::find(b, "。".as_bytes()).is_some()
        || memchr::memmem::find(b, "、".as_bytes()).is_some()
}

fn ends_open(s: &str) -> bool {
    s.trim_end().ends_with([',', '、', ':'])
}

/// Cut a normalized page into a [`Document`].
pub fn analyze(n: &Normalized) -> Document {
    // Lines as character spans.
    let mut lines: Vec<(usize, usize, LineKind)> = Vec::with_capacity(64);
    let mut start = 0;
    let total = n.char_len();
    // Line breaks as normalizing noted them (a search for them here, as bytes, and of
    // their character index, was a sixth of this stage).
    for i in n.line_breaks() {
        lines.push((start, i, LineKind::Empty));
        start = i + 1;
    }
    lines.push((start, total, LineKind::Empty));
    let mut meta = Vec::with_capacity(lines.len());
    for l in &mut lines {
        let mut m = None;
        l.2 = classify(n.slice(l.0, l.1), &mut m);
        meta.push(m);
    }

    // Join lines into paragraphs. A lead sentence broken over short lines with no
    // punctuation, opening with its date (5月6日下午 / 副市长甲 / 带队到X / …), is one
    // paragraph of body (`broken`: how many lines each such paragraph joined).
    let mut paras: Vec<(usize, usize, LineKind)> = Vec::with_capacity(lines.len());
    let mut broken: Vec<(usize, usize)> = Vec::new();
    let mut joining = false;
    let mut run: Option<(usize, usize)> = None;
    for &(s, e, k) in &lines {
        let text = n.slice(s, e);
        // At most 14 characters (a character is at most 4 bytes: longer lines are not
        // counted).
        let short = |t: &str| t.len() <= 14 * 4 && t.chars().count() <= 14;
        let short_bare = k == LineKind::Text && short(text.trim()) && !has_prose_punct(text);
        if let Some((p, lines_in)) = run {
            // Lines of the broken sentence run up to 30 characters.
            let bare = k == LineKind::Text
                && text.trim().chars().count() <= 40
                && !text.contains(['。', ',', ';', ':', '!', '?']);
            if bare && paras.len() == p + 1 {
                paras[p].1 = e;
                run = Some((p, lines_in + 1));
                continue;
            }
            broken.push((p, lines_in));
            run = None;
        }
        if joining
            && k == LineKind::Text
            && let Some(last) = paras.last_mut()
        {
            last.1 = e;
            joining = ends_open(text) || short_bare;
            continue;
        }
        paras.push((s, e, k));
        joining = k == LineKind::Text && ends_open(text);
        let day_line = (short_bare || k == LineKind::Meta && short(text.trim()))
            && starts_with_day(text.trim());
        if day_line && !joining {
            run = Some((paras.len() - 1, 1));
        }
    }
    broken.extend(run);
    // Three lines at least: a date line alone, or with one more, is a header.
    broken.retain(|&(_, lines_in)| lines_in >= 3);
    for &(p, _) in &broken {
        paras[p].2 = LineKind::Text;
    }
    let is_broken = |i: usize| broken.iter().any(|&(p, _)| p == i);

    // Find the body.
    let body_start = paras
        .iter()
        .enumerate()
        .position(|(i, &(s, e, k))| {
            k == LineKind::Text
                && (n.slice(s, e).contains('。') || is_broken(i) || is_caption(n.slice(s, e)))
        })
        .or_else(|| {
            paras.iter().position(|&(s, e, k)| {
                k == LineKind::Text
                    && n.slice(s, e).contains(',')
                    && n.slice(s, e).chars().count() >= 15
            })
        });
    let mut paragraphs = Vec::with_capacity(paras.len());
    let mut ended = false;
    for (i, &(s, e, k)) in paras.iter().enumerate() {
        let text = n.slice(s, e);
        let kind = match body_start {
            Some(b) if i < b => ParaKind::Preamble,
            None => ParaKind::Furniture,
            Some(_) => {
                if k == LineKind::EndMarker {
                    ended = true;
                }
                let prose = has_prose_punct(text) || is_broken(i) || is_caption(text);
                if ended || k != LineKind::Text || !prose {
                    ParaKind::Furniture
                } else {
                    ParaKind::Body
                }
            }
        };
        if k != LineKind::Empty {
            paragraphs.push(Paragraph {
                start: s,
                end: e,
                kind,
            });
        }
    }
    let pub_date = find_pub_date(n, &lines, &meta, &paragraphs);
    let sentences = split_sentences(n, &paragraphs);
    Document {
        pub_date,
        paragraphs,
        sentences,
    }
}

fn trim_span(n: &Normalized, s: usize, e: usize) -> (usize, usize) {
    let t = n.slice(s, e);
    let lead = t.chars().take_while(|c| c.is_whitespace()).count();
    if s + lead >= e {
        return (e, e);
    }
    let trail = t.chars().rev().take_while(|c| c.is_whitespace()).count();
    (s + lead, e - trail)
}

fn find_pub_date(
    n: &Normalized,
    lines: &[(usize, usize, LineKind)],
    meta: &[Option<bool>],
    paras: &[Paragraph],
) -> PubDate {
    // Meta keys as `classify` found them, else looked for (a key does not hold whitespace,
    // so the trimmed line it looked at holds one when the line does).
    let has_key = |i: usize, t: &str| meta[i].unwrap_or_else(|| has_meta_key(t));
    let text = |s: usize, e: usize| n.slice(s, e);
    let full = |d: (i32, u32, u32)| PubDate {
        year: Some(d.0),
        month_day: Some((d.1, d.2)),
    };
    // 1. A meta line with a full date ("发布时间:", "最后更新:").
    for (i, &(s, e, _)) in lines.iter().enumerate() {
        let t = text(s, e);
        if has_key(i, t)
            && let Some(d) = date::full_date_in(t)
        {
            return full(d);
        }
    }
    // 2. A dated URL.
    for &(s, e, _) in lines {
        let t = text(s, e);
        if (t.contains("http") || t.contains(".htm"))
            && let Some(d) = date::url_date_in(t)
        {
            return full(d);
        }
    }
    // 3. A full date in the preamble (a calendar strip, a bare date line).
    let preamble = || paras.iter().filter(|p| p.kind == ParaKind::Preamble);
    for p in preamble() {
        if let Some(d) = date::full_date_in(text(p.start, p.end)) {
            return full(d);
        }
    }
    // 3b. A year and month (`2022 07月`, `2022年07月`) in the preamble, with the day on the
    // line below or above it (a calendar strip: `2022 07月` / `15日`, or `15` / `2022 07月`);
    // without a day, the year alone, which beats the dates of list items (step 5).
    let pre_lines: Vec<&str> = preamble()
        .flat_map(|p| text(p.start, p.end).lines())
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut header_year = None;
    // Only a line that is a date and nothing else (not a headline's `2022年7月经济运行`).
    let calendar = |l: &str| {
        l.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || "年月日号星期周一二三四五六七天:-/.".contains(c)
        })
    };
    for (i, l) in pre_lines.iter().enumerate() {
        let Some((y, m)) = date::year_month_in(l).filter(|_| calendar(l)) else {
            continue;
        };
        let day = pre_lines
            .get(i + 1)
            .and_then(|l| date::bare_day(l))
            .or_else(|| i.checked_sub(1).and_then(|j| date::bare_day(pre_lines[j])));
        if let Some(d) = day
            && date::valid((y, m, d))
        {
            return full((y, m, d));
        }
        header_year.get_or_insert(y);
    }
    // 4. A meta line with month and day only (the year from such a header, if any).
    for (i, &(s, e, _)) in lines.iter().enumerate() {
        let t = text(s, e);
        if has_key(i, t)
            && let Some(md) = date::month_day_in(t)
        {
            return PubDate {
                year: header_year,
                month_day: Some(md),
            };
        }
    }
    if header_year.is_some() {
        return PubDate {
            year: header_year,
            month_day: None,
        };
    }
    // 5. A dateline with its year at the head of the body (`新华社北京2017年9月27日电`).
    let dateline = paras
        .iter()
        .find(|p| p.kind == ParaKind::Body)
        .and_then(|p| date::dateline_in(text(p.start, p.end)));
    if let Some((Some(y), m, d)) = dateline
        && date::valid((y, m, d))
    {
        return full((y, m, d));
    }
    // 6. The first full date anywhere outside the body (list items carry the day's date).
    for p in paras.iter().filter(|p| p.kind != ParaKind::Body) {
        if let Some(d) = date::full_date_in(text(p.start, p.end)) {
            return full(d);
        }
    }
    // 7. A dateline without its year (`本报沈阳6月14日讯`): the month and day.
    PubDate {
        year: None,
        month_day: dateline.map(|(_, m, d)| (m, d)),
    }
}

fn split_sentences(n: &Normalized, paras: &[Paragraph]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(32);
    for p in paras.iter().filter(|p| p.kind == ParaKind::Body) {
        let (pb, pe) = (n.byte_of_char(p.start), n.byte_of_char(p.end));
        let para = &n.text[pb..pe];
        let mut s = p.start;
        let mut cursor = p.start;
        let mut depth = 0i32;
        for (at, c) in marks(para) {
            match c {
                '“' | '(' | '《' => depth += 1,
                '”' | ')' | '》' => depth = (depth - 1).max(0),
                _ => {}
            }
            let close_quote = c == '”'
                && para[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|prev| matches!(prev, '。' | '!' | '?'));
            if c == '?' && lost_character(para, at) {
                continue;
            }
            if (matches!(c, '。' | '!' | '?' | ';') && depth == 0) || close_quote {
                cursor = n.char_at_byte_from(cursor, pb + at);
                out.push(trim_span(n, s, cursor + 1));
                s = cursor + 1;
            }
        }
        if s < p.end {
            let sp = trim_span(n, s, p.end);
            if sp.1 > sp.0 {
                out.push(sp);
            }
        }
    }
    out
}

/// The characters that cut or nest sentences in normalized text, in order, with their byte
/// offsets: `。“”《》` and `()!?;` (full-width forms are already half-width). Found by SIMD
/// byte search rather than by decoding every character: the five CJK marks are three bytes
/// `E2|E3 80 xx`, so a `0x80` byte is a candidate, checked against its neighbours.
fn marks(para: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let b = para.as_bytes();
    let mut wide = memchr::memchr3_iter(0x80, b'(', b')', b).peekable();
    let mut rest = memchr::memchr3_iter(b'!', b'?', b';', b).peekable();
    std::iter::from_fn(move || {
        loop {
            let pos = match (wide.peek().copied(), rest.peek().copied()) {
                (Some(x), Some(y)) if x < y => wide.next(),
                (Some(_), Some(_)) | (None, Some(_)) => rest.next(),
                (Some(_), None) => wide.next(),
                (None, None) => None,
            }?;
            if b[pos] != 0x80 {
                return Some((pos, char::from(b[pos])));
            }
            let c = match (pos.checked_sub(1).map(|l| b[l]), b.get(pos + 1)) {
                (Some(0xE3), Some(0x82)) => '。',
                (Some(0xE2), Some(0x9C)) => '“',
                (Some(0xE2), Some(0x9D)) => '”',
                (Some(0xE3), Some(0x8A)) => '《',
                (Some(0xE3), Some(0x8B)) => '》',
                _ => continue,
            };
            return Some((pos - 1, c));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_punctuation_by_bytes_is_by_characters() {
        for t in [
            "",
            "首页 > 新闻",
            "一、二",
            "他说:",
            "好!",
            "真的?",
            "甲;乙",
            "结束。",
            "a,b",
            "“引号”《书名》",
            "(括号)",
            "全角,没有",
            "、",
            "。",
            "x?",
            "发布时间 2025-01-02",
        ] {
            let by_chars = t.contains(['。', ',', '、', ';', '!', '?']);
            assert_eq!(has_prose_punct(t), by_chars, "{t}");
        }
    }
    use crate::page::normalize::normalize;

    fn body(doc: &Document, n: &Normalized) -> Vec<String> {
        doc.sentences
            .iter()
            .map(|&(s, e)| n.slice(s, e).to_string())
            .collect()
    }

    #[test]
    fn marks_found_by_bytes_are_the_decoded_ones() {
        let want = |t: &str| -> Vec<(usize, char)> {
            t.char_indices()
                .filter(|(_, c)| "。“”《》()!?;".contains(*c))
                .collect()
        };
        for t in [
            "甲说:“好。”乙(丙)看了《书》!真的?是;不",
            "、。,“‘’”…—《》〈〉「」",
            "没有标点",
            "",
            "()!?;",
            "丂丄 (hǎo) 「一」",
        ] {
            assert_eq!(marks(t).collect::<Vec<_>>(), want(t), "{t}");
        }
    }

    #[test]
    fn furniture_and_body_apart() {
        let page = "某某网\n首页 > 新闻 > 要闻\n甲乙调研某企业\n发布时间:2024-05-02 10:00  来源:某某报\n\n5月1日,甲乙来到某公司。他强调,要做好工作。\n\n相关新闻\n· 丙丁调研某园区\n· 戊己调研某公司\n";
        let n = normalize(page);
        let d = analyze(&n);
        assert_eq!(d.pub_date.day(), Some((2024, 5, 2)));
        assert_eq!(
            body(&d, &n),
            vec!["5月1日,甲乙来到某公司。", "他强调,要做好工作。"]
        );
    }

    #[test]
    fn broken_lines_are_joined() {
        let page = "标题\n时间:2025-01-10\n\n1月9日,\n市委常委、\n区委书记\n张三\n带队走访了甲公司、\n乙公司。\n";
        let n = normalize(page);
        let d = analyze(&n);
        let b = body(&d, &n);
        assert_eq!(b.len(), 1);
        assert!(
            b[0].starts_with("1月9日,") && b[0].ends_with("乙公司。"),
            "{b:?}"
        );
    }

    #[test]
    fn a_year_and_month_header_is_read_with_its_day() {
        let pub_date = |page: &str| analyze(&normalize(page)).pub_date;
        let day = |page: &str| pub_date(page).day();
        let body = "\n7月14日,某某来到某公司。\n";
        assert_eq!(
            day(&format!("标题\n2022 07月\n15日{body}")),
            Some((2022, 7, 15))
        );
        assert_eq!(
            day(&format!("标题\n2022 07月15日 星期五{body}")),
            Some((2022, 7, 15))
        );
        assert_eq!(
            day(&format!("标题\n15\n2022 07月{body}")),
            Some((2022, 7, 15))
        );
        assert_eq!(
            day(&format!("标题\n2022年07月\n15日 星期五{body}")),
            Some((2022, 7, 15))
        );
        // No day: the year alone, not that of a list item's date below the story.
        let p = pub_date(&format!(
            "标题\n2022 07月{body}相关新闻\n· 某某 2021-03-02\n"
        ));
        assert_eq!((p.year, p.month_day), (Some(2022), None));
        // The header's year with a meta line's month and day.
        let p = pub_date(&format!("标题\n2022 07月\n发布时间:07-15 09:20{body}"));
        assert_eq!(p.day(), Some((2022, 7, 15)));
        // A headline that names a month is no calendar.
        let p = pub_date(&format!(
            "2022年7月经济运行情况{body}相关新闻\n· 某某 2021-03-02\n"
        ));
        assert_eq!(p.year, Some(2021));
        // A day that is no day of that month is not taken.
        let p = pub_date(&format!("标题\n2023 02月\n30日{body}"));
        assert_eq!((p.year, p.month_day), (Some(2023), None));
    }

    #[test]
    fn datelines_date_the_page_when_nothing_else_does() {
        let pub_date = |page: &str| analyze(&normalize(page)).pub_date;
        let p = pub_date("标题\n新华社北京2017年9月27日电(记者 某某)9月26日,某某来到某公司。\n");
        assert_eq!(p.day(), Some((2017, 9, 27)));
        // It beats a list item's date below the story.
        let p = pub_date(
            "标题\n本报讯 2017年9月27日讯 某某来到某公司。\n相关新闻\n· 某某 2021-03-02\n",
        );
        assert_eq!(p.day(), Some((2017, 9, 27)));
        // Without a year: the month and day.
        let p = pub_date("标题\n本报沈阳6月14日讯(记者 某某)6月10日,某某来到某公司。\n");
        assert_eq!((p.year, p.month_day), (None, Some((6, 14))));
        // A header's date wins; a date deep in the first paragraph is no dateline.
        let p = pub_date("标题\n发布时间:2024-06-15\n本报沈阳6月14日讯 某某来到某公司。\n");
        assert_eq!(p.day(), Some((2024, 6, 15)));
        let p = pub_date(
            "标题\n某某来到某公司,了解企业经营和研发情况,询问产品指标,双方就项目进行了沟通,会后某某表示,2017年9月27日电站建成。\n",
        );
        assert_eq!(p, PubDate::default());
    }

    #[test]
    fn publication_date_lines() {
        let day = |page: &str| analyze(&normalize(page)).pub_date.day();
        assert_eq!(
            day("标题\n发布日期 2023/04/12\n\n4月10日,某某来到某公司。\n"),
            Some((2023, 4, 12))
        );
        assert_eq!(
            day("標題\n發佈日期:2024-04-17\n\n某某於四月十六日到訪某公司。\n"),
            Some((2024, 4, 17))
        );
        assert_eq!(
            day("标题\n发布时间:2024年04月17日 10:20\n\n某某来到某公司。\n"),
            Some((2024, 4, 17))
        );
    }

    #[test]
    fn year_from_url_and_tail_lists() {
        let n = normalize(
            "站\nhttps://a.cn/x/2023/0608/1.html\n发布时间:06-08 09:20\n6月7日,某某到某地调研。\n",
        );
        assert_eq!(analyze(&n).pub_date.day(), Some((2023, 6, 8)));
        let n = normalize("标题\n10月16日,某某主持会议。\n相关推荐\n某新闻\n2025-11-15 23:38:34\n");
        assert_eq!(analyze(&n).pub_date.year, Some(2025));
        let n =
            normalize("标题\n发布时间:08-19 10:20\n8月18日,某某来到某公司。该公司成立于2018年。\n");
        let d = analyze(&n);
        assert_eq!(
            (d.pub_date.year, d.pub_date.month_day),
            (None, Some((8, 19)))
        );
    }
}
