// The query page: runs the editor's query against /sparql and shows the answer as a table.
// No framework and no outside assets: the page must work offline.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("editor");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const bases = form.dataset.bases.split(" ").filter(Boolean);
  const lang = form.dataset.lang;

  function pageFor(uri) {
    for (const base of bases) {
      const rest = uri.slice(base.length);
      // "//host/…" (or "/\\host") would leave the site: such URIs get the outside-URI page.
      if (uri.startsWith(base) && rest && !rest.startsWith("/") && !rest.includes("\\")) {
        return "/" + rest + (lang === "vi" ? "?lang=vi" : "");
      }
    }
    return "/resource?uri=" + encodeURIComponent(uri);
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = pageFor(term.value);
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) {
        td.lang = term["xml:lang"];
        const tag = document.createElement("small");
        tag.textContent = " @" + term["xml:lang"];
        td.appendChild(tag);
      }
    }
    return td;
  }

  function table(data) {
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const name of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = "?" + name;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const binding of data.results.bindings) {
      const row = body.insertRow();
      for (const name of data.head.vars) row.appendChild(cell(binding[name]));
    }
    return t;
  }

  function updateDownloads() {
    for (const link of document.querySelectorAll("a.download")) {
      const params = new URLSearchParams({ query: editor.value, format: link.dataset.format });
      link.href = "/sparql?" + params.toString();
    }
  }

  async function run(event) {
    if (event) event.preventDefault();
    updateDownloads();
    results.replaceChildren();
    status.textContent = "…";
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: editor.value }),
      });
    } catch (error) {
      status.textContent = String(error);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      if (type.startsWith("application/problem+json")) {
        const problem = await response.json();
        status.textContent = problem.status + " " + problem.detail;
      } else {
        status.textContent = await response.text();
      }
      status.classList.add("error");
      return;
    }
    status.classList.remove("error");
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      if ("boolean" in data) {
        status.textContent = "ASK → " + data.boolean + " (" + seconds + " s)";
        return;
      }
      status.textContent =
        data.results.bindings.length + (lang === "vi" ? " hàng (" : " rows (") + seconds + " s)";
      results.appendChild(table(data));
    } else {
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      status.textContent = "RDF (" + seconds + " s)";
      results.appendChild(pre);
    }
  }

  form.addEventListener("submit", run);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
    if (event.key === "Tab") {
      event.preventDefault();
      const at = editor.selectionStart;
      editor.setRangeText("  ", at, editor.selectionEnd, "end");
    }
  });
  editor.addEventListener("input", updateDownloads);
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => {
      editor.value = document.getElementById("example-" + button.dataset.example).content.textContent;
      run();
    });
  }
  updateDownloads();
  if (editor.value.trim() && new URLSearchParams(location.search).has("query")) run();
})();
