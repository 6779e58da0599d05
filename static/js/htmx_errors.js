// How every htmx request's failure is shown, for every page (templates/base.html loads it).
//
// A 422 answer is a form with its errors: base.html's htmx-config has htmx swap it in like a
// 200, so each form shows its own field errors. Any other 4xx or 5xx answer, or none at all (the
// network), is not swapped (an error page must not land inside a fragment of this one): it is said
// in #htmx-error (role="alert"), in the page's language, until the next request the user makes
// succeeds or they close it.
(function () {
  "use strict";

  function box() {
    return document.getElementById("htmx-error");
  }

  function messageFor(status) {
    var element = box();
    var data = element.dataset;
    if (!status) {
      return data.network;
    }
    if (status === 403) {
      return data.forbidden;
    }
    if (status === 404) {
      return data.notFound;
    }
    if (status === 409) {
      return data.conflict;
    }
    if (status === 429) {
      return data.tooMany;
    }
    return status >= 500 ? data.server : data.refused;
  }

  function show(status) {
    var element = box();
    if (!element) {
      return;
    }
    element.querySelector("[data-htmx-error-text]").textContent = messageFor(status);
    element.hidden = false;
  }

  function hide() {
    var element = box();
    if (element && !element.hidden) {
      element.hidden = true;
      element.querySelector("[data-htmx-error-text]").textContent = "";
    }
  }

  // What the user did (a submit, a click, typing), as opposed to a poll or a load trigger: a
  // background refresh that fails on a flaky network is not worth an alarm; a form that does is.
  function byTheUser(detail) {
    return Boolean(detail.requestConfig && detail.requestConfig.triggeringEvent);
  }

  document.addEventListener("htmx:responseError", function (event) {
    show(event.detail.xhr.status);
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (byTheUser(event.detail)) {
      show(0);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && byTheUser(event.detail)) {
      hide();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-htmx-error-close]")) {
      hide();
    }
  });
})();
