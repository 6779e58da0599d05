// dualtrack page behaviour that CSP forbids inline: no inline handlers, so everything is
// delegated from the document here.
(function () {
  "use strict";

  // <button data-copy="#selector" data-copied="Copied">: copy the target's text.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var target = document.querySelector(button.getAttribute("data-copy"));
    if (!target || !navigator.clipboard) {
      return;
    }
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      var done = button.getAttribute("data-copied");
      if (done) {
        button.textContent = done;
      }
    });
  });

  // An htmx request whose session has expired is redirected to the sign-in page: load that page
  // whole instead of swapping it into a fragment of this one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var url = event.detail.xhr && event.detail.xhr.responseURL;
    if (url && new URL(url).pathname === "/login/") {
      event.preventDefault();
      window.location.assign(url);
    }
  });

  // A phone's menu scrolls sideways: show the page's own item, not always the first ones; again
  // once the menu's badges have come in after the page and moved the items after them.
  function showCurrentMenuItem() {
    var nav = document.querySelector(".mainnav");
    var current = nav && nav.querySelector("[aria-current=page]");
    if (current && nav.scrollWidth > nav.clientWidth) {
      var left = current.getBoundingClientRect().left - nav.getBoundingClientRect().left;
      nav.scrollLeft += left - (nav.clientWidth - current.offsetWidth) / 2;
    }
  }
  document.addEventListener("DOMContentLoaded", showCurrentMenuItem);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.closest && event.target.closest(".mainnav")) {
      showCurrentMenuItem();
    }
  });

  // <form data-confirm="Really?">: ask before submitting a destructive form.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
