// Dragging an article to another day on the calendar: it is sent through the same form the
// lists offer without JavaScript, a scheduled article with the new day at the same time, a
// planned draft with the new day.
(() => {
  "use strict";
  const calendar = document.querySelector("table.calendar");
  if (!calendar) return;
  for (const item of calendar.querySelectorAll("li[draggable=true]")) {
    item.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", item.dataset.id);
      event.dataTransfer.effectAllowed = "move";
      item.classList.add("dragging");
    });
    item.addEventListener("dragend", () => item.classList.remove("dragging"));
  }
  for (const cell of calendar.querySelectorAll("td[data-date]")) {
    cell.addEventListener("dragover", (event) => {
      event.preventDefault();
      cell.classList.add("drop-target");
    });
    cell.addEventListener("dragleave", () => cell.classList.remove("drop-target"));
    cell.addEventListener("drop", (event) => {
      event.preventDefault();
      cell.classList.remove("drop-target");
      const id = event.dataTransfer.getData("text/plain");
      const item = calendar.querySelector(`li[data-id="${CSS.escape(id)}"]`);
      const form = document.querySelector(`form[data-article="${CSS.escape(id)}"]`);
      if (!item || !form) return;
      // A planned draft moves to the day; a scheduled article to the day at its time.
      if (form.elements.planned_on) form.elements.planned_on.value = cell.dataset.date;
      else form.elements.publish_at.value = `${cell.dataset.date}T${item.dataset.time}`;
      form.requestSubmit();
    });
  }
})();
