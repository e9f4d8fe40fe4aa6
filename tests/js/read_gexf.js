// Reads a GEXF file with graphology-gexf (an implementation independent of networkx) and prints
// what it found as JSON: node and edge counts, and each node's label, type, in-degree and viz
// (colour, size, position).
"use strict";
const fs = require("fs");
const Graph = require("graphology");
const gexf = require("graphology-gexf");

const graph = gexf.parse(Graph, fs.readFileSync(process.argv[2], "utf8"));
const nodes = {};
graph.forEachNode((key, attributes) => {
  nodes[key] = {
    label: attributes.label,
    type: attributes.type,
    in_degree: attributes.in_degree,
    color: attributes.color,
    size: attributes.size,
    x: attributes.x,
    y: attributes.y,
  };
});
process.stdout.write(JSON.stringify({ order: graph.order, size: graph.size, multi: graph.multi, nodes }));
