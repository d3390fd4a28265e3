// A job's progress page (app/jobs/templates/jobs/progress.html): asks for the
// figures every second and shows them; when the job ends, loads its page again
// (the result, or the reason it failed). Without script the page reloads itself.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "true") { return; }
  var url = box.dataset.progressUrl;
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined,
                                     { maximumFractionDigits: 0 });

  function show(field, value) {
    var element = box.querySelector('[data-field="' + field + '"]');
    if (element) {
      element.textContent = (value === null || value === undefined) ? "—"
        : (typeof value === "number" ? number.format(value) : value);
    }
  }

  function update(state) {
    if (state.finished) { window.location.assign(state.url); return; }
    ["label", "step", "done", "total", "rate", "seconds_left"].forEach(function (field) {
      show(field, state[field]);
    });
    var bar = box.querySelector("progress");
    if (bar && state.percent !== null) { bar.value = state.percent; bar.textContent = state.percent + "%"; }
  }

  function ask() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) { update(state); } })
      .catch(function () { /* the next turn asks again */ })
      .finally(function () { window.setTimeout(ask, 1000); });
  }
  window.setTimeout(ask, 1000);
}());
