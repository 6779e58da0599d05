// The checkpoint figures page's two 14-day charts. The figures come from the page's json_script
// block (#figures-chart-data); the table under the charts holds the same numbers, so the page
// reads fine without this script.
(function () {
  "use strict";

  function chart(elementId, title, days, series, type, colors) {
    var element = document.getElementById(elementId);
    if (!element) {
      return null;
    }
    var instance = window.echarts.init(element, null, { renderer: "svg" });
    instance.setOption({
      animation: false,
      color: colors,
      title: { text: title, left: 0, top: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 24, left: 0 },
      grid: { left: 8, right: 12, top: 88, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (item) {
        return { name: item.name, type: type, data: item.data };
      }),
    });
    return instance;
  }

  function draw() {
    var source = document.getElementById("figures-chart-data");
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [
      chart("figures-people", data.titles.people, data.days, data.series, "bar", ["#123e6b", "#7fa7d6"]),
      chart("figures-alerts", data.titles.alerts, data.days, data.alerts, "line", [
        "#a4161a",
        "#e67e22",
        "#9a5b00",
        "#1f7a3a",
      ]),
    ];
    document.documentElement.setAttribute("data-charts-drawn", "true");
    window.addEventListener("resize", function () {
      charts.forEach(function (instance) {
        if (instance) {
          instance.resize();
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
