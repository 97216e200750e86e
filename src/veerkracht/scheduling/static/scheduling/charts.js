/* Charts of the planner's pages. The page puts its data in <script type="application/json">
   (Django's json_script) and a <canvas data-chart="KIND" data-source="ID">; this file draws them.
   No inline scripts: the Content-Security-Policy forbids them. Every chart also has a table or
   the figures next to it, so nothing depends on this file. */
(function () {
  "use strict";

  var BRAND = "#0b5c63", BRAND_LIGHT = "rgba(11, 92, 99, 0.18)", ACCENT = "#c98a00", MUTED = "#55656a",
      BAD = "#a8241c", INK = "#1c2526";
  var PALETTE = ["#0b5c63", "#c98a00", "#5b3f9e", "#a8241c"];
  var lang = document.documentElement.lang || "nl";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function data(canvas) {
    var el = document.getElementById(canvas.dataset.source);
    return el ? JSON.parse(el.textContent) : null;
  }

  function dayLabel(iso) {
    var d = new Date(iso + "T12:00:00");
    return d.toLocaleDateString(lang, { weekday: "short", day: "numeric", month: "short" });
  }

  function baseOptions(yTitle) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 14 } },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              if (ctx.parsed.y === null || ctx.parsed.y === undefined) { return null; }
              return ctx.dataset.label + ": " + number.format(ctx.parsed.y);
            }
          }
        }
      },
      scales: {
        x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } },
        y: { beginAtZero: true, title: { display: !!yTitle, text: yTitle || "" },
             ticks: { callback: function (v) { return number.format(v); } } }
      }
    };
  }

  function band(lower, upper, text) {
    // Upper line filled down to the lower line: the prediction interval.
    return [
      { label: text, data: upper, borderWidth: 0, pointRadius: 0, backgroundColor: BRAND_LIGHT, fill: "+1", order: 3 },
      { label: "_lower", data: lower, borderWidth: 0, pointRadius: 0, fill: false, order: 3 }
    ];
  }

  function hideHelper(legendItem) { return legendItem.text.charAt(0) !== "_"; }

  var KINDS = {
    "history": function (d) {
      return {
        type: "line",
        data: {
          labels: d.labels.map(dayLabel),
          datasets: d.series.map(function (s, i) {
            return { label: s.label, data: s.values, borderColor: PALETTE[i % PALETTE.length],
                     backgroundColor: PALETTE[i % PALETTE.length], borderWidth: 1.5, pointRadius: 0, spanGaps: false };
          })
        },
        options: baseOptions(d.y_label)
      };
    },

    "forecast-daily": function (d) {
      var sets = [
        { label: d.text.history, data: d.history, borderColor: MUTED, backgroundColor: MUTED, borderWidth: 1.5, pointRadius: 0, order: 1 },
        { label: d.text.forecast, data: d.forecast, borderColor: BRAND, backgroundColor: BRAND, borderWidth: 2, pointRadius: 1.5, order: 0 }
      ];
      if (d.unadjusted) {
        sets.push({ label: d.text.unadjusted, data: d.unadjusted, borderColor: ACCENT, backgroundColor: ACCENT,
                    borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, order: 0 });
      }
      sets = sets.concat(band(d.lower, d.upper, d.text.band));
      var options = baseOptions(d.text.y);
      options.plugins.legend.labels.filter = hideHelper;
      return { type: "line", data: { labels: d.labels.map(dayLabel), datasets: sets }, options: options };
    },

    "intraday": function (d) {
      var sets = [
        { label: d.text.forecast, data: d.forecast, borderColor: BRAND, backgroundColor: BRAND, borderWidth: 2, pointRadius: 0, order: 0 }
      ];
      if (d.unadjusted) {
        sets.push({ label: d.text.unadjusted, data: d.unadjusted, borderColor: ACCENT, backgroundColor: ACCENT,
                    borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, order: 0 });
      }
      sets = sets.concat(band(d.lower, d.upper, d.text.band));
      var options = baseOptions(d.text.y);
      options.plugins.legend.labels.filter = hideHelper;
      return { type: "line", data: { labels: d.labels, datasets: sets }, options: options };
    },

    "intraday-day": function (d) {
      // Contacts (actual, forecast, re-forecast) on the left axis, agents on the right.
      var PURPLE = PALETTE[2];
      var sets = [
        { type: "bar", label: d.text.actual, data: d.actual, backgroundColor: "rgba(28, 37, 38, 0.35)", yAxisID: "y", order: 3 },
        { type: "line", label: d.text.forecast, data: d.forecast, borderColor: BRAND, backgroundColor: BRAND, borderWidth: 2, pointRadius: 0, yAxisID: "y", order: 1 },
        { type: "line", label: d.text.reforecast, data: d.reforecast, borderColor: ACCENT, backgroundColor: ACCENT, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, yAxisID: "y", order: 1 },
        { type: "line", label: d.text.required, data: d.required, borderColor: BAD, backgroundColor: BAD, stepped: "middle", borderWidth: 1.5, pointRadius: 0, yAxisID: "y2", order: 0 },
        { type: "line", label: d.text.scheduled, data: d.scheduled, borderColor: PURPLE, backgroundColor: PURPLE, stepped: "middle", borderWidth: 1.5, pointRadius: 0, yAxisID: "y2", order: 0 }
      ];
      var options = baseOptions(d.text.y);
      options.scales.x.ticks.autoSkipPadding = 16;
      options.scales.y2 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
                            title: { display: true, text: d.text.y2 }, ticks: { precision: 0 } };
      return { type: "bar", data: { labels: d.labels, datasets: sets }, options: options };
    },

    "staffing": function (d) {
      var sets = [
        { type: "bar", label: d.text.contacts, data: d.contacts, backgroundColor: "rgba(11, 92, 99, 0.25)", yAxisID: "y", order: 3 },
        { type: "line", label: d.text.raw, data: d.raw, borderColor: BRAND, backgroundColor: BRAND, stepped: "middle", borderWidth: 2, pointRadius: 0, yAxisID: "y", order: 1 },
        { type: "line", label: d.text.scheduled, data: d.scheduled, borderColor: ACCENT, backgroundColor: ACCENT, stepped: "middle", borderWidth: 2, pointRadius: 0, yAxisID: "y", order: 1 },
        { type: "line", label: d.text.service_level, data: d.service_level, borderColor: BAD, backgroundColor: BAD, borderDash: [4, 3], borderWidth: 1.5, pointRadius: 0, yAxisID: "y2", order: 0 }
      ];
      if (d.backlog) {
        sets.push({ type: "line", label: d.text.backlog, data: d.backlog, borderColor: INK, backgroundColor: INK, borderWidth: 1, pointRadius: 0, yAxisID: "y", order: 2 });
      }
      var options = baseOptions(d.text.y);
      options.scales.y2 = { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                            title: { display: true, text: d.text.y2 } };
      return { type: "bar", data: { labels: d.labels, datasets: sets }, options: options };
    },

    "scenario": function (d) {
      var colours = [MUTED, BAD, BRAND];
      var options = baseOptions(d.text.y);
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: d.series.map(function (s, i) {
            return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
          })
        },
        options: options
      };
    }
  };

  function draw() {
    if (typeof window.Chart === "undefined") { return; }
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var kind = KINDS[canvas.dataset.chart];
      var d = data(canvas);
      if (!kind || !d) { return; }
      var existing = window.Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      new window.Chart(canvas, kind(d));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:afterSettle", draw);
})();
