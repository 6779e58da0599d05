// The recruitment figures page's charts, from its json_script block (#recruitment-data); the
// tables beside each chart hold the same figures, so the page reads fine without this script.
(function () {
  "use strict";

  function bars(element, rows, names) {
    element.style.height = Math.max(200, rows.length * 36 + 60) + "px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    var keys = ["applications", "interviews", "hires"];
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.label; }) },
      series: keys.map(function (key) {
        return { name: names[key], type: "bar", data: rows.map(function (r) { return r[key]; }) };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw() {
    var source = document.getElementById("recruitment-data");
    var labels = document.getElementById("recruitment-labels");
    if (!source || !labels || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var fairs = document.getElementById("chart-fairs");
    if (fairs && data.fairs.length) { bars(fairs, data.fairs, labels.dataset); }
    var enterprises = document.getElementById("chart-enterprises");
    if (enterprises && data.enterprises.length) { bars(enterprises, data.enterprises, labels.dataset); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
