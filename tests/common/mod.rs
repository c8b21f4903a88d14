//! What every integration test needs to run the binary: the command, the repository's
//! paths, and a run that must succeed. (Each test file is its own crate and uses some of it.)
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `visitgraph` binary built for these tests, or the one `VISITGRAPH_TEST_BIN` names
/// (to check that a new test fails on an older build).
pub fn bin() -> Command {
    match std::env::var_os("VISITGRAPH_TEST_BIN") {
        Some(b) => Command::new(b),
        None => Command::new(env!("CARGO_BIN_EXE_visitgraph")),
    }
}

/// The repository.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures`: our own pages and dictionary.
pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// Run a command to its end.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run visitgraph")
}

/// Run a command that must succeed (its stderr shown otherwise).
pub fn ok(cmd: &mut Command) -> Output {
    let o = run(cmd);
    assert!(
        o.status.success(),
        "visitgraph failed: {:?}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// An extractor over one invented dictionary layer (the four TSV texts), without the
/// built-in entities: what the rule tables run their pages through.
pub fn extractor(
    name: &str,
    places: &str,
    orgs: &str,
    officials: &str,
    posts: &str,
) -> visitgraph::page::Extractor {
    use visitgraph::dict::{DictionaryBuilder, Layer};
    let layer = Layer::from_texts(
        name,
        &[
            ("places.tsv", places),
            ("organizations.tsv", orgs),
            ("officials.tsv", officials),
            ("posts.tsv", posts),
        ],
    );
    let dict = DictionaryBuilder::new()
        .no_builtin(true)
        .layer(layer)
        .build()
        .expect("test dictionary");
    visitgraph::page::Extractor::new(dict).expect("matcher")
}

/// A CSV file's header and rows.
pub fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    let head = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (head, rows)
}

/// The flags of every headless Chromium run of the tests: no sandbox or GPU (containers), no
/// network of its own, no first-run or update noise, its log on stderr.
pub const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--enable-logging=stderr",
];

/// A small deterministic generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
    pub fn pick(&mut self, chars: &[char]) -> char {
        chars[self.below(chars.len())]
    }
    /// An index skewed to the front (a few hubs, a long tail).
    pub fn skewed(&mut self, n: usize, skew: f64) -> usize {
        ((n as f64 * self.unit().powf(skew)) as usize).min(n - 1)
    }
}

/// A temporary world for one test: `dict/` holding the given layer files (name, text) and
/// `pages/` holding the given pages (file name, text).
pub fn world(layer: &[(&str, &str)], pages: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("temp dir");
    for (dir, files) in [("dict", layer), ("pages", pages)] {
        let dir = d.path().join(dir);
        std::fs::create_dir(&dir).expect("folder");
        for (name, text) in files {
            std::fs::write(dir.join(name), text).expect("write");
        }
    }
    d
}
