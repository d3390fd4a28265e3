// Starts Swagger UI on /api/docs (see templates/swagger_ui.html): no inline script.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui-container");
  var config = {url: container.getAttribute("data-spec-url"), dom_id: "#swagger-ui-container"};
  var extra = JSON.parse(container.getAttribute("data-config") || "{}");
  Object.keys(extra).forEach(function (key) { config[key] = extra[key]; });
  window.ui = SwaggerUIBundle(config);
})();
