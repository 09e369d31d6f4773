// Keyboard shortcuts for the moderation inbox: j/k move between comments, a/u/s/t press the
// current comment's Approve, Unapprove, Spam or Trash button, x ticks its checkbox.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".moderation-item"));
  if (items.length === 0) {
    return;
  }
  var current = -1;
  function focus(index) {
    current = Math.max(0, Math.min(items.length - 1, index));
    items[current].focus();
  }
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) && event.target.type !== "checkbox";
    if (typing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "j") {
      focus(current + 1);
    } else if (event.key === "k") {
      focus(current - 1);
    } else if (current >= 0 && event.key === "x") {
      var box = items[current].querySelector("input[type=checkbox]");
      box.checked = !box.checked;
    } else if (current >= 0 && /^[a-z]$/.test(event.key)) {
      var button = items[current].querySelector("button[data-key='" + event.key + "']");
      if (!button) {
        return;
      }
      button.click();
    } else {
      return;
    }
    event.preventDefault();
  });
})();
