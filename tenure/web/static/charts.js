// Draws every <div class="chart"> from its data attributes with uPlot.
(function () {
  "use strict";

  function scaleOf(unit) {
    if (unit === "rate") return function (v) { return v === null ? null : v * 100; };
    if (unit === "cents") return function (v) { return v === null ? null : v / 100; };
    return function (v) { return v; };
  }

  function draw(el) {
    var labels = JSON.parse(el.dataset.labels || "[]");
    var raw = JSON.parse(el.dataset.values || "[]");
    if (!labels.length || typeof uPlot === "undefined") return;
    var scale = scaleOf(el.dataset.unit);
    var times = el.dataset.times ? JSON.parse(el.dataset.times) : null;
    var xs = times || labels.map(function (_, i) { return i; });
    var ys = raw.map(scale);
    var steps = el.dataset.kind === "steps";
    var opts = {
      width: el.clientWidth || 240,
      height: el.clientHeight || 90,
      legend: { show: false },
      cursor: { show: steps },
      scales: {
        x: { time: !!times },
        y: steps ? { range: function (_, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } } : {}
      },
      axes: [
        { show: steps },
        { show: steps, size: 70 }
      ],
      series: [{}, {
        stroke: "#2f6f8f", width: 2, fill: "rgba(47,111,143,0.08)", spanGaps: false,
        paths: steps && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined
      }]
    };
    el.textContent = "";
    new uPlot(opts, [xs, ys], el);
  }

  function drawAll(root) {
    (root || document).querySelectorAll(".chart").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });
})();
