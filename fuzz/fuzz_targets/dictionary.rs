//! Arbitrary bytes split into the five TSV files of a dictionary layer: building it returns
//! `Ok` or `Err`, never panics; a dictionary that builds also compiles into an extractor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use visitgraph::dict::{DictionaryBuilder, Layer};
use visitgraph::page::Extractor;

const FILES: [&str; 5] = [
    "officials.tsv",
    "posts.tsv",
    "organizations.tsv",
    "places.tsv",
    "triggers.tsv",
];

fuzz_target!(|data: &[u8]| {
    // Files are separated by a 0xFF byte (never valid UTF-8), so the fuzzer can grow each.
    let parts: Vec<String> = data
        .split(|&b| b == 0xff)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let files: Vec<(&str, &str)> = FILES
        .iter()
        .zip(parts.iter())
        .map(|(n, t)| (*n, t.as_str()))
        .collect();
    let no_builtin = data.first().is_some_and(|b| b & 1 == 1);
    let layer = Layer::from_texts("fuzz", &files);
    if let Ok(dict) = DictionaryBuilder::new()
        .no_builtin(no_builtin)
        .layer(layer)
        .build()
    {
        let _ = Extractor::new(dict);
    }
});
