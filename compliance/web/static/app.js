// Keyboard shortcuts for the review pages. Plain JavaScript, no build step, no inline script
// (the Content-Security-Policy allows scripts from this site's files only). The pages work
// without it: every action is an ordinary link or form.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function queueKeys(event) {
    var links = Array.prototype.slice.call(document.querySelectorAll("a.item-link"));
    if (!links.length) return false;
    var at = links.indexOf(document.activeElement);
    if (event.key === "j" || event.key === "k") {
      var next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
      if (at === -1) next = 0;
      links[next].focus();
      return true;
    }
    if (event.key === "o") {
      links[at === -1 ? 0 : at].click();
      return true;
    }
    return false;
  }

  function hitKeys(event) {
    if (event.key === "q") {
      var back = document.getElementById("back");
      if (back) back.click();
      return true;
    }
    var radio = document.querySelector('input[name="verdict"][data-key="' + event.key + '"]');
    if (!radio) return false;
    radio.checked = true;
    var reason = document.getElementById("reason");
    if (reason) reason.focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var page = document.body.getAttribute("data-page");
    var handled = false;
    if (document.getElementById("decide-form")) handled = hitKeys(event);
    else if (page === "queue") handled = queueKeys(event);
    if (handled) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var problem = document.getElementById("problem");
    var reason = document.getElementById("reason");
    if (problem && reason) reason.focus();
  });
})();
