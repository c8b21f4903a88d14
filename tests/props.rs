//! Property tests: whatever the page, every evidence span lies on character boundaries of
//! the document and quotes it exactly.
//!
//! Pages are built from fixture lines (so real visits are found), random Chinese, ASCII,
//! punctuation, pinyin-like `(qū)` groups, blank lines and stray control characters; the
//! HTML property wraps the same material in random markup and checks the spans against the
//! text the input stage extracted.

use std::sync::OnceLock;

use proptest::prelude::*;
use visitgraph::dict::{DictionaryBuilder, Layer};
use visitgraph::input::{self, Kind};
use visitgraph::page::Extractor;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dict");
        let dict = DictionaryBuilder::new()
            .no_builtin(true)
            .layer(Layer::from_dir(std::path::Path::new(dir)).expect("fixture dictionary"))
            .build()
            .expect("fixture dictionary");
        Extractor::new(dict).expect("matcher")
    })
}

/// Every non-empty line of the fixture pages.
fn fixture_lines() -> &'static [String] {
    static LINES: OnceLock<Vec<String>> = OnceLock::new();
    LINES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/texts");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .iter()
            .flat_map(|p| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}

fn segment() -> impl Strategy<Value = String> {
    let n = fixture_lines().len();
    prop_oneof![
        4 => (0..n).prop_map(|i| fixture_lines()[i].clone()),
        // A fixture line cut at a random character.
        2 => (0..n, any::<prop::sample::Index>()).prop_map(|(i, at)| {
            let l: Vec<char> = fixture_lines()[i].chars().collect();
            let k = at.index(l.len() + 1);
            l[..k].iter().collect()
        }),
        2 => prop::collection::vec(prop::char::range('\u{4e00}', '\u{9fa5}'), 1..12)
            .prop_map(|v| v.into_iter().collect()),
        1 => prop::collection::vec(prop::char::range('!', '~'), 1..10)
            .prop_map(|v| v.into_iter().collect()),
        2 => prop::sample::select(vec![
            "。", ",", "、", ";", ":", "!", "?", "“", "”", "(", ")", "(", ")", "《", "》",
            "·", "—", " ", "\u{3000}", "\t", "发布时间:2024-10-17", "10月16日", "相关新闻",
            "参加调研", "陪同", "调研", "考察", "走访", "市委书记", "区长", "一行",
        ])
        .prop_map(String::from),
        // Pinyin pasted after characters, well formed or not.
        2 => (
            prop::char::range('\u{4e00}', '\u{9fa5}'),
            prop::sample::select(vec!["qū", "lǐng", "dǎo", "zhang3", "yàn", "q", "ū", "", "mini"]),
            prop::bool::ANY,
        )
            .prop_map(|(c, py, close)| format!("{c}({py}{}", if close { ")" } else { "" })),
        2 => prop::sample::select(vec!["\n", "\n\n", "\r\n", "\u{0}", "\u{fffd}", "\u{feff}"])
            .prop_map(String::from),
    ]
}

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 0..40).prop_map(|v| v.concat())
}

/// Every evidence span is inside `text` and quotes it.
fn spans_quote(name: &str, text: &str) -> Result<usize, TestCaseError> {
    let chars: Vec<char> = text.chars().collect();
    let found = extractor().extract(name, text);
    for f in &found {
        let ev = &f.evidence;
        prop_assert!(
            ev.start <= ev.end && ev.end <= chars.len(),
            "{}..{} outside 0..{}",
            ev.start,
            ev.end,
            chars.len()
        );
        let quoted: String = chars[ev.start..ev.end].iter().collect();
        prop_assert_eq!(&quoted, &ev.sentence);
    }
    Ok(found.len())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn evidence_quotes_the_original_text(text in page()) {
        spans_quote("p.txt", &text)?;
    }

    #[test]
    fn evidence_quotes_the_text_extracted_from_html(
        parts in prop::collection::vec(
            (
                segment(),
                prop::sample::select(vec![
                    "p", "div", "span", "b", "br", "li", "h1", "title", "script", "style",
                    "td", "pre", "!--", "a href=\"x\"", "meta name=\"pubdate\" content=\"2024-10-17\"",
                ]),
                prop::bool::ANY,
            ),
            0..30,
        )
    ) {
        let mut html = String::new();
        for (text, tag, close) in &parts {
            let name = tag.split(' ').next().unwrap_or("");
            if *tag == "!--" {
                html.push_str(&format!("<!--{text}{}", if *close { "-->" } else { "" }));
            } else {
                html.push_str(&format!("<{tag}>{}", text.replace('<', "&lt;")));
                if *close {
                    html.push_str(&format!("</{name}>"));
                }
            }
        }
        let loaded = input::load("p.html", "p.html", Kind::Html, html.as_bytes());
        for rec in &loaded.records {
            spans_quote(&rec.name, &rec.text)?;
        }
    }
}

#[test]
fn the_generator_does_find_visits() {
    // The properties are only worth something if generated pages do yield relations.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = page();
    let mut with_relations = 0;
    for _ in 0..200 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        if spans_quote("p.txt", &text).unwrap() > 0 {
            with_relations += 1;
        }
    }
    assert!(
        with_relations >= 10,
        "{with_relations} of 200 pages had relations"
    );
}
