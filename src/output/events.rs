//! Visit events: the table analysts paste into a spreadsheet. One event is one visitor's
//! visit in one document on one date: `visited` evidence grouped by (doc, date, source);
//! the companions are the `accompanied` edges into that visitor read in the same document on
//! the same date; the place is where the targets are (an organization's `place`, or the
//! visited place itself).
//!
//! An event gathers evidence from several edges, so the table cannot be written as the
//! edges come. It is written in bounded memory all the same: one walk of the edges turns
//! every piece of evidence into a small byte record whose bytes sort in output order —
//! (undated last, date, document, visitor id, visitor index), then what orders an event's
//! parts — and an external sort ([`events_sort`]: a buffer of [`SORT_LIMIT`] bytes, sorted
//! runs in anonymous temporary files, a k-way merge) gives them back in that order, so each
//! event is built from consecutive records and written at once. Memory holds the buffer and
//! one event, not the table.
//!
//! Record layout (strings escaped so that byte order is string order: `0` as `0 1`, then a
//! `0 0` terminator; integers big-endian):
//!
//! - key of the event: undated `u8` (0 dated, 1 undated), date (empty if undated), doc,
//!   visitor id, visitor index `u32`;
//! - a companion: `0u8`, companion index `u32`;
//! - a visit: `1u8`, evidence start `u64`, sequence number `u64` (the order the walk met
//!   the evidence: for one start offset the later one wins, as a map insert would), target
//!   index `u32`, the date's source (`u8`: 0 text, 1 publication date), the page's url (`u8` 0/1, then the escaped string), then the sentence
//!   (raw UTF-8, to the end).
//!
//! An event's `url` is its document's (a JSONL record's `url`); should one document name
//! come with two addresses, the least one in byte order is kept.

use std::collections::BTreeSet;
use std::io;
use std::path::PathBuf;

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::neo4j::csv_writer;
use super::readable::Marker;
use crate::corpus::graph::GraphView;
use crate::dict::{Dictionary, EntityType};
use crate::page::DateSource;
use crate::page::relate::Rel;

#[path = "events_sort.rs"]
mod events_sort;

use events_sort::Sorter;

/// Bytes of records held in memory before a sorted run is written to a temporary file.
const SORT_LIMIT: usize = 16 << 20;

/// Runs of one level merged into one run of the next.
const FAN_IN: usize = 16;

/// An id and the name it stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Named {
    /// Dictionary id.
    pub id: String,
    /// Canonical name.
    pub name: String,
}

/// One visit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Event date `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// Where the date comes from: `text` when a visit's sentence or the text before it gives
    /// it, `published` when every visit took the page's publication date. Left out of the
    /// JSON when there is no date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_source: Option<DateSource>,
    /// The visiting official.
    pub visitor: Named,
    /// What was visited, by id.
    pub targets: Vec<Named>,
    /// Where the targets are.
    pub places: Vec<Named>,
    /// Officials who went along.
    pub accompanying: Vec<Named>,
    /// Document name.
    pub doc: String,
    /// The evidence sentences, in document order (distinct), as quoted.
    pub evidence: Vec<String>,
    /// The same sentences in simplified script without pinyin, the visitor, targets and
    /// companions named in them put in 【】.
    pub text: Vec<String>,
    /// The document's address (a JSON Lines record's `url`), if it had one; left out of
    /// the JSON when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

fn named(dict: &Dictionary, i: usize) -> Named {
    let e = &dict.entities[i];
    Named {
        id: e.id.clone(),
        name: e.name.clone(),
    }
}

/// The events of a graph, ordered by date (undated last), document, visitor id.
///
/// Collects what [`write_csv`] and [`write_jsonl`] stream: the table is sorted in bounded
/// memory, but the `Vec` returned holds it whole.
#[cfg(test)]
pub(crate) fn events<G: GraphView>(graph: &G, dict: &Dictionary) -> io::Result<Vec<Event>> {
    let mut out = Vec::new();
    for_each_event(graph, dict, &SortOptions::default(), |e| {
        out.push(e);
        Ok(())
    })?;
    Ok(out)
}

/// Where and how the records of the table are sorted.
#[derive(Debug, Clone)]
struct SortOptions {
    /// Bytes held in memory before a run is written.
    limit: usize,
    /// Folder of the temporary files.
    dir: PathBuf,
    /// Runs of a level merged into one.
    fan_in: usize,
}

impl SortOptions {
    /// The defaults, holding about `limit` bytes in memory.
    fn limited(limit: usize) -> SortOptions {
        SortOptions {
            limit,
            ..SortOptions::default()
        }
    }
}

impl Default for SortOptions {
    fn default() -> SortOptions {
        SortOptions {
            limit: SORT_LIMIT,
            dir: std::env::temp_dir(),
            fan_in: FAN_IN,
        }
    }
}

/// Append `s` escaped: byte order of the escaped strings is the order of the strings.
fn put_str(buf: &mut Vec<u8>, s: &str) {
    for &b in s.as_bytes() {
        if b == 0 {
            buf.extend_from_slice(&[0, 1]);
        } else {
            buf.push(b);
        }
    }
    buf.extend_from_slice(&[0, 0]);
}

fn index_u32(i: usize) -> io::Result<u32> {
    u32::try_from(i).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "an entity index is too large for the events table",
        )
    })
}

/// Append the key of the event of (`doc`, `date`, `visitor`).
fn put_key(buf: &mut Vec<u8>, dict: &Dictionary, doc: &str, date: Option<&str>, visitor: u32) {
    buf.push(u8::from(date.is_none()));
    put_str(buf, date.unwrap_or_default());
    put_str(buf, doc);
    put_str(buf, &dict.entities[visitor as usize].id);
    buf.extend_from_slice(&visitor.to_be_bytes());
}

fn corrupt() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "corrupt record in a temporary file of the events table",
    )
}

/// Reads a record.
struct Cursor<'a> {
    rec: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or_else(corrupt)?;
        let s = self.rec.get(self.pos..end).ok_or_else(corrupt)?;
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> io::Result<usize> {
        let b: [u8; 4] = self.take(4)?.try_into().map_err(|_| corrupt())?;
        usize::try_from(u32::from_be_bytes(b)).map_err(|_| corrupt())
    }

    fn u64(&mut self) -> io::Result<u64> {
        let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| corrupt())?;
        Ok(u64::from_be_bytes(b))
    }

    /// Skip an escaped string.
    fn skip_str(&mut self) -> io::Result<()> {
        loop {
            if self.u8()? == 0 {
                match self.u8()? {
                    0 => return Ok(()),
                    1 => {}
                    _ => return Err(corrupt()),
                }
            }
        }
    }

    /// An escaped string.
    fn str(&mut self) -> io::Result<String> {
        let mut v = Vec::new();
        loop {
            match self.u8()? {
                0 => match self.u8()? {
                    0 => break,
                    1 => v.push(0),
                    _ => return Err(corrupt()),
                },
                b => v.push(b),
            }
        }
        String::from_utf8(v).map_err(|_| corrupt())
    }

    /// The rest, as UTF-8.
    fn rest(&mut self) -> io::Result<&'a str> {
        let s = self.take(self.rec.len() - self.pos)?;
        std::str::from_utf8(s).map_err(|_| corrupt())
    }
}

/// The event whose records are being read.
#[derive(Default)]
struct Group {
    /// The key bytes its records start with.
    key: Vec<u8>,
    date: Option<String>,
    doc: String,
    visitor: usize,
    targets: BTreeSet<usize>,
    companions: BTreeSet<usize>,
    /// The least url of its visits' evidence.
    url: Option<String>,
    /// A visit's date was read in the text (not only the publication date).
    text_date: bool,
    /// Sentences kept so far, distinct, and the set of them.
    evidence: Vec<String>,
    seen: FxHashSet<String>,
    /// The sentence of the last start offset read: a later visit at that start replaces it.
    pending: Option<(u64, String)>,
}

impl Group {
    fn flush_pending(&mut self) {
        if let Some((_, s)) = self.pending.take()
            && !self.seen.contains(&s)
        {
            self.seen.insert(s.clone());
            self.evidence.push(s);
        }
    }

    /// The event read, if it had a visit (companions alone make none).
    fn finish(&mut self, dict: &Dictionary, marker: &mut Marker) -> Option<Event> {
        self.flush_pending();
        self.seen.clear();
        let companions = std::mem::take(&mut self.companions);
        let targets = std::mem::take(&mut self.targets);
        let evidence = std::mem::take(&mut self.evidence);
        let url = self.url.take();
        let text_date = std::mem::take(&mut self.text_date);
        if targets.is_empty() {
            return None;
        }
        let mut e = build_event(
            dict,
            marker,
            self.date.take(),
            std::mem::take(&mut self.doc),
            self.visitor,
            &targets,
            &companions,
            evidence,
        );
        e.url = url;
        e.date_source = e.date.as_ref().map(|_| match text_date {
            true => DateSource::Text,
            false => DateSource::Published,
        });
        Some(e)
    }
}

/// One event, from its visits' targets, its companions and its sentences in order.
#[allow(clippy::too_many_arguments)]
fn build_event(
    dict: &Dictionary,
    marker: &mut Marker,
    date: Option<String>,
    doc: String,
    visitor: usize,
    targets: &BTreeSet<usize>,
    companions: &BTreeSet<usize>,
    evidence: Vec<String>,
) -> Event {
    let mut places: BTreeSet<Named> = BTreeSet::new();
    for &t in targets {
        let p = match dict.entities[t].ty {
            EntityType::Place => Some(t),
            _ => dict.parent(t),
        };
        match p {
            Some(p) => {
                places.insert(named(dict, p));
            }
            None => {
                let raw = dict.entities[t].attr("place");
                if !raw.is_empty() {
                    places.insert(Named {
                        id: raw.to_string(),
                        name: raw.to_string(),
                    });
                }
            }
        }
    }
    let named_in = std::iter::once(visitor)
        .chain(targets.iter().copied())
        .chain(companions.iter().copied());
    let text = evidence
        .iter()
        .map(|s| marker.highlight(dict, s, named_in.clone()))
        .collect();
    let mut targets: Vec<Named> = targets.iter().map(|&t| named(dict, t)).collect();
    targets.sort();
    let mut accompanying: Vec<Named> = companions.iter().map(|&c| named(dict, c)).collect();
    accompanying.sort();
    Event {
        date,
        date_source: None,
        visitor: named(dict, visitor),
        targets,
        places: places.into_iter().collect(),
        accompanying,
        doc,
        evidence,
        text,
        url: None,
    }
}

/// Call `f` on every event in output order, holding about `opts.limit` bytes of records
/// and one event in memory; the number of sorted runs written to temporary files.
fn for_each_event<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    opts: &SortOptions,
    mut f: impl FnMut(Event) -> io::Result<()>,
) -> io::Result<usize> {
    let mut sorter = Sorter::new(opts.limit, opts.dir.clone(), opts.fan_in);
    let mut seq: u64 = 0;
    graph.for_each_edge(dict, |a, b, d| {
        let (a32, b32) = (index_u32(a)?, index_u32(b)?);
        // A companion counts once per (doc, date): evidence is sorted by doc, then date.
        let mut last: Option<(&str, Option<&str>)> = None;
        for ev in &d.evidence {
            let (doc, date) = (ev.doc.as_str(), ev.date.as_deref());
            match d.rel {
                Rel::Visited => {
                    seq += 1;
                    sorter.push(|buf| {
                        put_key(buf, dict, doc, date, a32);
                        buf.push(1);
                        buf.extend_from_slice(&(ev.start as u64).to_be_bytes());
                        buf.extend_from_slice(&seq.to_be_bytes());
                        buf.extend_from_slice(&b32.to_be_bytes());
                        buf.push(u8::from(ev.date_source == Some(DateSource::Published)));
                        buf.push(u8::from(ev.url.is_some()));
                        if let Some(u) = &ev.url {
                            put_str(buf, u);
                        }
                        buf.extend_from_slice(ev.sentence.as_bytes());
                    })?;
                }
                Rel::Accompanied => {
                    if last == Some((doc, date)) {
                        continue;
                    }
                    last = Some((doc, date));
                    sorter.push(|buf| {
                        put_key(buf, dict, doc, date, b32);
                        buf.push(0);
                        buf.extend_from_slice(&a32.to_be_bytes());
                    })?;
                }
            }
        }
        Ok(())
    })?;
    let spilled = sorter.spilled_runs();
    let mut g = Group::default();
    let mut marker = Marker::default();
    sorter.finish(|rec| {
        let mut c = Cursor { rec, pos: 0 };
        c.u8()?;
        c.skip_str()?;
        c.skip_str()?;
        c.skip_str()?;
        c.u32()?;
        let key = &rec[..c.pos];
        if key != g.key.as_slice() {
            if let Some(e) = g.finish(dict, &mut marker) {
                f(e)?;
            }
            g.key.clear();
            g.key.extend_from_slice(key);
            let mut k = Cursor { rec: key, pos: 0 };
            let undated = k.u8()? != 0;
            let date = k.str()?;
            g.date = (!undated).then_some(date);
            g.doc = k.str()?;
            k.skip_str()?;
            g.visitor = k.u32()?;
        }
        let n = dict.entities.len();
        match c.u8()? {
            0 => {
                let comp = c.u32()?;
                if comp >= n {
                    return Err(corrupt());
                }
                g.companions.insert(comp);
            }
            1 => {
                let start = c.u64()?;
                c.u64()?;
                let target = c.u32()?;
                if target >= n || g.visitor >= n {
                    return Err(corrupt());
                }
                g.targets.insert(target);
                g.text_date |= c.u8()? == 0;
                match c.u8()? {
                    0 => {}
                    1 => {
                        let url = c.str()?;
                        if g.url.as_ref().is_none_or(|u| url < *u) {
                            g.url = Some(url);
                        }
                    }
                    _ => return Err(corrupt()),
                }
                let sentence = c.rest()?;
                match &mut g.pending {
                    Some((s, text)) if *s == start => {
                        text.clear();
                        text.push_str(sentence);
                    }
                    _ => {
                        g.flush_pending();
                        g.pending = Some((start, sentence.to_string()));
                    }
                }
            }
            _ => return Err(corrupt()),
        }
        Ok(())
    })?;
    if let Some(e) = g.finish(dict, &mut marker) {
        f(e)?;
    }
    Ok(spilled)
}

fn ids(v: &[Named]) -> String {
    v.iter()
        .map(|n| n.id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

fn names(v: &[Named]) -> String {
    v.iter()
        .map(|n| n.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// Column names of the CSV table. Columns are only ever added at the end, so a sheet or
/// script that reads them by position keeps working.
pub const CSV_HEADER: &[&str] = &[
    "date",
    "visitor_id",
    "visitor",
    "target_ids",
    "targets",
    "place_ids",
    "places",
    "accompanying_ids",
    "accompanying",
    "doc",
    "evidence",
    "url",
    "date_source",
    "text",
];

/// Write the events as CSV (UTF-8, header row; lists of ids joined by `;`, names by `、`,
/// sentences by a space), holding about `limit` bytes of rows in memory (`--spill-limit`)
/// and sorting the rest in runs on disk.
pub fn write_csv<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
    limit: usize,
) -> std::io::Result<()> {
    write_csv_with(graph, dict, w, &SortOptions::limited(limit)).map(drop)
}

/// [`write_csv`] sorting as `opts` says; the number of runs written.
fn write_csv_with<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
    opts: &SortOptions,
) -> std::io::Result<usize> {
    let mut out = csv_writer(w);
    out.write_record(CSV_HEADER)?;
    let spilled = for_each_event(graph, dict, opts, |e| csv_row(&mut out, &e))?;
    out.flush()?;
    Ok(spilled)
}

fn csv_row(out: &mut csv::Writer<&mut dyn std::io::Write>, e: &Event) -> std::io::Result<()> {
    out.write_record([
        e.date.as_deref().unwrap_or_default(),
        &e.visitor.id,
        &e.visitor.name,
        &ids(&e.targets),
        &names(&e.targets),
        &ids(&e.places),
        &names(&e.places),
        &ids(&e.accompanying),
        &names(&e.accompanying),
        &e.doc,
        &e.evidence.join(" "),
        e.url.as_deref().unwrap_or_default(),
        e.date_source.map_or("", DateSource::as_str),
        &e.text.join(" "),
    ])?;
    Ok(())
}

/// Write the events as JSON Lines, one object per event, holding rows as [`write_csv`] does.
pub fn write_jsonl<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
    limit: usize,
) -> std::io::Result<()> {
    write_jsonl_with(graph, dict, w, &SortOptions::limited(limit)).map(drop)
}

/// [`write_jsonl`] sorting as `opts` says; the number of runs written.
fn write_jsonl_with<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
    opts: &SortOptions,
) -> std::io::Result<usize> {
    for_each_event(graph, dict, opts, |e| jsonl_row(w, &e))
}

fn jsonl_row(w: &mut dyn std::io::Write, e: &Event) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, e)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::corpus::graph::VisitGraph;
    use crate::corpus::spill::SpillGraph;
    use crate::dict::{DictionaryBuilder, Layer};
    use crate::page::{Evidence, Found};

    /// The events as the implementation before the external sort built them, all in maps:
    /// the reference the streaming one must match byte for byte.
    fn reference_events<G: GraphView>(graph: &G, dict: &Dictionary) -> std::io::Result<Vec<Event>> {
        type Key = (String, Option<String>, usize);
        // (doc, date, visitor) → targets, sentences (by start offset), urls, a text date
        type Visits = (
            BTreeSet<usize>,
            BTreeMap<usize, String>,
            BTreeSet<String>,
            bool,
        );
        let mut visits: BTreeMap<Key, Visits> = BTreeMap::new();
        // (doc, date, lead) → companions
        let mut companions: BTreeMap<Key, BTreeSet<usize>> = BTreeMap::new();
        graph.for_each_edge(dict, |a, b, d| {
            for ev in &d.evidence {
                let key = (
                    ev.doc.clone(),
                    ev.date.clone(),
                    match d.rel {
                        Rel::Visited => a,
                        Rel::Accompanied => b,
                    },
                );
                match d.rel {
                    Rel::Visited => {
                        let v = visits.entry(key).or_default();
                        v.0.insert(b);
                        v.1.insert(ev.start, ev.sentence.clone());
                        v.2.extend(ev.url.clone());
                        v.3 |= ev.date_source != Some(crate::page::DateSource::Published);
                    }
                    Rel::Accompanied => {
                        companions.entry(key).or_default().insert(a);
                    }
                }
            }
            Ok(())
        })?;
        let mut out: Vec<Event> = visits
            .into_iter()
            .map(|(key, (targets, sentences, urls, text_date))| {
                let companions = companions.remove(&key).unwrap_or_default();
                let (doc, date, visitor) = key;
                let mut places: BTreeSet<Named> = BTreeSet::new();
                for &t in &targets {
                    let p = match dict.entities[t].ty {
                        EntityType::Place => Some(t),
                        _ => dict.parent(t),
                    };
                    match p {
                        Some(p) => {
                            places.insert(named(dict, p));
                        }
                        None => {
                            let raw = dict.entities[t].attr("place");
                            if !raw.is_empty() {
                                places.insert(Named {
                                    id: raw.to_string(),
                                    name: raw.to_string(),
                                });
                            }
                        }
                    }
                }
                let named_in: Vec<usize> = std::iter::once(visitor)
                    .chain(targets.iter().copied())
                    .chain(companions.iter().copied())
                    .collect();
                let mut targets: Vec<Named> = targets.into_iter().map(|t| named(dict, t)).collect();
                targets.sort();
                let mut accompanying: Vec<Named> =
                    companions.into_iter().map(|c| named(dict, c)).collect();
                accompanying.sort();
                let mut evidence: Vec<String> = Vec::new();
                for s in sentences.into_values() {
                    if !evidence.contains(&s) {
                        evidence.push(s);
                    }
                }
                Event {
                    date_source: date.as_ref().map(|_| match text_date {
                        true => crate::page::DateSource::Text,
                        false => crate::page::DateSource::Published,
                    }),
                    date,
                    visitor: named(dict, visitor),
                    targets,
                    places: places.into_iter().collect(),
                    accompanying,
                    doc,
                    text: evidence
                        .iter()
                        .map(|s| Marker::default().highlight(dict, s, named_in.iter().copied()))
                        .collect(),
                    evidence,
                    url: urls.into_iter().next(),
                }
            })
            .collect();
        out.sort_by(|x, y| {
            (x.date.is_none(), &x.date, &x.doc, &x.visitor.id).cmp(&(
                y.date.is_none(),
                &y.date,
                &y.doc,
                &y.visitor.id,
            ))
        });
        Ok(out)
    }

    fn reference_csv<G: GraphView>(g: &G, d: &Dictionary) -> Vec<u8> {
        let mut b = Vec::new();
        let mut out = csv_writer(&mut b);
        out.write_record(CSV_HEADER).unwrap();
        for e in reference_events(g, d).unwrap() {
            csv_row(&mut out, &e).unwrap();
        }
        out.flush().unwrap();
        drop(out);
        b
    }

    fn reference_jsonl<G: GraphView>(g: &G, d: &Dictionary) -> Vec<u8> {
        let mut b = Vec::new();
        for e in reference_events(g, d).unwrap() {
            jsonl_row(&mut b, &e).unwrap();
        }
        b
    }

    /// Officials whose id order differs from their index order (two share a name), firms
    /// whose `place` names a known place, an unknown one (kept raw) or none, places with
    /// parents.
    fn dict() -> Dictionary {
        let mut officials = String::from("id\tname\taliases\n");
        for i in 0..10 {
            let name = if i == 3 {
                "官员甲".to_string()
            } else {
                format!("官员{i}号")
            };
            officials += &format!("p{}\t{name}\t\n", (i * 7) % 10);
        }
        officials += "p10\t官员甲\t\n";
        let orgs = "id\tname\taliases\tkind\tplace\n\
                    oz\t某公司\t\tcompany\tpl-b\n\
                    oa\t某研究所\t\tinstitute\t某县\n\
                    om\t某工厂\t\tcompany\t\n\
                    ob\t某实验室\t\tlab\tpl-a\n\
                    oc\t某园区\t\tpark\t某县\n";
        let places = "id\tname\taliases\tlevel\tparent\n\
                      pl-root\t某省\t\tprovince\t\n\
                      pl-b\t某市\t\tcity\tpl-root\n\
                      pl-a\t某区\t\tdistrict\tpl-b\n";
        DictionaryBuilder::new()
            .no_builtin(true)
            .layer(Layer::from_texts(
                "t",
                &[
                    ("officials.tsv", &officials),
                    ("organizations.tsv", orgs),
                    ("places.tsv", places),
                ],
            ))
            .build()
            .unwrap()
    }

    /// Documents of random relations over few names, docs, dates, offsets and sentences:
    /// evidence at one start with other sentences, sentences repeated at other starts,
    /// undated evidence, companions of visitors with no visit there, names with a NUL.
    fn documents(d: &Dictionary, n: usize, seed: u64) -> Vec<Vec<Found>> {
        let of = |ty: EntityType| -> Vec<usize> {
            (0..d.entities.len())
                .filter(|&i| d.entities[i].ty == ty)
                .collect()
        };
        let officials = of(EntityType::Official);
        let mut targets = of(EntityType::Organization);
        targets.extend(of(EntityType::Place));
        targets.push(officials[0]);
        let docs = ["d", "d\0", "d\0a", "d\u{1}", "dé", "e", "a.txt"];
        let dates = [
            None,
            Some("2025-01-02"),
            Some("2025-01-02\0"),
            Some("2024-12-31"),
            Some(""),
        ];
        let sentences = ["甲说。", "乙说,", "丙\0丁", "同一句"];
        let mut x = seed;
        let mut next = move |m: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % m as u64) as usize
        };
        (0..n)
            .map(|_| {
                (0..next(8))
                    .map(|_| {
                        let visit = next(3) != 0;
                        let source = officials[next(officials.len())];
                        let target = if visit {
                            targets[next(targets.len())]
                        } else {
                            officials[next(officials.len())]
                        };
                        let start = next(4) * 10;
                        let doc = docs[next(docs.len())];
                        Found {
                            source,
                            target,
                            rel: if visit {
                                Rel::Visited
                            } else {
                                Rel::Accompanied
                            },
                            evidence: Evidence {
                                doc: doc.to_string(),
                                date: dates[next(dates.len())].map(str::to_string),
                                date_source: Some(match next(3) {
                                    0 => crate::page::DateSource::Published,
                                    _ => crate::page::DateSource::Text,
                                }),
                                sentence: sentences[next(sentences.len())].to_string(),
                                start,
                                end: start + 1 + next(2),
                                // Most pages have an address, some none, a few two.
                                url: match next(5) {
                                    0 => None,
                                    1 => Some("https://x.cn/b\0".to_string()),
                                    _ => Some(format!("https://x.cn/{doc}")),
                                },
                            },
                            ambiguous: vec![],
                        }
                    })
                    .collect()
            })
            .collect()
    }

    fn opts(limit: usize, fan_in: usize) -> SortOptions {
        SortOptions {
            limit,
            dir: std::env::temp_dir(),
            fan_in,
        }
    }

    /// Is some (doc, date, visitor) given two sentences at one start offset?
    fn has_start_ties(g: &VisitGraph, d: &Dictionary) -> bool {
        let mut seen: BTreeMap<(&str, Option<&str>, usize, usize), &str> = BTreeMap::new();
        let mut ties = false;
        for (a, _, e) in g.sorted_edges(d) {
            if e.rel != Rel::Visited {
                continue;
            }
            for ev in &e.evidence {
                let k = (ev.doc.as_str(), ev.date.as_deref(), a, ev.start);
                if let Some(s) = seen.insert(k, &ev.sentence) {
                    ties |= s != ev.sentence;
                }
            }
        }
        ties
    }

    #[test]
    fn streamed_tables_are_the_bytes_of_the_in_memory_ones() {
        let d = dict();
        let settings = [(0, 2), (0, 3), (300, 2), (4096, 16), (usize::MAX, 16)];
        for seed in 1..=4 {
            let docs = documents(&d, 150, seed);
            let mut mem = VisitGraph::new();
            let mut sp = SpillGraph::new(&d, 2000).fan_in(3);
            for f in &docs {
                mem.add_document(f.clone());
                sp.add_document(f.clone()).unwrap();
            }
            assert!(sp.spilled_runs() > 1);
            let want_csv = reference_csv(&mem, &d);
            let want_jsonl = reference_jsonl(&mem, &d);
            let want = reference_events(&mem, &d).unwrap();
            // The graph exercises what the table must get right.
            assert!(want.len() > 40, "{}", want.len());
            assert!(has_start_ties(&mem, &d), "seed {seed}");
            assert!(want.iter().any(|e| e.date.is_none()));
            assert!(want.iter().any(|e| e.date.as_deref() == Some("")));
            assert!(want.iter().any(|e| e.doc.contains('\0')));
            assert!(want.iter().any(|e| e.evidence.len() > 2));
            assert!(want.iter().any(|e| e.accompanying.len() > 1));
            assert!(want.iter().any(|e| e.places.iter().any(|p| p.id == "pl-b")));
            assert!(want.iter().any(|e| e.places.iter().any(|p| p.id == "某县")));
            assert!(want.iter().any(|e| e.places.iter().any(|p| p.id == "pl-a")));
            assert!(want.iter().any(|e| e.visitor.id == "p10"));
            assert_eq!(events(&mem, &d).unwrap(), want, "seed {seed}");
            assert_eq!(events(&sp, &d).unwrap(), want, "seed {seed}");
            for (limit, fan_in) in settings {
                let o = opts(limit, fan_in);
                let mut csv = (Vec::new(), Vec::new());
                let mut jsonl = (Vec::new(), Vec::new());
                let runs = write_csv_with(&mem, &d, &mut csv.0, &o).unwrap();
                write_csv_with(&sp, &d, &mut csv.1, &o).unwrap();
                write_jsonl_with(&mem, &d, &mut jsonl.0, &o).unwrap();
                write_jsonl_with(&sp, &d, &mut jsonl.1, &o).unwrap();
                let at = format!("seed {seed}, limit {limit}, fan-in {fan_in}");
                assert!(csv.0 == want_csv, "csv, {at}");
                assert!(csv.1 == want_csv, "csv of the spilled graph, {at}");
                assert!(jsonl.0 == want_jsonl, "jsonl, {at}");
                assert!(jsonl.1 == want_jsonl, "jsonl of the spilled graph, {at}");
                match limit {
                    0 => assert!(runs > 200, "{runs} runs, {at}"),
                    300 => assert!(runs > 20, "{runs} runs, {at}"),
                    4096 => assert!(runs > 1, "{runs} runs, {at}"),
                    _ => assert_eq!(runs, 0, "{at}"),
                }
            }
            // And the public writers.
            let (mut csv, mut jsonl) = (Vec::new(), Vec::new());
            write_csv(&sp, &d, &mut csv, SORT_LIMIT).unwrap();
            write_jsonl(&sp, &d, &mut jsonl, SORT_LIMIT).unwrap();
            assert!(csv == want_csv && jsonl == want_jsonl);
        }
    }

    fn visit(
        d: &Dictionary,
        s: &str,
        t: &str,
        date: Option<&str>,
        sentence: &str,
        start: usize,
    ) -> Found {
        Found {
            source: d.by_id[s],
            target: d.by_id[t],
            rel: Rel::Visited,
            evidence: Evidence {
                doc: "x.txt".into(),
                date: date.map(str::to_string),
                date_source: date.map(|_| crate::page::DateSource::Text),
                sentence: sentence.into(),
                start,
                end: start + 5,
                url: None,
            },
            ambiguous: vec![],
        }
    }

    #[test]
    fn the_later_sentence_at_one_start_wins_and_sentences_are_distinct() {
        let d = dict();
        let mut g = VisitGraph::new();
        g.add_document(vec![
            // Edge (p1, oa) is walked before (p1, oz): its "乙" at 0 is replaced by "甲".
            visit(&d, "p1", "oz", Some("2025-01-02"), "甲", 0),
            visit(&d, "p1", "oa", Some("2025-01-02"), "乙", 0),
            // In one edge, evidence is sorted by sentence: "丁" (U+4E01) before "丙" (U+4E19).
            visit(&d, "p1", "oz", Some("2025-01-02"), "丙", 7),
            visit(&d, "p1", "oz", Some("2025-01-02"), "丁", 7),
            // A sentence again at a later start, and one before the first.
            visit(&d, "p1", "ob", Some("2025-01-02"), "甲", 9),
            visit(&d, "p1", "ob", Some("2025-01-02"), "戊", 3),
            // Undated: another event, last.
            visit(&d, "p1", "oz", None, "己", 0),
            Found {
                rel: Rel::Accompanied,
                ..visit(&d, "p2", "p1", None, "庚", 0)
            },
            // A companion of someone who visited nothing there: no event.
            Found {
                rel: Rel::Accompanied,
                ..visit(&d, "p3", "p4", Some("2025-01-02"), "辛", 0)
            },
        ]);
        let want = reference_events(&g, &d).unwrap();
        for o in [opts(0, 2), opts(usize::MAX, 16)] {
            let mut got = Vec::new();
            for_each_event(&g, &d, &o, |e| {
                got.push(e);
                Ok(())
            })
            .unwrap();
            assert_eq!(got, want);
            assert_eq!(got.len(), 2);
            assert_eq!(got[0].evidence, ["甲", "戊", "丙"]);
            assert_eq!(got[0].date.as_deref(), Some("2025-01-02"));
            assert!(got[0].accompanying.is_empty());
            assert_eq!(got[1].evidence, ["己"]);
            assert_eq!(got[1].date, None);
            assert_eq!(got[1].accompanying[0].id, "p2");
        }
    }

    #[test]
    fn an_unwritable_temporary_folder_is_an_error() {
        let d = dict();
        let mut g = VisitGraph::new();
        g.add_document(documents(&d, 5, 7).concat());
        let o = SortOptions {
            limit: 0,
            dir: "/nonexistent/visitgraph-events".into(),
            fan_in: 2,
        };
        let err = write_csv_with(&g, &d, &mut Vec::new(), &o).unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent/visitgraph-events"),
            "{err}"
        );
        let err = write_jsonl_with(&g, &d, &mut Vec::new(), &o).unwrap_err();
        assert!(err.to_string().contains("TMPDIR"), "{err}");
    }

    #[test]
    fn a_failing_writer_stops_the_table() {
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let d = dict();
        let mut g = VisitGraph::new();
        g.add_document(documents(&d, 20, 3).concat());
        for o in [opts(0, 2), opts(usize::MAX, 16)] {
            let err = write_jsonl_with(&g, &d, &mut Full, &o).unwrap_err();
            assert!(err.to_string().contains("disk full"), "{err}");
            assert!(write_csv_with(&g, &d, &mut Full, &o).is_err());
        }
    }
}
