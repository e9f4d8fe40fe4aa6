// The query page: a SPARQL editor (CodeMirror 6, vendored in /static/vendor/editor/) with the
// project's prefixes, classes and properties to complete, the server's syntax errors marked at
// their line and column, a shareable URL, a local history, results that page, sort and chart,
// and downloads in every format. Without the editor's bundle the plain textarea still works,
// and without JavaScript the form itself sends the query to /sparql.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("editor");
  const status = document.getElementById("status");
  const share = document.getElementById("share");
  const lang = form.dataset.lang;
  const results = window.vnpolicyResults;
  const places = {
    results: document.getElementById("results"),
    pager: document.getElementById("pager"),
    chart: document.getElementById("chart"),
    pageFor: results.pageMaker(form.dataset.bases.split(" ").filter(Boolean), lang),
    words: { page: form.dataset.page, previous: form.dataset.previous, next: form.dataset.next },
  };
  const HISTORY_KEY = "vnpolicy.queryHistory";
  const HISTORY_SIZE = 25;
  const KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH",
    "BIND", "VALUES", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT",
    "DESCRIBE", "COUNT", "GROUP_CONCAT", "SAMPLE", "LANG", "LANGMATCHES", "STR", "REGEX",
    "CONTAINS", "STRSTARTS", "COALESCE", "EXISTS", "NOT EXISTS", "PREFIX", "DESC", "ASC", "AS"];
  const CM = window.VnpolicyCodeMirror;
  let view = null;

  // --- The editor -------------------------------------------------------------------------
  function text() {
    return view ? view.state.doc.toString() : textarea.value;
  }

  function setText(value) {
    if (view) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    else textarea.value = value;
    textarea.value = value;
    changed();
  }

  let terms = null;
  async function loadTerms() {
    if (terms) return terms;
    const response = await fetch("/api/terms", { headers: { Accept: "application/json" } });
    const data = await response.json();
    const options = [];
    for (const [prefix, iri] of Object.entries(data.prefixes)) {
      options.push({ label: prefix + ":", type: "namespace", detail: iri, boost: -1 });
    }
    for (const term of data.terms) {
      const label = term.labels[lang] || term.labels.en || "";
      options.push({ label: term.name, type: term.kind === "class" ? "class" : "property",
        detail: label ? label + " · " + term.count : String(term.count) });
    }
    for (const word of KEYWORDS) options.push({ label: word, type: "keyword", boost: -2 });
    terms = options;
    return terms;
  }

  async function complete(context) {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:?[\w-]*/);
    if (!word && !context.explicit) return null;
    const options = await loadTerms();
    return { from: word ? word.from : context.pos, options, validFor: /^[\w-]*:?[\w-]*$/ };
  }

  const THEME = CM && CM.EditorView.theme({
    "&": { minHeight: "12rem", maxHeight: "28rem", fontSize: "14px", backgroundColor: "#fff" },
    "&.cm-focused": { outline: "2px solid #3b6ea8", outlineOffset: "-1px" },
    ".cm-scroller": { fontFamily: "ui-monospace, monospace", lineHeight: "1.4" },
    ".cm-lintRange-error": { backgroundColor: "#fbe3e1" },
    ".cm-tooltip-autocomplete ul li": { fontFamily: "ui-monospace, monospace" },
  });

  function createEditor() {
    // In a shadow root: CodeMirror then adds its styles as a constructed style sheet, which the
    // pages' Content-Security-Policy allows, instead of a <style> element, which it blocks.
    const host = document.createElement("div");
    host.className = "editor-host";
    textarea.after(host);
    const shadow = host.attachShadow({ mode: "open" });
    view = new CM.EditorView({
      parent: shadow,
      root: shadow,
      state: CM.EditorState.create({
        doc: textarea.value,
        extensions: [
          CM.keymap.of([{ key: "Mod-Enter", run: () => { run(); return true; } }]),
          CM.lineNumbers(),
          CM.history(),
          CM.drawSelection(),
          CM.highlightActiveLine(),
          CM.bracketMatching(),
          CM.closeBrackets(),
          CM.StreamLanguage.define(CM.sparql),
          CM.syntaxHighlighting(CM.defaultHighlightStyle),
          CM.autocompletion({ override: [complete] }),
          CM.lintGutter(),
          CM.EditorView.lineWrapping,
          THEME,
          CM.EditorView.contentAttributes.of({ "aria-label": textarea.getAttribute("aria-label") }),
          CM.keymap.of([...CM.closeBracketsKeymap, ...CM.defaultKeymap, ...CM.historyKeymap,
            ...CM.completionKeymap, CM.indentWithTab]),
          CM.EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            textarea.value = update.state.doc.toString();
            changed();
          }),
        ],
      }),
    });
    textarea.hidden = true;
    form.classList.add("with-editor");
  }

  // The server's syntax error ("error at LINE:COLUMN: …") marked where it is.
  function markError(message) {
    const found = /error at (\d+):(\d+)/.exec(message);
    if (!found || !view) return;
    const doc = view.state.doc;
    const line = doc.line(Math.min(Math.max(1, Number(found[1])), doc.lines));
    let from = Math.min(line.from + Math.max(0, Number(found[2]) - 1), line.to);
    let to = Math.min(from + 1, line.to);
    if (from === to && from > line.from) from -= 1;
    if (from === to) to = Math.min(from + 1, doc.length);
    const diagnostic = { from, to, severity: "error", message: message.replace(/^400 /, "") };
    view.dispatch(CM.setDiagnostics(view.state, [diagnostic]));
  }

  function clearError() {
    if (view) view.dispatch(CM.setDiagnostics(view.state, []));
  }

  // --- Links: the shareable URL and the downloads -----------------------------------------
  function shareUrl() {
    const params = new URLSearchParams({ query: text() });
    if (lang === "vi") params.set("lang", "vi");
    return "/query?" + params.toString();
  }

  function changed() {
    share.href = shareUrl();
    for (const link of document.querySelectorAll("a.download")) {
      const params = new URLSearchParams({ query: text(), format: link.dataset.format });
      link.href = "/sparql?" + params.toString();
    }
  }

  function showDownloads(kind) {
    for (const link of document.querySelectorAll("a.download")) {
      link.hidden = kind !== null && link.dataset.form !== kind;
    }
  }

  // --- History, in this browser only ------------------------------------------------------
  function readHistory() {
    try {
      const kept = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(kept) ? kept.filter((item) => typeof item === "string") : [];
    } catch (error) {
      return [];
    }
  }

  function remember(query) {
    const kept = [query, ...readHistory().filter((item) => item !== query)].slice(0, HISTORY_SIZE);
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(kept));
    } catch (error) {
      // storage full or refused: the history is a convenience
    }
    showHistory();
  }

  function showHistory() {
    const kept = readHistory();
    const list = document.getElementById("history");
    document.getElementById("history-section").hidden = kept.length === 0;
    list.replaceChildren();
    for (const query of kept) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "recall";
      button.textContent = query.replace(/\s+/g, " ").slice(0, 120);
      button.title = query;
      button.addEventListener("click", () => { setText(query); view ? view.focus() : textarea.focus(); });
      item.appendChild(button);
      list.appendChild(item);
    }
  }

  // --- Running ----------------------------------------------------------------------------
  async function run(event) {
    if (event) event.preventDefault();
    const query = text();
    changed();
    clearError();
    results.clear(places);
    status.classList.remove("error");
    status.textContent = "…";
    history.replaceState(null, "", shareUrl());
    remember(query);
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query }),
      });
    } catch (error) {
      status.textContent = String(error);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      let message;
      if (type.startsWith("application/problem+json")) {
        const problem = await response.json();
        message = problem.status + " " + problem.detail;
      } else {
        message = await response.text();
      }
      status.textContent = message;
      status.classList.add("error");
      markError(message);
      return;
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      showDownloads("select");
      if ("boolean" in data) {
        status.textContent = "ASK → " + data.boolean + " (" + seconds + " s)";
        return;
      }
      status.textContent = data.results.bindings.length + " " + form.dataset.rows + " (" + seconds + " s)";
      results.show(data, places);
    } else {
      showDownloads("graph");
      const pre = document.createElement("pre");
      pre.textContent = await response.text();
      status.textContent = "RDF (" + seconds + " s)";
      places.results.appendChild(pre);
    }
  }

  if (CM) createEditor();
  form.addEventListener("submit", run);
  if (!view) {
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(event);
    });
    textarea.addEventListener("input", changed);
  }
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => {
      setText(document.getElementById("example-" + button.dataset.example).content.textContent);
      run();
    });
  }
  document.getElementById("clear-history").addEventListener("click", () => {
    try {
      localStorage.removeItem(HISTORY_KEY);
    } catch (error) {
      // nothing kept
    }
    showHistory();
  });
  form.classList.add("scripted");
  changed();
  showHistory();
  if (text().trim() && new URLSearchParams(location.search).has("query")) run();
})();
