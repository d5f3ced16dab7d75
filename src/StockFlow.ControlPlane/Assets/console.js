// StockFlow console: live updates and small conveniences. Every piece of data arrives as
// server-rendered, HTML-encoded markup or is written with textContent/value, never as raw HTML.
(function () {
  "use strict";

  function poll(fn, ms) { var timer = setInterval(fn, ms); return function () { clearInterval(timer); }; }

  // Executions list: refresh the first page's rows while the page is open.
  var live = document.querySelector("tbody[data-live]");
  if (live) {
    poll(function () {
      fetch(live.getAttribute("data-live"), { headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null && html !== live.innerHTML) { live.innerHTML = html; } })
        .catch(function () { /* the server restarted: try again on the next tick */ });
    }, 2000);
  }

  // Execution page: while it runs, reload when its status or history changes.
  var execution = document.getElementById("execution");
  if (execution && execution.getAttribute("data-status") === "RUNNING") {
    var events = execution.getAttribute("data-events");
    poll(function () {
      fetch(location.pathname + "/state")
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (s.status !== "RUNNING" || String(s.events) !== events) { location.reload(); }
        })
        .catch(function () { });
    }, 1000);
  }

  // Start form: prefill the input from the chosen state machine's last run.
  var machine = document.getElementById("start-machine");
  var input = document.getElementById("start-input");
  if (machine && input) {
    machine.addEventListener("change", function () {
      fetch("/ui/machines/" + encodeURIComponent(machine.value) + "/last-input")
        .then(function (r) { return r.ok ? r.text() : "{}"; })
        .then(function (text) { input.value = text; });
    });
  }
})();
