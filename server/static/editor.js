// Starts YASGUI on /editor (the page's plain form is the fallback when this does not run).
// The first tab holds the query the page was opened on (a canned query with its parameters
// bound, or a share link's query, from ?query= or YASGUI's #query=); a share link's query runs
// at once, so its results reappear.
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  if (!holder || holder.dataset.enabled !== "yes" || typeof Yasgui === "undefined") return;
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var prefixes = Object.keys(config.prefixes).map(function (p) {
    return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
  });
  var yasgui = new Yasgui(holder, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    // completions from the bundled prefix list and the query's own variables only: the class
    // and property completers would ask a server elsewhere (lov.linkeddata.es)
    yasqe: { value: config.first.query, resizeable: true, editorHeight: "320px",
             autocompleters: ["prefixes", "variables"] }
  });
  document.getElementById("plain-editor").hidden = true;
  // YASGUI's share links carry the query in the fragment (#query=...): reopen it and run it
  var shared = new URLSearchParams(window.location.hash.slice(1)).get("query");
  var first = yasgui.getTab();
  first.setQuery(shared || config.first.query);
  if (config.first.title && first.setName) first.setName(config.first.title);
  config.examples.forEach(function (ex) {
    if (ex.name === config.first.name) return;
    try {
      yasgui.addTab(false, { name: ex.title, yasqe: { value: ex.query, autocompleters: ["prefixes", "variables"] } });
    } catch (err) {
      if (window.console) console.warn("example tab", ex.name, err);
    }
  });
  yasgui.selectTabId(first.getId());
  if (config.run || shared) first.query();
  window.ofstedEditor = { yasgui: yasgui, prefixes: prefixes };
})();
