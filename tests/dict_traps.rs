//! Dictionary files without traps: rows whose cells do not line up with the header, a header
//! typed with spaces, undocumented `kind` and `level` values, warnings per layer at
//! `file:line` (the built-in layer's only with `--all`), and a place an earlier layer already
//! has under another id.

mod common;

use common::{bin, ok, run};
use std::path::Path;

/// A layer folder holding the given files.
fn layer(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(d.path().join(name), text).expect("write a dictionary file");
    }
    d
}

/// `visitgraph ARGS --dict DIR`: exit code, stdout, stderr.
fn with_dict(args: &[&str], dir: &Path) -> (Option<i32>, String, String) {
    let o = run(bin().args(args).arg("--dict").arg(dir));
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const ORG_HEADER: &str = "id\tname\taliases\tkind\tplace\n";

#[test]
fn a_short_row_is_an_error_naming_file_line_and_counts() {
    // The alias cell is missing: `company` would have been read as the aliases, and the
    // place as the kind.
    let orgs = format!("{ORG_HEADER}a\t甲公司\t甲司\tcompany\t\nb\t乙公司\tcompany\t\n");
    let d = layer(&[("organizations.tsv", &orgs)]);
    let (code, out, _) = with_dict(&["check", "--no-builtin"], d.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("organizations.tsv:3: error: 4 cells, the header has 5"),
        "{out}"
    );
    // extract refuses it too, with the same file:line.
    let (code, _, err) = with_dict(&["extract", "--no-builtin", "-"], d.path());
    assert_eq!(code, Some(2));
    assert!(
        err.contains("organizations.tsv:3: 4 cells, the header has 5"),
        "{err}"
    );
}

#[test]
fn a_long_row_is_an_error_but_trailing_empty_cells_are_not() {
    let orgs = format!(
        "{ORG_HEADER}a\t甲公司\t甲司\tcompany\t\t\t\t\nb\t乙公司\t\tcompany\t\textra\nc\t丙公司\n"
    );
    let d = layer(&[("organizations.tsv", &orgs)]);
    let (code, out, _) = with_dict(&["check", "--no-builtin"], d.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("organizations.tsv:3: error: 6 cells, the header has 5"),
        "{out}"
    );
    // Line 2's extra cells are empty (a spreadsheet's export): accepted.
    assert!(!out.contains("organizations.tsv:2:"), "{out}");
    // Line 4 stops after the name: fewer cells than the header.
    assert!(
        out.contains("organizations.tsv:4: error: 2 cells, the header has 5"),
        "{out}"
    );
    // A layer whose rows end in empty cells (as spreadsheets write them) loads.
    let d = layer(&[(
        "organizations.tsv",
        &format!("{ORG_HEADER}a\t甲公司\t\t\t\t\t\nb\t乙公司\t乙司\tcompany\t\t\n"),
    )]);
    let (code, out, _) = with_dict(&["check", "--no-builtin"], d.path());
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(" 0 errors"), "{out}");
}

#[test]
fn a_header_separated_by_spaces_is_told_so() {
    let d = layer(&[(
        "places.tsv",
        "id name aliases level parent\nsz\t苏州市\t\tcity\t\n",
    )]);
    let (code, out, _) = with_dict(&["check", "--no-builtin"], d.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("places.tsv:1: error: header"), "{out}");
    assert!(out.contains("columns are separated by tabs"), "{out}");
    // A row typed with spaces is told so as well.
    let d = layer(&[(
        "places.tsv",
        "id\tname\taliases\tlevel\tparent\nsz 苏州市 city\n",
    )]);
    let (_, out, _) = with_dict(&["check", "--no-builtin"], d.path());
    assert!(
        out.contains(
            "places.tsv:2: error: 1 cells, the header has 5 (columns are separated by tabs"
        ),
        "{out}"
    );
}

#[test]
fn undocumented_kinds_and_levels_are_warnings_at_file_line() {
    let d = layer(&[
        (
            "organizations.tsv",
            &format!("{ORG_HEADER}a\t甲公司\t\tcompany\t\nb\t乙公司\t\tcompnay\t\n"),
        ),
        (
            "places.tsv",
            "id\tname\taliases\tlevel\tparent\nsz\t苏州市\t\tcity\t\nks\t昆山市\t\tcounty-city\tsz\n",
        ),
    ]);
    let (code, out, _) = with_dict(&["check", "--no-builtin", "--warnings"], d.path());
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("organizations.tsv:3: warning: unknown kind `compnay` of `b`"),
        "{out}"
    );
    assert!(
        out.contains("places.tsv:3: warning: unknown level `county-city` of `ks`"),
        "{out}"
    );
    assert!(!out.contains("organizations.tsv:2: warning"), "{out}");
}

#[test]
fn warnings_are_counted_per_layer_and_the_builtin_ones_only_with_all() {
    let one = layer(&[("officials.tsv", "id\tname\taliases\nzhang-xx\t张某某\t张\n")]);
    let two = layer(&[(
        "organizations.tsv",
        &format!("{ORG_HEADER}q\t丁公司\t\tfirm\t\nr\t戊公司\t\tshop\t\n"),
    )]);
    let check = |extra: &[&str]| {
        let o = ok(bin()
            .arg("check")
            .args(extra)
            .arg("--dict")
            .arg(one.path())
            .arg("--dict")
            .arg(two.path()));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let out = check(&["--warnings"]);
    let first = format!("{}: 1 warnings", one.path().display());
    let second = format!("{}: 2 warnings", two.path().display());
    assert!(out.contains(&first), "missing {first:?} in\n{out}");
    assert!(out.contains(&second), "missing {second:?} in\n{out}");
    // The user's three, with file:line; the built-in layer's are hidden and said to be.
    let officials = format!("{}/officials.tsv:2: warning:", one.path().display());
    assert!(out.contains(&officials), "{out}");
    assert!(out.contains("0 errors, 3 warnings"), "{out}");
    assert!(out.contains("built-in warnings hidden, see --all"), "{out}");
    assert!(!out.contains("builtin:dictionaries/"), "{out}");
    // --all counts (and lists) the built-in layer's too.
    let all = check(&["--warnings", "--all"]);
    assert!(all.contains("builtin:dictionaries: "), "{all}");
    assert!(all.contains("builtin:dictionaries/"), "{all}");
    assert!(!all.contains("hidden"), "{all}");
    assert!(!all.contains("0 errors, 3 warnings"), "{all}");
}

#[test]
fn a_place_an_earlier_layer_has_under_another_id_suggests_that_id() {
    // The built-in layer has 昆山市 (cn-320583); a user layer adds it again as `kunshan`.
    let d = layer(&[(
        "places.tsv",
        "id\tname\taliases\tlevel\tparent\nkunshan\t昆山市\t昆山\tcounty\tsuzhou\n",
    )]);
    let (code, out, _) = with_dict(&["check", "--warnings"], d.path());
    assert_eq!(code, Some(0), "{out}");
    let at = format!("{}/places.tsv:2: warning:", d.path().display());
    let line = out
        .lines()
        .find(|l| l.starts_with(&at) && l.contains("昆山"))
        .unwrap_or_else(|| panic!("no warning at {at} in\n{out}"));
    assert!(line.contains("use its id `cn-320583`"), "{line}");
    assert!(line.contains("builtin:dictionaries/places.tsv:"), "{line}");
}

#[test]
fn the_shipped_and_dev_dictionaries_still_load() {
    let o = ok(bin().arg("check"));
    assert!(String::from_utf8_lossy(&o.stdout).contains(" 0 errors"));
    let shared = common::root().join("../shared");
    for dev in ["dev/dict", "dev2/dict"] {
        let dir = shared.join(dev);
        if dir.is_dir() {
            let o = ok(bin().arg("check").arg("--dict").arg(&dir));
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(out.contains(" 0 errors"), "{dev}: {out}");
            // The dev layer's own warnings are counted; the built-in layer's are not.
            assert!(
                out.contains("built-in warnings hidden, see --all"),
                "{dev}: {out}"
            );
        }
    }
}
