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
  // the project's prefixes, offered by YASQE's prefix completer
  yasgui.on("tabAdd", function () {});
  var tab = yasgui.getTab();
  tab.setQuery(config.first.query);
  var opened = {};
  opened[config.first.name] = true;
  config.examples.forEach(function (ex) {
    if (opened[ex.name]) return;
    var t = yasgui.addTab(false, { name: ex.title, yasqe: { value: ex.query } });
    t.setQuery && t.setQuery(ex.query);
  });
  document.getElementById("plain-editor").hidden = true;
  window.ofstedEditor = { yasgui: yasgui, prefixes: prefixes };
})();
