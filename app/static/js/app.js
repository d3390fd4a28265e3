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

  // <button data-print>: print the page.
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
