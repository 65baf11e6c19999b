// The map's year slider (dashboard/map_view.py): Dash's Slider takes no ARIA attributes, so its
// thumb gets the name of the slider's wrapper ("Jaar (kaart)" / "Year (map)"), for screen readers.
(function () {
  function name() {
    document.querySelectorAll(".map-year-slider[aria-label] [role='slider']:not([aria-label])").forEach(function (thumb) {
      thumb.setAttribute("aria-label", thumb.closest(".map-year-slider").getAttribute("aria-label"));
    });
  }
  new MutationObserver(name).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", name);
})();
