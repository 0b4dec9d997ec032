// Mizugiwa officer console: keyboard shortcuts, the inspection reset and the live worklist.
// Plain JavaScript, no build step; every page works without it (forms post, links navigate).
(function () {
  "use strict";

  function typing(event) {
    var el = event.target;
    var tag = el && el.tagName ? el.tagName.toLowerCase() : "";
    return tag === "input" || tag === "textarea" || tag === "select" || (el && el.isContentEditable);
  }

  // "/" focuses the page's first search or filter field.
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !typing(event) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var field = document.querySelector("[data-search-field]");
      if (field) { event.preventDefault(); field.focus(); }
    }
  });

  // Border inspection: Esc (anywhere) or "n" (outside a field) starts the next traveller.
  var inspection = document.getElementById("inspection-form");
  if (inspection) {
    var nextTraveller = function () {
      ["mrz", "flight_number", "visa_reference"].forEach(function (name) {
        var field = inspection.elements.namedItem(name);
        if (field) { field.value = ""; }
      });
      var result = document.getElementById("answer");
      if (result) { result.remove(); }
      ["input-problems", "check-digit-findings"].forEach(function (id) {
        var block = document.getElementById(id);
        if (block) { block.remove(); }
      });
      var mrz = inspection.elements.namedItem("mrz");
      if (mrz) { mrz.focus(); }
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", inspection.getAttribute("action"));
      }
    };
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || (event.key === "n" && !typing(event) && !event.ctrlKey && !event.metaKey && !event.altKey)) {
        event.preventDefault();
        nextTraveller();
      }
    });
    var button = document.getElementById("next-traveller");
    if (button) { button.addEventListener("click", nextTraveller); }
    // A scanner types line 1, Enter, line 2, Enter. The Enter that completes the MRZ (two
    // lines of 44 or 36 characters, three of 30) checks the traveller; any other adds a line.
    // Ctrl+Enter checks at any time.
    var mrzField = inspection.elements.namedItem("mrz");
    var complete = function (text) {
      var lines = text.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean);
      if (lines.length < 2) { return false; }
      var width = lines[0].length;
      var needed = width === 30 ? 3 : 2;
      return lines.length >= needed && lines[needed - 1].length === width;
    };
    if (mrzField) {
      mrzField.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.shiftKey || event.altKey) { return; }
        if (event.ctrlKey || event.metaKey || complete(mrzField.value)) {
          event.preventDefault();
          inspection.requestSubmit();
        }
      });
    }
  }

  // An answer (border inspection, case page after a check) takes the focus: it is what the
  // officer needs first, and a screen reader reads it at once.
  var answer = document.getElementById("answer-banner");
  if (answer && document.body.dataset.page === "inspection") {
    answer.focus();
  }

  // Dashboard: panels still being computed are fetched again until they are ready.
  var pending = function () { return document.querySelectorAll("[data-pending]"); };
  if (pending().length) {
    var tries = 0;
    var refresh = function () {
      tries += 1;
      fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html");
          Array.prototype.forEach.call(pending(), function (panel) {
            var again = fresh.getElementById(panel.id);
            if (again && !again.hasAttribute("data-pending")) { panel.replaceWith(again); }
          });
          if (pending().length && tries < 60) { window.setTimeout(refresh, 1500); }
        })
        .catch(function () { if (tries < 60) { window.setTimeout(refresh, 3000); } });
    };
    window.setTimeout(refresh, 1000);
  }

  // Worklist: poll a small HTML fragment and swap the rows in; announce new referrals.
  var body = document.getElementById("worklist-rows");
  if (body && body.dataset.fragment) {
    var every = parseInt(body.dataset.pollMs || "5000", 10);
    var live = document.getElementById("worklist-live");
    var known = {};
    Array.prototype.forEach.call(body.querySelectorAll("tr[data-case]"), function (row) {
      known[row.dataset.case] = true;
    });
    var poll = function () {
      fetch(body.dataset.fragment + window.location.search, {
        credentials: "same-origin",
        headers: { "Accept": "text/html" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        var active = document.activeElement;
        var activeCase = active && active.closest ? (active.closest("tr[data-case]") || {}).dataset : null;
        var holder = document.createElement("tbody");
        holder.innerHTML = html;
        var fresh = 0;
        Array.prototype.forEach.call(holder.querySelectorAll("tr[data-case]"), function (row) {
          if (!known[row.dataset.case]) { row.classList.add("new"); known[row.dataset.case] = true; fresh += 1; }
        });
        body.innerHTML = holder.innerHTML;
        if (activeCase && activeCase.case) {
          var again = body.querySelector('tr[data-case="' + activeCase.case + '"] a');
          if (again) { again.focus(); }
        }
        if (fresh > 0 && live) {
          live.textContent = live.dataset.template.replace("{n}", String(fresh));
        }
      }).catch(function () { /* keep the rows we have; the next poll tries again */ });
    };
    window.setInterval(poll, every);
  }
})();
