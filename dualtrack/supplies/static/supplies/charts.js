// Supplies charts: days of cover per item on a holder's page, and the lowest holders on the
// index. Figures come from json_script blocks; the tables beside the charts hold the same.
(function () {
  "use strict";

  function bars(elementId, dataId, labels, values, threshold) {
    var element = document.getElementById(elementId);
    if (!element || !window.echarts) {
      return;
    }
    element.style.height = Math.max(180, labels.length * 32 + 60) + "px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      // The axis always reaches past the threshold, so that its line and the holders at zero
      // days of cover (the most urgent, drawn as bars of no length) are seen on a wall screen.
      xAxis: {
        type: "value",
        min: 0,
        max: function (extent) {
          return Math.ceil(Math.max(extent.max, threshold * 1.5));
        },
      },
      yAxis: { type: "category", data: labels, inverse: true },
      series: [
        {
          type: "bar",
          data: values.map(function (v) {
            // Nothing used in a week: no end in sight; drawn at twice the threshold.
            var shown = v === null ? threshold * 2 : v;
            return { value: shown, itemStyle: { color: v !== null && v < threshold ? "#c0392b" : "#27ae60" } };
          }),
          label: {
            show: true,
            position: "right",
            formatter: function (p) {
              return values[p.dataIndex] === null ? "—" : Number(values[p.dataIndex]).toFixed(1);
            },
          },
          markLine: {
            silent: true,
            symbol: "none",
            label: { position: "start" },
            data: [{ xAxis: threshold }],
          },
        },
      ],
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  function draw() {
    var holder = document.getElementById("holder-chart-data");
    if (holder) {
      var h = JSON.parse(holder.textContent);
      bars("holder-chart", "holder-chart-data", h.items, h.days, h.threshold);
    }
    var low = document.getElementById("low-stock-chart-data");
    if (low) {
      var l = JSON.parse(low.textContent);
      bars("low-stock-chart", "low-stock-chart-data", l.labels, l.days, l.threshold);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
