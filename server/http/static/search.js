// Suggestions for the search box in every page's header (an ARIA combobox). Without JavaScript
// the box is a plain GET form to /search; with it, typing asks /search/suggest (OpenSearch
// suggestions: [query, labels, details, URLs]) and lists what it answers. Arrow keys move
// through the list, Enter opens the chosen one (or searches), Escape closes it.
(function () {
  "use strict";
  const input = document.getElementById("site-search");
  const list = document.getElementById("site-search-list");
  if (!input || !list) return;
  let options = [];
  let active = -1;
  let timer = 0;
  let pending = null;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    options = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(index) {
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(labels, details, urls) {
    list.replaceChildren();
    options = labels.map((label, i) => {
      const option = document.createElement("li");
      option.id = "site-search-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = urls[i];
      option.append(document.createTextNode(label));
      if (details[i]) {
        const detail = document.createElement("small");
        detail.textContent = details[i];
        option.append(detail);
      }
      list.append(option);
      return option;
    });
    active = -1;
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(options.length > 0));
  }

  async function suggest() {
    const text = input.value.trim();
    if (text.length < 2) {
      close();
      return;
    }
    if (pending) pending.abort();
    pending = new AbortController();
    const params = new URLSearchParams({ q: text, lang: input.dataset.lang || "en" });
    try {
      const response = await fetch(input.dataset.suggest + "?" + params, {
        signal: pending.signal,
        headers: { Accept: "application/x-suggestions+json" },
      });
      if (!response.ok) {
        close();
        return;
      }
      const [, labels, details, urls] = await response.json();
      if (input.value.trim() === text) show(labels, details, urls);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      choose((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault();
      choose(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(options[active].dataset.url);
    } else if (event.key === "Escape") {
      close();
    }
  });
  list.addEventListener("mousedown", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) {
      event.preventDefault();
      window.location.assign(option.dataset.url);
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
})();
