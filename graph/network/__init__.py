"""Networks of the graph: views defined by SPARQL, a networkx adapter with metrics, and
writers for the formats network tools read."""
