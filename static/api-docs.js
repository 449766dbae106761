// Starts the vendored Swagger UI on /api/v1/docs; a file, not an inline script, so the app's CSP needs no exception.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: root.dataset.specUrl, dom_id: "#swagger-ui", deepLinking: true });
});
