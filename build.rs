//! Build script: a fingerprint of the sources and built-in dictionaries
//! (`VISITGRAPH_BUILD`), so that a store (`extract --store`) extracted by another build of
//! the rules extracts every page again instead of reusing relations the rules would no
//! longer find.

use std::path::Path;

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, files);
        } else {
            files.push(p);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for d in ["src", "dictionaries"] {
        walk(Path::new(d), &mut files);
        println!("cargo:rerun-if-changed={d}");
    }
    files.sort();
    // FNV-1a 64: stable, and enough to tell builds apart.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for b in f.to_string_lossy().bytes().chain([0]).chain(bytes) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=VISITGRAPH_BUILD={h:016x}");
}
