// Parts below the fold (dashboard/deferred.py): mark a part as seen when it comes within 200 px of
// the viewport, so Dash draws it then instead of on the first paint. The print button marks every
// part and waits for regiodashDeferredDrawn(); Ctrl+P prints the parts already drawn.
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
  function watch() {
    document.querySelectorAll(".deferred[data-flag]:not([data-watched])").forEach(function (part) {
      part.dataset.watched = "1";
      if (near) { near.observe(part); } else { mark(part); }
    });
  }
  window.regiodashDrawDeferred = function () { document.querySelectorAll(".deferred[data-flag]").forEach(mark); };
  // Drawn: a chart holds its plot, a block's slot something (an empty block never counts).
  window.regiodashDeferredDrawn = function () {
    return Array.prototype.every.call(document.querySelectorAll(".deferred[data-flag]"), function (part) {
      return part.dataset.kind === "chart" ? !!part.querySelector(".main-svg")
        : part.querySelector(".deferred-slot").childElementCount > 0;
    });
  };
  window.addEventListener("beforeprint", window.regiodashDrawDeferred);
  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", watch);
})();
