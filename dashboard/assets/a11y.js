// Accessibility glue for Dash components that do not take ARIA attributes themselves:
// name every radio group after its visible <label>, and keep <html lang> in step with the
// language switch. Runs again whenever Dash re-renders.
(function () {
  function apply() {
    document.querySelectorAll(".control > label[id$='-label']").forEach(function (label) {
      var control = document.getElementById(label.htmlFor);
      if (control && !control.getAttribute("aria-labelledby")) {
        control.setAttribute("aria-labelledby", label.id);
      }
    });
    // Dash 4's dropdown keeps its visible button out of the tab order and puts an aria-hidden
    // input in it instead, which Chromium's Tab skips: put the button back, take the input out.
    document.querySelectorAll("button.dash-dropdown[tabindex='-1']").forEach(function (button) {
      button.setAttribute("tabindex", "0");
    });
    document.querySelectorAll("input.dash-dropdown-focus-target[tabindex='0']").forEach(function (input) {
      input.setAttribute("tabindex", "-1");
    });
    // When a dropdown opens, put the cursor in its search box: "type a name" then works
    // from the keyboard as it does after a click.
    var search = document.querySelector("input.dash-dropdown-search:not([data-focused])");
    if (search) {
      search.setAttribute("data-focused", "1");
      search.focus();
    }
    // On a phone the choices start folded: the first screen is the answer, not the controls.
    var panel = document.getElementById("controls-panel");
    if (panel && !panel.dataset.sized) {
      panel.dataset.sized = "1";
      if (window.innerWidth < 700) { panel.open = false; }
    }
    var page = document.getElementById("page");
    if (page && page.lang && document.documentElement.lang !== page.lang) {
      document.documentElement.lang = page.lang;
    }
  }
  // "Link to this view": the address bar's URL, which follows every choice (Dash's Location.href
  // keeps the page's first URL).
  ["click", "focusin", "contextmenu"].forEach(function (kind) {
    document.addEventListener(kind, function (event) {
      var link = event.target && event.target.closest && event.target.closest("#share-link");
      if (link) { link.href = window.location.href; }
    }, true);
  });
  // Paper: every folded section printed open, and a line with the print date, this view's link and its settings.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    reopened.forEach(function (d) { d.open = true; });
    var info = document.getElementById("print-info");
    if (info) {
      var params = new URLSearchParams(window.location.search);
      var settings = [];
      params.forEach(function (value, key) { settings.push(key + "=" + value); });
      var date = new Date().toISOString().slice(0, 10);
      info.textContent = (info.dataset.printed || "{date}").replace("{date}", date) + " · " +
        (info.dataset.link || "") + ": " + window.location.href + " · " + (info.dataset.settings || "") + ": " +
        settings.join(", ");
    }
  });
  window.addEventListener("afterprint", function () { reopened.forEach(function (d) { d.open = false; }); reopened = []; });
  new MutationObserver(apply).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["lang"]});
  document.addEventListener("DOMContentLoaded", apply);
})();
