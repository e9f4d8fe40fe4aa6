// The graph explorer: draws a network view (/export/VIEW.d3.json) on a canvas with a force
// layout, pan (drag), zoom (wheel), filters by pillar, type and certainty, search by label, and
// a click on a node opens its resource page. Written for this project (decision 0013): no
// framework, no outside assets, so the page works offline.
"use strict";
(function () {
  const root = document.getElementById("explorer");
  const canvas = document.getElementById("network");
  const context = canvas.getContext("2d");
  const status = document.getElementById("explorer-status");
  const bases = root.dataset.bases.split(" ").filter(Boolean);
  const lang = root.dataset.lang;
  const PILLAR_COLOURS = {
    "institutions": "#1f77b4", "human-resources": "#ff7f0e", "infrastructure": "#2ca02c",
    "data": "#d62728", "strategic-technology": "#9467bd",
  };
  const PALETTE = ["#17becf", "#bcbd22", "#7f7f7f", "#e377c2", "#8c564b", "#1f77b4", "#ff7f0e"];
  const state = { nodes: [], links: [], byId: new Map(), scale: 1, x: 0, y: 0, selected: null };

  function pageFor(uri) {
    for (const base of bases) {
      const rest = uri.slice(base.length);
      // "//host/…" (or "/\\host") would leave the site: such URIs get the outside-URI page.
      if (uri.startsWith(base) && rest && !rest.startsWith("/") && !rest.includes("\\")) {
        return "/" + rest + (lang === "vi" ? "?lang=vi" : "");
      }
    }
    return "/resource?uri=" + encodeURIComponent(uri) + (lang === "vi" ? "&lang=vi" : "");
  }

  function hash(text) {
    let value = 0;
    for (const char of text) value = (value * 31 + char.codePointAt(0)) >>> 0;
    return value;
  }

  function pillarsOf(node) {
    return (node.pillars || "").split(";").filter(Boolean);
  }

  function colour(node) {
    const pillars = pillarsOf(node);
    if (pillars.length === 1 && PILLAR_COLOURS[pillars[0]]) return PILLAR_COLOURS[pillars[0]];
    if (node.uri.includes("/vocab/pillar/")) return PILLAR_COLOURS[node.uri.split("/").pop()] || "#444";
    return PALETTE[hash(node.type || "") % PALETTE.length];
  }

  // A force layout run to rest before the first drawing: repulsion between all pairs (a few
  // hundred nodes), springs along links, a pull to the centre; positions start on a circle, so
  // the same data always gives the same picture.
  function layout(nodes, links) {
    const count = nodes.length;
    nodes.forEach((node, index) => {
      const angle = (2 * Math.PI * index) / Math.max(count, 1);
      node.x = 300 * Math.cos(angle);
      node.y = 300 * Math.sin(angle);
    });
    const spring = 60;
    for (let step = 0; step < 300; step++) {
      const heat = 1 - step / 300;
      for (const node of nodes) { node.dx = -node.x * 0.01; node.dy = -node.y * 0.01; }
      for (let i = 0; i < count; i++) {
        for (let j = i + 1; j < count; j++) {
          const a = nodes[i], b = nodes[j];
          let dx = a.x - b.x, dy = a.y - b.y;
          const distance2 = Math.max(dx * dx + dy * dy, 1);
          const push = 2000 / distance2;
          dx *= push; dy *= push;
          a.dx += dx; a.dy += dy; b.dx -= dx; b.dy -= dy;
        }
      }
      for (const link of links) {
        const a = link.sourceNode, b = link.targetNode;
        const dx = b.x - a.x, dy = b.y - a.y;
        const distance = Math.max(Math.hypot(dx, dy), 0.01);
        const pull = (distance - spring) * 0.02;
        a.dx += (dx / distance) * pull; a.dy += (dy / distance) * pull;
        b.dx -= (dx / distance) * pull; b.dy -= (dy / distance) * pull;
      }
      for (const node of nodes) {
        const move = Math.hypot(node.dx, node.dy);
        const limit = 20 * heat + 0.5;
        const factor = move > limit ? limit / move : 1;
        node.x += node.dx * factor;
        node.y += node.dy * factor;
      }
    }
  }

  function filters() {
    const checked = (name) => new Set(
      [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value));
    return { pillars: checked("pillar"), types: checked("type"), certainties: checked("certainty") };
  }

  function visible(node, chosen) {
    const pillars = pillarsOf(node);
    const pillarOk = pillars.length === 0 ? chosen.pillars.has("(none)")
      : pillars.some((pillar) => chosen.pillars.has(pillar));
    return pillarOk && chosen.types.has(node.type || "(none)");
  }

  function shown() {
    const chosen = filters();
    const nodes = state.nodes.filter((node) => visible(node, chosen));
    const ids = new Set(nodes.map((node) => node.id));
    const links = state.links.filter((link) => ids.has(link.source) && ids.has(link.target)
      && chosen.certainties.has(link.certainty || "(none)"));
    return { nodes, links };
  }

  function toScreen(node) {
    return { x: node.x * state.scale + state.x, y: node.y * state.scale + state.y };
  }

  function radius(node) {
    return 4 + 2.5 * Math.sqrt((node.in_degree || 0) + (node.out_degree || 0));
  }

  function draw() {
    const { nodes, links } = shown();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.lineWidth = 1;
    for (const link of links) {
      const a = toScreen(link.sourceNode), b = toScreen(link.targetNode);
      context.strokeStyle = link.assertion === "derived" ? "#bbb" : "#888";
      context.setLineDash(link.assertion === "derived" || link.certainty === "uncertain" ? [4, 3] : []);
      context.beginPath(); context.moveTo(a.x, a.y); context.lineTo(b.x, b.y); context.stroke();
      const angle = Math.atan2(b.y - a.y, b.x - a.x);
      const end = radius(link.targetNode) * Math.min(state.scale, 2);
      const tip = { x: b.x - end * Math.cos(angle), y: b.y - end * Math.sin(angle) };
      context.setLineDash([]);
      context.beginPath();
      context.moveTo(tip.x, tip.y);
      context.lineTo(tip.x - 7 * Math.cos(angle - 0.4), tip.y - 7 * Math.sin(angle - 0.4));
      context.lineTo(tip.x - 7 * Math.cos(angle + 0.4), tip.y - 7 * Math.sin(angle + 0.4));
      context.closePath(); context.fillStyle = "#888"; context.fill();
    }
    context.font = "12px sans-serif";
    for (const node of nodes) {
      const at = toScreen(node);
      const size = radius(node) * Math.min(state.scale, 2);
      context.beginPath(); context.arc(at.x, at.y, size, 0, 2 * Math.PI);
      context.fillStyle = colour(node); context.fill();
      if (node.id === state.selected) {
        context.lineWidth = 3; context.strokeStyle = "#000"; context.stroke(); context.lineWidth = 1;
      }
      if (size > 7 || node.id === state.selected) {
        context.fillStyle = "#222";
        context.fillText(node.label.slice(0, 40), at.x + size + 2, at.y + 4);
      }
    }
    status.textContent = lang === "vi"
      ? `${nodes.length} / ${state.nodes.length} nút · ${links.length} liên kết`
      : `${nodes.length} / ${state.nodes.length} nodes · ${links.length} links`;
    state.drawn = nodes.map((node) => node.id);
  }

  function nodeAt(x, y) {
    let best = null, bestDistance = Infinity;
    for (const id of state.drawn || []) {
      const node = state.byId.get(id);
      const at = toScreen(node);
      const distance = Math.hypot(at.x - x, at.y - y);
      if (distance <= radius(node) * Math.min(state.scale, 2) + 3 && distance < bestDistance) {
        best = node; bestDistance = distance;
      }
    }
    return best;
  }

  function fit() {
    const { nodes } = shown();
    if (!nodes.length) return;
    const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
    const width = Math.max(...xs) - Math.min(...xs) + 80, height = Math.max(...ys) - Math.min(...ys) + 80;
    state.scale = Math.min(canvas.width / width, canvas.height / height, 2);
    state.x = canvas.width / 2 - ((Math.max(...xs) + Math.min(...xs)) / 2) * state.scale;
    state.y = canvas.height / 2 - ((Math.max(...ys) + Math.min(...ys)) / 2) * state.scale;
  }

  function checkboxes(containerId, name, values, label) {
    const container = document.getElementById(containerId);
    container.replaceChildren();
    for (const value of values) {
      const item = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox"; input.name = name; input.value = value; input.checked = true;
      input.addEventListener("change", draw);
      item.append(input, " ", label ? label(value) : value);
      container.append(item);
    }
  }

  async function load(view) {
    status.textContent = "…";
    const response = await fetch(`/export/${view}.d3.json?lang=${lang}`);
    if (!response.ok) { status.textContent = await response.text(); return; }
    const data = await response.json();
    state.nodes = data.nodes;
    state.byId = new Map(state.nodes.map((node) => [node.id, node]));
    state.links = data.links.map((link) => ({
      ...link, sourceNode: state.byId.get(link.source), targetNode: state.byId.get(link.target),
    }));
    layout(state.nodes, state.links);
    const pillars = new Set(["(none)"]);
    state.nodes.forEach((node) => pillarsOf(node).forEach((pillar) => pillars.add(pillar)));
    checkboxes("filter-pillar", "pillar", [...pillars].sort());
    checkboxes("filter-type", "type", [...new Set(state.nodes.map((n) => n.type || "(none)"))].sort());
    checkboxes("filter-certainty", "certainty",
      [...new Set(state.links.map((l) => l.certainty || "(none)"))].sort());
    state.selected = null;
    fit(); draw();
    root.dataset.loaded = view;
  }

  let dragging = null;
  canvas.addEventListener("mousedown", (event) => {
    dragging = { x: event.offsetX, y: event.offsetY, moved: false };
  });
  canvas.addEventListener("mousemove", (event) => {
    if (dragging) {
      state.x += event.offsetX - dragging.x; state.y += event.offsetY - dragging.y;
      if (Math.abs(event.offsetX - dragging.x) + Math.abs(event.offsetY - dragging.y) > 0) dragging.moved = true;
      dragging.x = event.offsetX; dragging.y = event.offsetY;
      draw();
    } else {
      const node = nodeAt(event.offsetX, event.offsetY);
      canvas.title = node ? `${node.label}\n${node.type}\n${node.uri}` : "";
      canvas.style.cursor = node ? "pointer" : "grab";
    }
  });
  canvas.addEventListener("mouseup", (event) => {
    const wasDrag = dragging && dragging.moved;
    dragging = null;
    if (wasDrag) return;
    const node = nodeAt(event.offsetX, event.offsetY);
    if (node) window.location.href = pageFor(node.uri);
  });
  canvas.addEventListener("wheel", (event) => {
    event.preventDefault();
    const factor = event.deltaY < 0 ? 1.15 : 1 / 1.15;
    state.x = event.offsetX - (event.offsetX - state.x) * factor;
    state.y = event.offsetY - (event.offsetY - state.y) * factor;
    state.scale *= factor;
    draw();
  }, { passive: false });

  document.getElementById("search").addEventListener("input", (event) => {
    const text = event.target.value.trim().toLowerCase();
    const found = text ? state.nodes.find((node) => node.label.toLowerCase().includes(text)) : null;
    state.selected = found ? found.id : null;
    if (found) {
      state.x = canvas.width / 2 - found.x * state.scale;
      state.y = canvas.height / 2 - found.y * state.scale;
    }
    draw();
  });
  document.getElementById("view").addEventListener("change", (event) => load(event.target.value));
  document.getElementById("fit").addEventListener("click", () => { fit(); draw(); });

  // For the page's own tests and for anyone scripting it from the console.
  window.explorer = {
    drawn: () => [...(state.drawn || [])],
    selected: () => state.selected,
    screenPosition: (id) => {
      const at = toScreen(state.byId.get(id));
      const box = canvas.getBoundingClientRect();
      return { x: box.left + at.x, y: box.top + at.y };
    },
  };
  load(document.getElementById("view").value);
})();
