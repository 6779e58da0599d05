// What the pages that work offline share (the passage register at a gate, the phone screening
// page): a queue of rows kept on the phone for its signed-in user, client ids, the sync request
// with a timeout and the reading of its answer, and the service worker that keeps the page for
// offline use.
//
// - A queue lives in localStorage under a key that names its user: on a phone shared by a gate's
//   shifts or a village's volunteers, another user neither sees nor sends it. Every sync says
//   whose queue it is (queued_by); the server refuses a queue sent under another user's session
//   (409 queued_by_another_user) and writes nothing, and the rows stay for their owner.
// - The service worker is registered with the page's scope; once it has cached the page,
//   <html data-offline-ready="true"> says so (and the browser tests wait for it).
(function () {
  "use strict";

  var SYNC_TIMEOUT_MS = 30000;
  var ANOTHER_USER = "queued_by_another_user";

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    // Pages over plain http on a LAN address are not a "secure context": build a v4 UUID.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function read(key, fallback) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "null");
      return value === null ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function write(key, value) {
    window.localStorage.setItem(key, JSON.stringify(value));
  }

  // The queue of one user: ``load()`` the items (never anything but a list), ``save(items)``.
  function queue(key) {
    return {
      load: function () {
        var items = read(key, []);
        return Array.isArray(items) ? items : [];
      },
      save: function (items) {
        write(key, items);
      },
    };
  }

  function text(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // POST a queue's rows as JSON, given up after a while (a network that hangs must not block the
  // queue: it is sent again later). Resolves to the response; rejects when the network fails.
  function send(url, form, rows, queuedBy) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller
      ? window.setTimeout(function () {
          controller.abort();
        }, SYNC_TIMEOUT_MS)
      : null;
    function done() {
      if (timer) {
        window.clearTimeout(timer);
      }
    }
    return fetch(url, {
      signal: controller ? controller.signal : undefined,
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(form),
      },
      body: JSON.stringify({ rows: rows, queued_by: queuedBy }),
    }).then(
      function (response) {
        done();
        return response;
      },
      function (error) {
        done();
        throw error;
      }
    );
  }

  // Send a queue's rows and read the answer as every page reads it. Resolves to null when the
  // rows stay queued as they are (sent again later): the user is not signed in (the page's
  // ``problemBox`` says so with ``signInMessage``), the server failed, or the session is another
  // user's (``problemBox`` says the server's reason); otherwise to the answer's ``ok``, ``status``
  // and JSON ``body`` for the page to act on. Rejects when the network fails.
  function sync(url, form, rows, queuedBy, problemBox, signInMessage) {
    return send(url, form, rows, queuedBy).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        problemBox.textContent = signInMessage;
        return null;
      }
      if (response.status >= 500) {
        return null;
      }
      return response.json().then(function (body) {
        if (Boolean(body) && body.code === ANOTHER_USER) {
          // The page was served from its offline copy under another user's session: the queue
          // is kept for its owner.
          problemBox.textContent = body.detail;
          return null;
        }
        return { ok: response.ok, status: response.status, body: body };
      });
    });
  }

  // Why the server refused a whole batch (its problem's detail or title), else ``fallback``.
  function refusal(body, fallback) {
    return body.detail || body.title || fallback;
  }

  function registerWorker(url, scope) {
    if (!("serviceWorker" in navigator) || !url) {
      return;
    }
    navigator.serviceWorker
      .register(url, { scope: scope })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return new Promise(function (resolve) {
          var channel = new MessageChannel();
          channel.port1.onmessage = resolve;
          registration.active.postMessage({ type: "cache-page", path: window.location.pathname }, [
            channel.port2,
          ]);
        });
      })
      .then(function () {
        document.documentElement.setAttribute("data-offline-ready", "true");
      })
      .catch(function () {
        return null;
      });
  }

  window.dualtrackOffline = {
    newClientId: newClientId,
    read: read,
    write: write,
    queue: queue,
    text: text,
    sync: sync,
    refusal: refusal,
    registerWorker: registerWorker,
  };
})();
