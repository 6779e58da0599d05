// The subsidy figures page's charts, from its json_script block (#subsidy-data); the tables
// beside each chart hold the same figures, so the page reads fine without this script.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("subsidy-data");
    var labels = document.getElementById("subsidy-labels");
    if (!source || !labels || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var names = labels.dataset;
    var clauses = document.getElementById("chart-clauses");
    if (clauses) {
      clauses.style.height = "320px";
      var chart = window.echarts.init(clauses, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis", confine: true },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.labels },
        yAxis: { type: "value" },
        series: ["applied", "offered", "approved", "paid", "budget"].map(function (key) {
          return { name: names[key], type: key === "budget" ? "line" : "bar", data: data[key].map(Number) };
        }),
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }
    var months = document.getElementById("chart-months");
    if (months) {
      months.style.height = "260px";
      var line = window.echarts.init(months, null, { renderer: "svg" });
      line.setOption({
        animation: false,
        tooltip: { trigger: "axis", confine: true },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value" },
        series: [
          { name: names.approved, type: "line", data: data.month_approved.map(Number) },
          { name: names.paid, type: "line", data: data.month_paid.map(Number) },
        ],
      });
      window.addEventListener("resize", function () { line.resize(); });
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
