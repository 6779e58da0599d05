// The epidemic curve on the line list: cases per day by onset date and by report date. The
// figures come from a json_script block; the table above holds the counts by town.
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("case-curve");
    var data = document.getElementById("case-curve-data");
    var labels = document.getElementById("case-curve-labels");
    if (!element || !data || !labels || !window.echarts) {
      return;
    }
    var curve = JSON.parse(data.textContent);
    element.style.height = "260px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: curve.days.map(function (d) { return d.slice(5); }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: labels.dataset.onset, type: "bar", data: curve.onset },
        { name: labels.dataset.report, type: "bar", data: curve.report },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
