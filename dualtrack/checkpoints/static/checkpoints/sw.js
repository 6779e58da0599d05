// The checkpoint register's service worker, served at /checkpoints/sw.js (scope /checkpoints/)
// by dualtrack.checkpoints.views.offline, which puts two constants in front of this source:
//   CACHE_NAME  a name that changes whenever this file or the list of assets changes
//   PRECACHE    the URLs of the static assets the register page needs
//
// What it does: the register page and its assets keep working at a gate with no network.
// - Static assets: network first with a short timeout, the cached copy when the network fails.
// - A register page (/checkpoints/<id>/register/): network first; on success its "shell"
//   (the page without the lists of people, ?shell=1) is cached under the page's URL, so personal
//   data is never written to the cache; offline, the shell is served.
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

function registerPage(request, url) {
  return withTimeout(fetch(request), NETWORK_TIMEOUT_MS)
    .then(function (response) {
      if (response.ok && !response.redirected) {
        var shellUrl = url.origin + url.pathname + "?shell=1";
        fetch(shellUrl, { credentials: "same-origin" })
          .then(function (shell) {
            if (shell.ok && !shell.redirected) {
              return caches.open(CACHE_NAME).then(function (cache) {
                return cache.put(url.origin + url.pathname, shell);
              });
            }
            return null;
          })
          .catch(function () {
            return null;
          });
      }
      return response;
    })
    .catch(function () {
      return caches.open(CACHE_NAME).then(function (cache) {
        return cache.match(url.origin + url.pathname).then(function (hit) {
          return hit || Response.error();
        });
      });
    });
}

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
