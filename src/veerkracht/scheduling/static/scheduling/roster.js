/* Charts of the roster pages (coverage against demand, a run's objective and bound over time).
   Data in <script type="application/json"> (json_script), canvases marked data-roster-chart; no
   inline scripts (CSP). The figures are also on the page, so nothing depends on this file. */
(function () {
  "use strict";
  var BRAND = "#0b5c63", ACCENT = "#c98a00", BAD = "#a8241c";
  var lang = document.documentElement.lang || "nl";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function source(canvas) {
    var el = document.getElementById(canvas.dataset.source);
    return el ? JSON.parse(el.textContent) : null;
  }

  function options(yTitle, xTitle) {
    return {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } },
      scales: {
        x: { ticks: { maxRotation: 0, autoSkipPadding: 12 }, title: { display: !!xTitle, text: xTitle || "" } },
        y: { beginAtZero: true, title: { display: !!yTitle, text: yTitle || "" },
             ticks: { callback: function (v) { return number.format(v); } } }
      }
    };
  }

  var KINDS = {
    coverage: function (d) {
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { type: "line", label: d.text.demand, data: d.demand, borderColor: BAD, backgroundColor: BAD,
              stepped: "middle", borderWidth: 2, pointRadius: 0, order: 0 },
            { type: "bar", label: d.text.scheduled, data: d.scheduled, backgroundColor: "rgba(11, 92, 99, 0.45)",
              barPercentage: 1.0, categoryPercentage: 1.0, order: 1 }
          ]
        },
        options: options(d.text.y)
      };
    },
    trace: function (d) {
      var opts = options(null, d.text.x);
      opts.scales.y.beginAtZero = false;
      opts.scales.x.type = "linear";
      return {
        type: "line",
        data: {
          datasets: [
            { label: d.text.objective, data: d.t.map(function (t, i) { return { x: t, y: d.objective[i] }; }),
              borderColor: BRAND, backgroundColor: BRAND, stepped: "before", pointRadius: 2, borderWidth: 2 },
            { label: d.text.bound, data: d.t.map(function (t, i) { return { x: t, y: d.bound[i] }; }),
              borderColor: ACCENT, backgroundColor: ACCENT, stepped: "before", pointRadius: 0, borderDash: [5, 4], borderWidth: 1.5 }
          ]
        },
        options: opts
      };
    }
  };

  function draw() {
    if (typeof window.Chart === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-roster-chart]"), function (canvas) {
      var kind = KINDS[canvas.dataset.rosterChart];
      var d = source(canvas);
      if (!kind || !d) { return; }
      var existing = window.Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      new window.Chart(canvas, kind(d));
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("htmx:afterSettle", draw);
})();
