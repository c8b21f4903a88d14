//! DOT: a graph in, Graphviz DOT out. It renders with `dot -Tsvg`: organizations clustered
//! by place, shapes and colours by node type, relation and date on every edge, a CJK-capable
//! font, every string escaped. A candidate node (discovered, not in a dictionary) is drawn
//! with a dashed outline and carries `candidate=true`.

use crate::corpus::graph::GraphView;
use crate::dict::{Dictionary, EntityType};
use crate::page::relate::Rel;

/// Write the graph as Graphviz DOT: the nodes, then one edge at a time as the graph gives
/// them.
pub fn write_dot<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let font = "Noto Sans CJK SC,Noto Sans SC,WenQuanYi Micro Hei,SimHei,sans-serif";
    let mut s = String::new();
    s.push_str("digraph visitgraph {\n");
    s.push_str(&format!(
        "  graph [rankdir=LR, fontname=\"{font}\", charset=\"UTF-8\"];\n"
    ));
    s.push_str(&format!("  node [fontname=\"{font}\", style=filled];\n"));
    s.push_str(&format!("  edge [fontname=\"{font}\", fontsize=10];\n"));
    // Organizations are clustered by their place; a visited place joins its own cluster.
    let nodes = graph.sorted_nodes(dict);
    let mut clusters: std::collections::BTreeMap<&str, (usize, Vec<usize>)> = Default::default();
    for &i in &nodes {
        if dict.entities[i].ty == EntityType::Organization
            && let Some(p) = dict.parent(i)
        {
            clusters
                .entry(dict.entities[p].id.as_str())
                .or_insert((p, Vec::new()))
                .1
                .push(i);
        }
    }
    for &i in &nodes {
        if let Some(c) = clusters.get_mut(dict.entities[i].id.as_str())
            && c.0 == i
        {
            c.1.insert(0, i);
        }
    }
    let clustered: std::collections::HashSet<usize> = clusters
        .values()
        .flat_map(|c| c.1.iter().copied())
        .collect();
    let node_line = |i: usize, indent: &str| {
        let e = &dict.entities[i];
        let (shape, color) = match e.ty {
            EntityType::Official => ("ellipse", "#cfe2ff"),
            EntityType::Organization => ("box", "#ffe5b4"),
            EntityType::Place => ("hexagon", "#d1e7dd"),
        };
        // A candidate (discovered, not in a dictionary): dashed outline, and said so.
        let (cand, note) = if is_candidate(e) {
            (", style=\"filled,dashed\", candidate=true", " (candidate)")
        } else {
            ("", "")
        };
        format!(
            "{indent}\"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{color}\", tooltip=\"{}{note}\"{cand}];\n",
            dot_escape(&e.id),
            dot_escape(&e.name),
            dot_escape(e.ty.as_str())
        )
    };
    for (n, (p, members)) in clusters.values().enumerate() {
        s.push_str(&format!(
            "  subgraph \"cluster_{n}\" {{\n    label=\"{}\"; style=\"rounded,dashed\"; color=\"#888888\";\n",
            dot_escape(&dict.entities[*p].name)
        ));
        for &i in members {
            s.push_str(&node_line(i, "    "));
        }
        s.push_str("  }\n");
    }
    for &i in &nodes {
        if !clustered.contains(&i) {
            s.push_str(&node_line(i, "  "));
        }
    }
    w.write_all(s.as_bytes())?;
    graph.for_each_edge(dict, |a, b, d| {
        s.clear();
        let dates: std::collections::BTreeSet<&str> = d
            .evidence
            .iter()
            .filter_map(|e| e.date.as_deref())
            .collect();
        let mut label = d.rel.as_str().to_string();
        if !dates.is_empty() {
            label.push('\n');
            label.push_str(&dates.into_iter().collect::<Vec<_>>().join(", "));
        }
        let style = match d.rel {
            Rel::Visited => "solid",
            Rel::Accompanied => "dashed",
        };
        s.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{}\", style={style}];\n",
            dot_escape(&dict.entities[a].id),
            dot_escape(&dict.entities[b].id),
            dot_escape(&label)
        ));
        w.write_all(s.as_bytes())
    })?;
    w.write_all(b"}\n")
}

/// Is this entity a candidate (`extract --discover`'s layer, or a `candidates -o` layer: the
/// attribute `candidate` = `true`), as the JSON writer tells it?
pub fn is_candidate(e: &crate::dict::Entity) -> bool {
    e.attr("candidate") == "true"
}

/// Escape a string for a DOT double-quoted ID.
pub fn dot_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' | '\r' => o.push_str("\\n"),
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}
