/* The intraday chart: contacts (forecast, actual, re-forecast) on the left axis, agents
   (required, scheduled) on the right. Data from json_script; the table next to the chart has
   the same figures, so nothing depends on this file. No inline scripts (CSP). */
(function () {
  "use strict";

  var BRAND = "#0b5c63", ACCENT = "#c98a00", INK = "#1c2526", BAD = "#a8241c", PURPLE = "#5b3f9e";
  var lang = document.documentElement.lang || "nl";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function config(d) {
    var sets = [
      { type: "bar", label: d.text.actual, data: d.actual, backgroundColor: "rgba(28, 37, 38, 0.35)", yAxisID: "y", order: 3 },
      { type: "line", label: d.text.forecast, data: d.forecast, borderColor: BRAND, backgroundColor: BRAND, borderWidth: 2, pointRadius: 0, yAxisID: "y", order: 1 },
      { type: "line", label: d.text.reforecast, data: d.reforecast, borderColor: ACCENT, backgroundColor: ACCENT, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, yAxisID: "y", order: 1 },
      { type: "line", label: d.text.required, data: d.required, borderColor: BAD, backgroundColor: BAD, stepped: "middle", borderWidth: 1.5, pointRadius: 0, yAxisID: "y2", order: 0 },
      { type: "line", label: d.text.scheduled, data: d.scheduled, borderColor: PURPLE, backgroundColor: PURPLE, stepped: "middle", borderWidth: 1.5, pointRadius: 0, yAxisID: "y2", order: 0 }
    ];
    return {
      type: "bar",
      data: { labels: d.labels, datasets: sets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14 } },
          tooltip: { callbacks: { label: function (ctx) {
            if (ctx.parsed.y === null || ctx.parsed.y === undefined) { return null; }
            return ctx.dataset.label + ": " + number.format(ctx.parsed.y);
          } } }
        },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkipPadding: 16 } },
          y: { beginAtZero: true, title: { display: true, text: d.text.y } },
          y2: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
                title: { display: true, text: d.text.y2 }, ticks: { precision: 0 } }
        }
      }
    };
  }

  function draw() {
    if (typeof window.Chart === "undefined") { return; }
    var canvases = document.querySelectorAll('canvas[data-chart="intraday-day"]');
    Array.prototype.forEach.call(canvases, function (canvas) {
      var el = document.getElementById(canvas.dataset.source);
      if (!el) { return; }
      var existing = window.Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      new window.Chart(canvas, config(JSON.parse(el.textContent)));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:afterSettle", draw);
})();
