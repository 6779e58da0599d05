// The checkpoint register's service worker, served at /checkpoints/sw.js (scope /checkpoints/)
// by dualtrack.checkpoints.views.offline, which puts two constants in front of this source:
//   CACHE_NAME  a name that changes whenever this file or the list of assets changes
//   PRECACHE    the URLs of the static assets the register page needs
//
// What it does: the register page and its assets keep working at a gate with no network.
// - Static assets: network first with a short timeout, the cached copy when the network fails.
// - A register page (/checkpoints/<id>/register/): network first; on success its "shell"
//   (the page without the lists of people, ?shell=1) is cached under the page's URL, so personal
//   data is never written to the cache; offline, the shell is served. The page also asks for its
//   shell to be cached as soon as the worker is ready (a "cache-page" message).
// - Everything else (the API, POSTs, htmx fragments) goes straight to the network: registrations
//   are queued by register.js, not here, so that the page can show what is waiting.
/* global CACHE_NAME, PRECACHE */
"use strict";

var NETWORK_TIMEOUT_MS = 4000;
var REGISTER_PAGE = /^\/checkpoints\/\d+\/register\/$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CACHE_NAME)
      .then(function (cache) {
        return cache.addAll(PRECACHE);
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("dualtrack-checkpoints-") === 0 && name !== CACHE_NAME;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () {
      reject(new Error("timeout"));
    }, ms);
    promise.then(
      function (value) {
        clearTimeout(timer);
        resolve(value);
      },
      function (error) {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}

function fromCache(request) {
  return caches.open(CACHE_NAME).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

function staticAsset(request) {
  return withTimeout(fetch(request), NETWORK_TIMEOUT_MS)
    .then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE_NAME).then(function (cache) {
          cache.put(request, copy);
        });
      }
      return response;
    })
    .catch(function () {
      return fromCache(request);
    });
}

// Cache the "shell" of a register page (the page without its lists of people) under the page's
// own URL: what an offline visit to the page is served.
function cacheShell(pageUrl) {
  return fetch(pageUrl + "?shell=1", { credentials: "same-origin" })
    .then(function (shell) {
      if (shell.ok && !shell.redirected) {
        return caches.open(CACHE_NAME).then(function (cache) {
          return cache.put(pageUrl, shell);
        });
      }
      return null;
    })
    .catch(function () {
      return null;
    });
}

function registerPage(request, url) {
  var pageUrl = url.origin + url.pathname;
  return withTimeout(fetch(request), NETWORK_TIMEOUT_MS)
    .then(function (response) {
      if (response.ok && !response.redirected) {
        cacheShell(pageUrl);
      }
      return response;
    })
    .catch(function () {
      return caches.open(CACHE_NAME).then(function (cache) {
        return cache.match(pageUrl).then(function (hit) {
          return hit || Response.error();
        });
      });
    });
}

// The page asks for its shell to be cached when the worker first installs (its own first visit
// did not pass through the worker), and answers on the message port once it is.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "cache-page" || !REGISTER_PAGE.test(data.path || "")) {
    return;
  }
  var port = event.ports && event.ports[0];
  event.waitUntil(
    cacheShell(self.location.origin + data.path).then(function () {
      if (port) {
        port.postMessage("cached");
      }
    })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && REGISTER_PAGE.test(url.pathname)) {
    event.respondWith(registerPage(request, url));
  } else if (PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(staticAsset(request));
  }
});
