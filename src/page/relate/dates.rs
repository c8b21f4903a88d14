//! Event dates: a date expression in the cue's sentence, else the nearest one before it in
//! the body, else the page date.

use std::cell::OnceCell;

use crate::page::date::Day;
use crate::page::date::{self, DateExpr};
use crate::page::document::Document;
use crate::page::normalize::Normalized;

/// The date expressions of each body sentence (`(character position, expression)`, in text
/// order), found the first time they are asked for: most sentences of a page are never
/// asked, since an event's date comes from its own sentence or the nearest dated one before.
pub(super) struct Dates<'a> {
    n: &'a Normalized,
    doc: &'a Document,
    found: Vec<OnceCell<Vec<(usize, DateExpr)>>>,
}

impl<'a> Dates<'a> {
    pub(super) fn new(n: &'a Normalized, doc: &'a Document) -> Dates<'a> {
        Dates {
            n,
            doc,
            found: (0..doc.sentences.len())
                .map(|_| Default::default())
                .collect(),
        }
    }

    /// The expressions of sentence `i`.
    pub(super) fn of(&self, i: usize) -> &[(usize, DateExpr)] {
        self.found[i].get_or_init(|| {
            let (s, e) = self.doc.sentences[i];
            let text = self.n.slice(s, e);
            date::date_exprs(text)
                .into_iter()
                // A dateline (伊春9月29日电) dates the report, not the event; the end of a
                // range (6月10日至14日) is not the day a visit over several days began.
                .filter(|&(b, _)| !dateline_at(text, b) && !range_end_at(text, b))
                .map(|(b, d)| (s + text[..b].chars().count(), d))
                .collect()
        })
    }

    /// The event date for a cue at `pos` in the sentence starting at `ss`: a date expression
    /// in its sentence; else, when the sentence says `当天`/`当日`/`同日`, the date of the
    /// event told before (`last`), not of a background date in between; else the nearest
    /// date before it in the body, else the date of the page's first event (`first`, set by
    /// the first call). None when the text gives no date: the caller falls back on the
    /// page's publication date, marked as such.
    pub(super) fn event_date(
        &self,
        pos: usize,
        ss: usize,
        first: &mut Option<Option<Day>>,
        last: Option<Option<Day>>,
    ) -> Option<Day> {
        let doc = self.doc;
        // Sentences are in text order: the cue's own (starting at `ss`), then back from it.
        let here = doc.sentences.partition_point(|&(s, _)| s < ss);
        let own = (here < doc.sentences.len() && doc.sentences[here].0 == ss)
            .then(|| self.of(here).first())
            .flatten();
        let before = || {
            (0..here.min(doc.sentences.len()))
                .rev()
                .find_map(|i| self.of(i).last())
                .filter(|(p, _)| *p <= pos)
        };
        let same_day = || {
            let text = self.n.slice(ss, pos.max(ss));
            ["当天", "当日", "同日"].iter().any(|w| text.contains(w))
        };
        if own.is_none()
            && let Some(d) = last.filter(|_| same_day())
        {
            return d;
        }
        // 次日, 第二天, 翌日: the day after the event told before.
        let next_day = || {
            let text = self.n.slice(ss, pos.max(ss));
            ["次日", "第二天", "翌日"].iter().any(|w| text.contains(w))
        };
        if own.is_none()
            && let Some(Some(d)) = last.filter(|_| next_day())
        {
            return Some(day_after(d));
        }
        let d = match own.or_else(before) {
            Some(&(_, e)) => date::resolve(e, doc.pub_date),
            None => (*first).flatten(),
        };
        if first.is_none() {
            *first = Some(d);
        }
        d
    }
}

/// Is the date expression starting at byte `b` of `text` a dateline (`9月29日电`,
/// `6月14日讯`)?
fn dateline_at(text: &str, b: usize) -> bool {
    let rest = &text[b..];
    rest.find('日')
        .filter(|&i| i <= 12)
        .is_some_and(|i| rest[i + '日'.len_utf8()..].starts_with(['电', '讯']))
}

/// Does the date expression starting at byte `b` end a range (`6月10日至14日`)?
fn range_end_at(text: &str, b: usize) -> bool {
    // A bare day (14日) is read from the character before it: the expression may start
    // at the 至 itself.
    let range = |c: char| matches!(c, '至' | '到' | '-' | '—' | '~' | '－');
    text[b..].chars().next().is_some_and(range) || text[..b].chars().next_back().is_some_and(range)
}

/// The day after `(y, m, d)`.
fn day_after((y, m, d): Day) -> Day {
    if d < date::days_in_month(y, m) {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::day_after;

    #[test]
    fn the_day_after() {
        assert_eq!(day_after((2024, 9, 5)), (2024, 9, 6));
        assert_eq!(day_after((2024, 2, 29)), (2024, 3, 1));
        assert_eq!(day_after((2023, 2, 28)), (2023, 3, 1));
        assert_eq!(day_after((2024, 12, 31)), (2025, 1, 1));
    }
}
