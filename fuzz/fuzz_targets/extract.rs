//! Whole-document extraction: arbitrary bytes read as a plain-text, HTML or JSON Lines
//! source (the first byte picks), every record through the pipeline with the fixture
//! dictionary. Never panics; every evidence span lies inside the record's text and quotes it.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use visitgraph::dict::{DictionaryBuilder, Layer};
use visitgraph::input::{self, Kind};
use visitgraph::page::Extractor;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| {
        let layer = Layer::from_texts(
            "fixtures",
            &[
                (
                    "officials.tsv",
                    include_str!("../../tests/fixtures/dict/officials.tsv"),
                ),
                (
                    "posts.tsv",
                    include_str!("../../tests/fixtures/dict/posts.tsv"),
                ),
                (
                    "organizations.tsv",
                    include_str!("../../tests/fixtures/dict/organizations.tsv"),
                ),
                (
                    "places.tsv",
                    include_str!("../../tests/fixtures/dict/places.tsv"),
                ),
            ],
        );
        let dict = DictionaryBuilder::new()
            .no_builtin(true)
            .layer(layer)
            .build()
            .expect("fixture dictionary");
        Extractor::new(dict).expect("matcher")
    })
}

fuzz_target!(|data: &[u8]| {
    let (kind, bytes) = match data.split_first() {
        Some((b, rest)) => (
            match b % 3 {
                0 => Kind::Text,
                1 => Kind::Html,
                _ => Kind::Jsonl,
            },
            rest,
        ),
        None => (Kind::Text, data),
    };
    let loaded = input::load("fuzz", "fuzz", kind, bytes);
    for rec in &loaded.records {
        let chars: Vec<char> = rec.text.chars().collect();
        for f in extractor().extract(&rec.name, &rec.text) {
            let ev = &f.evidence;
            assert!(
                ev.start <= ev.end && ev.end <= chars.len(),
                "{}..{}",
                ev.start,
                ev.end
            );
            let quoted: String = chars[ev.start..ev.end].iter().collect();
            assert_eq!(quoted, ev.sentence);
        }
    }
});
