// The formatting toolbar: one button per format, reachable with the keyboard as one stop
// (arrow keys move between buttons, as in WAI-ARIA's toolbar pattern), each naming its
// shortcut.

const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform);

/** `Mod-Shift-8` as this computer's keyboard writes it: `Ctrl+Shift+8`, or `⌘⇧8` on a Mac. */
function shortcutText(key) {
  const names = IS_MAC
    ? { Mod: "⌘", Alt: "⌥", Shift: "⇧" }
    : { Mod: "Ctrl+", Alt: "Alt+", Shift: "Shift+" };
  return key
    .split("-")
    .map((part) => names[part] ?? part.toUpperCase())
    .join("");
}

/** `Mod-Shift-8` in `aria-keyshortcuts` notation: `Control+Shift+8` (`Meta` on a Mac). */
function ariaShortcut(key) {
  const names = { Mod: IS_MAC ? "Meta" : "Control", Alt: "Alt", Shift: "Shift" };
  return key
    .split("-")
    .map((part) => names[part] ?? part.toUpperCase())
    .join("+");
}

export function toolbar(view, formats, fieldName) {
  const bar = document.createElement("div");
  bar.className = "editor-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", `Formatting: ${fieldName}`);
  const buttons = formats.map((format, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = format.label ?? format.name;
    button.dataset.format = format.name;
    button.setAttribute("aria-label", format.name);
    button.setAttribute("aria-keyshortcuts", ariaShortcut(format.key));
    button.title = `${format.name} (${shortcutText(format.key)})`;
    button.tabIndex = index === 0 ? 0 : -1;
    // Keep the editor's selection: a press must not move focus before the command runs.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      format.run(view);
      view.focus();
    });
    return button;
  });
  bar.addEventListener("keydown", (event) => {
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const moves = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key] + buttons.length) % buttons.length;
    buttons[at].tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  });
  bar.append(...buttons);
  return bar;
}
