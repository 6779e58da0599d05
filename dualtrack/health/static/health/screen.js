// The phone screening page: a cadre or volunteer visits households one by one; every visit is
// queued on the phone first, then sent to /api/health/screening/visits/sync, so a village with a
// bad network (or none) loses nothing — the passage register's pattern (checkpoints/register.js).
//
// - The work list (the households not yet visited that the user may screen, with their
//   residents' names) is loaded from the API when online and kept in localStorage for the user
//   and campaign, so that the page works offline; the page itself holds no personal data.
// - Each visit gets a client id (crypto.randomUUID) and goes into the user's queue; the server
//   treats a repeated client id as the same visit, so sending twice is harmless.
// - The queue is sent at once, again when the browser comes back online, and every 15 seconds.
//   Rows the server takes (created, already had, or already visited by someone else) leave the
//   queue. A batch the server refuses (a malformed row) is refused whole: the rows it names stay,
//   shown with its reasons, until discarded; the others are sent again without them.
// - What the phone can check, it checks before queueing, with the server's own messages.
// The queue (with the shared-phone guard: a queue is sent only in its user's session), the sync
// request and the service worker are js/offline-queue.js's, as the register's.
(function () {
  "use strict";

  var RETRY_MS = 15000;
  var BATCH_ROWS = 200;
  var LIST_PAGES = 20;
  var form = document.getElementById("visit-form");
  var offline = window.dualtrackOffline;
  if (!form || !offline || !window.localStorage || !window.fetch) {
    return;
  }
  var userId = parseInt(form.getAttribute("data-user"), 10);
  var campaignId = parseInt(form.getAttribute("data-campaign"), 10);
  var queue = offline.queue("dualtrack.screening.queue.v1.user" + userId);
  var loadQueue = queue.load;
  var saveQueue = queue.save;
  var read = offline.read;
  var text = offline.text;
  var newClientId = offline.newClientId;
  var LIST_KEY = "dualtrack.screening.worklist.v1.user" + userId + ".campaign" + campaignId;
  var messages = JSON.parse(document.getElementById("screen-messages").textContent);
  var riskPrefixes = JSON.parse(document.getElementById("screen-risk-prefixes").textContent);
  var syncUrl = form.getAttribute("data-sync-url");
  var listUrl = form.getAttribute("data-worklist-url");
  var threshold = parseFloat(form.getAttribute("data-fever-threshold"));
  var quarantineDays = parseInt(form.getAttribute("data-quarantine-days"), 10);
  var asks = {
    presence: form.getAttribute("data-asks-presence") === "1",
    travel: form.getAttribute("data-asks-travel") === "1",
    symptoms: form.getAttribute("data-asks-symptoms") === "1",
    temperature: form.getAttribute("data-asks-temperature") === "1",
  };
  var worklist = document.getElementById("worklist");
  var listBox = document.querySelector("[data-worklist]");
  var listState = document.querySelector("[data-worklist-state]");
  var filter = document.getElementById("worklist-filter");
  var statusBox = document.querySelector("[data-queue-status]");
  var countBox = document.querySelector("[data-queue-count]");
  var rejectedList = document.querySelector("[data-queue-rejected]");
  var problemBox = document.querySelector("[data-queue-problem]");
  var banner = document.querySelector("[data-screen-banner]");
  var peopleBox = form.querySelector("[data-people]");
  var title = form.querySelector("[data-household-title]");
  var current = null;
  var syncing = false;

  function showBanner(kind, message) {
    var item = document.createElement("p");
    item.className = "alert " + (kind === "danger" ? "alert-error screen-danger" : "alert-success");
    item.textContent = message;
    banner.replaceChildren(item);
    banner.hidden = false;
  }

  function today() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + String(now.getDate()).padStart(2, "0");
  }

  // --- The work list ------------------------------------------------------------------------

  function queuedHouseholds() {
    var ids = {};
    loadQueue().forEach(function (item) {
      if (item.row.campaign_id === campaignId) {
        ids[item.row.household_id] = item.row.outcome;
      }
    });
    return ids;
  }

  function label(household) {
    return household.number + " · " + household.address;
  }

  function renderList() {
    var stored = read(LIST_KEY, null);
    listBox.replaceChildren();
    if (!stored) {
      listState.textContent = messages.noList;
      return;
    }
    listState.textContent = navigator.onLine ? "" : text(messages.offlineList, { time: stored.at.slice(11, 16) });
    var queued = queuedHouseholds();
    var query = filter.value.trim();
    var shown = 0;
    stored.items.forEach(function (household) {
      if (queued[household.id] === "visited") {
        return;
      }
      var names = household.residents
        .map(function (r) {
          return r.name;
        })
        .join("、");
      if (query && (label(household) + names).indexOf(query) === -1) {
        return;
      }
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn";
      button.setAttribute("data-household", String(household.id));
      var strong = document.createElement("strong");
      strong.textContent = label(household);
      button.appendChild(strong);
      var small = document.createElement("span");
      small.className = "small muted";
      var notes = [household.area.name, names];
      if (queued[household.id]) {
        notes.push(messages.waiting);
      } else if (household.revisit_on) {
        notes.push(text(messages.revisit, { day: household.revisit_on }));
      }
      small.textContent = " " + notes.filter(Boolean).join(" · ");
      button.appendChild(small);
      li.appendChild(button);
      listBox.appendChild(li);
      shown += 1;
    });
    if (shown === 0 && !query) {
      listState.textContent = messages.empty;
    }
  }

  function fetchPage(after, items, pages) {
    return fetch(listUrl + (after ? "&after=" + after : ""), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      return response.json().then(function (page) {
        items = items.concat(page.items);
        if (page.next_after && pages + 1 < LIST_PAGES) {
          return fetchPage(page.next_after, items, pages + 1);
        }
        return items;
      });
    });
  }

  function fetchList() {
    if (!navigator.onLine) {
      renderList();
      return Promise.resolve();
    }
    return fetchPage(0, [], 0)
      .then(function (items) {
        offline.write(LIST_KEY, { at: new Date().toISOString(), items: items });
      })
      .catch(function () {
        return null;
      })
      .then(renderList);
  }

  // --- One visit --------------------------------------------------------------------------------

  function field(box, name, labelText, attrs) {
    var wrap = document.createElement("div");
    wrap.className = attrs.type === "checkbox" ? "field field-check" : "field";
    var input = document.createElement("input");
    input.id = "f-" + name;
    input.name = name;
    Object.keys(attrs).forEach(function (key) {
      input.setAttribute(key, attrs[key]);
    });
    var lab = document.createElement("label");
    lab.setAttribute("for", input.id);
    lab.textContent = labelText;
    if (attrs.type === "checkbox") {
      input.checked = true;
      wrap.appendChild(input);
      wrap.appendChild(lab);
    } else {
      wrap.appendChild(lab);
      wrap.appendChild(input);
    }
    box.appendChild(wrap);
    return input;
  }

  function openHousehold(household) {
    current = household;
    clearProblems();
    form.reset();
    title.textContent = label(household);
    form.elements.namedItem("household_id").value = String(household.id);
    peopleBox.replaceChildren();
    household.residents.forEach(function (resident) {
      var box = document.createElement("div");
      box.className = "screen-person";
      box.setAttribute("data-resident", String(resident.id));
      var name = document.createElement("strong");
      name.textContent = resident.name + " (" + resident.birth_year + ")";
      box.appendChild(name);
      var id = resident.id;
      if (asks.presence) {
        field(box, "present-" + id, messages.present, { type: "checkbox" });
        field(box, "whereabouts-" + id, messages.whereabouts, { type: "text", maxlength: "100" });
      }
      if (asks.temperature) {
        field(box, "temperature-" + id, messages.temperature, { type: "text", inputmode: "decimal", autocomplete: "off", placeholder: "36.5" });
      }
      if (asks.symptoms) {
        field(box, "symptoms-" + id, messages.symptoms, { type: "text", maxlength: "200" });
      }
      if (asks.travel) {
        field(box, "returned_from_code-" + id, messages.returnedFrom, { type: "text", inputmode: "numeric", maxlength: "6", placeholder: "420100" });
        field(box, "returned_on-" + id, messages.returnedOn, { type: "date", max: today() });
      }
      peopleBox.appendChild(box);
    });
    showPeople();
    worklist.hidden = true;
    form.hidden = false;
    form.scrollIntoView();
  }

  function closeForm() {
    current = null;
    form.hidden = true;
    worklist.hidden = false;
    renderList();
  }

  function outcome() {
    var checked = form.querySelector("input[name=outcome]:checked");
    return checked ? checked.value : "";
  }

  function showPeople() {
    peopleBox.hidden = outcome() !== "visited";
  }

  function value(name) {
    var input = form.elements.namedItem(name);
    if (!input) {
      return "";
    }
    if (input.type === "checkbox") {
      return input.checked;
    }
    return input.value.trim();
  }

  function clearProblems() {
    form.querySelectorAll("[data-phone-error]").forEach(function (element) {
      element.remove();
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (element) {
      element.removeAttribute("aria-invalid");
    });
  }

  function markProblem(name, message) {
    var input = form.elements.namedItem(name);
    var element = input && input.tagName === undefined ? input[0] : input;
    if (!element) {
      return null;
    }
    var box = element.closest(".field") || element.closest("fieldset");
    var error = document.createElement("p");
    error.className = "field-error";
    error.setAttribute("data-phone-error", "");
    error.textContent = message;
    box.appendChild(error);
    element.setAttribute("aria-invalid", "true");
    return element;
  }

  function temperatureProblem(raw, required) {
    if (raw === "") {
      return required ? messages.invalid.temperatureRequired : "";
    }
    if (!/^[0-9]+(\.[0-9]*)?$/.test(raw)) {
      return messages.invalid.temperatureFormat;
    }
    var degrees = parseFloat(raw);
    return degrees >= 34 && degrees <= 43 ? "" : messages.invalid.temperatureRange;
  }

  function validate() {
    clearProblems();
    var problems = [];
    if (outcome() === "") {
      problems.push(["outcome", messages.invalid.outcome]);
    }
    if (outcome() === "visited") {
      current.residents.forEach(function (resident) {
        var id = resident.id;
        var present = asks.presence ? value("present-" + id) : true;
        if (asks.presence && !present && value("whereabouts-" + id) === "") {
          problems.push(["whereabouts-" + id, messages.invalid.whereabouts]);
        }
        if (asks.temperature) {
          var input = form.elements.namedItem("temperature-" + id);
          input.value = input.value.trim().replace(",", ".");
          var problem = temperatureProblem(input.value, present);
          if (problem) {
            problems.push(["temperature-" + id, problem]);
          }
        }
        if (asks.travel) {
          var code = value("returned_from_code-" + id);
          var on = value("returned_on-" + id);
          if (code !== "" && !/^[0-9]{6}$/.test(code)) {
            problems.push(["returned_from_code-" + id, messages.invalid.region]);
          } else if ((code === "") !== (on === "")) {
            problems.push(["returned_from_code-" + id, messages.invalid.returnBoth]);
          }
          if (on !== "" && on > today()) {
            problems.push(["returned_on-" + id, messages.invalid.returnAfter]);
          }
        }
      });
    }
    var first = null;
    problems.forEach(function (problem) {
      var element = markProblem(problem[0], problem[1]);
      first = first || element;
    });
    if (first) {
      first.focus();
    }
    return problems.length === 0;
  }

  function withinQuarantine(day) {
    var returned = new Date(day + "T00:00:00");
    return (new Date() - returned) / 86400000 <= quarantineDays + 1;
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "outcome") {
      showPeople();
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!current || !validate()) {
      return;
    }
    var visited = outcome() === "visited";
    var names = {};
    var warnings = [];
    var records = !visited
      ? []
      : current.residents.map(function (resident) {
          var id = resident.id;
          names[id] = resident.name;
          var present = asks.presence ? value("present-" + id) : true;
          var temperature = asks.temperature ? value("temperature-" + id) : "";
          var code = asks.travel ? value("returned_from_code-" + id) : "";
          var on = asks.travel ? value("returned_on-" + id) : "";
          if (temperature !== "" && parseFloat(temperature) >= threshold) {
            warnings.push(text(messages.fever, { name: resident.name, temperature: temperature }));
          }
          var risky = riskPrefixes.some(function (prefix) {
            return code.indexOf(prefix) === 0;
          });
          if (code !== "" && risky && withinQuarantine(on)) {
            warnings.push(text(messages.riskArea, { name: resident.name }));
          }
          return {
            resident_id: id,
            present: present,
            whereabouts: present ? "" : value("whereabouts-" + id),
            returned_from_code: code,
            returned_on: on === "" ? null : on,
            symptoms: asks.symptoms ? value("symptoms-" + id) : "",
            temperature: temperature === "" ? null : temperature,
          };
        });
    var row = {
      client_id: newClientId(),
      campaign_id: campaignId,
      household_id: current.id,
      outcome: outcome(),
      visited_at: new Date().toISOString(),
      note: value("note"),
      records: records,
    };
    var items = loadQueue();
    items.push({ row: row, label: label(current), names: names });
    saveQueue(items);
    if (warnings.length) {
      showBanner("danger", warnings.join(" "));
    } else {
      showBanner("ok", text(messages.queued, { household: label(current) }));
    }
    closeForm();
    renderQueue();
    sync();
  });

  // --- The queue --------------------------------------------------------------------------------

  function renderQueue() {
    var items = loadQueue();
    var waiting = items.filter(function (item) {
      return !item.errors;
    });
    var rejected = items.filter(function (item) {
      return item.errors;
    });
    countBox.textContent = String(waiting.length);
    statusBox.hidden = waiting.length === 0;
    rejectedList.replaceChildren();
    rejected.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "queue-rejected-row";
      var strong = document.createElement("strong");
      strong.textContent = item.label;
      li.appendChild(strong);
      var reasons = document.createElement("ul");
      item.errors.forEach(function (reason) {
        var r = document.createElement("li");
        r.textContent = reason;
        reasons.appendChild(r);
      });
      li.appendChild(reasons);
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "btn btn-small btn-danger";
      discard.textContent = messages.discard;
      discard.setAttribute("data-queue-discard", item.row.client_id);
      li.appendChild(discard);
      rejectedList.appendChild(li);
    });
    rejectedList.hidden = rejected.length === 0;
  }

  // "rows[3].records[0].temperature" → the reason, with the resident's name when it is theirs.
  function reasonFor(item, field, message) {
    var match = /^records\[(\d+)\]/.exec(field);
    if (match) {
      var record = item.row.records[parseInt(match[1], 10)];
      var name = record && item.names ? item.names[record.resident_id] : "";
      return (name ? name + ": " : "") + message;
    }
    return message;
  }

  function refused(sent, body) {
    var byIndex = {};
    (body.errors || []).forEach(function (error) {
      var match = /^rows\[(\d+)\]\.?(.*)$/.exec(error.field || "");
      if (match) {
        var index = parseInt(match[1], 10);
        (byIndex[index] = byIndex[index] || []).push([match[2], error.message]);
      }
    });
    var marked = {};
    sent.forEach(function (item, index) {
      if (byIndex[index]) {
        marked[item.row.client_id] = byIndex[index].map(function (pair) {
          return reasonFor(item, pair[0], pair[1]);
        });
      }
    });
    if (Object.keys(marked).length === 0) {
      // Refused without naming a row: every row sent carries the reason.
      sent.forEach(function (item) {
        marked[item.row.client_id] = [offline.refusal(body, messages.refused)];
      });
    }
    return marked;
  }

  function sync() {
    if (syncing) {
      return Promise.resolve();
    }
    var all = loadQueue().filter(function (item) {
      return !item.errors;
    });
    if (all.length === 0) {
      return Promise.resolve();
    }
    var sent = all.slice(0, BATCH_ROWS);
    syncing = true;
    var again = false;
    var rows = sent.map(function (item) {
      return item.row;
    });
    return offline
      .sync(syncUrl, form, rows, userId, problemBox, messages.signIn)
      .then(function (answer) {
        if (!answer) {
          return null;
        }
        var body = answer.body;
        if (answer.status === 409) {
          // Another visit to one of these households was being saved at the same moment:
          // nothing was written; send again later.
          return null;
        }
        if (!answer.ok) {
          var marked = refused(sent, body);
          var items = loadQueue();
          items.forEach(function (item) {
            if (marked[item.row.client_id]) {
              item.errors = marked[item.row.client_id];
            }
          });
          saveQueue(items);
          again = sent.length > Object.keys(marked).length;
          return null;
        }
        var done = {};
        var labels = {};
        sent.forEach(function (item) {
          labels[item.row.client_id] = item.label;
        });
        body.results.forEach(function (result) {
          done[result.client_id] = true;
          if (result.outcome === "already_visited") {
            showBanner("danger", text(messages.alreadyVisited, { household: labels[result.client_id] }));
          }
        });
        saveQueue(
          loadQueue().filter(function (item) {
            return !done[item.row.client_id];
          })
        );
        problemBox.textContent = "";
        again = all.length > sent.length;
        return fetchList();
      })
      .catch(function () {
        return null;
      })
      .then(function () {
        syncing = false;
        renderQueue();
        renderList();
        return again ? sync() : null;
      });
  }

  document.addEventListener("click", function (event) {
    var choose = event.target.closest("[data-household]");
    if (choose) {
      var stored = read(LIST_KEY, { items: [] });
      var id = parseInt(choose.getAttribute("data-household"), 10);
      var household = stored.items.filter(function (h) {
        return h.id === id;
      })[0];
      if (household) {
        openHousehold(household);
      }
      return;
    }
    if (event.target.closest("[data-visit-cancel]")) {
      closeForm();
      return;
    }
    if (event.target.closest("[data-sync-now]")) {
      sync();
      return;
    }
    var discard = event.target.closest("[data-queue-discard]");
    if (discard) {
      var clientId = discard.getAttribute("data-queue-discard");
      saveQueue(
        loadQueue().filter(function (item) {
          return item.row.client_id !== clientId;
        })
      );
      renderQueue();
      renderList();
    }
  });

  filter.addEventListener("input", renderList);
  window.addEventListener("online", function () {
    sync().then(fetchList);
  });
  window.addEventListener("offline", renderList);
  window.setInterval(sync, RETRY_MS);
  renderQueue();
  renderList();
  fetchList().then(sync);

  // The service worker keeps this page and its assets for offline use.
  offline.registerWorker(form.getAttribute("data-service-worker"), "/health/screening/");
})();
