// The service worker of the pages that work offline (the passage register at a gate, the phone
// screening page), served from the page's own path so that its scope covers the page (a worker
// under /static/ could only control /static/) by dualtrack.core.offline, which puts these
// constants in front of this source:
//   CACHE_NAME    a name that changes whenever this file or the list of assets changes
//   CACHE_PREFIX  the start of every name of this page's caches (older ones are dropped)
//   PRECACHE      the URLs of the static assets the page needs
//   PAGE_PATTERN  the paths of the pages it keeps (a regular expression)
//   SHELL_QUERY   what the page is fetched with to be cached ("?shell=1": the page without its
//                 lists of people, so that personal data is never written to the cache; "" for
//                 a page that holds none)
//
// What it does: the page and its assets keep working with no network.
// - Static assets: network first with a short timeout, the cached copy when the network fails.
// - The page: network first; on success its shell is cached under the page's URL; offline, the
//   cached shell is served. The page also asks for its shell to be cached as soon as the worker
//   is ready (a "cache-page" message).
// - Everything else (the API, POSTs, htmx fragments) goes straight to the network: rows are
//   queued by the page (js/offline-queue.js), not here, so that the page can show what waits.
/* global CACHE_NAME, CACHE_PREFIX, PRECACHE, PAGE_PATTERN, SHELL_QUERY */
"use strict";

var NETWORK_TIMEOUT_MS = 4000;
var OFFLINE_PAGE = new RegExp(PAGE_PATTERN);

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
              return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE_NAME;
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

// Cache the page's shell under the page's own URL: what an offline visit to the page is served.
function cacheShell(pageUrl) {
  return fetch(pageUrl + SHELL_QUERY, { credentials: "same-origin" })
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

function offlinePage(request, url) {
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
  if (data.type !== "cache-page" || !OFFLINE_PAGE.test(data.path || "")) {
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
  if (request.mode === "navigate" && OFFLINE_PAGE.test(url.pathname)) {
    event.respondWith(offlinePage(request, url));
  } else if (PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(staticAsset(request));
  }
});
