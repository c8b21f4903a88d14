//! DOT: a graph in, Graphviz DOT out. It renders with `dot -Tsvg`: organizations clustered
//! by place, shapes and colours by node type, relation and date on every edge, a CJK-capable
//! font, every string escaped. A candidate node (discovered, not in a dictionary) is drawn
//! with a dashed outline and carries `candidate=true`.
//!
//! Every DOT ends with a legend (a cluster of its own: the node shapes and colours per type,
//! the edge style per relation, what a dashed outline means). Above [`LARGE`] nodes it
//! starts with a comment: `dot` is slow and dense at that size, `sfdp` is made for it, and
//! the filters (`--around`, `--relation`, `--since`) make the graph smaller.

use crate::corpus::graph::GraphView;
use crate::dict::{Dictionary, EntityType};
use crate::page::relate::Rel;

/// From this many nodes on, the DOT starts with the advice for large graphs.
pub const LARGE: usize = 300;

/// The node shape and fill colour of a type (the legend shows the same).
fn look(ty: EntityType) -> (&'static str, &'static str) {
    match ty {
        EntityType::Official => ("ellipse", "#cfe2ff"),
        EntityType::Organization => ("box", "#ffe5b4"),
        EntityType::Place => ("hexagon", "#d1e7dd"),
    }
}

/// A comment for a graph of `nodes` nodes, when it is large: how to draw it, how to narrow it.
fn large_note(nodes: usize) -> String {
    if nodes < LARGE {
        return String::new();
    }
    format!(
        "// visitgraph: {nodes} nodes. `dot` lays out a graph this size slowly and densely; try\n\
         //   sfdp -Tsvg -Goverlap=prism -Gsplines=false graph.dot > graph.svg\n\
         // or draw less: visitgraph extract --format dot --around ID [--hops N], --relation\n\
         // visited|accompanied, --since DATE [--until DATE]. (`--format html` shows it whole.)\n"
    )
}

/// The legend: a cluster of example nodes, one per type, and an edge per relation; a
/// dashed outline (a candidate) is told in its label, not drawn (no example node is a
/// candidate). Its ids start with `prefix`, which no node's id does.
fn legend(prefix: &str) -> String {
    let mut s = String::from(
        "  subgraph \"cluster_legend\" {\n    label=\"legend (a dashed outline: a candidate, not in a dictionary)\"; style=\"rounded\"; color=\"#bbbbbb\"; fontsize=10;\n",
    );
    for (id, label, ty) in [
        ("official", "official", EntityType::Official),
        ("companion", "official", EntityType::Official),
        ("organization", "organization", EntityType::Organization),
        ("place", "place", EntityType::Place),
    ] {
        let (shape, color) = look(ty);
        s.push_str(&format!(
            "    \"{prefix}{id}\" [label=\"{label}\", shape={shape}, fillcolor=\"{color}\", fontsize=10];\n"
        ));
    }
    for (a, b, rel) in [
        ("official", "organization", Rel::Visited),
        ("official", "place", Rel::Visited),
        ("companion", "official", Rel::Accompanied),
    ] {
        s.push_str(&format!(
            "    \"{prefix}{a}\" -> \"{prefix}{b}\" [label=\"{}\", style={}];\n",
            rel.as_str(),
            edge_style(rel)
        ));
    }
    s.push_str("  }\n");
    s
}

/// The line style of a relation.
fn edge_style(rel: Rel) -> &'static str {
    match rel {
        Rel::Visited => "solid",
        Rel::Accompanied => "dashed",
    }
}

/// Write the graph as Graphviz DOT: the nodes, then one edge at a time as the graph gives
/// them, then the legend.
pub fn write_dot<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let font = "Noto Sans CJK SC,Noto Sans SC,WenQuanYi Micro Hei,SimHei,sans-serif";
    let nodes = graph.sorted_nodes(dict);
    let mut s = large_note(nodes.len());
    s.push_str("digraph visitgraph {\n");
    s.push_str(&format!(
        "  graph [rankdir=LR, fontname=\"{font}\", charset=\"UTF-8\"];\n"
    ));
    s.push_str(&format!("  node [fontname=\"{font}\", style=filled];\n"));
    s.push_str(&format!("  edge [fontname=\"{font}\", fontsize=10];\n"));
    // Organizations are clustered by their place; a visited place joins its own cluster.
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
        let (shape, color) = look(e.ty);
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
        let style = edge_style(d.rel);
        s.push_str(&format!(
            "  \"{}\" -> \"{}\" [label=\"{}\", style={style}];\n",
            dot_escape(&dict.entities[a].id),
            dot_escape(&dict.entities[b].id),
            dot_escape(&label)
        ));
        w.write_all(s.as_bytes())
    })?;
    // `legend:`, or `_legend:`… if a node's id starts with it.
    let mut prefix = String::from("legend:");
    while nodes
        .iter()
        .any(|&i| dict.entities[i].id.starts_with(prefix.as_str()))
    {
        prefix.insert(0, '_');
    }
    w.write_all(legend(&dot_escape(&prefix)).as_bytes())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_graph_is_told_of_sfdp_and_the_filters() {
        assert_eq!(large_note(LARGE - 1), "");
        let note = large_note(LARGE);
        for want in ["sfdp", "--around", "--relation", "--since"] {
            assert!(note.contains(want), "{want} in {note}");
        }
        assert!(note.lines().all(|l| l.starts_with("// ")), "{note}");
    }

    #[test]
    fn the_legend_has_every_type_and_relation() {
        let l = legend("legend:");
        for want in [
            "shape=ellipse",
            "shape=box",
            "shape=hexagon",
            "label=\"visited\", style=solid",
            "label=\"accompanied\", style=dashed",
        ] {
            assert!(l.contains(want), "{want} in {l}");
        }
        assert!(
            !l.contains("filled,dashed"),
            "no example node is a candidate"
        );
    }
}
