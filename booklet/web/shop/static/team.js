/* The team page's "Make print run": while a run is being made, ask the shop how far it is
   every few seconds and say it in the page's status region (aria-live="polite": a screen
   reader reads each change when the user pauses). When the run ends, say how, offer its
   files, and let the button be pressed again. Without this script the page reloads itself
   (a <noscript> refresh) and shows the same words. */
(function () {
  "use strict";
  var region = document.getElementById("job");
  if (!region || !region.dataset.poll) { return; }
  var url = region.dataset.poll;
  var EVERY_MS = 3000;

  function paragraph(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function ended(status) {
    region.removeAttribute("data-poll");
    region.textContent = "";
    var said = paragraph(status.text || "The print run has ended.");
    if (status.zip) {
      var link = document.createElement("a");
      link.href = status.zip;
      link.setAttribute("download", "");
      link.textContent = "Download its files (zip)";
      said.appendChild(document.createTextNode(" "));
      said.appendChild(link);
    }
    region.appendChild(said);
    if (status.held) { region.appendChild(paragraph(status.held)); }
    var again = document.createElement("p");
    var reload = document.createElement("a");
    reload.href = window.location.pathname;
    reload.textContent = "Show the orders and print runs as they are now";
    again.appendChild(reload);
    region.appendChild(again);
    var button = document.getElementById("make-run");
    if (button) { button.disabled = false; }
  }

  function show(status) {
    if (status.state !== "running") { ended(status); return; }
    var text = document.getElementById("job-text");
    var bar = document.getElementById("job-progress");
    if (text && text.textContent !== status.text) { text.textContent = status.text; }
    if (bar) { bar.value = status.percent; bar.textContent = status.percent + "%"; }
    window.setTimeout(ask, EVERY_MS);
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(show)
      .catch(function () { window.setTimeout(ask, EVERY_MS * 3); });
  }

  window.setTimeout(ask, EVERY_MS);
})();
