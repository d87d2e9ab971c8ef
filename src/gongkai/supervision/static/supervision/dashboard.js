// Oversight dashboard: the monthly trend chart (ECharts, vendored). No inline scripts.
(function () {
  var source = document.getElementById("trend-data");
  var target = document.getElementById("trend-chart");
  if (!source || !target || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var names = {
    received: "收到申请", late_replies: "逾期答复", published: "主动公开信息",
    late_publications: "超20个工作日公开", struck_off: "督办任务销账", complaints: "投诉举报"
  };
  var series = Object.keys(names).map(function (key) {
    var bar = key === "received" || key === "published";
    return {name: names[key], type: bar ? "bar" : "line", data: data.series[key]};
  });
  echarts.init(target).setOption({
    tooltip: {trigger: "axis", renderMode: "richText"},  // no inline styles (CSP)
    legend: {type: "scroll"},
    xAxis: {type: "category", data: data.months},
    yAxis: {type: "value", name: "件", minInterval: 1},
    series: series
  });
})();
