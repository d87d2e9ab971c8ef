// Annual report page: year-on-year chart and confirmation before lock/publish. No inline scripts.
(function () {
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  var source = document.getElementById("report-chart-data");
  var target = document.getElementById("report-chart");
  if (!source || !target || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var names = {disclosed: "予以公开", partially_disclosed: "部分公开", withheld: "不予公开",
               unavailable: "无法提供", not_processed: "不予处理", other: "其他处理"};
  var series = [{name: "收到申请", type: "line", data: data.received}];
  Object.keys(names).forEach(function (key) {
    series.push({name: names[key], type: "bar", stack: "outcomes", data: data.outcomes[key]});
  });
  series.push({name: "按时答复率（%）", type: "line", yAxisIndex: 1, data: data.on_time_rate});
  echarts.init(target).setOption({
    tooltip: {trigger: "axis", renderMode: "richText"},  // no inline styles (CSP)
    legend: {type: "scroll"},
    xAxis: {type: "category", data: data.years},
    yAxis: [{type: "value", name: "件"}, {type: "value", name: "%", max: 100}],
    series: series
  });
})();
