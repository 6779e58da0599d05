// Quarantine: a site's occupancy per day against its capacity. The figures come from a
// json_script block; the table beside the chart holds the same.
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("occupancy-chart");
    var source = document.getElementById("occupancy-chart-data");
    if (!element || !source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", confine: true },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value", min: 0, max: function (e) { return Math.max(e.max, data.capacity); } },
      series: [
        {
          type: "bar",
          data: data.occupied.map(function (v, i) {
            var ahead = data.days[i] > data.today;
            return { value: v, itemStyle: { color: ahead ? "#95a5a6" : "#2980b9" } };
          }),
          markLine: { silent: true, symbol: "none", data: [{ yAxis: data.capacity }] },
        },
      ],
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
