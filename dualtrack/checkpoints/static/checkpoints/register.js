// The passage register at a gate: every registration is queued on the phone first, then sent to
// /api/checkpoints/passages/sync, so a gate with a bad network (or none) loses nothing.
//
// - Each registration gets a client id (crypto.randomUUID) and goes into a queue in localStorage;
//   the server treats a repeated client id as the same passage, so sending twice is harmless.
// - The queue belongs to the signed-in user (a phone is shared by a gate's shifts): another user
//   neither sees nor sends it, and the server refuses a queue sent under another user's session.
// - The queue is sent at once, again when the browser comes back online, and every 15 seconds.
// - Rows the server accepts (including ones it already had) leave the queue. Rows it rejects stay,
//   shown with the server's reasons, until the staff correct or discard them: never resent blindly.
// - Without this script the form posts to the page as an ordinary form.
// The queue, the sync request and the service worker are js/offline-queue.js's.
(function () {
  "use strict";

  var RETRY_MS = 15000;
  var BATCH_ROWS = 200;
  var form = document.querySelector("form[data-offline-queue]");
  var offline = window.dualtrackOffline;
  if (!form || !offline || !window.localStorage || !window.fetch) {
    return;
  }
  var userId = parseInt(form.getAttribute("data-user"), 10);
  var queue = offline.queue("dualtrack.checkpoints.queue.v2.user" + userId);
  var load = queue.load;
  var save = queue.save;
  var text = offline.text;
  var newClientId = offline.newClientId;
  var messages = JSON.parse(document.getElementById("register-messages").textContent);
  var riskPrefixes = JSON.parse(document.getElementById("register-risk-prefixes").textContent);
  var syncUrl = form.getAttribute("data-sync-url");
  var checkpointId = parseInt(form.getAttribute("data-checkpoint"), 10);
  var feverThreshold = parseFloat(form.getAttribute("data-fever-threshold"));
  var statusBox = document.querySelector("[data-queue-status]");
  var countBox = document.querySelector("[data-queue-count]");
  var rejectedList = document.querySelector("[data-queue-rejected]");
  var problemBox = document.querySelector("[data-queue-problem]");
  var banner = document.querySelector("[data-passage-banner]");
  var syncing = false;
  var lastSyncFailed = false;

  function showBanner(kind, message) {
    if (!banner) {
      return;
    }
    var item = document.createElement("p");
    item.className = "alert " + (kind === "danger" ? "alert-error passage-danger" : "alert-success");
    item.textContent = message;
    banner.replaceChildren(item);
    banner.hidden = false;
  }

  function render() {
    var items = load();
    var waiting = items.filter(function (item) {
      return !item.errors;
    });
    var rejected = items.filter(function (item) {
      return item.errors;
    });
    countBox.textContent = String(waiting.length);
    statusBox.hidden = waiting.length === 0;
    statusBox.setAttribute("data-count", String(waiting.length));
    rejectedList.replaceChildren();
    rejected.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "queue-rejected-row";
      var title = document.createElement("strong");
      title.textContent = item.row.name || messages.unnamed;
      li.appendChild(title);
      var reasons = document.createElement("ul");
      Object.keys(item.errors).forEach(function (field) {
        [].concat(item.errors[field]).forEach(function (reason) {
          var r = document.createElement("li");
          r.textContent = (messages.fields[field] ? messages.fields[field] + ": " : "") + reason;
          reasons.appendChild(r);
        });
      });
      li.appendChild(reasons);
      var edit = document.createElement("button");
      edit.type = "button";
      edit.className = "btn btn-small";
      edit.textContent = messages.edit;
      edit.setAttribute("data-queue-edit", item.row.client_id);
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "btn btn-small btn-danger";
      discard.textContent = messages.discard;
      discard.setAttribute("data-queue-discard", item.row.client_id);
      li.appendChild(edit);
      li.appendChild(discard);
      rejectedList.appendChild(li);
    });
    rejectedList.hidden = rejected.length === 0;
  }

  function refreshLists() {
    if (window.htmx) {
      document.querySelectorAll("[data-refresh-after-sync]").forEach(function (element) {
        window.htmx.trigger(element, "refresh");
      });
    }
  }

  function sync() {
    if (syncing) {
      return Promise.resolve();
    }
    var all = load().filter(function (item) {
      return !item.errors;
    });
    if (all.length === 0) {
      return Promise.resolve();
    }
    // A long offline spell is sent in batches well under the server's limit.
    var waiting = all.slice(0, BATCH_ROWS);
    var more = all.length > BATCH_ROWS;
    syncing = true;
    var sent = waiting.map(function (item) {
      return item.row;
    });
    return offline
      .sync(syncUrl, form, sent, userId, problemBox, messages.signIn)
      .then(function (answer) {
        if (!answer) {
          return null;
        }
        if (!answer.ok) {
          // The whole batch was refused (a malformed row): show the reason on every row sent.
          var reason = offline.refusal(answer.body, messages.refused);
          var byId = {};
          sent.forEach(function (row) {
            byId[row.client_id] = { __all__: [reason] };
          });
          return { accepted: [], rejected: [], refusedAll: byId };
        }
        return answer.body;
      })
      .then(function (report) {
        lastSyncFailed = !report;
        if (!report) {
          return;
        }
        var accepted = {};
        var namesById = {};
        var warnedRisk = {};
        waiting.forEach(function (item) {
          namesById[item.row.client_id] = item.row.name;
          warnedRisk[item.row.client_id] = item.warnedRisk === true;
        });
        var rejected = report.refusedAll || {};
        var alarming = [];
        (report.accepted || []).forEach(function (entry) {
          accepted[entry.client_id] = true;
          if (entry.from_risk_area || entry.is_fever) {
            alarming.push(entry);
          }
        });
        (report.rejected || []).forEach(function (entry) {
          rejected[entry.client_id] = entry.errors || { __all__: [messages.refused] };
        });
        var items = load().filter(function (item) {
          return !accepted[item.row.client_id];
        });
        items.forEach(function (item) {
          if (rejected[item.row.client_id]) {
            item.errors = rejected[item.row.client_id];
          }
        });
        save(items);
        problemBox.textContent = "";
        alarming.forEach(function (entry) {
          // The server knows of a risk area the page did not (listed since it was loaded).
          if (entry.from_risk_area && !warnedRisk[entry.client_id]) {
            showBanner("danger", text(messages.riskArea, { name: namesById[entry.client_id] || "" }));
          }
        });
        refreshLists();
      })
      .catch(function () {
        lastSyncFailed = true;
        return null;
      })
      .then(function () {
        syncing = false;
        render();
      })
      .then(function () {
        if (more && !lastSyncFailed) {
          return sync();
        }
        return null;
      });
  }

  function value(name) {
    var field = form.elements.namedItem(name);
    if (!field) {
      return "";
    }
    if (field.length !== undefined && field.tagName === undefined) {
      // A radio group.
      for (var i = 0; i < field.length; i += 1) {
        if (field[i].checked) {
          return field[i].value;
        }
      }
      return "";
    }
    if (field.type === "checkbox") {
      return field.checked;
    }
    return field.value.trim();
  }

  function fill(values) {
    clearProblems();
    Object.keys(values).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field || field.tagName === undefined) {
        return;
      }
      if (field.type === "checkbox") {
        field.checked = Boolean(values[name]);
      } else {
        field.value = values[name] === null || values[name] === undefined ? "" : values[name];
      }
    });
  }

  // --- Checks on the phone, the server's rules (checkpoints.services.passages.clean_passage) ---

  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var ID_CHECK = "10X98765432";
  var invalid = messages.invalid;

  // GB 11643: 17 digits and a check character; a real birth date in characters 7 to 14. (Whether
  // the region code was in force is for the server, which has the table.)
  function idNumberProblem(raw) {
    var number = raw.replace(/[\s-]/g, "").toUpperCase();
    if (!/^[0-9]{17}[0-9X]$/.test(number)) {
      return invalid.idNumberFormat;
    }
    var sum = 0;
    for (var i = 0; i < 17; i += 1) {
      sum += parseInt(number.charAt(i), 10) * ID_WEIGHTS[i];
    }
    if (ID_CHECK.charAt(sum % 11) !== number.charAt(17)) {
      return invalid.idNumberChecksum;
    }
    var year = parseInt(number.slice(6, 10), 10);
    var month = parseInt(number.slice(10, 12), 10);
    var day = parseInt(number.slice(12, 14), 10);
    var born = new Date(Date.UTC(year, month - 1, day));
    if (
      year < 1 ||
      born.getUTCFullYear() !== year ||
      born.getUTCMonth() !== month - 1 ||
      born.getUTCDate() !== day
    ) {
      return invalid.idNumberBirthDate;
    }
    return "";
  }

  function mobileProblem(raw) {
    var number = raw.replace(/[\s-]/g, "").replace(/^(\+86|0086)/, "");
    return /^1[3-9][0-9]{9}$/.test(number) ? "" : invalid.mobile;
  }

  function temperatureProblem(raw) {
    if (raw === "") {
      return invalid.temperatureRequired;
    }
    if (!/^[0-9]+(\.[0-9]*)?$/.test(raw)) {
      return invalid.temperatureFormat;
    }
    var degrees = parseFloat(raw);
    return degrees >= 34 && degrees <= 43 ? "" : invalid.temperatureRange;
  }

  function clearProblems() {
    form.querySelectorAll("[data-phone-error]").forEach(function (element) {
      element.remove();
    });
    form.querySelectorAll("[data-phone-invalid]").forEach(function (element) {
      element.removeAttribute("data-phone-invalid");
      element.removeAttribute("aria-invalid");
      element.removeAttribute("aria-describedby");
      var box = element.closest(".field");
      if (box) {
        box.classList.remove("field-invalid");
      }
    });
  }

  function markProblem(name, message) {
    var field = form.elements.namedItem(name);
    var element = field && field.tagName === undefined ? field[0] : field;
    if (!element) {
      return null;
    }
    var box = element.closest(".field") || element.closest("fieldset");
    var error = document.createElement("p");
    error.className = "field-error";
    error.id = "phone-error-" + name;
    error.setAttribute("data-phone-error", "");
    error.textContent = message;
    box.appendChild(error);
    if (box.classList.contains("field")) {
      box.classList.add("field-invalid");
    }
    var marked = field.tagName === undefined ? Array.prototype.slice.call(field) : [field];
    marked.forEach(function (input) {
      input.setAttribute("data-phone-invalid", "");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", error.id);
    });
    return element;
  }

  // Marks every problem next to its field, as the server's page would; true when there is none.
  function validate() {
    clearProblems();
    var problems = [];
    var idNumber = value("id_number");
    var phone = value("phone");
    var origin = value("origin_code");
    if (value("direction") === "") {
      problems.push(["direction", invalid.direction]);
    }
    if (value("name") === "" && value("resident_id") === "") {
      problems.push(["name", invalid.name]);
    }
    if (idNumber !== "" && idNumberProblem(idNumber)) {
      problems.push(["id_number", idNumberProblem(idNumber)]);
    }
    if (phone !== "" && mobileProblem(phone)) {
      problems.push(["phone", mobileProblem(phone)]);
    }
    if (idNumber === "" && phone === "") {
      problems.push(["id_number", invalid.idOrMobile]);
    }
    var temperature = temperatureProblem(value("temperature"));
    if (temperature) {
      problems.push(["temperature", temperature]);
    }
    if (origin !== "" && !/^[0-9]{6}$/.test(origin)) {
      problems.push(["origin_code", invalid.originCode]);
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

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var temperatureField = form.elements.namedItem("temperature");
    if (temperatureField) {
      // Some phone keyboards offer only a decimal comma.
      temperatureField.value = temperatureField.value.trim().replace(",", ".");
    }
    // Offline, a round trip to the server for its error messages is not possible: what can be
    // checked on the phone is checked here, with the server's own messages, before queueing.
    if (!validate()) {
      return;
    }
    var temperature = value("temperature");
    var residentId = value("resident_id");
    var row = {
      checkpoint_id: checkpointId,
      client_id: value("client_id") || newClientId(),
      occurred_at: new Date().toISOString(),
      direction: value("direction"),
      temperature: temperature === "" ? null : temperature,
      name: value("name"),
      id_number: value("id_number"),
      phone: value("phone"),
      origin_code: value("origin_code"),
      purpose: value("purpose"),
      notice_given: value("notice_given"),
      resident_id: residentId === "" ? null : parseInt(residentId, 10),
    };
    var direction = row.direction;
    form.reset();
    fill({ client_id: "", resident_id: "", previous_passage_id: "" });
    form.querySelectorAll("input[name=direction]").forEach(function (radio) {
      radio.checked = radio.value === direction;
    });
    var degrees = parseFloat(temperature);
    var warnings = [];
    if (!isNaN(degrees) && degrees >= feverThreshold) {
      warnings.push(text(messages.fever, { name: row.name, temperature: temperature }));
    }
    var fromRiskArea = riskPrefixes.some(function (prefix) {
      return row.origin_code.indexOf(prefix) === 0;
    });
    if (fromRiskArea) {
      warnings.push(text(messages.riskArea, { name: row.name }));
    }
    var items = load().filter(function (item) {
      return item.row.client_id !== row.client_id;
    });
    items.push({ row: row, warnedRisk: fromRiskArea });
    save(items);
    if (warnings.length) {
      showBanner("danger", warnings.join(" "));
    } else {
      showBanner("ok", text(messages.queued, { name: row.name }));
    }
    render();
    var first = form.querySelector("[data-first-field]");
    if (first) {
      first.focus();
    }
    sync();
  });

  document.addEventListener("click", function (event) {
    var match = event.target.closest("[data-fill]");
    if (match) {
      fill(JSON.parse(match.getAttribute("data-fill")));
      var temperatureField = form.elements.namedItem("temperature");
      if (temperatureField) {
        temperatureField.focus();
      }
      return;
    }
    var edit = event.target.closest("[data-queue-edit]");
    var discard = event.target.closest("[data-queue-discard]");
    var target = edit || discard;
    if (!target) {
      if (event.target.closest("[data-sync-now]")) {
        sync();
      }
      return;
    }
    var clientId = target.getAttribute(edit ? "data-queue-edit" : "data-queue-discard");
    var items = load();
    var chosen = items.filter(function (item) {
      return item.row.client_id === clientId;
    })[0];
    save(
      items.filter(function (item) {
        return item.row.client_id !== clientId;
      })
    );
    if (edit && chosen) {
      // Keep the client id: if the server did save it after all, the retry is the same passage.
      fill(chosen.row);
      form.querySelectorAll("input[name=direction]").forEach(function (radio) {
        radio.checked = radio.value === chosen.row.direction;
      });
      form.scrollIntoView();
    }
    render();
  });

  // The pending list refreshes itself every few seconds: not while the staff are typing a
  // temperature into it, which the swap would throw away.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var pending = document.getElementById("pending");
    if (!pending || event.detail.elt !== pending) {
      return;
    }
    var typing = Array.prototype.some.call(pending.querySelectorAll("input[name=temperature]"), function (input) {
      return input.value !== "" || input === document.activeElement;
    });
    if (typing) {
      event.preventDefault();
    }
  });

  window.addEventListener("online", sync);
  window.setInterval(sync, RETRY_MS);
  render();
  sync();

  // The service worker keeps this page and its assets for offline use.
  offline.registerWorker(form.getAttribute("data-service-worker"), "/checkpoints/");
})();
