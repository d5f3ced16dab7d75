// StockFlow console: live updates and small conveniences. Every piece of data arrives as
// server-rendered, HTML-encoded markup or is written with textContent/value, never as raw HTML.
(function () {
  "use strict";

  function poll(fn, ms) { var timer = setInterval(fn, ms); return function () { clearInterval(timer); }; }

  // Live updates come as Server-Sent Events (the server pushes a change as it is recorded). Without
  // EventSource, or when the stream closes for good (a proxy that refuses it), the page polls instead.
  function follow(url, eventName, onData, fallback) {
    if (!window.EventSource) { fallback(); return function () { }; }
    var source = new EventSource(url);
    var fellBack = false;
    source.addEventListener(eventName, function (e) { onData(e.data); });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED && !fellBack) { fellBack = true; fallback(); }
    };
    return function () { source.close(); };
  }

  // Executions list: the first page's rows, as the server renders (and encodes) them.
  var live = document.querySelector("tbody[data-live]");
  if (live) {
    var setRows = function (html) { if (html !== live.innerHTML) { live.innerHTML = html; } };
    follow(live.getAttribute("data-stream"), "rows", setRows, function () {
      poll(function () {
        fetch(live.getAttribute("data-live"), { headers: { "Accept": "text/html" } })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html !== null) { setRows(html); } })
          .catch(function () { /* the server restarted: try again on the next tick */ });
      }, 2000);
    });
  }

  // Execution page: while it runs, refresh the page's content in place when its status or history changes.
  var execution = document.getElementById("execution");
  if (execution && execution.getAttribute("data-status") === "RUNNING") {
    var shown = { status: "RUNNING", events: execution.getAttribute("data-events") };
    var refreshing = false;
    var again = false;
    var stop = function () { };
    var refresh = function () {
      // A change that arrives during a refresh gets its own refresh after it.
      if (refreshing) { again = true; return; }
      refreshing = true;
      fetch(location.pathname, { headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
          var current = document.querySelector("main");
          if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
          var heading = document.getElementById("execution");
          if (heading) {
            shown = { status: heading.getAttribute("data-status"), events: heading.getAttribute("data-events") };
            if (shown.status !== "RUNNING") { stop(); }
          }
        })
        .catch(function () { })
        .then(function () {
          refreshing = false;
          if (again && shown.status === "RUNNING") { again = false; refresh(); }
        });
    };
    var onState = function (s) {
      if (s.status !== shown.status || String(s.events) !== shown.events) { refresh(); }
    };
    stop = follow(execution.getAttribute("data-stream"), "state", function (data) { onState(JSON.parse(data)); }, function () {
      stop = poll(function () {
        fetch(location.pathname + "/state").then(function (r) { return r.json(); }).then(onState).catch(function () { });
      }, 1000);
    });
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
