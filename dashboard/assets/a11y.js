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
    var page = document.getElementById("page");
    if (page && page.lang && document.documentElement.lang !== page.lang) {
      document.documentElement.lang = page.lang;
    }
  }
  new MutationObserver(apply).observe(document.documentElement, {childList: true, subtree: true, attributes: true, attributeFilter: ["lang"]});
  document.addEventListener("DOMContentLoaded", apply);
})();
