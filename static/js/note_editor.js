/*
 * The note editor: autosave drafts through the notes API, live documentation checks.
 *
 * - A change schedules a save AUTOSAVE_DELAY_MS later (at most one save in flight; changes
 *   made meanwhile are saved right after). Leaving the tab (visibilitychange → hidden) saves
 *   at once; closing the page (beforeunload) sends a keepalive save.
 * - Each save is PATCH /api/notes/<id>/update/ with the `version` the page holds (optimistic
 *   locking): 200 → the new version is kept and the checks panel is refreshed from
 *   /api/notes/<id>/checks/; 409 → "Conflict — reload" and autosave stops.
 * - Times are typed as local date-times in the practice's time zone (config.timezone) and sent
 *   as UTC instants; a time inside the spring-forward gap is not sent (the times are kept
 *   unchanged and the status says why). An ambiguous fall-back time is the first occurrence,
 *   as on the server.
 * - The form's Save and Sign buttons still post the whole form; the server saves it too, so
 *   the page works without this script.
 * No build step, no dependencies.
 */
(function () {
  "use strict";

  var AUTOSAVE_DELAY_MS = 2000;
  var MAX_SEGMENTS = 12;

  var configElement = document.getElementById("note-editor-config");
  var form = document.getElementById("note-editor");
  if (!configElement || !form) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var statusElement = document.getElementById("autosave-status");
  var versionInput = form.querySelector("[data-version]");
  var csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  var timer = null;
  var inFlight = null;
  var dirty = false;
  var stopped = false;
  var submitting = false;
  var reloadAfterSave = false;

  function setStatus(state, text) {
    statusElement.dataset.state = state;
    statusElement.textContent = text;
  }

  // ---- wall-clock time in the practice's zone → UTC --------------------------------------

  var partsFormatter = new Intl.DateTimeFormat("en-US", {
    timeZone: config.timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });

  var clockFormatter = new Intl.DateTimeFormat("en-US", {
    timeZone: config.timezone,
    hourCycle: "h23",
    hour: "2-digit",
    minute: "2-digit",
  });

  function wallOf(milliseconds) {
    var parts = {};
    partsFormatter.formatToParts(new Date(milliseconds)).forEach(function (part) {
      parts[part.type] = part.value;
    });
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
  }

  function offsetAt(milliseconds) {
    var whole = Math.floor(milliseconds / 1000) * 1000;
    return wallOf(whole) - whole;
  }

  function wallToUtc(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value || "");
    if (!match) {
      return null;
    }
    var wall = Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5]);
    var guess = wall - offsetAt(wall);
    var instant = wall - offsetAt(guess);
    if (wallOf(instant) !== wall) {
      return null; // inside the spring-forward gap: this local time does not exist
    }
    return new Date(instant).toISOString();
  }

  // ---- the form → the API's draft-update body ---------------------------------------------

  function checkedValues(selector) {
    return Array.prototype.map.call(form.querySelectorAll(selector + ":checked"), function (el) {
      return el.value;
    });
  }

  function buildPayload() {
    var problems = [];
    var content = Object.assign({}, config.carried || {});
    form.querySelectorAll("[data-content]").forEach(function (el) {
      var value = el.value.replace(/\r\n/g, "\n");
      if (value.trim()) {
        content[el.dataset.content] = value;
      }
    });
    form.querySelectorAll("[data-content-minutes]").forEach(function (el) {
      var raw = el.value.trim();
      if (/^\d+$/.test(raw)) {
        content[el.dataset.contentMinutes] = parseInt(raw, 10);
      } else if (raw) {
        problems.push(el.dataset.contentMinutes.replace(/_/g, " ") + " must be a whole number of minutes");
      }
    });
    var choiceKeys = {};
    form.querySelectorAll("[data-content-choices]").forEach(function (el) {
      choiceKeys[el.dataset.contentChoices] = true;
    });
    Object.keys(choiceKeys).forEach(function (key) {
      var chosen = checkedValues("[data-content-choices=" + key + "]");
      if (chosen.length) {
        content[key] = chosen;
      }
    });
    var interventions = checkedValues("[data-content-list]");
    if (interventions.length) {
      content.interventions = interventions;
    }
    var presence = form.querySelector("[data-participants=patient_present]:checked");
    var present = presence && presence.value === "yes" ? true : presence && presence.value === "no" ? false : null;
    var othersInput = form.querySelector("[data-participants=others]");
    var others = othersInput ? othersInput.value.trim() : "";
    if (present !== null || others) {
      content.participants = { patient_present: present, others: others };
    }

    var segments = [];
    var segmentsValid = true;
    form.querySelectorAll("[data-segment-row]").forEach(function (row, index) {
      var start = row.querySelector("[data-segment-part=start]").value;
      var end = row.querySelector("[data-segment-part=end]").value;
      var crisis = row.querySelector("[data-segment-part=crisis]");
      if (!start && !end) {
        return;
      }
      if (!start || !end) {
        segmentsValid = false;
        problems.push("time " + (index + 1) + " needs a start and an end");
        return;
      }
      var startsAt = wallToUtc(start);
      var endsAt = wallToUtc(end);
      if (!startsAt || !endsAt) {
        segmentsValid = false;
        problems.push("time " + (index + 1) + " does not exist in " + config.timezone + " (clocks change)");
        return;
      }
      segments.push({ starts_at: startsAt, ends_at: endsAt, is_crisis: crisis ? crisis.checked : false });
    });

    var measurements = [];
    var measurementsValid = true;
    form.querySelectorAll("[data-instrument]").forEach(function (el) {
      if (el.value === "") {
        return;
      }
      var score = Number(el.value);
      if (!Number.isInteger(score) || score < Number(el.min) || score > Number(el.max)) {
        measurementsValid = false;
        problems.push(el.dataset.instrument + " must be a whole number from " + el.min + " to " + el.max);
        return;
      }
      measurements.push({ instrument: el.dataset.instrument, score: score });
    });

    var goals = [];
    form.querySelectorAll("[data-goal]").forEach(function (el) {
      if (!el.checked) {
        return;
      }
      var progress = form.querySelector('[data-goal-progress="' + el.dataset.goal + '"]');
      goals.push({ goal_id: Number(el.dataset.goal), progress: progress ? progress.value : "" });
    });

    var payload = {
      version: Number(versionInput.value),
      content: content,
      diagnosis_ids: checkedValues("[data-diagnosis]").map(Number),
      goals: goals,
    };
    form.querySelectorAll("[data-header]").forEach(function (el) {
      var name = el.dataset.header;
      if (name === "date_of_service" && !/^\d{4}-\d{2}-\d{2}$/.test(el.value)) {
        problems.push("the date of service is incomplete");
        return;
      }
      payload[name] = el.value;
    });
    if (segmentsValid) {
      payload.segments = segments;
    }
    if (measurementsValid) {
      payload.measurements = measurements;
    }
    return { payload: payload, problems: problems };
  }

  // ---- saving -------------------------------------------------------------------------------

  function describe(data) {
    var fields = (data.extra && data.extra.fields) || {};
    var details = Object.keys(fields).map(function (key) {
      return fields[key].join(" ");
    });
    return [data.message || "the server refused the draft"].concat(details).join(" ");
  }

  function stop(text) {
    stopped = true;
    clearTimeout(timer);
    timer = null;
    setStatus("conflict", text);
    if (!document.getElementById("reload-note")) {
      var button = document.createElement("button");
      button.type = "button";
      button.id = "reload-note";
      button.className = "secondary";
      button.textContent = "Reload";
      button.addEventListener("click", function () {
        window.location.reload();
      });
      statusElement.insertAdjacentElement("afterend", button);
    }
  }

  function handleResponse(status, data, problems) {
    if (status === 200) {
      versionInput.value = data.version;
      var clock = clockFormatter.format(new Date());
      if (problems.length) {
        setStatus("partial", "Saved at " + clock + ", except: " + problems.join("; "));
      } else {
        setStatus("saved", "Saved at " + clock);
      }
      if (reloadAfterSave && !dirty) {
        window.location.reload();
        return;
      }
      refreshChecks();
      return;
    }
    if (status === 409) {
      stop(data.code === "stale_version" ? "Conflict — reload" : (data.message || "This note changed.") + " Reload.");
      return;
    }
    dirty = true;
    setStatus("error", "Not saved: " + describe(data));
  }

  function save(options) {
    if (stopped || submitting) {
      return Promise.resolve();
    }
    clearTimeout(timer);
    timer = null;
    if (inFlight) {
      dirty = true;
      return inFlight;
    }
    var built = buildPayload();
    var request = {
      method: "PATCH",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(built.payload),
    };
    dirty = false;
    if (options && options.keepalive) {
      request.keepalive = true;
      fetch(config.updateUrl, request);
      return Promise.resolve();
    }
    setStatus("saving", "Saving…");
    inFlight = fetch(config.updateUrl, request)
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            handleResponse(response.status, data, built.problems);
          });
      })
      .catch(function () {
        dirty = true;
        setStatus("error", "Not saved: the connection failed. Retrying.");
      })
      .then(function () {
        inFlight = null;
        if (dirty && !stopped) {
          schedule();
        }
      });
    return inFlight;
  }

  function schedule() {
    if (stopped || timer) {
      return;
    }
    timer = setTimeout(save, AUTOSAVE_DELAY_MS);
  }

  function changed(event) {
    if (stopped || submitting || event.target.name === "attested") {
      return;
    }
    dirty = true;
    setStatus("dirty", "Unsaved changes");
    if (event.target.dataset && event.target.dataset.header === "service_type") {
      reloadAfterSave = true; // another service has another template: show it once saved
      save();
      return;
    }
    schedule();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty) {
      save();
    }
  });
  window.addEventListener("beforeunload", function () {
    if (dirty && !submitting) {
      save({ keepalive: true });
    }
  });

  form.addEventListener("submit", function (event) {
    if (submitting) {
      return;
    }
    clearTimeout(timer);
    timer = null;
    if (inFlight) {
      // Post the form once the autosave in flight has answered (so it carries the new version).
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        submitting = true;
        form.requestSubmit(submitter);
      });
      return;
    }
    submitting = true;
  });

  // ---- the documentation checks panel -------------------------------------------------------

  function findingList(findings, empty) {
    var container = document.createDocumentFragment();
    if (!findings.length) {
      var none = document.createElement("p");
      none.className = "muted no-findings";
      none.textContent = empty;
      container.appendChild(none);
      return container;
    }
    var list = document.createElement("ul");
    list.className = "findings";
    findings.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = "finding finding-" + problem.severity;
      var badge = document.createElement("span");
      badge.className = "badge " + (problem.severity === "error" ? "bad" : "warn");
      badge.textContent = problem.severity === "error" ? "Blocks signing" : "Warning";
      item.appendChild(badge);
      item.appendChild(document.createTextNode(" " + problem.message));
      if (problem.fix_hint) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = problem.fix_hint;
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    container.appendChild(list);
    return container;
  }

  function diffBlock(clone) {
    var container = document.createDocumentFragment();
    var intro = document.createElement("p");
    if (!clone) {
      intro.className = "muted";
      intro.textContent = "No earlier signed note for this patient to compare with.";
      container.appendChild(intro);
      return container;
    }
    intro.textContent =
      "Compared with note " + clone.previous_note_id + " of " + clone.previous_date_of_service + ": " +
      Math.floor(clone.similarity * 100) + "% the same as the previous note";
    container.appendChild(intro);
    var pre = document.createElement("pre");
    pre.className = "diff";
    clone.diff.forEach(function (line) {
      var span = document.createElement("span");
      span.className = /^(\+\+\+|---|@@)/.test(line) ? "head" : line[0] === "+" ? "add" : line[0] === "-" ? "del" : "ctx";
      span.textContent = line;
      pre.appendChild(span);
    });
    container.appendChild(pre);
    return container;
  }

  function replaceWith(id, node) {
    var target = document.getElementById(id);
    if (target) {
      target.replaceChildren(node);
    }
  }

  function refreshChecks() {
    fetch(config.checksUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (report) {
        if (!report) {
          return;
        }
        var errors = report.problems.filter(function (p) {
          return p.severity === "error";
        });
        var warnings = report.problems.filter(function (p) {
          return p.severity !== "error";
        });
        document.getElementById("checks-minutes").textContent =
          report.minutes + " minute" + (report.minutes === 1 ? "" : "s") + " documented";
        var ready = document.getElementById("checks-ready");
        ready.className = "badge " + (errors.length ? "bad" : "ok");
        ready.textContent = errors.length ? "Not ready to sign" : "Ready to sign";
        replaceWith("checks-errors", findingList(errors, "Nothing blocks signing."));
        replaceWith("checks-warnings", findingList(warnings, "No warnings."));
        replaceWith("checks-diff", diffBlock(report.clone));
      })
      .catch(function () {
        /* the panel keeps the last result */
      });
  }

  // ---- more time rows -----------------------------------------------------------------------

  var addSegment = document.getElementById("add-segment");
  var rows = document.getElementById("segment-rows");
  if (addSegment && rows) {
    addSegment.hidden = false;
    addSegment.addEventListener("click", function () {
      var count = rows.querySelectorAll("[data-segment-row]").length;
      if (count >= MAX_SEGMENTS) {
        return;
      }
      var last = rows.querySelector("[data-segment-row]:last-child");
      var row = last.cloneNode(true);
      row.dataset.segmentRow = String(count);
      row.querySelector(".segment-number").textContent = String(count + 1);
      row.querySelectorAll("ul.errorlist").forEach(function (list) {
        list.remove();
      });
      row.querySelectorAll("input").forEach(function (input) {
        var part = input.dataset.segmentPart;
        input.name = "segment-" + count + "-" + part;
        input.id = "id_segment-" + count + "-" + part;
        input.dataset.segmentIndex = String(count);
        var name = input.getAttribute("aria-label");
        if (name) {
          input.setAttribute("aria-label", name.replace(/\(time \d+\)/, "(time " + (count + 1) + ")"));
        }
        if (input.type === "checkbox") {
          input.checked = false;
        } else {
          input.value = "";
        }
      });
      rows.appendChild(row);
      if (count + 1 >= MAX_SEGMENTS) {
        addSegment.hidden = true;
      }
    });
  }
})();
