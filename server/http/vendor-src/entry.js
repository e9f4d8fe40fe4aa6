// The explorer's libraries as globals for a classic <script> (the pages allow no modules from
// elsewhere and no inline code): window.graphology (the Graph class) and window.Sigma.
import Graph from "graphology";
import Sigma from "sigma";

window.graphology = Graph;
window.Sigma = Sigma;
