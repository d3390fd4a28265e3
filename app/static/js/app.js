// Behaviour of the pages, kept out of the HTML so that the Content-Security-Policy
// can forbid inline scripts. Loaded (deferred) by base.html on every page.
(function () {
  "use strict";

  // A text filter above each <select data-filter>: typing narrows the options shown.
  document.querySelectorAll("select[data-filter]").forEach(function (select) {
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = select.getAttribute("data-filter") || "";
    input.setAttribute("aria-label", input.placeholder);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && option.text.toLowerCase().indexOf(needle) === -1 &&
          !option.selected;
      });
    });
  });

  // <form data-year-path="/admin/settings">: go to /admin/settings/<year>.
  document.querySelectorAll("form[data-year-path]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = form.getAttribute("data-year-path") + "/" +
        encodeURIComponent(form.elements.year.value);
    });
  });

  // <input type="checkbox" data-select-all="NAME">: ticks or clears every NAME checkbox
  // of its form (without JavaScript, each is ticked by hand).
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var boxes = all.form.querySelectorAll(
      "input[type=checkbox][name='" + all.getAttribute("data-select-all") + "']");
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  });

  // A table wider than the page (at desktop width: on a phone tables are stacked rows,
  // app.css) scrolls in its own box; keyboard users reach that box with Tab and scroll
  // it with the arrow keys.
  function focusableScrolling() {
    document.querySelectorAll("main table, .table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scrolls", "");
      } else if (box.scrollWidth <= box.clientWidth + 1 && box.hasAttribute("data-scrolls")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scrolls");
      }
    });
  }
  focusableScrolling();
  window.addEventListener("resize", focusableScrolling);

  // <button data-print>: print the page.
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
