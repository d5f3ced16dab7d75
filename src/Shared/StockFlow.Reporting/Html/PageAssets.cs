namespace StockFlow.Reporting.Html;

/// <summary>The report's stylesheet and the script that draws the figures; both inline so the file stands alone.</summary>
internal static class PageAssets
{
    public const string Css = """
        :root { color-scheme: light; --fg: #1d2733; --muted: #5f6b7a; --line: #dde2e8; --pos: #1e7b45; --neg: #b3261e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f4f6f8; }
        main { max-width: 1280px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { margin: 0 0 4px; font-size: 26px; }
        h2 { margin: 0 0 12px; font-size: 19px; }
        h3 { margin: 0 0 8px; font-size: 16px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px; margin: 18px 0; }
        .meta { color: var(--muted); margin: 0; }
        .data-label { margin: 14px 0 0; padding: 10px 14px; border: 2px solid #d39e00; background: #fff4cc; border-radius: 6px; font-weight: 600; font-size: 16px; }
        .data-label-inline { font-weight: 600; color: #8a6100; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { padding: 5px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        thead th { background: #eef1f5; font-weight: 600; }
        table.summary th { color: var(--muted); font-weight: 500; width: 13em; }
        .num { text-align: right; white-space: nowrap; }
        .pos { color: var(--pos); } .neg { color: var(--neg); } .warn { color: #8a6100; font-weight: 600; }
        .sym, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        .error-text { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; white-space: pre-wrap; word-break: break-word; max-width: 70ch; }
        .side-by-side { display: flex; flex-wrap: wrap; gap: 28px; }
        .no-data { padding: 14px; background: #f7f7f9; border: 1px dashed #b9c0c8; border-radius: 6px; color: var(--muted); }
        .ok { color: var(--pos); }
        .chart-block { margin: 8px 0 26px; }
        .chart { width: 100%; min-height: 300px; }
        .chart-controls { display: flex; align-items: center; gap: 6px; margin: 4px 0 0; }
        .chart-controls select { font: inherit; padding: 3px 6px; min-width: 10em; }
        .chart-controls button { font: inherit; padding: 2px 10px; cursor: pointer; }
        .hint { color: var(--muted); font-size: 13px; }
        details > summary { cursor: pointer; } details > summary h2 { display: inline; }
        footer { color: var(--muted); font-size: 13px; text-align: center; }
        """;

    /// <summary>
    /// Draws every figure in #sf-figures into the element with the same id, and the price chart for the symbol
    /// chosen in the selector from the compact series in #sf-price-series.
    /// </summary>
    public const string Script = """
        (function () {
          'use strict';
          function readJson(id) {
            var element = document.getElementById(id);
            return element ? JSON.parse(element.textContent) : null;
          }
          // Plotly renders a subset of HTML in labels, so symbols go in as text, never as markup.
          function escapeText(text) {
            return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
          }
          var figures = readJson('sf-figures') || {};
          Object.keys(figures).forEach(function (id) {
            var figure = figures[id];
            Plotly.newPlot(id, figure.data, figure.layout, figure.config);
          });

          var priceFigure = readJson('sf-price-figure');
          var series = readJson('sf-price-series');
          var select = document.getElementById('sf-price-symbol');
          if (!priceFigure || !series || !select) { return; }
          var baseTitle = priceFigure.layout.title.text;
          var samplingNote = document.getElementById('sf-price-sampling');
          // Dates are stored as the first date and the day gaps after it; ISO date strings are parsed as UTC.
          function dates(s) {
            var out = [s.d0];
            var t = Date.parse(s.d0);
            for (var i = 0; i < s.dd.length; i++) {
              t += s.dd[i] * 86400000;
              out.push(new Date(t).toISOString().slice(0, 10));
            }
            return out;
          }
          function showPrice(symbol) {
            var s = series[symbol];
            if (!s) { return; }
            if (!s.d) { s.d = dates(s); }
            var ys = [s.p, s.m20, s.m50, s.m200];
            var data = priceFigure.data.map(function (trace, i) {
              return Object.assign({}, trace, { x: s.d, y: ys[i] });
            });
            if (samplingNote) {
              samplingNote.textContent = s.s
                ? symbol + ': the chart draws ' + s.s + ', the values of those days (not averages).'
                : symbol + ': every trading day of the period is drawn.';
            }
            var suffix = s.s ? ' <span style="font-size:0.8em">(' + escapeText(s.s) + ')</span>' : '';
            var title = Object.assign({}, priceFigure.layout.title, { text: baseTitle + ' \u2014 ' + escapeText(symbol) + suffix });
            Plotly.react('sf-chart-price', data, Object.assign({}, priceFigure.layout, { title: title }), priceFigure.config);
          }
          select.addEventListener('change', function () { showPrice(select.value); });
          Array.prototype.forEach.call(document.querySelectorAll('.chart-controls button[data-step]'), function (button) {
            button.addEventListener('click', function () {
              var count = select.options.length;
              select.selectedIndex = (select.selectedIndex + Number(button.getAttribute('data-step')) + count) % count;
              showPrice(select.value);
            });
          });
          // A link can open the report on one symbol: report.html#symbol=MSFT
          var linked = /^#symbol=(.+)$/.exec(window.location.hash);
          if (linked) {
            var wanted = decodeURIComponent(linked[1]);
            Array.prototype.forEach.call(select.options, function (option, i) {
              if (option.value === wanted) { select.selectedIndex = i; }
            });
          }
          showPrice(select.value);
        })();
        """;
}
