// The coverage page's stacked bar chart of gaps per town. The figures come from the page's
// json_script block (#coverage-chart-data); the table above the chart holds the same figures,
// so the page reads fine without this script.
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("coverage-chart");
    var source = document.getElementById("coverage-chart-data");
    if (!element || !source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    // Horizontal bars: town names stay readable on a 360 px phone however many towns there are.
    var legendHeight = data.series.length * 24 + 12;
    element.style.height = Math.max(220, data.towns.length * 40 + legendHeight + 40) + "px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: ["#c0392b", "#e67e22", "#f1c40f"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      // One legend entry a line: three long labels never fit side by side on a phone.
      legend: { top: 0, left: 0, orient: "vertical", itemGap: 8 },
      grid: { left: 8, right: 16, top: legendHeight, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.towns, inverse: true },
      series: data.series.map(function (series) {
        return {
          name: series.name,
          type: "bar",
          stack: "gaps",
          data: series.data,
          emphasis: { focus: "series" },
        };
      }),
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
