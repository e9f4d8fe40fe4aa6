// A research query's page: the form runs the query through /api/queries/{name} and shows the
// answer as a table that pages, sorts and charts; the chosen format stays a download link.
// Without JavaScript the form itself asks the API for the chosen format.
"use strict";
(function () {
  const form = document.getElementById("catalogue-form");
  const status = document.getElementById("status");
  const download = document.getElementById("download");
  const lang = form.dataset.lang;
  const results = window.vnpolicyResults;
  const places = {
    results: document.getElementById("results"),
    pager: document.getElementById("pager"),
    chart: document.getElementById("chart"),
    pageFor: results.pageMaker(form.dataset.bases.split(" ").filter(Boolean), lang),
    words: { page: form.dataset.page, previous: form.dataset.previous, next: form.dataset.next },
  };

  async function run(event) {
    event.preventDefault();
    const params = new URLSearchParams(new FormData(form));
    const chosen = params.get("format");
    params.delete("format");
    const api = form.getAttribute("action");
    const asked = new URLSearchParams(params);
    asked.set("format", chosen);
    download.href = api + "?" + asked.toString();
    download.hidden = false;
    results.clear(places);
    status.classList.remove("error");
    status.textContent = "…";
    const response = await fetch(api + "?" + params.toString(), { headers: { Accept: "application/sparql-results+json" } });
    if (!response.ok) {
      status.textContent = await response.text();
      status.classList.add("error");
      return;
    }
    const data = await response.json();
    status.textContent = data.results.bindings.length + " " + form.dataset.rows;
    results.show(data, places);
  }

  form.addEventListener("submit", run);
})();
