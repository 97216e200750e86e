/* Pulse pages. (1) The personal wellbeing check: answers are kept ONLY in this browser's
   localStorage and never sent anywhere. (2) An optional personal copy of pulse answers, also
   only in this browser. (3) The trend chart on the results page, from json_script data.
   No inline scripts: the Content-Security-Policy forbids them. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var lang = document.documentElement.lang || "nl";

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function today() { return new Date().toISOString().slice(0, 10); }
  function el(tag, text) { var n = document.createElement(tag); if (text !== undefined) { n.textContent = text; } return n; }

  function line(canvas, labels, datasets, yMax) {
    if (!window.Chart || !canvas) { return; }
    var palette = ["#0b5c63", "#c98a00", "#5b3f9e", "#a8241c", "#1d6b35", "#55656a", "#073f44", "#8a5a00"];
    datasets.forEach(function (d, i) { d.borderColor = palette[i % palette.length]; d.backgroundColor = d.borderColor; d.spanGaps = false; d.tension = 0.2; });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: { y: { min: yMax === 100 ? -100 : 1, max: yMax || 5 } } }
    });
  }

  // (1) Personal wellbeing check.
  var check = document.getElementById("health-check");
  if (check) {
    var key = "veerkracht.wellbeing." + check.dataset.owner;
    var status = document.getElementById("health-status");
    var keys = [];
    var labels = {};
    check.querySelectorAll("input[data-health]").forEach(function (input) {
      if (keys.indexOf(input.dataset.health) < 0) { keys.push(input.dataset.health); labels[input.dataset.health] = input.dataset.label; }
    });
    var chart = null;
    var render = function () {
      var rows = load(key);
      var body = check.querySelector("#health-table tbody");
      body.textContent = "";
      if (!rows.length) { var tr = el("tr"); var td = el("td", check.dataset.empty); td.colSpan = keys.length + 1; tr.appendChild(td); body.appendChild(tr); }
      rows.slice().reverse().forEach(function (row) {
        var tr = el("tr");
        tr.appendChild(el("td", new Date(row.date + "T12:00:00").toLocaleDateString(lang)));
        keys.forEach(function (k) { var td = el("td", row.answers[k] || "–"); td.className = "num"; tr.appendChild(td); });
        body.appendChild(tr);
      });
      var canvas = document.getElementById("health-chart");
      if (chart) { chart.destroy(); chart = null; }
      if (window.Chart && canvas && rows.length) {
        line(canvas, rows.map(function (r) { return r.date; }), keys.map(function (k) {
          return { label: labels[k], data: rows.map(function (r) { return r.answers[k] || null; }) };
        }));
        chart = window.Chart.getChart(canvas);
      }
    };
    document.getElementById("health-save").addEventListener("click", function () {
      var answers = {};
      keys.forEach(function (k) {
        var chosen = check.querySelector("input[data-health='" + k + "']:checked");
        if (chosen) { answers[k] = parseInt(chosen.value, 10); }
      });
      if (Object.keys(answers).length < keys.length) { status.textContent = check.dataset.incomplete; return; }
      var rows = load(key).filter(function (r) { return r.date !== today(); });
      rows.push({ date: today(), answers: answers });
      store(key, rows);
      status.textContent = check.dataset.saved;
      render();
    });
    var del = el("button", check.dataset.delete);
    del.type = "button"; del.className = "link";
    del.addEventListener("click", function () { window.localStorage.removeItem(key); render(); });
    check.appendChild(del);
    window.addEventListener("load", render);
  }

  // (2) Optional personal copy of pulse answers: read from the form before it is sent.
  var form = document.querySelector("form[data-pulse-form]");
  if (form) {
    form.addEventListener("submit", function () {
      var keep = document.getElementById("keep-copy");
      if (!keep || !keep.checked) { return; }
      var answers = [];
      form.querySelectorAll("fieldset.pulse-question").forEach(function (fs) {
        var chosen = fs.querySelector("input:checked");
        var text = fs.querySelector("textarea");
        var value = chosen ? chosen.parentNode.textContent.trim() : (text ? text.value.trim() : "");
        if (value) { answers.push({ question: fs.querySelector("legend").textContent.trim(), answer: value }); }
      });
      var copyKey = "veerkracht.pulse-copy." + form.dataset.owner;
      var rows = load(copyKey);
      rows.push({ date: today(), pulse: form.dataset.title, answers: answers });
      store(copyKey, rows);
    });
  }
  var copy = document.getElementById("my-copy");
  if (copy) {
    var copyKey = "veerkracht.pulse-copy." + copy.dataset.owner;
    var box = copy.querySelector(".device-copy");
    var rows = load(copyKey);
    if (!rows.length) { box.appendChild(el("p", copy.dataset.empty)); }
    rows.slice().reverse().forEach(function (row) {
      var details = el("details");
      details.appendChild(el("summary", row.date + " · " + row.pulse));
      var ul = el("ul");
      row.answers.forEach(function (a) { ul.appendChild(el("li", a.question + " — " + a.answer)); });
      details.appendChild(ul);
      box.appendChild(details);
    });
    if (rows.length) {
      var remove = el("button", copy.dataset.delete);
      remove.type = "button"; remove.className = "link";
      remove.addEventListener("click", function () { window.localStorage.removeItem(copyKey); box.textContent = ""; box.appendChild(el("p", copy.dataset.empty)); });
      copy.appendChild(remove);
    }
  }

  // (3) Results trend.
  window.addEventListener("load", function () {
    document.querySelectorAll("canvas[data-chart='trend']").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.source);
      if (!source) { return; }
      var d = JSON.parse(source.textContent);
      line(canvas, d.labels, d.datasets);
    });
  });
})();
