/* The wall screen: draws every panel from the board embedded in the page, then asks the API for
   the whole board again every data-refresh milliseconds and updates the charts in place
   (ECharts setOption), without reloading the page. One renderer per chart kind
   (dualtrack.core.platform.CHARTS): an app's new panel needs nothing here. */
(function () {
  "use strict";
  var body = document.body;
  var labels = document.getElementById("wall-labels").dataset;
  var mapName = body.dataset.map;
  var charts = {};
  var TEXT = "#e8f1ff", MUTED = "#8fa9c9", EDGE = "#1f3b5e", REST = "rgba(143, 169, 201, 0.28)";
  var PALETTE = ["#4fc3f7", "#ff8a65", "#ffd54f", "#81c784", "#ba68c8", "#f06292"];

  var geo = JSON.parse(document.getElementById("wall-map").textContent);
  if (window.echarts && geo.features.length) {
    echarts.registerMap(mapName, geo);
  }
  var boardOf = {};
  geo.features.forEach(function (f) { boardOf[f.properties.name] = f.properties; });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function axisStyle() {
    return {
      axisLabel: { color: MUTED, fontSize: 16 },
      axisLine: { lineStyle: { color: EDGE } },
      splitLine: { lineStyle: { color: EDGE } }
    };
  }

  // A value axis laid along the bottom has a panel's width for its labels: 100,000,000 yuan
  // written out ran into its neighbours; 1亿 (100M in English) and hidden if they still meet.
  var compact = new Intl.NumberFormat(document.documentElement.lang || undefined,
    { notation: "compact", maximumFractionDigits: 1 });

  function seriesOption(data, type) {
    return (data.series || []).map(function (s, i) {
      return {
        name: s.name, type: type, data: s.values, smooth: type === "line", stack: s.stack,
        showSymbol: false, barMaxWidth: 28,
        // A series marked "rest" (what is left of a whole) is drawn faint behind the others.
        itemStyle: { color: s.rest ? REST : PALETTE[i % PALETTE.length] }
      };
    });
  }

  var OPTIONS = {
    line: function (data) {
      var option = {
        color: PALETTE,
        grid: { left: 52, right: 16, top: 34, bottom: 28 },
        legend: { top: 0, textStyle: { color: TEXT, fontSize: 16 } },
        tooltip: { trigger: "axis" },
        xAxis: Object.assign({ type: "category", data: (data.x || []).map(function (d) { return String(d).slice(5); }) }, axisStyle()),
        yAxis: Object.assign({ type: "value" }, axisStyle()),
        series: seriesOption(data, "line")
      };
      if (data.mark !== undefined && option.series.length) {
        option.series[0].markLine = { silent: true, symbol: "none", data: [{ yAxis: data.mark }], lineStyle: { color: "#ff5252" } };
      }
      return option;
    },
    bar: function (data, box) {
      var category = Object.assign({ type: "category", data: data.x || [] }, axisStyle());
      if (data.horizontal && box && (data.x || []).length) {
        // Every row named: the label's size follows the room a row has (16 px down to 11),
        // rather than every other row's name dropped where sixteen would meet.
        var perRow = (box.clientHeight - 34 - 28) / data.x.length;
        var size = Math.max(11, Math.min(16, Math.floor(perRow * 0.8)));
        category.axisLabel = Object.assign({}, category.axisLabel, {
          fontSize: size, interval: perRow >= size ? 0 : "auto"
        });
      }
      var value = Object.assign({ type: "value", name: data.unit || "", nameTextStyle: { color: MUTED } }, axisStyle());
      if (data.horizontal) {
        value.axisLabel = Object.assign({}, value.axisLabel, {
          hideOverlap: true, formatter: function (v) { return compact.format(v); }
        });
      }
      return {
        grid: { left: data.horizontal ? 120 : 48, right: 24, top: 34, bottom: 28 },
        legend: { top: 0, textStyle: { color: TEXT, fontSize: 16 } },
        tooltip: { trigger: "axis" },
        xAxis: data.horizontal ? value : category,
        yAxis: data.horizontal ? category : value,
        series: seriesOption(data, "bar")
      };
    },
    gauge: function (data) {
      return {
        series: [{
          type: "gauge", min: 0, max: data.max || 100, radius: "92%",
          progress: { show: true, width: 18 }, axisLine: { lineStyle: { width: 18 } },
          axisLabel: { show: false }, splitLine: { show: false }, axisTick: { show: false },
          pointer: { show: false },
          title: { color: MUTED, fontSize: 16, offsetCenter: [0, "85%"] },
          detail: { color: "#ffd54f", fontSize: 40, offsetCenter: [0, "0%"], formatter: "{value}" + (data.unit || "") },
          data: [{ value: data.value, name: data.label || "" }]
        }]
      };
    },
    map: function (data) {
      var values = (data.areas || []).map(function (a) { return a.value; });
      var details = {};
      (data.areas || []).forEach(function (a) { details[a.name] = a.details || {}; });
      return {
        tooltip: {
          formatter: function (p) {
            var lines = [p.name + " · " + data.measure + ": " + (p.value || 0)];
            var d = details[p.name] || {};
            Object.keys(d).forEach(function (k) { lines.push(k + ": " + d[k]); });
            return lines.join("<br>");
          }
        },
        visualMap: {
          min: 0, max: Math.max(1, Math.max.apply(null, values.concat([0]))), calculable: false,
          left: 8, bottom: 8, text: [data.measure, ""], textStyle: { color: TEXT, fontSize: 14 },
          inRange: { color: ["#123a5c", "#1e88e5", "#ffb74d", "#e53935"] }
        },
        series: [{
          type: "map", map: mapName, roam: false, aspectScale: 1,
          label: { show: true, color: TEXT, fontSize: 15,
                   formatter: function (p) { var d = details[p.name] || {}; var k = Object.keys(d); return p.name + "\n" + (p.value || 0) + (k.length ? " · " + d[k[k.length - 1]] : ""); } },
          itemStyle: { borderColor: "#cfe3ff", borderWidth: 1 },
          emphasis: { label: { color: "#fff" }, itemStyle: { areaColor: "#ffd54f" } },
          data: (data.areas || []).map(function (a) { return { name: a.name, value: a.value }; })
        }]
      };
    }
  };

  function renderFigures(box, data) {
    box.textContent = "";
    var wrap = el("div", "figures");
    (data.items || []).forEach(function (item) {
      var fig = el("div", "figure");
      var value = el("div", "figure-value", item.value);
      if (item.unit) value.appendChild(el("span", "figure-unit", item.unit));
      fig.appendChild(value);
      fig.appendChild(el("div", "figure-label", item.label));
      wrap.appendChild(fig);
    });
    box.appendChild(wrap);
  }

  function renderList(box, data) {
    box.textContent = "";
    var list = el("ul", "rows");
    (data.rows || []).forEach(function (row) {
      var li = el("li");
      li.appendChild(el("span", "row-label", row.label));
      li.appendChild(el("span", "row-value", row.value));
      list.appendChild(li);
    });
    if (!(data.rows || []).length) list.appendChild(el("li", "empty", data.empty || labels.noData));
    box.appendChild(list);
  }

  function panelBox(panel) {
    var id = "panel-" + panel.key.replace(/[^a-z0-9_-]/gi, "-");
    var node = document.getElementById(id);
    if (node) return node.querySelector(".panel-body");
    node = el("article", "panel panel-" + panel.chart);
    node.id = id;
    node.dataset.panel = panel.key;
    node.dataset.chart = panel.chart;
    node.appendChild(el("h3", "", panel.title));
    var inner = el("div", "panel-body");
    node.appendChild(inner);
    document.querySelector('.panels[data-track="' + panel.track + '"]').appendChild(node);
    return inner;
  }

  function draw(panel) {
    var box = panelBox(panel);
    box.parentNode.dataset.filled = "1";
    if (panel.chart === "figures") return renderFigures(box, panel.data);
    if (panel.chart === "list") return renderList(box, panel.data);
    if (!window.echarts || !OPTIONS[panel.chart]) return;
    var chart = charts[panel.key];
    if (!chart) {
      chart = charts[panel.key] = echarts.init(box, null, { renderer: "canvas" });
      if (panel.chart === "map") {
        chart.on("click", function (p) {
          var props = boardOf[p.name];
          if (props && props.board) window.location.href = body.dataset.boardUrl.replace("{id}", props.id);
        });
      }
    }
    var option = OPTIONS[panel.chart](panel.data, box);
    option.aria = { enabled: true };  // a description of the data for screen readers
    chart.setOption(option);
    box.parentNode.dataset.version = String(Number(box.parentNode.dataset.version || 0) + 1);
  }

  function show(board) {
    // Every panel's box first, so that the grid is laid out before a chart measures its box.
    board.panels.forEach(panelBox);
    board.panels.forEach(draw);
    var when = new Date(board.generated_at);
    var stamp = document.getElementById("wall-updated");
    stamp.textContent = when.toLocaleTimeString();
    stamp.setAttribute("datetime", board.generated_at);
  }

  function refresh() {
    fetch(body.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (board) {
        document.getElementById("wall-error").hidden = true;
        show(board);
      })
      .catch(function () { document.getElementById("wall-error").hidden = false; })
      .finally(function () { window.setTimeout(refresh, Number(body.dataset.refresh)); });
  }

  show(JSON.parse(document.getElementById("wall-board").textContent));
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (key) { charts[key].resize(); });
  });
  window.setTimeout(refresh, Number(body.dataset.refresh));
})();
