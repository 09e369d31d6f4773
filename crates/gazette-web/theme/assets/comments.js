// Gazette's comment form, improved when scripts run; it works without them.
// - fills in the name, email and website the reader asked us to remember;
// - asks /comments/token for a per-view token when the reader starts on the form, so the
//   server can tell how long the form was open (the cached page cannot carry that);
// - answers a comment in place instead of reloading the page with ?replytocom=.
(function () {
  "use strict";
  var form = document.getElementById("commentform");
  var respond = document.getElementById("respond");
  if (!form || !respond) {
    return;
  }

  function fillRemembered() {
    var match = document.cookie.match(/(?:^|;\s*)gazette_comment_author=([^;]*)/);
    if (!match) {
      return;
    }
    try {
      var saved = JSON.parse(decodeURIComponent(match[1]));
      ["author", "email", "url"].forEach(function (name) {
        var field = form.elements[name];
        if (field && !field.value && typeof saved[name] === "string") {
          field.value = saved[name];
        }
      });
      form.elements["wp-comment-cookies-consent"].checked = true;
    } catch (ignored) {
      // A cookie we cannot read is one we do not use.
    }
  }

  var asked = false;
  function askForToken() {
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
  }

  var title = document.getElementById("reply-title");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var home = document.createElement("div");
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  function replyTo(link) {
    var comment = document.getElementById("comment-" + link.getAttribute("data-comment"));
    if (!comment) {
      return false;
    }
    comment.querySelector(".comment-body").after(respond);
    form.elements.comment_parent.value = link.getAttribute("data-comment");
    title.textContent = title.getAttribute("data-reply-to") + " " + link.getAttribute("data-name");
    cancel.parentNode.hidden = false;
    form.elements.comment.focus();
    return true;
  }

  function cancelReply() {
    home.after(respond);
    form.elements.comment_parent.value = "0";
    title.textContent = title.getAttribute("data-leave");
    cancel.parentNode.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var link = target.closest ? target.closest(".comment-reply-link") : null;
    if (link && replyTo(link)) {
      event.preventDefault();
    } else if (target === cancel && form.elements.comment_parent.value !== "0") {
      event.preventDefault();
      cancelReply();
    }
  });

  form.addEventListener("focusin", askForToken);
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    // Disabled after the browser has taken the submission; a second click does nothing.
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  fillRemembered();
})();
