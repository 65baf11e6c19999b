// Parts below the fold (dashboard/deferred.py): not drawn with the first paint, but as soon as the
// browser is idle after it, one part per idle moment (each its own short task, so a click never
// waits behind all of them), or earlier when a part comes within 200 px of the viewport. So a
// screen reader, find-in-page and Ctrl+P get every part a moment after the first paint. The print
// button marks every part at once and waits for regiodashDeferredDrawn().
(function () {
  function mark(part) {
    if (part.dataset.marked || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    part.dataset.marked = "1";
    window.dash_clientside.set_props(part.dataset.flag, {data: true});
  }
  var near = "IntersectionObserver" in window ? new IntersectionObserver(function (entries, observer) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); mark(entry.target); }
    });
  }, {rootMargin: "200px 0px"}) : null;
  var idle = window.requestIdleCallback || function (next) { return setTimeout(next, 1); };
  function drawNextWhenIdle() {
    var next = document.querySelector(".deferred[data-flag]:not([data-marked])");
    if (!next) { return; }
    mark(next);
    setTimeout(function () { idle(drawNextWhenIdle, {timeout: 2000}); }, 50);  // after this part's render
  }
  var started = false;
  function watch() {
    document.querySelectorAll(".deferred[data-flag]:not([data-watched])").forEach(function (part) {
      part.dataset.watched = "1";
      if (near) { near.observe(part); } else { mark(part); }
    });
    // the first paint is done when the trend is drawn: the rest follows when the browser is idle
    if (!started && document.querySelector("#trend .main-svg")) {
      started = true;
      idle(drawNextWhenIdle, {timeout: 2000});
    }
  }
  window.regiodashDrawDeferred = function () { document.querySelectorAll(".deferred[data-flag]").forEach(mark); };
  // Drawn: a chart holds its plot, a block's slot text (a Markdown table's component is there
  // before its lazily loaded renderer has written the table; an empty block never counts).
  window.regiodashDeferredDrawn = function () {
    return Array.prototype.every.call(document.querySelectorAll(".deferred[data-flag]"), function (part) {
      return part.dataset.kind === "chart" ? !!part.querySelector(".main-svg")
        : part.querySelector(".deferred-slot").textContent.trim().length > 0;
    });
  };
  window.addEventListener("beforeprint", window.regiodashDrawDeferred);
  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", watch);
})();
