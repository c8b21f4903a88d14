//! The WARC reader on arbitrary bytes: the first byte picks how they are framed (as they
//! are, gzip-compressed whole, or each part between `0xFF` bytes gzip-compressed on its own,
//! as Common Crawl compresses record by record), the rest is the file. `input::load` never
//! panics; every page is named by its URI, which is also its `url`; a page is never empty.
//! The seeds in `corpus/warc` are small hand-made WARC files (a page, a chunked and gzipped
//! response, the records that are no pages), so libFuzzer starts from the format.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use visitgraph::input::{self, Kind};

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).expect("write to memory");
    e.finish().expect("write to memory")
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = match mode % 3 {
        0 => rest.to_vec(),
        1 => gzip(rest),
        _ => rest.split(|&b| b == 0xff).flat_map(gzip).collect(),
    };
    let loaded = input::load("fuzz.warc", "fuzz.warc", Kind::Warc, &bytes);
    for rec in &loaded.records {
        assert_eq!(rec.url.as_deref(), Some(rec.name.as_str()));
        assert!(!rec.text.trim().is_empty());
    }
    for s in &loaded.skipped {
        assert!(s.what.starts_with("fuzz.warc"), "{}", s.what);
        assert!(!s.reason.contains('\n'), "{}", s.reason);
    }
});
