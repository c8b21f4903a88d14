//! Analyst output formats beyond JSON and DOT (Cytoscape, GraphML, GEXF, Neo4j, events,
//! HTML) and the graph filters shared by every format.
