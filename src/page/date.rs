//! Dates: the page's publication date and each event's date, from normalized text.
//!
//! Publication dates come from the page furniture (a `发布时间:` line, a `最后更新:` line, a
//! calendar strip, a dated URL); event dates come from the body (`11月25日`, `今天(21日)`,
//! `昨日`, `近日`) and are anchored on the publication date. A relative or year-less date
//! with no year to anchor it on gives no date rather than a guess.

use std::sync::OnceLock;

use regex::Regex;

/// A day as `(year, month, day)`; comparisons are chronological.
pub type Day = (i32, u32, u32);

/// Days in a month (Gregorian).
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Is this a real calendar day?
pub fn valid(d: Day) -> bool {
    (1..=12).contains(&d.1) && d.2 >= 1 && d.2 <= days_in_month(d.0, d.1)
}

/// The day before.
pub fn prev_day((y, m, d): Day) -> Day {
    if d > 1 {
        (y, m, d - 1)
    } else if m > 1 {
        (y, m - 1, days_in_month(y, m - 1))
    } else {
        (y - 1, 12, 31)
    }
}

/// `YYYY-MM-DD`.
pub fn format(d: Day) -> String {
    // On the hot path (every relation's evidence): digits by hand, not `format!`.
    if !(0..=9999).contains(&d.0) || d.1 > 99 || d.2 > 99 {
        return format!("{:04}-{:02}-{:02}", d.0, d.1, d.2);
    }
    let y = d.0 as u32;
    let digit = |v: u32| char::from(b'0' + (v % 10) as u8);
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(d.1 / 10),
        digit(d.1),
        '-',
        digit(d.2 / 10),
        digit(d.2),
    ]
    .iter()
    .collect()
}

/// A publication date: the full day, or only month and day when the page gives no year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PubDate {
    /// Year, when known.
    pub year: Option<i32>,
    /// Month and day, when known.
    pub month_day: Option<(u32, u32)>,
}

impl PubDate {
    /// The full day, when year, month and day are all known.
    pub fn day(&self) -> Option<Day> {
        match (self.year, self.month_day) {
            (Some(y), Some((m, d))) if valid((y, m, d)) => Some((y, m, d)),
            _ => None,
        }
    }
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

/// A full date anywhere in a line: `2024-03-15`, `2024/3/15`, `2024.03.15`, `2024年3月15日`,
/// `2022 07月15日`.
///
/// The first calendar day among the matches, from the left, of
/// `((?:19|20)\d\d)(?:\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)|\s+(\d{1,2})\s*月)\s*(\d{1,2})`
/// (digits ASCII), matched by hand: this runs on the page's meta lines, and a regex with capture groups cost a tenth
/// of the document stage.
pub fn full_date_in(line: &str) -> Option<Day> {
    let b = line.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b'1', b'2', &b[from.min(b.len())..]) {
        let p = from + i;
        match full_date_at(line, p) {
            Some((_, d)) if valid(d) => return Some(d),
            // Not a calendar day: the search goes on after it.
            Some((end, _)) => from = end,
            None => from = p + 1,
        }
    }
    None
}

/// The full date written from byte `p` on, with where it ends (see [`full_date_in`]).
fn full_date_at(line: &str, p: usize) -> Option<(usize, Day)> {
    let b = line.as_bytes();
    let year = b.get(p..p + 4)?;
    if !(year.iter().all(u8::is_ascii_digit) && matches!(&year[..2], b"19" | b"20")) {
        return None;
    }
    let spaces = |q: usize| {
        q + line[q..]
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(char::len_utf8)
            .sum::<usize>()
    };
    let sep = |q: usize, wide: &str| match b.get(q) {
        Some(b'-' | b'/' | b'.') => Some(q + 1),
        _ => line[q..].starts_with(wide).then(|| q + wide.len()),
    };
    let run = |q: usize| b[q..].iter().take_while(|c| c.is_ascii_digit()).count();
    let num = |q: usize, n: usize| {
        b[q..q + n]
            .iter()
            .fold(0u32, |v, c| v * 10 + u32::from(c - b'0'))
    };
    // `2022 07月15日`: the year and a month written with 月, apart only by white space.
    let after_year = spaces(p + 4);
    let (q, spaced) = match sep(after_year, "年") {
        Some(q) => (spaces(q), false),
        None if after_year > p + 4 => (after_year, true),
        None => return None,
    };
    let m = run(q);
    if !(1..=2).contains(&m) {
        return None;
    }
    let month = num(q, m);
    let q = if spaced {
        let q = spaces(q + m);
        spaces(line[q..].starts_with("月").then(|| q + "月".len())?)
    } else {
        spaces(sep(spaces(q + m), "月")?)
    };
    let d = run(q).min(2);
    if d == 0 {
        return None;
    }
    let y = num(p, 4) as i32;
    Some((q + d, (y, month, num(q, d))))
}

/// A date in a URL: the first calendar day, from the left, written as
///
/// * `/2017-09/27/`, `/2017/09/27/`, `/2017/9/27/` (year, month, day with `-`, `/` or `_`
///   between them), `2017-09-27` anywhere in the path (`content_2017-09-27.htm`);
/// * `/201709/27/` (year and month run together, then the day);
/// * `/2017/0927/` (the year, then month and day run together);
/// * eight digits run together (`/20170927/`, `t20170927_123.html`), or followed by a time
///   (`20170927093015`: 12 or 14 digits whose hours, minutes and seconds are a time).
///
/// A run of digits that is no date (an article id, `/1234567890.html`) gives nothing.
pub fn url_date_in(url: &str) -> Option<Day> {
    let b = url.as_bytes();
    let mut p = 0;
    while p < b.len() {
        if !b[p].is_ascii_digit() {
            p += 1;
            continue;
        }
        let run = b[p..].iter().take_while(|c| c.is_ascii_digit()).count();
        if let Some(d) = url_date_at(b, p, run)
            && valid(d)
        {
            return Some(d);
        }
        p += run;
    }
    None
}

/// The date a URL writes from the run of `run` digits at `p` (see [`url_date_in`]), valid
/// or not.
fn url_date_at(b: &[u8], p: usize, run: usize) -> Option<Day> {
    let num = |q: usize, n: usize| {
        b[q..q + n]
            .iter()
            .fold(0u32, |v, c| v * 10 + u32::from(c - b'0'))
    };
    if !matches!(&b[p..p + 2.min(run)], b"19" | b"20") || run < 4 {
        return None;
    }
    let year = num(p, 4) as i32;
    // The next run of digits after a separator at `q`: where it starts and how long it is.
    let next = |q: usize| {
        matches!(b.get(q), Some(b'-' | b'/' | b'_')).then_some(())?;
        let n = b[q + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        (n > 0).then_some((q + 1, n))
    };
    match run {
        // 20170927, 201709271030, 20170927103015.
        8 | 12 | 14 => {
            let time_ok = (8..run)
                .step_by(2)
                .all(|i| num(p + i, 2) < if i == 8 { 24 } else { 60 });
            time_ok.then(|| (year, num(p + 4, 2), num(p + 6, 2)))
        }
        // 201709/27.
        6 => {
            let (q, n) = next(p + 6)?;
            (n <= 2).then(|| (year, num(p + 4, 2), num(q, n)))
        }
        4 => {
            let (q, n) = next(p + 4)?;
            match n {
                // 2017/0927.
                4 => Some((year, num(q, 2), num(q + 2, 2))),
                // 2017-09-27, 2017-09/27, 2017/9/27.
                1 | 2 => {
                    let (r, m) = next(q + n)?;
                    (m <= 2).then(|| (year, num(q, n), num(r, m)))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A year and month with no day in a line: `2022 07月`, `2022年07月`, `2022年7月` (the
/// first, from the left, whose month is a month).
pub fn year_month_in(line: &str) -> Option<(i32, u32)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?:^|[^0-9])((?:19|20)[0-9][0-9])(?:\s*年\s*|\s+)([0-9]{1,2})\s*月",
    );
    r.captures_iter(line).find_map(|c| {
        let (y, m) = (c[1].parse().ok()?, c[2].parse().ok()?);
        (1..=12).contains(&m).then_some((y, m))
    })
}

/// A line that is a day of the month alone, as a calendar strip shows it: `15`, `15日`,
/// `15日 星期五`.
pub fn bare_day(line: &str) -> Option<u32> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(&R, r"^\s*([0-9]{1,2})\s*[日号]?(?:\s|$)");
    let d = r.captures(line)?[1].parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// The date of a dateline at the head of a paragraph: `新华社北京2017年9月27日电`,
/// `本报沈阳6月14日讯`, `伊春9月29日电` — a date ending in 电 or 讯 within the first 30
/// characters, before any sentence ends: year (when given), month, day.
pub fn dateline_in(para: &str) -> Option<(Option<i32>, u32, u32)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"^[^。!?;]{0,24}?(?:((?:19|20)[0-9][0-9])年)?([0-9]{1,2})月([0-9]{1,2})日(?:电|讯)",
    );
    let c = r.captures(para.trim_start())?;
    let (m, d) = (c[2].parse().ok()?, c[3].parse().ok()?);
    valid((2000, m, d)).then_some((c.get(1).and_then(|y| y.as_str().parse().ok()), m, d))
}

/// A month-day without year in a meta line: `06-08 09:20`.
pub fn month_day_in(line: &str) -> Option<(u32, u32)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(&R, r"(?:^|[^\d-])(\d{1,2})-(\d{1,2})(?:\s|$)");
    let c = r.captures(line)?;
    let (m, d) = (c[1].parse().ok()?, c[2].parse().ok()?);
    valid((2000, m, d)).then_some((m, d))
}

/// A date expression in body text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateExpr {
    /// `2024年5月20日`.
    Full(Day),
    /// `5月20日`.
    MonthDay(u32, u32),
    /// `今天(21日)`: today, with the day of month stated.
    TodayDay(u32),
    /// `上月28日`: a day of the month before the page's.
    LastMonthDay(u32),
    /// `今天`, `今日`.
    Today,
    /// `昨天`, `昨日`.
    Yesterday,
    /// `前天`.
    DayBeforeYesterday,
    /// `本周一`, `上周五`, `星期三`: a day of the week (1 Monday … 7 Sunday) in the page's
    /// week, the week before, or the last such day up to the page's.
    Weekday(Week, u32),
    /// `近日`, `日前`: some recent day; deliberately no date.
    Vague,
}

/// Which week a weekday names (`本周一`, `上周一`, `周一`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Week {
    /// `本周`, `这周`: the page's own week (a day after the page's is no date).
    This,
    /// `上周`, `上星期`: the week before the page's.
    Last,
    /// `周一`, `星期一`: the last such day on or before the page's.
    Recent,
}

/// Does `text` hold 日, 天, 号, 近, 周 or 期? Searched as bytes: their UTF-8 forms end in the
/// bytes A5, A9, B7, 91, A8 and 9F, found by SIMD, and each find is checked (a char-set `contains` would
/// decode every character of every sentence).
fn has_date_key(text: &str) -> bool {
    let b = text.as_bytes();
    let is_key = |end: usize| {
        end >= 2
            && matches!(
                &b[end - 2..=end],
                [0xE6, 0x97, 0xA5]
                    | [0xE5, 0xA4, 0xA9]
                    | [0xE5, 0x8F, 0xB7]
                    | [0xE8, 0xBF, 0x91]
                    | [0xE5, 0x91, 0xA8]
                    | [0xE6, 0x9C, 0x9F]
            )
    };
    memchr::memchr3_iter(0xA5, 0xA9, 0xB7, b).any(is_key)
        || memchr::memchr3_iter(0x91, 0xA8, 0x9F, b).any(is_key)
}

/// Every date expression in `text`, as `(byte offset, expression)`.
///
/// The expressions, tried in this order at each position from the left, a match resuming
/// the search at its end (with ASCII digits, the leftmost-first search of the regular
/// expression
/// `(?:((?:19|20)\d\d)年)?(\d{1,2})月(\d{1,2})(?:[日号](?:R)?|R)|(?:今天|今日)\((\d{1,2})日\)|今\((\d{1,2})\)日|今天|今日|昨天|昨日|前天|近日|日前|近期|本月(\d{1,2})[日号]|上月(\d{1,2})[日号]|(本|这|上|每)(?:周|星期)([一二三四五六日天])|星期([一二三四五六日天])|周([一二三四五六日天])(?:上午|下午|中午|凌晨|傍晚|晚|早|,)|(?:^|[^\d月年(])(\d{1,2})日(?:R|上午|下午|中午|凌晨|傍晚|晚|早|,|讯|电|在|到|赴|来到|前往|深入|率|带队|调研|考察|视察|走访|先后|专程)`,
/// `R` being a range's end `(?:至|到|-|~|—|–)(?:\d{1,2}月)?\d{1,2}[日号]`, which the tests
/// hold it to):
///
/// * `2024年5月20日`, `5月20日`, `5月20号` (a month or day of three digits is none);
/// * a range, dated by its first day: `6月12日至13日`, `6月30日-7月2日`, `5月9至10日`;
/// * the same in Chinese numerals: `二〇二四年四月十六日`, `五月一日`, `2024年四月十六日`;
/// * `今天(21日)`, `今(22)日`; `今天`, `今日`, `昨天`, `昨日`; `近日`, `日前`, `近期`;
/// * `本月3日`, `本月12号`: a day of the page's month; `上月28日`: of the month before;
/// * `21日上午` (下午, 中午, 凌晨, 傍晚, 晚, 早, a comma, 讯, 电 after it, or a range's
///   end: `13日至14日`), not after a digit, 月, 年 or `(`: its offset is that of the
///   character before the digits, when there is one.
///
/// Matched by hand rather than by the regular expression: this runs on most body
/// sentences (日 is common), and the regex engine's capture groups cost several times this.
pub fn date_exprs(text: &str) -> Vec<(usize, DateExpr)> {
    // Every expression holds one of these: most sentences are ruled out without a scan.
    if !has_date_key(text) {
        return Vec::new();
    }
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        match expr_at(b, p) {
            Some((end, e)) => {
                if let Some(e) = e {
                    out.push((p, e));
                }
                p = end;
            }
            None => p += utf8_len(b[p]),
        }
    }
    out
}

const NIAN: &[u8] = "年".as_bytes();
const YUE: &[u8] = "月".as_bytes();
const RI: &[u8] = "日".as_bytes();
const BENYUE: &[u8] = "本月".as_bytes();
const SHANGYUE: &[u8] = "上月".as_bytes();
const HAO: &[u8] = "号".as_bytes();

fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// The run of ASCII digits at `p`, when it is one or two long: its end and value.
fn digits12(b: &[u8], p: usize) -> Option<(usize, u32)> {
    let n = b[p.min(b.len())..]
        .iter()
        .take(3)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if !(1..=2).contains(&n) {
        return None;
    }
    let v = b[p..p + n]
        .iter()
        .fold(0u32, |v, c| v * 10 + u32::from(c - b'0'));
    Some((p + n, v))
}

/// A number reader: the number at a byte offset, with where it ends.
type NumAt = fn(&[u8], usize) -> Option<(usize, u32)>;

/// What may join the first and the last day of a range (`6月12日至13日`, `5月9-10日`).
const RANGE_SEPS: [&str; 6] = ["至", "到", "-", "~", "—", "–"];

/// A month and day at `q` (`5月20日`, `5月20号`, and a range from it: `6月12日至13日`,
/// `6月30日至7月2日`, `5月9至10日`, whose first day it is), numbers read by `num`: where it
/// ends, month and day.
fn month_day_at(b: &[u8], q: usize, num: NumAt) -> Option<(usize, u32, u32)> {
    let at = |q: usize, w: &[u8]| b.get(q..q + w.len()) == Some(w);
    let (q, mo) = num(b, q)?;
    let q = q + at(q, YUE).then_some(YUE.len())?;
    let (q, d) = num(b, q)?;
    if at(q, RI) || at(q, HAO) {
        let end = q + RI.len();
        return Some((range_tail(b, end, num).unwrap_or(end), mo, d));
    }
    range_tail(b, q, num).map(|end| (end, mo, d))
}

/// The rest of a range after its first day, at `q`: a [`RANGE_SEPS`] mark, then a day
/// (`13日`, `13号`) or a month and day (`7月2日`); where it ends.
fn range_tail(b: &[u8], q: usize, num: NumAt) -> Option<usize> {
    let at = |q: usize, w: &[u8]| b.get(q..q + w.len()) == Some(w);
    let sep = RANGE_SEPS.iter().find(|s| at(q, s.as_bytes()))?;
    let mut q = q + sep.len();
    if let Some((e, _)) = num(b, q)
        && at(e, YUE)
    {
        q = e + YUE.len();
    }
    let (q, _) = num(b, q)?;
    (at(q, RI) || at(q, HAO)).then_some(q + RI.len())
}

/// A Chinese numeral digit (〇 or 零 for zero) at `p`: where it ends and its value.
fn cn_digit(b: &[u8], p: usize) -> Option<(usize, u32)> {
    const DIGITS: [&str; 11] = [
        "〇", "零", "一", "二", "三", "四", "五", "六", "七", "八", "九",
    ];
    let rest = b.get(p..p + 3)?;
    let i = DIGITS.iter().position(|d| d.as_bytes() == rest)?;
    Some((p + 3, i.saturating_sub(1) as u32))
}

/// A number from 1 to 39 in Chinese numerals at `p` (`四`, `十`, `十六`, `二十`, `三十一`):
/// where it ends and its value.
fn cn_number(b: &[u8], p: usize) -> Option<(usize, u32)> {
    let ten = |q: usize| b.get(q..q + 3) == Some("十".as_bytes());
    let (q, tens) = match cn_digit(b, p) {
        Some((q, d)) if (1..=3).contains(&d) && ten(q) => (q + 3, d),
        Some((q, d)) if d >= 1 => return Some((q, d)),
        Some(_) => return None,
        None if ten(p) => (p + 3, 1),
        None => return None,
    };
    match cn_digit(b, q) {
        Some((e, d)) if d >= 1 => Some((e, tens * 10 + d)),
        _ => Some((q, tens * 10)),
    }
}

/// A date in Chinese numerals at `p`: `二〇二四年四月十六日` (a full date), `四月十六日`,
/// `五月一日至三日`; where it ends and what it says (see [`expr_at`]).
fn cn_date_at(b: &[u8], p: usize) -> Option<(usize, Option<DateExpr>)> {
    let at = |q: usize, w: &[u8]| b.get(q..q + w.len()) == Some(w);
    // Not the tail of a longer numeral (四十月).
    if p >= 3 && (cn_digit(b, p - 3).is_some() || at(p - 3, "十".as_bytes())) {
        return None;
    }
    let mut year = None;
    let mut q = p;
    let mut y = 0i32;
    let mut n = 0;
    while n < 4
        && let Some((e, d)) = cn_digit(b, q)
    {
        y = y * 10 + d as i32;
        q = e;
        n += 1;
    }
    if n == 4 && (1900..2100).contains(&y) && at(q, NIAN) {
        year = Some(y);
        q += NIAN.len();
    } else {
        q = p;
    }
    let (end, mo, d) = month_day_at(b, q, cn_number)?;
    if !valid((2000, mo, d)) {
        return Some((end, None));
    }
    let e = match year {
        Some(y) if valid((y, mo, d)) => DateExpr::Full((y, mo, d)),
        _ => DateExpr::MonthDay(mo, d),
    };
    Some((end, Some(e)))
}

/// The date expression starting at byte `p` (a character boundary), if one does: where it
/// ends, and what it says (`None` for a month and day that are no calendar day, which are
/// passed over whole).
fn expr_at(b: &[u8], p: usize) -> Option<(usize, Option<DateExpr>)> {
    let at = |q: usize, w: &[u8]| b.get(q..q + w.len()) == Some(w);
    // 2024年5月20日, 5月20日.
    if b[p].is_ascii_digit() {
        let year = (b.len() >= p + 4
            && b[p..p + 4].iter().all(u8::is_ascii_digit)
            && matches!(&b[p..p + 2], b"19" | b"20")
            && at(p + 4, NIAN))
        .then(|| {
            let y = b[p..p + 4]
                .iter()
                .fold(0i32, |v, c| v * 10 + i32::from(c - b'0'));
            (p + 4 + NIAN.len(), y)
        });
        let month_day = |q: usize| month_day_at(b, q, digits12);
        let found = year
            .and_then(|(q, y)| {
                month_day(q)
                    .or_else(|| month_day_at(b, q, cn_number))
                    .map(|m| (m, Some(y)))
            })
            .or_else(|| month_day(p).map(|m| (m, None)));
        if let Some(((end, mo, d), y)) = found {
            if !valid((2000, mo, d)) {
                return Some((end, None));
            }
            let e = match y {
                Some(y) if valid((y, mo, d)) => DateExpr::Full((y, mo, d)),
                _ => DateExpr::MonthDay(mo, d),
            };
            return Some((end, Some(e)));
        }
    }
    // 二〇二四年四月十六日, 四月十六日 (Chinese numerals).
    if let Some(found) = cn_date_at(b, p) {
        return Some(found);
    }
    // 今天(21日), 今(22)日, then the fixed words.
    if at(p, "今(".as_bytes())
        && let Some((q, d)) = digits12(b, p + 4)
        && b.get(q) == Some(&b')')
        && at(q + 1, RI)
    {
        return Some((q + 1 + RI.len(), Some(DateExpr::TodayDay(d))));
    }
    let today = at(p, "今天".as_bytes()) || at(p, "今日".as_bytes());
    if today
        && b.get(p + 6) == Some(&b'(')
        && let Some((q, d)) = digits12(b, p + 7)
        && at(q, RI)
        && b.get(q + 3) == Some(&b')')
    {
        return Some((q + 4, Some(DateExpr::TodayDay(d))));
    }
    if today {
        return Some((p + 6, Some(DateExpr::Today)));
    }
    for (w, e) in [
        ("昨天", DateExpr::Yesterday),
        ("昨日", DateExpr::Yesterday),
        ("前天", DateExpr::DayBeforeYesterday),
        ("近日", DateExpr::Vague),
        ("日前", DateExpr::Vague),
        ("近期", DateExpr::Vague),
    ] {
        if at(p, w.as_bytes()) {
            return Some((p + w.len(), Some(e)));
        }
    }
    // 本月3日, 本月12号: a day of the page's own month; 上月28日 of the month before.
    for (w, e) in [
        (BENYUE, DateExpr::TodayDay as fn(u32) -> DateExpr),
        (SHANGYUE, DateExpr::LastMonthDay),
    ] {
        if at(p, w)
            && let Some((q, d)) = digits12(b, p + w.len())
            && (at(q, RI) || at(q, HAO))
        {
            return Some((q + RI.len(), Some(e(d))));
        }
    }
    if let Some(found) = weekday_at(b, p) {
        return Some(found);
    }
    // 21日上午: digits at the very start, or after a character that is no digit, 月, 年 or `(`.
    let day_at = |q: usize| {
        let (q, d) = digits12(b, q)?;
        if !at(q, RI) {
            return None;
        }
        let q = q + RI.len();
        // 13日至14日: a range of days, dated by its first.
        if let Some(end) = range_tail(b, q, digits12) {
            return Some((end, Some(DateExpr::TodayDay(d))));
        }
        DAY_FOLLOWERS
            .iter()
            .find(|w| at(q, w.as_bytes()))
            .map(|w| (q + w.len(), Some(DateExpr::TodayDay(d))))
    };
    if p == 0
        && let Some(m) = day_at(0)
    {
        return Some(m);
    }
    let len = utf8_len(b[p]);
    if !b[p].is_ascii_digit() && !at(p, YUE) && !at(p, NIAN) && b[p] != b'(' {
        return day_at(p + len);
    }
    None
}

/// What may follow a bare day (`21日`): a time of day, a comma, a dateline's end, or what a
/// subject does that day (`甲4日在乙调研`, `甲4日到乙`, `甲4日率团…`).
const DAY_FOLLOWERS: [&str; 24] = [
    "上午", "下午", "中午", "凌晨", "傍晚", "晚", "早", ",", "讯", "电", "在", "到", "赴", "来到",
    "前往", "深入", "率", "带队", "调研", "考察", "视察", "走访", "先后", "专程",
];

/// `本周一`, `上星期五`, `星期三`, `周三上午` (a weekday; 日 and 天 are Sunday); `每周一`
/// (every Monday) is read and gives no date. A bare `周X` needs a time of day or a comma
/// after it: 周 is a common surname (市长周天明到…).
fn weekday_at(b: &[u8], p: usize) -> Option<(usize, Option<DateExpr>)> {
    let at = |q: usize, w: &str| b.get(q..q + w.len()) == Some(w.as_bytes());
    let (q, week) = if at(p, "每") {
        (p + 3, None)
    } else if at(p, "本") || at(p, "这") {
        (p + 3, Some(Week::This))
    } else if at(p, "上") {
        (p + 3, Some(Week::Last))
    } else {
        (p, Some(Week::Recent))
    };
    let q = if at(q, "周") {
        q + 3
    } else if at(q, "星期") {
        q + 6
    } else {
        return None;
    };
    let day = ["一", "二", "三", "四", "五", "六", "日", "天"]
        .iter()
        .position(|w| at(q, w))?;
    let dow = u32::try_from(day).map_or(7, |d| (d + 1).min(7));
    let mut end = q + 3;
    if week == Some(Week::Recent) && at(p, "周") {
        end += ["上午", "下午", "中午", "凌晨", "傍晚", "晚", "早", ","]
            .iter()
            .find(|w| at(end, w))?
            .len();
    }
    Some((end, week.map(|w| DateExpr::Weekday(w, dow))))
}

/// The day of the week of a date, 1 (Monday) to 7 (Sunday).
pub fn weekday((y, m, d): Day) -> u32 {
    // Sakamoto's method (0 = Sunday).
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    let m0 = usize::try_from(m.clamp(1, 12) - 1).unwrap_or(0);
    let w = (y + y / 4 - y / 100 + y / 400 + T[m0] + i32::try_from(d).unwrap_or(1)).rem_euclid(7);
    if w == 0 { 7 } else { w.unsigned_abs() }
}

/// `n` days before `day`.
fn days_before(mut day: Day, n: u32) -> Day {
    for _ in 0..n {
        day = prev_day(day);
    }
    day
}

/// Resolve a date expression against the publication date.
pub fn resolve(expr: DateExpr, pubd: PubDate) -> Option<Day> {
    match expr {
        DateExpr::Full(d) => Some(d),
        DateExpr::MonthDay(m, d) => {
            let y = pubd.year?;
            // An event dated after the page by more than a month belongs to last year
            // (a January page reporting a December visit).
            let late = pubd.month_day.is_some_and(|(pm, _)| m > pm + 1);
            let y = if late { y - 1 } else { y };
            valid((y, m, d)).then_some((y, m, d))
        }
        DateExpr::TodayDay(d) => {
            let (y, m, pd) = pubd
                .day()
                .or_else(|| Some((pubd.year?, pubd.month_day?.0, 1)))?;
            // Published just after midnight of the next month? Keep it simple: same month,
            // or the previous month when the stated day is after the page's day.
            if d <= pd || pubd.month_day.is_none() {
                valid((y, m, d)).then_some((y, m, d))
            } else {
                let (py, pm, _) = prev_day((y, m, 1));
                valid((py, pm, d)).then_some((py, pm, d))
            }
        }
        DateExpr::Today => pubd.day(),
        DateExpr::Yesterday => pubd.day().map(prev_day),
        DateExpr::DayBeforeYesterday => pubd.day().map(|d| days_before(d, 2)),
        DateExpr::Weekday(week, dow) => {
            let day = pubd.day()?;
            let w = weekday(day);
            match week {
                Week::This => (dow <= w).then(|| days_before(day, w - dow)),
                Week::Last => Some(days_before(day, w + 7 - dow)),
                Week::Recent => Some(days_before(day, (w + 7 - dow) % 7)),
            }
        }
        DateExpr::LastMonthDay(d) => {
            let (y, m) = (pubd.year?, pubd.month_day?.0);
            let (py, pm, _) = prev_day((y, m, 1));
            valid((py, pm, d)).then_some((py, pm, d))
        }
        DateExpr::Vague => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pd(y: i32, m: u32, d: u32) -> PubDate {
        PubDate {
            year: Some(y),
            month_day: Some((m, d)),
        }
    }

    #[test]
    fn resolves_relative_dates() {
        let table: &[(&str, PubDate, Option<&str>)] = &[
            ("11月25日上午", pd(2025, 11, 26), Some("2025-11-25")),
            ("今天(21日)上午", pd(2019, 3, 21), Some("2019-03-21")),
            ("今天上午", pd(2025, 3, 6), Some("2025-03-06")),
            ("昨日", pd(2024, 3, 1), Some("2024-02-29")),
            ("近日", pd(2024, 7, 3), None),
            ("本月3日", pd(2024, 7, 10), Some("2024-07-03")),
            ("前天", pd(2024, 3, 1), Some("2024-02-28")),
            // 2024-03-05 is a Tuesday.
            ("本周一", pd(2024, 3, 5), Some("2024-03-04")),
            ("这周二", pd(2024, 3, 5), Some("2024-03-05")),
            ("本周五", pd(2024, 3, 5), None),
            ("上周五", pd(2024, 3, 5), Some("2024-03-01")),
            ("上星期日", pd(2024, 3, 5), Some("2024-03-03")),
            ("周三上午", pd(2024, 3, 5), Some("2024-02-28")),
            ("星期二", pd(2024, 3, 5), Some("2024-03-05")),
            ("周日,", pd(2024, 3, 5), Some("2024-03-03")),
            ("4日在", pd(2024, 3, 5), Some("2024-03-04")),
            ("4日率", pd(2024, 3, 5), Some("2024-03-04")),
            ("本月12号下午", pd(2024, 7, 13), Some("2024-07-12")),
            ("上月28日", pd(2024, 3, 2), Some("2024-02-28")),
            ("上月31日", pd(2024, 3, 2), None),
            ("上月30号", pd(2025, 1, 5), Some("2024-12-30")),
            ("12月30日", pd(2024, 1, 2), Some("2023-12-30")),
            (
                "8月18日",
                PubDate {
                    year: None,
                    month_day: Some((8, 19)),
                },
                None,
            ),
            ("2021年5月4日", PubDate::default(), Some("2021-05-04")),
            ("27日上午", pd(2024, 3, 28), Some("2024-03-27")),
            ("30日上午", pd(2024, 4, 2), Some("2024-03-30")),
            ("2日中午", pd(2023, 9, 4), Some("2023-09-02")),
            ("→3日傍晚", pd(2023, 9, 4), Some("2023-09-03")),
        ];
        for (text, p, want) in table {
            let e = date_exprs(text);
            assert_eq!(e.len(), 1, "{text}");
            assert_eq!(resolve(e[0].1, *p).map(format).as_deref(), *want, "{text}");
        }
    }

    /// The regular expression `date_exprs` used to be (digits ASCII), as its oracle.
    fn date_exprs_by_regex(text: &str) -> Vec<(usize, DateExpr)> {
        let range = r"(?:至|到|-|~|—|–)(?:[0-9]{1,2}月)?[0-9]{1,2}[日号]";
        let r = Regex::new(&format!(
            r"(?:((?:19|20)[0-9][0-9])年)?([0-9]{{1,2}})月([0-9]{{1,2}})(?:[日号](?:{range})?|{range})|(?:今天|今日)\(([0-9]{{1,2}})日\)|今\(([0-9]{{1,2}})\)日|今天|今日|昨天|昨日|前天|近日|日前|近期|本月([0-9]{{1,2}})[日号]|上月([0-9]{{1,2}})[日号]|(本|这|上|每)(?:周|星期)([一二三四五六日天])|星期([一二三四五六日天])|周([一二三四五六日天])(?:上午|下午|中午|凌晨|傍晚|晚|早|,)|(?:^|[^0-9月年(])([0-9]{{1,2}})日(?:{range}|上午|下午|中午|凌晨|傍晚|晚|早|,|讯|电|在|到|赴|来到|前往|深入|率|带队|调研|考察|视察|走访|先后|专程)",
        ))
        .unwrap();
        let mut out = Vec::new();
        for c in r.captures_iter(text) {
            let m = c.get(0).map(|m| (m.start(), m.as_str())).unwrap_or((0, ""));
            let e = if let Some(md) = c.get(2) {
                let (mo, d): (u32, u32) = (md.as_str().parse().unwrap(), c[3].parse().unwrap());
                if !valid((2000, mo, d)) {
                    continue;
                }
                match c.get(1).and_then(|y| y.as_str().parse().ok()) {
                    Some(y) if valid((y, mo, d)) => DateExpr::Full((y, mo, d)),
                    _ => DateExpr::MonthDay(mo, d),
                }
            } else if let Some(d) = c.get(7) {
                DateExpr::LastMonthDay(d.as_str().parse().unwrap())
            } else if let Some(w) = c.get(9).or(c.get(10)).or(c.get(11)) {
                let dow = match w.as_str() {
                    "一" => 1,
                    "二" => 2,
                    "三" => 3,
                    "四" => 4,
                    "五" => 5,
                    "六" => 6,
                    _ => 7,
                };
                match c.get(8).map(|m| m.as_str()) {
                    Some("每") => continue,
                    Some("本" | "这") => DateExpr::Weekday(Week::This, dow),
                    Some("上") => DateExpr::Weekday(Week::Last, dow),
                    _ => DateExpr::Weekday(Week::Recent, dow),
                }
            } else if let Some(d) = c.get(4).or(c.get(5)).or(c.get(6)).or(c.get(12)) {
                DateExpr::TodayDay(d.as_str().parse().unwrap())
            } else {
                match m.1 {
                    "今天" | "今日" => DateExpr::Today,
                    "昨天" | "昨日" => DateExpr::Yesterday,
                    "前天" => DateExpr::DayBeforeYesterday,
                    _ => DateExpr::Vague,
                }
            };
            out.push((m.0, e));
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn date_exprs_match_the_regex(parts in proptest::collection::vec(0usize..49, 0..24)) {
            // No Chinese numerals (一月一日 is `cn_date_at`'s, which the regex never was):
            // weekdays are tried with 日 and 天.
            const TOKENS: [&str; 49] = [
                "0", "1", "2", "3", "5", "9", "19", "20", "31", "年", "月", "日", "号", "今",
                "天", "昨", "近", "前", "期", "上午", "下午", "晚", "早", ",", "讯", "电", "(",
                ")", "上", "a", " ", "的", "\n", "２", "至", "-", "到", "中午", "—", "本", "上月",
                "周", "星期", "星", "每", "这", "在", "来到", "率",
            ];
            let text: String = parts.iter().map(|&i| TOKENS[i]).collect();
            proptest::prop_assert_eq!(date_exprs(&text), date_exprs_by_regex(&text), "{:?}", text);
        }
    }

    /// The regular expression `full_date_in` used to be (digits ASCII), as its oracle.
    fn full_date_by_regex(line: &str) -> Option<Day> {
        let r = Regex::new(
            r"((?:19|20)[0-9][0-9])(?:\s*(?:[-/.]|年)\s*([0-9]{1,2})\s*(?:[-/.]|月)|\s+([0-9]{1,2})\s*月)\s*([0-9]{1,2})",
        )
        .unwrap();
        for c in r.captures_iter(line) {
            let month = c.get(2).or(c.get(3))?.as_str();
            let d = (c[1].parse().ok()?, month.parse().ok()?, c[4].parse().ok()?);
            if valid(d) {
                return Some(d);
            }
        }
        None
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn full_dates_match_the_regex(parts in proptest::collection::vec(0usize..22, 0..20)) {
            const TOKENS: [&str; 22] = [
                "0", "1", "2", "3", "9", "19", "20", "2024", "1999", "31", "12", "-", "/", ".",
                "年", "月", "日", " ", "\u{3000}", "\t", "a", ":",
            ];
            let text: String = parts.iter().map(|&i| TOKENS[i]).collect();
            proptest::prop_assert_eq!(full_date_in(&text), full_date_by_regex(&text), "{:?}", text);
        }
    }

    #[test]
    fn date_exprs_on_sentences() {
        for text in [
            "2024年5月20日上午,市长来到公司。",
            "12024年5月6日",
            "5月123日和5月12日",
            "今天(21日)上午",
            "今日(3日)",
            "今天(123日)",
            "21日上午",
            "在21日晚",
            "月21日上午",
            "(21日上午",
            "近日,日前,近期,昨天,昨日",
            "2月30日与2月29日",
            "2023年2月29日",
            "1999年12月31号",
        ] {
            assert_eq!(date_exprs(text), date_exprs_by_regex(text), "{text}");
        }
    }

    #[test]
    fn ranges_are_dated_by_their_first_day() {
        let p = pd(2024, 6, 15);
        for (text, want) in [
            ("6月12日至13日,市长带队赴西安。", "2024-06-12"),
            ("6月10日至14日,", "2024-06-10"),
            ("6月30日至7月2日,", "2024-06-30"),
            ("5月9至10日,省政协常委", "2024-05-09"),
            ("5月9日-10日", "2024-05-09"),
            ("5月9日到10号", "2024-05-09"),
            ("2023年9月1日至3日", "2023-09-01"),
            ("五月一日至三日", "2024-05-01"),
            ("13日至14日,", "2024-06-13"),
            ("在13日-14日的考察中", "2024-06-13"),
        ] {
            let e = date_exprs(text);
            assert_eq!(e.len(), 1, "{text}: {e:?}");
            assert_eq!(
                resolve(e[0].1, p).map(format).as_deref(),
                Some(want),
                "{text}"
            );
        }
        // Not ranges: the second date stands alone, or 到 goes somewhere.
        assert_eq!(
            date_exprs("5月9日到公司,10日上午"),
            [(0, DateExpr::MonthDay(5, 9)), (17, DateExpr::TodayDay(10))]
        );
        assert_eq!(
            date_exprs("6月12日至123日"),
            [(0, DateExpr::MonthDay(6, 12))]
        );
    }

    #[test]
    fn chinese_numeral_dates() {
        for (text, want) in [
            ("二〇二四年四月十六日", DateExpr::Full((2024, 4, 16))),
            ("二零二三年十二月三十一日", DateExpr::Full((2023, 12, 31))),
            ("于四月十六日到访", DateExpr::MonthDay(4, 16)),
            ("五月一日上午,", DateExpr::MonthDay(5, 1)),
            ("十月二十日", DateExpr::MonthDay(10, 20)),
            ("十一月三日", DateExpr::MonthDay(11, 3)),
            ("2024年四月十六日", DateExpr::Full((2024, 4, 16))),
        ] {
            let e = date_exprs(text);
            assert_eq!(e.len(), 1, "{text}: {e:?}");
            assert_eq!(e[0].1, want, "{text}");
        }
        // No calendar day, no month, or not a date at all.
        for text in [
            "二月三十日",
            "十三月一日",
            "三十二日",
            "一月",
            "一日游",
            "四十月一日",
        ] {
            assert!(
                date_exprs(text)
                    .iter()
                    .all(|(_, e)| !matches!(e, DateExpr::MonthDay(..) | DateExpr::Full(_))),
                "{text}: {:?}",
                date_exprs(text)
            );
        }
    }

    #[test]
    fn today_with_the_day_in_parentheses() {
        assert_eq!(
            date_exprs("院长今(22)日带著次长"),
            [(6, DateExpr::TodayDay(22))]
        );
        assert_eq!(
            resolve(DateExpr::TodayDay(22), pd(2024, 5, 22))
                .map(format)
                .as_deref(),
            Some("2024-05-22")
        );
        assert_eq!(date_exprs("今(123)日"), []);
    }

    #[test]
    fn weekdays_of_dates() {
        for (d, want) in [
            ((2024, 3, 5), 2),
            ((2000, 1, 1), 6),
            ((2026, 12, 7), 1),
            ((2024, 2, 29), 4),
            ((2023, 1, 1), 7),
        ] {
            assert_eq!(weekday(d), want, "{d:?}");
        }
        // 每周一 (every Monday) is read past and dates nothing; 周一至周五 dates its first.
        assert!(date_exprs("每周一上午开放").is_empty());
        assert_eq!(
            date_exprs("上周一至星期五"),
            vec![
                (0, DateExpr::Weekday(Week::Last, 1)),
                (12, DateExpr::Weekday(Week::Recent, 5))
            ]
        );
        // 周 the surname: no date.
        assert!(date_exprs("市长周天明到公司,周一鸣陪同").is_empty());
    }

    #[test]
    fn date_keys_found_as_bytes() {
        for (text, want) in [
            ("5月1日上午", true),
            ("今天", true),
            ("3号线", true),
            ("近期", true),
            ("没有日期的句子", true),
            ("市长来到公司", false),
            ("", false),
            ("abc", false),
            ("東西南北", false),
            ("上周五", true),
            ("星期三", true),
            ("周", true),
            ("期", true),
            ("吉", false),
            ("咨询", false),
            ("朝", false),
        ] {
            assert_eq!(has_date_key(text), want, "{text}");
            assert_eq!(
                text.contains(['日', '天', '号', '近', '周', '期']),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn formats_like_format_macro() {
        for d in [
            (2024, 1, 2),
            (1999, 12, 31),
            (5, 3, 4),
            (-1, 1, 1),
            (12345, 1, 1),
            (2024, 123, 7),
        ] {
            assert_eq!(
                format(d),
                format!("{:04}-{:02}-{:02}", d.0, d.1, d.2),
                "{d:?}"
            );
        }
    }

    #[test]
    fn dates_in_urls() {
        for (url, want) in [
            (
                "http://www.news.cn/politics/2017-09/27/c_1121730000.htm",
                Some((2017, 9, 27)),
            ),
            (
                "http://paper.ce.cn/jjrb/html/201709/27/content_344.htm",
                Some((2017, 9, 27)),
            ),
            (
                "http://www.ce.cn/xwzx/gnsz/gdxw/201709/27/t20170927_26300000.shtml",
                Some((2017, 9, 27)),
            ),
            (
                "http://www.gov.cn/xinwen/t20170927_1234.html",
                Some((2017, 9, 27)),
            ),
            (
                "http://dangjian.people.com.cn/n1/2017/0927/c117092-29562222.html",
                Some((2017, 9, 27)),
            ),
            (
                "https://news.qq.com/a/20170927/012345.htm",
                Some((2017, 9, 27)),
            ),
            (
                "https://x.cn/news/2017-09-27/doc-ifymfcih.shtml",
                Some((2017, 9, 27)),
            ),
            ("https://x.cn/content_2017-09-27.htm", Some((2017, 9, 27))),
            (
                "http://www.x.gov.cn/art/2017/9/27/art_1229_123.html",
                Some((2017, 9, 27)),
            ),
            ("https://x.cn/a/2017/09/27/1.html", Some((2017, 9, 27))),
            ("https://x.cn/a/20170927093015.html", Some((2017, 9, 27))),
            // A number that is no date: an article id, a year alone, an id after the year.
            ("https://x.cn/a/1234567890.html", None),
            ("https://x.cn/a/2017092799.html", None),
            ("https://x.cn/a/20171399.html", None),
            ("https://x.cn/list/2017/1234.html", None),
            ("https://x.cn/2017/09/123.html", None),
            ("https://x.cn/a/2017/", None),
            ("https://x.cn/a/20170927996543.html", None),
            // The first calendar day from the left.
            ("https://x.cn/20171399/2018/0102/x.html", Some((2018, 1, 2))),
        ] {
            assert_eq!(url_date_in(url), want, "{url}");
        }
    }

    #[test]
    fn finds_page_dates() {
        assert_eq!(
            full_date_in("发布时间:2024-11-26 09:12"),
            Some((2024, 11, 26))
        );
        assert_eq!(full_date_in("2023年07月05日 星期三"), Some((2023, 7, 5)));
        assert_eq!(full_date_in("成立于2018年"), None);
        assert_eq!(full_date_in("2022 07月15日 星期五"), Some((2022, 7, 15)));
        assert_eq!(full_date_in("2022 07月 15日"), Some((2022, 7, 15)));
        assert_eq!(full_date_in("2022 07月"), None);
        // The year and a month without 月, apart by a space, are no date.
        assert_eq!(full_date_in("2022 07 15"), None);
        assert_eq!(full_date_in("共2022 7人"), None);
        assert_eq!(year_month_in("2022 07月"), Some((2022, 7)));
        assert_eq!(year_month_in("出版 2022年7月 第3期"), Some((2022, 7)));
        assert_eq!(year_month_in("12022 07月"), None);
        assert_eq!(year_month_in("2022 13月"), None);
        assert_eq!(year_month_in("2022 07"), None);
        assert_eq!(bare_day("15日 星期五"), Some(15));
        assert_eq!(bare_day(" 15 "), Some(15));
        assert_eq!(bare_day("15日电"), None);
        assert_eq!(bare_day("32"), None);
        assert_eq!(bare_day("150"), None);
        assert_eq!(
            dateline_in("新华社北京2017年9月27日电(记者 某某)"),
            Some((Some(2017), 9, 27))
        );
        assert_eq!(
            dateline_in("东北网伊春9月29日电 9月26日"),
            Some((None, 9, 29))
        );
        assert_eq!(dateline_in("本报讯 9月29日,市长来到公司。"), None);
        assert_eq!(dateline_in("市长说。9月29日电站建成"), None);
        assert_eq!(
            url_date_in("https://x.cn/a/2023/0608/17264.html"),
            Some((2023, 6, 8))
        );
        assert_eq!(month_day_in("发布时间:06-08 09:20"), Some((6, 8)));
    }
}
