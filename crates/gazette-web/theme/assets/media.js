// The media library's enhancements. Without JavaScript every one of them has a plain form:
// the focal point is typed as two percentages.
(() => {
  "use strict";

  // Clicking a picture sets its focal point: the marker shows it, the numbers follow.
  const frame = document.querySelector(".focal-frame");
  const across = document.getElementById("focus_x");
  const down = document.getElementById("focus_y");
  if (frame && across && down) {
    const marker = frame.querySelector(".focal-marker");
    const hint = document.getElementById("focal-hint");
    const show = () => {
      marker.style.left = `${across.value}%`;
      marker.style.top = `${down.value}%`;
      marker.hidden = false;
    };
    const percent = (offset, size) => Math.min(100, Math.max(0, Math.round((offset / size) * 100)));
    frame.classList.add("pickable");
    if (hint) hint.hidden = false;
    frame.addEventListener("click", (event) => {
      const box = frame.querySelector("img").getBoundingClientRect();
      across.value = percent(event.clientX - box.left, box.width);
      down.value = percent(event.clientY - box.top, box.height);
      show();
    });
    across.addEventListener("input", show);
    down.addEventListener("input", show);
    show();
  }
})();
