// The phone screening page's service worker, served at /health/screening/sw.js (scope
// /health/screening/) by dualtrack.health.views.screening.phone, which puts two constants in front of this source:
//   CACHE_NAME  a name that changes whenever this file or the list of assets changes
//   PRECACHE    the URLs of the static assets the screening page needs
//
// What it does: the screening page and its assets keep working in a village with no network.
// - Static assets: network first with a short timeout, the cached copy when the network fails.
// - A screening page (/health/screening/<id>/screen/): network first; on success the page is
//   cached under its URL (it holds no personal data: screen.js loads the work list from the
//   API and keeps it on the phone); offline, the cached page is served. The page also asks for
//   itself to be cached as soon as the worker is ready (a "cache-page" message).
// - Everything else (the API, POSTs) goes straight to the network: visits are queued by
//   screen.js, not here, so that the page can show what is waiting.
/* global CACHE_NAME, PRECACHE */
"use strict";

var NETWORK_TIMEOUT_MS = 4000;
var REGISTER_PAGE = /^\/health\/screening\/\d+\/screen\/$/;

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
              return name.indexOf("dualtrack-screening-") === 0 && name !== CACHE_NAME;
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

// Cache a screening page under its own URL: what an offline visit to the page is served.
function cacheShell(pageUrl) {
  return fetch(pageUrl, { credentials: "same-origin" })
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

// The page asks to be cached when the worker first installs (its own first visit
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
