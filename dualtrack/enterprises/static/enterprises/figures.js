// The resumption figures page's charts. The figures come from the page's json_script block
// (#figures-data); the tables beside each chart hold the same figures, so the page reads fine
// without this script. Clicking a town's bar drills down to that town.
(function () {
  "use strict";

  function bar(element, rows, label, onClick) {
    element.style.height = Math.max(200, rows.length * 32 + 40) + "px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }) },
      series: [{ name: label, type: "bar", data: rows.map(function (r) { return r.resumption_rate; }) }],
    });
    if (onClick) {
      chart.on("click", function (params) { onClick(rows[params.dataIndex]); });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function line(element, series, labels) {
    element.style.height = "280px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: series.map(function (p) { return p.date.slice(5); }) },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", minInterval: 1 }],
      series: [
        { name: labels.resumed, type: "line", data: series.map(function (p) { return p.resumed; }) },
        { name: labels.workers, type: "line", yAxisIndex: 1, data: series.map(function (p) { return p.workers_on_duty; }) },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw() {
    var source = document.getElementById("figures-data");
    var labels = document.getElementById("figures-labels");
    if (!source || !labels || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var names = labels.dataset;
    var towns = document.getElementById("chart-towns");
    if (towns && data.towns.length) {
      bar(towns, data.towns, names.rate, function (row) {
        if (row.id) { window.location.search = "?town=" + row.id; }
      });
    }
    var sectors = document.getElementById("chart-sectors");
    if (sectors && data.sectors.length) {
      bar(sectors, data.sectors, names.rate, null);
    }
    var days = document.getElementById("chart-days");
    if (days && data.series.length) {
      line(days, data.series, names);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
