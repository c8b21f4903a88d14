//! The folder tree is the architecture: no two modules of `src/` may import each other,
//! directly or around a longer circle.
//!
//! Every `src/**/*.rs` file is a module (`src/page/mod.rs` is `page`, `src/page/date.rs` is
//! `page::date`). Its references are the `crate::…` and `super::…` paths in its code
//! (`use` lines, grouped `use crate::{a, b::c}` included, and paths written inline); comments
//! and `#[cfg(test)]` modules are left out, as test code may reach anywhere. A path names
//! the longest module it starts with. A module reaching up to its own parent (or further up)
//! does not count: a folder's `mod.rs` is what its files share.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// module → (module it references → first `file:line` doing so).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `src/page/date.rs` → `page::date`; `src/page/mod.rs` → `page`; `lib.rs`/`main.rs` → None.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.strip_suffix(".rs").unwrap();
    match stem {
        "mod" => {}
        "lib" | "main" if parts.is_empty() => return None,
        s => parts.push(s.to_string()),
    }
    Some(parts.join("::"))
}

/// The file's code lines (1-based numbers kept), without comment lines and without
/// `#[cfg(test)]` modules (rustfmt closes a module with `}` at the `mod` line's indentation).
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if t.starts_with("#[cfg(test)]") {
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim_start().starts_with("#[") {
                j += 1;
            }
            if let Some(m) = lines.get(j)
                && m.trim_start().starts_with("mod ")
                && m.trim_end().ends_with('{')
            {
                let indent = &m[..m.len() - m.trim_start().len()];
                let close = format!("{indent}}}");
                let mut k = j + 1;
                while k < lines.len() && lines[k].trim_end() != close {
                    k += 1;
                }
                i = k + 1;
                continue;
            }
        }
        if !t.starts_with("//") {
            out.push((i + 1, lines[i]));
        }
        i += 1;
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths starting at `s` (just after `crate::` or `super::`): `a::b::C` gives one,
/// `a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn paths_at(s: &str) -> Vec<Vec<String>> {
    fn parse(s: &[char], i: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
        let mut segs = prefix.to_vec();
        loop {
            while *i < s.len() && s[*i].is_whitespace() {
                *i += 1;
            }
            if *i < s.len() && s[*i] == '{' {
                *i += 1;
                loop {
                    parse(s, i, &segs, out);
                    while *i < s.len() && s[*i].is_whitespace() {
                        *i += 1;
                    }
                    match s.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => {
                            *i += 1;
                            break;
                        }
                        _ => break,
                    }
                    while *i < s.len() && s[*i].is_whitespace() {
                        *i += 1;
                    }
                    if s.get(*i) == Some(&'}') {
                        *i += 1;
                        break;
                    }
                }
                return;
            }
            let start = *i;
            while *i < s.len() && is_ident(s[*i]) {
                *i += 1;
            }
            if *i == start {
                break;
            }
            segs.push(s[start..*i].iter().collect());
            if s.get(*i) == Some(&':') && s.get(*i + 1) == Some(&':') {
                *i += 2;
            } else {
                // Skip a rename (`as x`) up to the end of this group item.
                while *i < s.len() && !matches!(s[*i], ',' | '}' | ';') {
                    *i += 1;
                }
                break;
            }
        }
        out.push(segs);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    parse(&chars, &mut 0, &[], &mut out);
    out
}

/// The module graph of the sources in `files` (`(module, text)`).
fn graph(files: &[(String, String)]) -> Graph {
    let modules: BTreeSet<&str> = files.iter().map(|(m, _)| m.as_str()).collect();
    let mut g = Graph::new();
    for (module, text) in files {
        g.entry(module.clone()).or_default();
        // The file's code as one string, each char's line kept, so grouped `use`s may span lines.
        let mut code = String::new();
        let mut line_at = Vec::new();
        for (n, l) in code_lines(text) {
            code.push_str(l);
            code.push('\n');
            line_at.resize(code.len(), n);
        }
        let self_path: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
        let mut from = 0;
        while let Some(off) = code[from..].find("::") {
            let at = from + off;
            from = at + 2;
            let head_start = code[..at]
                .rfind(|c: char| !is_ident(c))
                .map_or(0, |p| p + 1);
            let head = &code[head_start..at];
            if head_start > 0 && code[..head_start].ends_with("::") {
                continue; // `x::super::` or a later segment: only a path's first word counts
            }
            let mut base: Vec<&str> = match head {
                "crate" => Vec::new(),
                "super" => {
                    let mut b = self_path.clone();
                    b.pop();
                    b
                }
                _ => continue,
            };
            let mut rest = &code[at + 2..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            for p in paths_at(rest) {
                let mut full: Vec<&str> = base.clone();
                full.extend(p.iter().map(String::as_str));
                let target = (1..=full.len())
                    .rev()
                    .map(|k| full[..k].join("::"))
                    .find(|m| modules.contains(m.as_str()));
                let Some(target) = target else { continue };
                let is_ancestor = module == &target || module.starts_with(&format!("{target}::"));
                if is_ancestor {
                    continue;
                }
                g.get_mut(module)
                    .unwrap()
                    .entry(target)
                    .or_insert_with(|| format!("{module}:{}", line_at[at]));
            }
        }
    }
    g
}

/// Every import circle: one cycle per strongly connected component of two or more modules,
/// each step with the line that makes it.
fn cycles(g: &Graph) -> Vec<String> {
    // Tarjan's strongly connected components.
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        sccs: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g[v].keys() {
            let w = w.as_str();
            if !t.g.contains_key(w) {
                continue;
            }
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut scc = Vec::new();
            loop {
                let w = t.stack.pop().unwrap();
                t.on.remove(w);
                scc.push(w);
                if w == v {
                    break;
                }
            }
            t.sccs.push(scc);
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        sccs: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    let mut out = Vec::new();
    for scc in t.sccs.iter().filter(|s| s.len() > 1) {
        let set: BTreeSet<&str> = scc.iter().copied().collect();
        let start = *set.iter().next().unwrap();
        // A shortest way back to `start` inside the component (breadth first).
        let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut last = None;
        'bfs: while let Some(v) = queue.pop_front() {
            for w in g[v].keys().map(String::as_str).filter(|w| set.contains(w)) {
                if w == start {
                    last = Some(v);
                    break 'bfs;
                }
                if !prev.contains_key(w) {
                    prev.insert(w, v);
                    queue.push_back(w);
                }
            }
        }
        let mut path = vec![start];
        let mut v = last.unwrap();
        while v != start {
            path.push(v);
            v = prev[v];
        }
        path[1..].reverse();
        path.push(start);
        let steps: Vec<String> = path
            .windows(2)
            .map(|w| format!("{} -> {} ({})", w[0], w[1], g[w[0]][w[1]]))
            .collect();
        out.push(format!(
            "circle {}: {}",
            path.join(" -> "),
            steps.join(", ")
        ));
    }
    out
}

fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .iter()
        .filter_map(|f| Some((module_of(&src, f)?, fs::read_to_string(f).unwrap())))
        .collect()
}

#[test]
fn no_import_circles_between_modules() {
    let g = graph(&sources());
    // The reader sees the imports it should (else an empty graph would pass).
    for (a, b) in [
        ("page::relate", "page::matcher"),
        ("page::matcher", "dict::triggers"),
        ("page::matcher", "dict"),
        ("corpus::graph", "page"),
        ("output::cytoscape", "output::json"),
        ("cli::extract", "corpus::spill"),
    ] {
        assert!(g[a].contains_key(b), "{a} should import {b}: {:?}", g[a]);
    }
    let found = cycles(&g);
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn the_reader_finds_circles() {
    let files = [
        ("a", "use crate::b::{self, X};\n"),
        ("b", "use crate::{c::d::Y, e};\nfn f() { crate::a::g(); }\n"),
        ("c::d", "fn h() { super::super::a::k(); }\n"),
        (
            "e",
            "// use crate::a;\n#[cfg(test)]\nmod tests {\n    use crate::a;\n}\n",
        ),
        ("f", "use super::a;\n"),
    ]
    .map(|(m, t)| (m.to_string(), t.to_string()));
    let g = graph(&files);
    assert_eq!(g["a"].keys().collect::<Vec<_>>(), ["b"]);
    assert_eq!(g["b"].keys().collect::<Vec<_>>(), ["a", "c::d", "e"]);
    assert_eq!(g["c::d"].keys().collect::<Vec<_>>(), ["a"]);
    assert!(g["e"].is_empty());
    assert_eq!(g["f"].keys().collect::<Vec<_>>(), ["a"]);
    let found = cycles(&g);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("circle a -> b -> a:"), "{}", found[0]);
}

/// Longest a function in `src/` may be, in lines from its `fn` line to its closing brace.
const MAX_FN_LINES: usize = 150;

/// The text with comments, string and character literals blanked out (newlines kept), so
/// that only the code's own braces are left to count.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        blank(&mut out, c[i]);
                        i += 1;
                    }
                }
            }
            'r' if matches!(c.get(i + 1), Some('"' | '#'))
                && (i == 0 || !is_ident(c[i - 1]))
                && c[i + 1..].iter().take_while(|&&x| x == '#').count() + i + 1 < c.len()
                && c[i + 1 + c[i + 1..].iter().take_while(|&&x| x == '#').count()] == '"' =>
            {
                let hashes = c[i + 1..].iter().take_while(|&&x| x == '#').count();
                i += hashes + 2;
                let close: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                while i < c.len() && !c[i..].starts_with(&close) {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                i += close.len();
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    if let Some(&ch) = c.get(i) {
                        blank(&mut out, ch);
                    }
                    i += 1;
                }
                i += 1;
            }
            // A character literal ('{', '\'', '\u{7b}'), not a lifetime ('a).
            '\'' if c.get(i + 2) == Some(&'\'') || c.get(i + 1) == Some(&'\\') => {
                i += 1;
                while i < c.len() && c[i] != '\'' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// Every function with a body in `text`: (name, first line, lines from `fn` to its `}`).
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = code_only(text);
    let c: Vec<char> = code.chars().collect();
    let line_of = |at: usize| c[..at].iter().filter(|&&x| x == '\n').count() + 1;
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < c.len() {
        let is_fn = c[i] == 'f'
            && c[i + 1] == 'n'
            && c[i + 2].is_whitespace()
            && (i == 0 || !is_ident(c[i - 1]));
        if !is_fn {
            i += 1;
            continue;
        }
        let name: String = c[i + 3..]
            .iter()
            .skip_while(|x| x.is_whitespace())
            .take_while(|&&x| is_ident(x))
            .collect();
        // The body opens at the first `{` outside brackets; a `;` first means no body.
        let mut j = i + 3;
        let mut depth = 0i32;
        while j < c.len() {
            match c[j] {
                '(' | '[' | '<' => depth += 1,
                ')' | ']' => depth -= 1,
                '>' if c[j - 1] != '-' && c[j - 1] != '=' => depth -= 1,
                '{' | ';' if depth <= 0 => break,
                _ => {}
            }
            j += 1;
        }
        if j < c.len() && c[j] == '{' {
            let mut braces = 0;
            let mut k = j;
            while k < c.len() {
                match c[k] {
                    '{' => braces += 1,
                    '}' => {
                        braces -= 1;
                        if braces == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            let (first, last) = (line_of(i), line_of(k.min(c.len() - 1)));
            out.push((name, first, last - first + 1));
        }
        i += 3;
    }
    out
}

#[test]
fn function_lengths_are_counted_as_written() {
    let text = "fn a() {\n    let s = \"}\";\n    let c = '{';\n    // }\n}\n\
                fn b<T: Fn() -> u8>(t: T) -> Vec<u8>\nwhere\n    T: Copy,\n{\n    vec![t()]\n}\n\
                trait X { fn c(&self); fn d(&self) { } }\n";
    let got: Vec<(String, usize)> = functions(text)
        .into_iter()
        .map(|(n, _, len)| (n, len))
        .collect();
    assert_eq!(got, [("a".into(), 5), ("b".into(), 6), ("d".into(), 1)]);
}

#[test]
fn no_function_is_longer_than_150_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut long = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        for (name, line, len) in functions(&text) {
            if len > MAX_FN_LINES {
                let rel = f.strip_prefix(&src).unwrap().display();
                long.push(format!("src/{rel}:{line} {name}: {len} lines"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them into named steps):\n{}",
        long.join("\n")
    );
}
