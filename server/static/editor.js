// Starts YASGUI on /editor (the page's plain form is the fallback when this does not run).
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
    yasqe: { value: config.first.query, resizeable: true, editorHeight: "320px" }
  });
  document.getElementById("plain-editor").hidden = true;
  yasgui.getTab().setQuery(config.first.query);
  config.examples.forEach(function (ex) {
    if (ex.name === config.first.name) return;
    try {
      yasgui.addTab(false, { name: ex.title, yasqe: { value: ex.query } });
    } catch (err) {
      if (window.console) console.warn("example tab", ex.name, err);
    }
  });
  window.ofstedEditor = { yasgui: yasgui, prefixes: prefixes };
})();
