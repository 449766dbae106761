// Small behaviours htmx does not cover. Everything here is optional: pages work without it.
(function () {
  "use strict";

  // "Select all" ticks every row checkbox in the same table.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-select-all]")) return;
    var table = box.closest("table");
    table.querySelectorAll('input[type="checkbox"][name="ids"]').forEach(function (row) {
      row.checked = box.checked;
    });
  });

  // Enter in a picker's search box narrows its list (a change event redraws the form) instead of
  // submitting the form it sits in.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("input[data-picker-search]")) return;
    event.preventDefault();
    box.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // When the server cannot be reached at all, say so instead of doing nothing.
  document.addEventListener("htmx:sendError", function () {
    var flashes = document.getElementById("flashes");
    if (!flashes) return;
    flashes.innerHTML = '<article class="flash flash-error" role="alert">Could not reach OMS. Check your connection and try again.</article>';
  });
})();
