//! Candidates written out: as a dictionary layer (the files `extract --discover` lays over
//! the dictionary and `candidates -o DIR` writes) or as commented TSV rows to review.

use super::{Candidate, Kind};

/// Candidates as a dictionary layer (for `extract --discover` and `candidates -o DIR`):
/// officials, organizations (kind, place, short names as aliases) and places, each with the
/// attribute `candidate` = `true`, and their posts with the page date they were first seen
/// on (`seen`). An executive is there only with a post at a firm: without one they would
/// pass for an official.
pub fn as_layer_files(cands: &[Candidate]) -> Vec<(&'static str, String)> {
    let mut off = String::from("id\tname\taliases\tcandidate\n");
    let mut org = String::from("id\tname\taliases\tkind\tplace\tcandidate\n");
    let mut pla = String::from("id\tname\taliases\tlevel\tparent\tcandidate\n");
    let mut posts = String::from("official\ttitle\tjurisdiction\tfrom\tto\tseen\n");
    for c in cands {
        for p in c.posts.iter() {
            // A term runs up to the day before the next holder is seen; its start is left
            // open (a page names a holder long after they took the post) unless another
            // holder was seen before.
            let to = p.until.as_deref().and_then(day_before).unwrap_or_default();
            let from = match (&p.seen, p.after_another) {
                (Some(d), true) => d.as_str(),
                _ => "",
            };
            posts.push_str(&format!(
                "{}\t{}\t{}\t{from}\t{to}\t{}\n",
                c.id,
                p.title,
                p.jurisdiction,
                p.seen.as_deref().unwrap_or_default()
            ));
        }
        match c.kind {
            Kind::Official => off.push_str(&format!("{}\t{}\t\ttrue\n", c.id, c.name)),
            // An executive with a post at a firm is host side, as in a curated dictionary;
            // one without would pass for an official.
            Kind::Executive if !c.posts.is_empty() => {
                off.push_str(&format!("{}\t{}\t\ttrue\n", c.id, c.name));
            }
            Kind::Executive => {}
            Kind::Organization => org.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\ttrue\n",
                c.id,
                c.name,
                c.aliases.join("|"),
                c.org_kind.as_deref().unwrap_or_default(),
                c.place.as_deref().unwrap_or_default()
            )),
            Kind::Place => pla.push_str(&format!("{}\t{}\t\t\t\ttrue\n", c.id, c.name)),
        }
    }
    vec![
        ("officials.tsv", off),
        ("organizations.tsv", org),
        ("places.tsv", pla),
        ("posts.tsv", posts),
    ]
}

/// The day before a `YYYY-MM-DD` date, in the same form.
fn day_before(date: &str) -> Option<String> {
    let mut it = date.split('-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (it.next(), it.next(), it.next()) else {
        return None;
    };
    let day = crate::page::date::prev_day((i32::try_from(y).ok()?, m, d));
    Some(crate::page::date::format(day))
}

/// Candidates as TSV rows in the dictionary format, one section per file, each row after a
/// `#` comment with its count, titles, documents and context.
pub fn to_tsv(cands: &[Candidate]) -> String {
    let mut out = String::new();
    let sections = [
        (
            "officials.tsv",
            "id\tname\taliases",
            [Kind::Official, Kind::Executive].as_slice(),
        ),
        (
            "organizations.tsv",
            "id\tname\taliases\tkind\tplace",
            [Kind::Organization].as_slice(),
        ),
        (
            "places.tsv",
            "id\tname\taliases\tlevel\tparent",
            [Kind::Place].as_slice(),
        ),
    ];
    for (file, header, kinds) in sections {
        let rows: Vec<&Candidate> = cands.iter().filter(|c| kinds.contains(&c.kind)).collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "# ==> {file} ({} candidates; columns: {header})\n",
            rows.len()
        ));
        for c in rows {
            let titles = if c.titles.is_empty() {
                String::new()
            } else {
                format!(" title {}", c.titles.join("/"))
            };
            let docs: Vec<&str> = c.docs.iter().take(5).map(String::as_str).collect();
            let more = if c.docs.len() > 5 {
                format!(" +{}", c.docs.len() - 5)
            } else {
                String::new()
            };
            let context = c.context.replace(['\n', '\r', '\t'], " ");
            out.push_str(&format!(
                "# {:?} ×{}{titles} in {}{more}: {context}\n",
                c.kind,
                c.count,
                docs.join(", ")
            ));
            let extra = match c.kind {
                Kind::Organization => format!(
                    "\t{}\t{}",
                    c.org_kind.as_deref().unwrap_or_default(),
                    c.place.as_deref().unwrap_or_default()
                ),
                Kind::Place => "\t\t".to_string(),
                _ => String::new(),
            };
            out.push_str(&format!(
                "{}\t{}\t{}{extra}\n",
                c.id,
                c.name,
                c.aliases.join("|")
            ));
        }
    }
    out
}
