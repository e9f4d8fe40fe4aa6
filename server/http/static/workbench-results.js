// SPARQL JSON results as a table that pages and sorts, and a bar chart when a column holds
// numbers (grouped counts): shared by the query page and the research queries' pages.
// Our own code, no framework; SVG attributes only (no inline style), within the pages' CSP.
"use strict";
window.vnpolicyResults = (function () {
  const PAGE_SIZE = 50;
  const CHART_ROWS = 60;
  const NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|unsignedInt|unsignedLong)$/;
  const SVG = "http://www.w3.org/2000/svg";

  function isNumber(term) {
    return Boolean(term && term.type !== "uri" && term.datatype && NUMERIC.test(term.datatype));
  }

  function compare(a, b) {
    if (!a || !b) return a ? -1 : b ? 1 : 0; // unbound last
    if (isNumber(a) && isNumber(b)) return Number(a.value) - Number(b.value);
    return a.value.localeCompare(b.value, undefined, { numeric: true });
  }

  function cell(term, pageFor) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = pageFor(term.value);
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (isNumber(term)) td.className = "number";
      if (term["xml:lang"]) {
        td.lang = term["xml:lang"];
        const tag = document.createElement("small");
        tag.textContent = " @" + term["xml:lang"];
        td.appendChild(tag);
      }
    }
    return td;
  }

  // The bar chart: the last numeric column against the other columns' values, one row each.
  function chart(data, into) {
    into.replaceChildren();
    const vars = data.head.vars;
    const rows = data.results.bindings;
    const numeric = vars.filter((name) => rows.length && rows.every((row) => !row[name] || isNumber(row[name])) && rows.some((row) => row[name]));
    if (!numeric.length || rows.length > CHART_ROWS || vars.length < 2) return false;
    const value = numeric[numeric.length - 1];
    const labels = vars.filter((name) => name !== value);
    const largest = Math.max(1, ...rows.map((row) => (row[value] ? Number(row[value].value) : 0)));
    const figure = document.createElement("figure");
    figure.className = "bar-chart";
    const caption = document.createElement("figcaption");
    caption.textContent = "?" + value;
    figure.appendChild(caption);
    for (const row of rows) {
      const amount = row[value] ? Number(row[value].value) : 0;
      const line = document.createElement("div");
      line.className = "bar-row";
      const label = document.createElement("span");
      label.className = "bar-label";
      label.textContent = labels.map((name) => (row[name] ? row[name].value : "–")).join(" · ");
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "bar");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", label.textContent + ": " + amount);
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("x", "0");
      rect.setAttribute("y", "0");
      rect.setAttribute("height", "100%");
      rect.setAttribute("width", Math.max(0, (100 * amount) / largest).toFixed(2) + "%");
      svg.appendChild(rect);
      const number = document.createElement("span");
      number.className = "bar-value";
      number.textContent = String(amount);
      line.append(label, svg, number);
      figure.appendChild(line);
    }
    into.appendChild(figure);
    return true;
  }

  // The table of one page of rows, with sortable headers, and the pager under it.
  function show(data, places) {
    const vars = data.head.vars;
    const all = data.results.bindings.slice();
    const words = places.words || {};
    const state = { sortBy: null, ascending: true, page: 0 };
    chart(data, places.chart);

    function render() {
      let rows = all;
      if (state.sortBy !== null) {
        rows = all.slice().sort((a, b) => compare(a[state.sortBy], b[state.sortBy]) * (state.ascending ? 1 : -1));
      }
      const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages - 1);
      const table = document.createElement("table");
      const head = table.createTHead().insertRow();
      for (const name of vars) {
        const th = document.createElement("th");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = "?" + name;
        if (state.sortBy === name) th.setAttribute("aria-sort", state.ascending ? "ascending" : "descending");
        button.addEventListener("click", () => {
          state.ascending = state.sortBy === name ? !state.ascending : true;
          state.sortBy = name;
          state.page = 0;
          render();
        });
        th.appendChild(button);
        head.appendChild(th);
      }
      const body = table.createTBody();
      for (const binding of rows.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE)) {
        const row = body.insertRow();
        for (const name of vars) row.appendChild(cell(binding[name], places.pageFor));
      }
      places.results.replaceChildren(table);
      places.pager.replaceChildren();
      if (pages > 1) {
        const previous = document.createElement("button");
        previous.type = "button";
        previous.className = "previous";
        previous.textContent = "‹ " + (words.previous || "Previous");
        previous.disabled = state.page === 0;
        previous.addEventListener("click", () => { state.page -= 1; render(); });
        const where = document.createElement("span");
        where.className = "page-number";
        where.textContent = (words.page || "Page") + " " + (state.page + 1) + " / " + pages;
        const next = document.createElement("button");
        next.type = "button";
        next.className = "next";
        next.textContent = (words.next || "Next") + " ›";
        next.disabled = state.page === pages - 1;
        next.addEventListener("click", () => { state.page += 1; render(); });
        places.pager.append(previous, where, next);
      }
    }
    render();
  }

  function clear(places) {
    places.results.replaceChildren();
    places.pager.replaceChildren();
    places.chart.replaceChildren();
  }

  // Where a result's URI leads: its own page on this server, or the page for outside URIs.
  function pageMaker(bases, lang) {
    return function (uri) {
      for (const base of bases) {
        const rest = uri.slice(base.length);
        // "//host/…" (or "/\\host") would leave the site: such URIs get the outside-URI page.
        if (uri.startsWith(base) && rest && !rest.startsWith("/") && !rest.includes("\\")) {
          return "/" + rest + (lang === "vi" ? "?lang=vi" : "");
        }
      }
      return "/resource?uri=" + encodeURIComponent(uri);
    };
  }

  return { show, clear, pageMaker, PAGE_SIZE };
})();
