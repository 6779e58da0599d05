// The signal page's charts: the series with its baseline band (C2: from the baseline mean to the
// count at which C2 passes its threshold), Rt with its 95% interval (windows with too few cases
// greyed), and the projection with its 50% and 95% bands. The data come from the page's
// json_script block (#prediction-chart-data); the table beside them holds Rt's numbers.
(function () {
  "use strict";

  function band(lower, upper) {
    // A band drawn as a stacked area: the lower edge, invisible, then the width above it.
    return [
      lower,
      upper.map(function (value, i) {
        return value === null || lower[i] === null ? null : value - lower[i];
      }),
    ];
  }

  function chart(id, option) {
    var element = document.getElementById(id);
    if (!element) {
      return null;
    }
    var instance = window.echarts.init(element, null, { renderer: "svg" });
    option.animation = false;
    option.tooltip = { trigger: "axis", confine: true };
    option.legend = { top: 24, left: 0 };
    option.grid = { left: 8, right: 12, top: 72, bottom: 8, containLabel: true };
    instance.setOption(option);
    return instance;
  }

  function area(name, stack, data, color, opacity) {
    return {
      name: name,
      type: "line",
      stack: stack,
      data: data,
      symbol: "none",
      lineStyle: { opacity: 0 },
      areaStyle: { color: color, opacity: opacity },
    };
  }

  function draw() {
    var source = document.getElementById("prediction-chart-data");
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var days = data.days.map(function (d) { return d.day; });
    var counts = band(
      data.days.map(function (d) { return d.mean; }),
      data.days.map(function (d) { return d.upper; })
    );
    var charts = [
      chart("prediction-series", {
        title: { text: data.titles.series, left: 0, top: 0, textStyle: { fontSize: 14 } },
        xAxis: { type: "category", data: days },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          area("", "band", counts[0], "#ffffff", 0),
          area(data.labels.band, "band", counts[1], "#7fa7d6", 0.35),
          {
            name: data.labels.count,
            type: "bar",
            data: data.days.map(function (d) {
              return { value: d.count, itemStyle: { color: d.flag ? "#a4161a" : "#123e6b" } };
            }),
          },
        ],
      }),
    ];
    if (data.rt.length) {
      var rtDays = data.rt.map(function (r) { return r.day; });
      var interval = band(
        data.rt.map(function (r) { return r.lower; }),
        data.rt.map(function (r) { return r.upper; })
      );
      charts.push(chart("prediction-rt", {
        title: { text: data.titles.rt, left: 0, top: 0, textStyle: { fontSize: 14 } },
        xAxis: { type: "category", data: rtDays },
        yAxis: { type: "value" },
        series: [
          area("", "ci", interval[0], "#ffffff", 0),
          area(data.labels.interval, "ci", interval[1], "#e67e22", 0.3),
          {
            name: data.labels.rt,
            type: "line",
            data: data.rt.map(function (r) {
              return { value: r.mean, itemStyle: { color: r.too_few ? "#999999" : "#a4161a" } };
            }),
            markLine: { symbol: "none", data: [{ yAxis: 1, name: data.labels.one }] },
          },
        ],
      }));
    }
    if (data.projection.length) {
      var pDays = data.projection.map(function (p) { return p.day; });
      var b95 = band(
        data.projection.map(function (p) { return p.lower_95; }),
        data.projection.map(function (p) { return p.upper_95; })
      );
      var b50 = band(
        data.projection.map(function (p) { return p.lower_50; }),
        data.projection.map(function (p) { return p.upper_50; })
      );
      charts.push(chart("prediction-projection", {
        title: { text: data.titles.projection, left: 0, top: 0, textStyle: { fontSize: 14 } },
        xAxis: { type: "category", data: pDays },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          area("", "b95", b95[0], "#ffffff", 0),
          area(data.labels.band95, "b95", b95[1], "#7fa7d6", 0.25),
          area("", "b50", b50[0], "#ffffff", 0),
          area(data.labels.band50, "b50", b50[1], "#123e6b", 0.35),
          {
            name: data.labels.median,
            type: "line",
            data: data.projection.map(function (p) { return p.median; }),
          },
        ],
      }));
    }
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
