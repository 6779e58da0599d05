// A campaign's coverage chart: households visited and residents covered, in per cent, for each
// area of the level shown. The figures come from a json_script block; the table holds the same.
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("coverage-chart");
    var data = document.getElementById("coverage-chart-data");
    if (!element || !data || !window.echarts) {
      return;
    }
    var d = JSON.parse(data.textContent);
    var existing = window.echarts.getInstanceByDom(element);
    if (existing) {
      existing.dispose();
    }
    element.style.height = Math.max(200, d.labels.length * 44 + 80) + "px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: { top: 0 },
      grid: { left: 8, right: 32, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [
        { name: d.householdsLabel, type: "bar", data: d.households, label: { show: true, position: "right" } },
        { name: d.residentsLabel, type: "bar", data: d.residents },
      ],
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  // The drill-down swaps the coverage section in place: draw its chart again.
  document.addEventListener("htmx:afterSettle", draw);
  if (document.readyState !== "loading") {
    draw();
  }
})();
