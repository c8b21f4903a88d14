//! The HTML page on a real-sized graph, in headless Chromium: 2,000 nodes and 9,000 edges
//! extracted by the binary from generated pages and a generated dictionary. The page's own
//! code is asked (`window.__vg`) and driven (a test script appended to a copy of the page,
//! allowed by its hash in the page's Content-Security-Policy): labels at overview do not
//! overlap, the toggles, the timeline brush, search by traditional script and by pinyin, the
//! entity table, the exports. A screenshot is taken of the page as written;
//! `UPDATE_SCREENSHOTS=1` saves it as `docs/page-2000.png` (the README shows it).
//!
//! As `tests/formats.rs`: a missing Chromium fails the test (`scripts/test.sh` installs
//! Debian's; `VISITGRAPH_CHROMIUM` names another).

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Unique names drawn from `make` until there are `n`.
fn names(rng: &mut Rng, n: usize, mut make: impl FnMut(&mut Rng) -> String) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < n {
        let s = make(rng);
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    out
}

/// Write a dictionary (`dict/`) and pages (`pages/`) that extract to about 2,000 nodes and
/// 9,000 edges: an official visits three organizations or places a page, another
/// accompanies; a few hubs, a long tail, four years of dates, some candidate nodes.
fn generate(dir: &Path) -> (PathBuf, PathBuf) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    let (sur, giv) = (
        chars("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"),
        chars("云飞明华国强建军志伟东海丽红春秋晓岚立新学文嘉宁长远振兴德昌广达开发鸿运书涛"),
    );
    let officials = names(&mut rng, 640, |r| {
        [r.pick(&sur), r.pick(&giv), r.pick(&giv)].iter().collect()
    });
    let (p0, p1, p2, p3) = (
        chars("青白金玉"),
        chars("东南西北中上下前后江河湖山川"),
        chars("阳安平川州宁陵原城泉"),
        chars("市县区"),
    );
    let places = names(&mut rng, 300, |r| {
        [r.pick(&p0), r.pick(&p1), r.pick(&p2), r.pick(&p3)]
            .iter()
            .collect()
    });
    let brand = chars("瑞祥恒泰鼎盛华创锦程信达博远宏图卓越天成");
    let kinds = [
        "科技有限公司",
        "电子股份有限公司",
        "新材料有限公司",
        "生物医药有限公司",
        "智能装备有限公司",
        "实验室",
        "产业园",
    ];
    let orgs = names(&mut rng, 1100, |r| {
        let b: String = [r.pick(&brand), r.pick(&brand), r.pick(&brand)]
            .iter()
            .collect();
        b + kinds[r.below(kinds.len())]
    });
    let dict = dir.join("dict");
    let pages = dir.join("pages");
    std::fs::create_dir_all(&dict).unwrap();
    std::fs::create_dir_all(&pages).unwrap();
    let mut off = String::from("id\tname\taliases\tcandidate\n");
    for (i, n) in officials.iter().enumerate() {
        let c = if i % 50 == 7 { "true" } else { "" };
        off.push_str(&format!("o{i}\t{n}\t\t{c}\n"));
    }
    let mut pla = String::from("id\tname\taliases\tlevel\tparent\n");
    for (i, n) in places.iter().enumerate() {
        pla.push_str(&format!("p{i}\t{n}\t\tcity\t\n"));
    }
    let mut org = String::from("id\tname\taliases\tkind\tplace\tcandidate\n");
    for (i, n) in orgs.iter().enumerate() {
        let c = if i % 60 == 3 { "true" } else { "" };
        org.push_str(&format!("g{i}\t{n}\t\tcompany\tp{}\t{c}\n", i % 300));
    }
    std::fs::write(dict.join("officials.tsv"), off).unwrap();
    std::fs::write(dict.join("places.tsv"), pla).unwrap();
    std::fs::write(dict.join("organizations.tsv"), org).unwrap();
    std::fs::write(
        dict.join("posts.tsv"),
        "official\ttitle\tjurisdiction\tfrom\tto\n",
    )
    .unwrap();
    for p in 0..2400 {
        let (y, m, d) = (2022 + rng.below(4), 1 + rng.below(12), 1 + rng.below(28));
        let a = rng.skewed(officials.len(), 2.5);
        let mut b = rng.skewed(officials.len(), 1.5);
        while b == a {
            b = rng.skewed(officials.len(), 1.5);
        }
        let mut targets: Vec<&str> = Vec::new();
        while targets.len() < 3 {
            let t = if rng.unit() < 0.8 {
                &orgs[rng.skewed(orgs.len(), 1.8)]
            } else {
                &places[rng.skewed(places.len(), 1.5)]
            };
            if !targets.contains(&t.as_str()) {
                targets.push(t);
            }
        }
        let text = format!(
            "调研动态\n发布时间:{y}-{m:02}-{d:02} 09:00\n\n{m}月{d}日,副市长{}先后来到{}、{}和{}调研。副区长{}陪同调研。\n",
            officials[a], targets[0], targets[1], targets[2], officials[b]
        );
        std::fs::write(pages.join(format!("P{p:04}.txt")), text).unwrap();
    }
    (dict, pages)
}

fn extract(dict: &Path, pages: &Path, format: &str) -> Vec<u8> {
    ok(bin()
        .args(["extract", "--no-builtin", "--format", format, "--dict"])
        .arg(dict)
        .arg(pages))
    .stdout
}

fn chromium() -> Command {
    let browser = std::env::var("VISITGRAPH_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let mut c = Command::new(browser);
    c.args(common::HEADLESS)
        .args(["--hide-scrollbars", "--window-size=1600,1000"])
        .stdin(Stdio::null());
    c
}

/// Run Chromium on a page (with a profile of its own); its stdout.
fn browse(page: &Path, args: &[String]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let o = chromium()
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs (scripts/test.sh installs Debian's; or set VISITGRAPH_CHROMIUM)");
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "chromium: {log}");
    for bad in ["Uncaught", "Refused to", "Content Security Policy"] {
        assert!(!log.contains(bad), "the page logged an error:\n{log}");
    }
    o.stdout
}

fn b64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            o.push(if i <= c.len() {
                T[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    o
}

/// A copy of the page with `driver` run after the page's own script (its hash added to the
/// page's policy, nothing else loosened); the driver leaves JSON in `<pre id="vg-test">`.
/// Returns that JSON.
fn drive(dir: &Path, html: &str, driver: &str) -> Value {
    let hash = format!("'sha256-{}'", b64(&Sha256::digest(driver.as_bytes())));
    let at = html.find("script-src ").expect("a script-src") + "script-src ".len();
    let mut page = format!("{}{hash} {}", &html[..at], &html[at..]);
    let end = page.rfind("</body>").unwrap();
    page.insert_str(end, &format!("<script>{driver}</script>\n"));
    let path = dir.join("driven.html");
    std::fs::write(&path, page).unwrap();
    let dom = String::from_utf8(browse(&path, &["--dump-dom".into()])).unwrap();
    assert!(dom.contains("data-ready=\"1\""), "the page's script ran");
    let start = dom.find("<pre id=\"vg-test\">").expect("the driver ran") + 18;
    let text = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The driver: every interaction goes through the page's controls (events on its elements),
/// every reading through `window.__vg` or the DOM.
const DRIVER: &str = r#"
(function () {
  const $ = (id) => document.getElementById(id);
  const vg = window.__vg, out = {};
  const rect = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  out.timing = vg.timing;
  out.overview = vg.viewBox();
  out.boxes = vg.visibleLabelBoxes();
  out.rendered = out.boxes.map((b) => rect(vg.labelElement(b.id)));
  out.edges0 = vg.visibleEdges();
  const toggle = (id) => { const c = $(id); c.checked = !c.checked; c.dispatchEvent(new Event("change")); };
  toggle("rel-accompanied"); out.noAccompanied = vg.visibleEdges(); toggle("rel-accompanied");
  toggle("type-place"); out.noPlaces = vg.visibleEdges(); out.noPlacesNodes = vg.visibleNodes(); toggle("type-place");
  $("top").value = "100"; $("top").dispatchEvent(new Event("change"));
  out.top100 = [vg.visibleNodes(), vg.visibleEdges()];
  out.top100Boxes = vg.visibleLabelBoxes().length;
  $("top").value = ""; $("top").dispatchEvent(new Event("change"));
  out.edgesBack = vg.visibleEdges();
  // The brush: drag across the timeline from the 13th month to the 18th.
  const tl = $("timeline"), bars = tl.querySelectorAll(".bar");
  const at = (i) => { const r = bars[i].getBoundingClientRect(); return { clientX: r.left + r.width / 2, clientY: r.top + 5, bubbles: true, pointerId: 1 }; };
  // (Positions first: the timeline redraws its bars as the brush moves.)
  const [a, b, c, z] = [at(12), at(15), at(17), at(3)];
  out.months = [bars[12].dataset.month, bars[17].dataset.month, bars.length];
  tl.dispatchEvent(new PointerEvent("pointerdown", a));
  tl.dispatchEvent(new PointerEvent("pointermove", b));
  tl.dispatchEvent(new PointerEvent("pointerup", c));
  out.brushed = vg.dateRange();
  out.brushedEdges = vg.visibleEdges();
  out.brushBars = tl.querySelectorAll(".bar.in").length;
  tl.dispatchEvent(new PointerEvent("pointerdown", z));
  tl.dispatchEvent(new PointerEvent("pointerup", z));
  out.cleared = vg.dateRange();
  // Search, typed into the box.
  const search = (q) => { $("search").value = q; $("search").dispatchEvent(new Event("input")); return [vg.matches(), $("search-info").textContent]; };
  out.search = {};
  for (const q of __QUERIES__) out.search[q] = search(q);
  search("");
  // The entity panel of a node, clicked.
  const g = document.querySelector('g.node[data-id="__SELECT__"]');
  g.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  out.title = $("sel-title").textContent;
  out.visits = [...$("visits").tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent));
  out.visitsShown = !$("visits").classList.contains("hidden");
  out.selectedLabel = vg.visibleLabelBoxes().some((b) => b.id === "__SELECT__");
  vg.fitSelection();
  out.fitSel = vg.viewBox();
  // Exports.
  out.csv = vg.csv();
  const svg = vg.svg();
  out.svg = [svg, svg.length, (svg.match(/<line /g) || []).length];
  out.png = vg.png().slice(0, 30);
  const pre = document.createElement("pre");
  pre.id = "vg-test";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"#;

fn boxes(v: &Value) -> Vec<[f64; 4]> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let f = |k: &str| b[k].as_f64().unwrap();
            [f("x0"), f("y0"), f("x1"), f("y1")]
        })
        .collect()
}

fn intersect(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// An edge as the JSON gives it: source, target, relation, the dates of its evidence.
type Edge = (String, String, String, Vec<String>);

/// What the JSON says the page should show.
struct Graph {
    nodes: BTreeMap<String, (String, String)>,
    edges: Vec<Edge>,
}

fn graph(json: &Value) -> Graph {
    let s = |v: &Value| v.as_str().unwrap().to_string();
    let nodes = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (s(&n["id"]), (s(&n["name"]), s(&n["type"]))))
        .collect();
    let edges = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let dates = e["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["date"].as_str().unwrap_or("").to_string())
                .collect();
            (s(&e["source"]), s(&e["target"]), s(&e["relation"]), dates)
        })
        .collect();
    Graph { nodes, edges }
}

#[test]
fn the_page_works_on_a_2000_node_graph() {
    let d = tempfile::tempdir().unwrap();
    let (dict, pages) = generate(d.path());
    let json: Value = serde_json::from_slice(&extract(&dict, &pages, "json")).unwrap();
    let g = graph(&json);
    assert!(g.nodes.len() >= 2000, "{} nodes", g.nodes.len());
    assert!(g.edges.len() >= 9000, "{} edges", g.edges.len());
    let html = String::from_utf8(extract(&dict, &pages, "html")).unwrap();
    assert_eq!(
        html.as_bytes(),
        extract(&dict, &pages, "html"),
        "same input, same bytes"
    );

    // A hub with characters that differ in traditional script: found by its traditional
    // form, its pinyin, its initials.
    let degree = |id: &str| g.edges.iter().filter(|e| e.0 == id || e.1 == id).count();
    let (hub, (name, _)) = g
        .nodes
        .iter()
        .filter(|(_, (n, t))| t == "official" && hanconv::s2t(n) != *n)
        .max_by_key(|(id, _)| (degree(id), std::cmp::Reverse(id.to_string())))
        .unwrap();
    let trad = hanconv::s2t(name);
    let reading = |n: &str, first: bool| -> String {
        use pinyin::ToPinyin;
        n.to_pinyin()
            .flatten()
            .map(|p| {
                let p = p.plain();
                if first { &p[..1] } else { p }.to_string()
            })
            .collect()
    };
    let (full, initials) = (reading(name, false), reading(name, true));
    let queries = [trad.clone(), full.clone(), initials.clone(), name.clone()];
    let driver = DRIVER
        .replace("__QUERIES__", &serde_json::to_string(&queries).unwrap())
        .replace("__SELECT__", hub);
    let out = drive(d.path(), &html, &driver);

    labels(&out, &g);
    filters(&out, &g);
    search(&out, hub, name, [&trad, &full, &initials]);
    panel(&out, &g, hub, name);
    exports(&out, g.edges.len() as u64, d.path());
    screenshot(d.path(), &html);
}

/// Speed and labels at overview.
fn labels(out: &Value, g: &Graph) {
    // Speed: layout and first drawing of 2,000 nodes and 9,000 edges in a few seconds.
    let (layout, draw) = (
        out["timing"]["layout"].as_f64().unwrap(),
        out["timing"]["draw"].as_f64().unwrap(),
    );
    eprintln!("layout {layout:.0} ms, draw {draw:.0} ms");
    assert!(layout + draw < 5000.0, "layout {layout} ms, draw {draw} ms");

    // Labels at overview: many, no two boxes meeting, each drawn inside its box.
    let placed = boxes(&out["boxes"]);
    assert!(placed.len() >= 40, "{} labels", placed.len());
    assert!(
        placed.len() < g.nodes.len() / 2,
        "not every label at overview"
    );
    for (i, a) in placed.iter().enumerate() {
        for b in &placed[i + 1..] {
            assert!(!intersect(a, b), "{a:?} meets {b:?}");
        }
    }
    let rendered: Vec<Vec<f64>> = serde_json::from_value(out["rendered"].clone()).unwrap();
    for (b, r) in placed.iter().zip(&rendered) {
        let inside =
            r[0] >= b[0] - 1.0 && r[1] >= b[1] - 1.0 && r[2] <= b[2] + 1.0 && r[3] <= b[3] + 1.0;
        assert!(inside, "label drawn at {r:?}, outside its box {b:?}");
    }
}

/// The toggles, top N and the timeline brush.
fn filters(out: &Value, g: &Graph) {
    // Toggles: relations and types hide the edges they should.
    let m = g.edges.len() as u64;
    let count = |f: &dyn Fn(&Edge) -> bool| g.edges.iter().filter(|e| f(e)).count() as u64;
    let ty = |id: &str| g.nodes[id].1.clone();
    assert_eq!(out["edges0"], m);
    assert_eq!(out["noAccompanied"], count(&|e| e.2 == "visited"));
    assert_eq!(
        out["noPlaces"],
        count(&|e| ty(&e.0) != "place" && ty(&e.1) != "place")
    );
    assert!(out["noAccompanied"].as_u64().unwrap() < m);
    assert!(out["noPlaces"].as_u64().unwrap() < m);
    let top = out["top100"].as_array().unwrap();
    assert!(top[0].as_u64().unwrap() <= 100 && top[1].as_u64().unwrap() < m);
    assert_eq!(out["edgesBack"], m);

    // The brush set the date range to whole months, and the edges follow it.
    let months = out["months"].as_array().unwrap();
    let (m0, m1) = (months[0].as_str().unwrap(), months[1].as_str().unwrap());
    let range = out["brushed"].as_array().unwrap();
    let (from, to) = (range[0].as_str().unwrap(), range[1].as_str().unwrap());
    assert_eq!(from, format!("{m0}-01"));
    assert!(to.starts_with(m1) && to.len() == 10, "{to}");
    let inside = count(&|e| {
        e.3.iter()
            .any(|d| !d.is_empty() && d.as_str() >= from && d.as_str() <= to)
    });
    assert_eq!(out["brushedEdges"], inside);
    assert!(inside > 0 && inside < m);
    assert_eq!(out["brushBars"], 6);
    assert_ne!(out["cleared"], out["brushed"], "a click clears the range");
}

/// Search by traditional script, pinyin and initials.
fn search(out: &Value, hub: &str, name: &str, [trad, full, initials]: [&str; 3]) {
    // Search by traditional script, pinyin and initials.
    let hit = |q: &str| -> (Vec<String>, String) {
        serde_json::from_value(out["search"][q].clone()).unwrap()
    };
    assert_ne!(trad, name);
    for q in [trad, full, name] {
        let (ids, info) = hit(q);
        assert!(ids.iter().any(|i| i == hub), "{q} finds {name}: {ids:?}");
        assert!(
            info.ends_with("match") || info.ends_with("matches"),
            "{info}"
        );
    }
    assert!(
        hit(initials).0.contains(&hub.to_string()),
        "{initials} finds {name}"
    );
    assert_eq!(hit(trad).0.len(), 1, "{trad} is one name");
}

/// The entity panel and the fit to the selection.
fn panel(out: &Value, g: &Graph, hub: &str, name: &str) {
    // The entity panel: its dated visits as a table, one row per piece of evidence, by date.
    assert_eq!(out["title"], name);
    let mut want: Vec<String> = g
        .edges
        .iter()
        .filter(|e| e.0 == hub || e.1 == hub)
        .flat_map(|e| e.3.iter().cloned())
        .collect();
    want.sort();
    let rows: Vec<Vec<String>> = serde_json::from_value(out["visits"].clone()).unwrap();
    assert_eq!(rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(), want);
    assert!(rows.iter().all(|r| r.len() == 4 && r[3].starts_with('P')));
    assert!(rows.iter().any(|r| r[1] == "visited"));
    assert_eq!(out["visitsShown"], true);
    assert_eq!(
        out["selectedLabel"], true,
        "the selection is labelled first"
    );
    let (o, f) = (&out["overview"], &out["fitSel"]);
    assert!(
        f["w"].as_f64().unwrap() < o["w"].as_f64().unwrap(),
        "fit to the selection zooms in"
    );
}

/// The exports.
fn exports(out: &Value, m: u64, dir: &Path) {
    // Exports: the visible edges as CSV, the view as SVG and PNG.
    let csv = out["csv"].as_str().unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "source,target,source_name,target_name,relation,evidence,first_date,last_date,documents"
    );
    assert_eq!(lines.count() as u64, m);
    let svg = out["svg"].as_array().unwrap();
    let head: String = svg[0].as_str().unwrap().chars().take(200).collect();
    assert!(head.starts_with("<svg"), "{head}");
    assert!(svg[2].as_u64().unwrap() > 1000, "the edges are in the SVG");
    let file = dir.join("view.svg");
    std::fs::write(&file, svg[0].as_str().unwrap()).unwrap();
    let lint = Command::new("xmllint")
        .arg("--noout")
        .arg(&file)
        .output()
        .expect("xmllint is installed (scripts/test.sh installs it)");
    assert!(
        lint.status.success(),
        "the exported SVG is well-formed XML: {}",
        String::from_utf8_lossy(&lint.stderr)
    );
    assert!(
        out["png"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
}

/// A screenshot of the page as written (1600×1000): a PNG of that size with something
/// drawn; `UPDATE_SCREENSHOTS=1` keeps it as `docs/page-2000.png`.
fn screenshot(dir: &Path, html: &str) {
    let page = dir.join("page.html");
    std::fs::write(&page, html).unwrap();
    let shot = dir.join("shot.png");
    browse(&page, &[format!("--screenshot={}", shot.display())]);
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    assert_eq!((be(16), be(20)), (1600, 1000), "the window's size");
    assert!(
        png.len() > 100_000,
        "a drawn page, not a blank one: {} bytes",
        png.len()
    );
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        std::fs::write(root().join("docs/page-2000.png"), &png).unwrap();
    }
}

/// Graphviz on DOT bytes (`-T` `format`); its output.
fn graphviz(layout: &str, format: &str, dot: &[u8]) -> String {
    use std::io::Write;
    let mut c = Command::new(layout)
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz is installed (scripts/test.sh installs it)");
    c.stdin.take().unwrap().write_all(dot).unwrap();
    let o = c.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn dot_advises_sfdp_at_scale_and_always_has_a_legend() {
    let d = tempfile::tempdir().unwrap();
    let (dict, pages) = generate(d.path());
    let large = String::from_utf8(extract(&dict, &pages, "dot")).unwrap();
    let head: Vec<&str> = large.lines().take_while(|l| l.starts_with("// ")).collect();
    assert!(head[0].starts_with("// visitgraph: 2"), "{head:?}");
    let note = head.join("\n");
    for want in ["sfdp", "--around", "--relation", "--since"] {
        assert!(note.contains(want), "{want}: {note}");
    }
    assert!(
        large[note.len()..]
            .trim_start()
            .starts_with("digraph visitgraph {")
    );

    // The fixtures: small, no advice; the legend is drawn as a cluster of its own, with a
    // node per type and an edge per relation.
    let small = ok(bin()
        .args(["extract", "--no-builtin", "--format", "dot", "--dict"])
        .arg(fixtures().join("dict"))
        .arg(fixtures().join("texts")))
    .stdout;
    let text = String::from_utf8(small.clone()).unwrap();
    assert!(text.starts_with("digraph visitgraph {"));
    for dot in [&small[..], large.as_bytes()] {
        let t = String::from_utf8_lossy(dot);
        assert_eq!(t.matches("subgraph \"cluster_legend\"").count(), 1);
        assert_eq!(t.matches("\"legend:").count(), 4 + 2 * 3);
    }
    let svg = graphviz("dot", "svg", &small);
    assert!(
        svg.contains("<title>cluster_legend</title>"),
        "the legend is drawn"
    );
    for id in ["official", "companion", "organization", "place"] {
        assert!(svg.contains(&format!("<title>legend:{id}</title>")), "{id}");
    }
    assert!(svg.contains("<title>legend:companion&#45;&gt;legend:official</title>"));
}

#[test]
fn the_fixture_page_finds_a_name_by_traditional_script_and_pinyin() {
    let d = tempfile::tempdir().unwrap();
    let page = d.path().join("g.html");
    std::fs::write(
        &page,
        extract(&fixtures().join("dict"), &fixtures().join("texts"), "html"),
    )
    .unwrap();
    // 时明轩 typed as 時明軒, as shi ming xuan, as smx (the search deep link: the same
    // handler as typing).
    for q in ["%E6%99%82%E6%98%8E%E8%BB%92", "shi%20ming%20xuan", "smx"] {
        let profile = tempfile::tempdir().unwrap();
        let o = chromium()
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("--dump-dom")
            .arg(format!("file://{}#q={q}", page.display()))
            .output()
            .expect("chromium runs");
        let dom = String::from_utf8(o.stdout).unwrap();
        assert!(dom.contains("data-ready=\"1\""));
        assert!(
            dom.contains("<g class=\"node official match\" data-id=\"shi-mingxuan\""),
            "{q}"
        );
        assert!(
            dom.contains("<span id=\"search-info\" class=\"info\">1 match</span>"),
            "{q}"
        );
    }
}

#[test]
fn exports_keep_hostile_names_as_data() {
    // The fixture dictionary with an official renamed to markup, quotes and a comma (the
    // real name kept as an alias, so the pages still match).
    let d = tempfile::tempdir().unwrap();
    let dict = d.path().join("dict");
    std::fs::create_dir(&dict).unwrap();
    let evil = "<img src=x onerror=alert(1)>\",=cmd|'/C calc'!A0\\";
    for e in std::fs::read_dir(fixtures().join("dict")).unwrap() {
        let e = e.unwrap();
        let text = std::fs::read_to_string(e.path()).unwrap().replace(
            "shi-mingxuan\t时明轩\t",
            &format!("shi-mingxuan\t{evil}\t时明轩"),
        );
        std::fs::write(dict.join(e.file_name()), text).unwrap();
    }
    let html = String::from_utf8(extract(&dict, &fixtures().join("texts"), "html")).unwrap();
    let out = drive(
        d.path(),
        &html,
        r#"(function () {
  const pre = document.createElement("pre");
  pre.id = "vg-test";
  pre.textContent = JSON.stringify({ csv: window.__vg.csv(), svg: window.__vg.svg() });
  document.body.appendChild(pre);
})();"#,
    );
    let csv = out["csv"].as_str().unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let row = rows
        .iter()
        .find(|r| &r[0] == "shi-mingxuan" || &r[1] == "shi-mingxuan")
        .expect("an edge of the renamed official");
    assert!(row.iter().any(|c| c == evil), "{row:?}");
    let svg = out["svg"].as_str().unwrap();
    assert!(!svg.contains("<img"), "no markup from the data in the SVG");
    assert!(
        svg.contains("&lt;img src=x"),
        "the name is in the SVG, as text"
    );
    let file = d.path().join("view.svg");
    std::fs::write(&file, svg).unwrap();
    let lint = Command::new("xmllint")
        .arg("--noout")
        .arg(&file)
        .output()
        .expect("xmllint is installed");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
}
