// The newsletter sign-up form on cached pages: when the reader starts on it, ask
// /comments/token for a per-view token, so the server can tell how long the form was open.
// Without this script the form still works: the server answers with one more step.
(function () {
  "use strict";
  document.querySelectorAll("form[data-form-token]").forEach(function (form) {
    var asked = false;
    form.addEventListener("focusin", function () {
      if (asked) {
        return;
      }
      asked = true;
      fetch("/comments/token", { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (body && typeof body.token === "string") {
            form.elements.form_token.value = body.token;
          }
        })
        .catch(function () { asked = false; });
    });
  });
})();
