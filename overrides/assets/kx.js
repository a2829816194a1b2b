/* 科协申报指南: small local enhancements. Nothing is sent anywhere. */
(function () {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;

  /* Same wording as generator/render/status.py countdown_text(). */
  function countdownText(days) {
    if (days > 0) return "还剩 " + days + " 天";
    if (days === 0) return "今天截止";
    return "已截止 " + (-days) + " 天";
  }

  function localToday() {
    var now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  }

  function refreshCountdowns(root) {
    var today = localToday();
    root.querySelectorAll('[data-kx="days-left"][data-deadline]').forEach(function (el) {
      var iso = el.getAttribute("data-deadline");
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
      if (!m) return;
      var days = Math.round((Date.UTC(+m[1], +m[2] - 1, +m[3]) - today) / DAY);
      el.textContent = countdownText(days);
    });
  }

  function setupFinder(root) {
    var select = root.querySelector('[data-kx="finder-select"]');
    if (!select) return;
    var region = root.querySelector('[data-kx="finder-region"]');
    var rows = root.querySelectorAll('[data-kx="finder-result"]');
    var count = root.querySelector('[data-kx="finder-count"]');
    function inArea(place, callRegion) {
      // A call addresses the units inside its issuer's area (generator/view.py: reaches).
      return !place || !callRegion || place === callRegion || place.indexOf(callRegion + "/") === 0;
    }
    function apply() {
      var type = select.value;
      var place = region ? region.value : "";
      var shown = 0;
      var unknown = 0;
      rows.forEach(function (row) {
        var sec = row.closest('[data-kx="finder-call"]');
        var callRegion = sec ? sec.getAttribute("data-region") || "" : "";
        var who = (row.getAttribute("data-applicants") || "").split(" ");
        var known = row.getAttribute("data-applicants-known") !== "false";
        var ok = inArea(place, callRegion) && (!type || !known || who.indexOf(type) >= 0);
        row.hidden = !ok;
        if (ok && known) shown += 1;
        if (ok && !known) unknown += 1;
        row.querySelectorAll('[data-kx="finder-limit"]').forEach(function (li) {
          var scope = li.getAttribute("data-applicants");
          li.hidden = !!(type && scope && scope.split(" ").indexOf(type) < 0);
        });
      });
      root.querySelectorAll('[data-kx="finder-call"]').forEach(function (sec) {
        sec.hidden = !sec.querySelector('[data-kx="finder-result"]:not([hidden])');
      });
      var empty = root.querySelector('[data-kx="finder-empty"]');
      if (empty) empty.hidden = shown + unknown > 0;
      if (count) {
        count.textContent = type || place
          ? "共 " + shown + " 个类别可参加" + (unknown ? "，另有 " + unknown + " 个类别申报主体原文未载明" : "")
          : "";
      }
      if (type && window.history && history.replaceState) {
        history.replaceState(null, "", "#" + encodeURIComponent(type));
      }
    }
    var fromHash = decodeURIComponent((location.hash || "").slice(1));
    if (fromHash && select.querySelector('option[value="' + fromHash.replace(/"/g, "") + '"]')) {
      select.value = fromHash;
    }
    select.addEventListener("change", apply);
    if (region) region.addEventListener("change", apply);
    apply();
  }

  function setupSelfCheck(root) {
    root.querySelectorAll('[data-kx="self-check"]').forEach(function (box) {
      var total = box.querySelector('[data-kx="score-total"]');
      var bonusTotal = box.querySelector('[data-kx="score-bonus-total"]');
      var inputs = box.querySelectorAll('[data-kx="score-item"], [data-kx="score-bonus"]');
      function sum() {
        var base = 0, bonus = 0;
        inputs.forEach(function (input) {
          if (!input.checked) return;
          var pts = parseInt(input.getAttribute("data-points"), 10) || 0;
          if (input.getAttribute("data-kx") === "score-bonus") bonus += pts; else base += pts;
        });
        total.textContent = String(base + bonus);
        box.querySelectorAll("fieldset").forEach(function (group) {
          var out = group.querySelector('[data-kx="score-group"]');
          if (!out) return;
          var sub = 0;
          group.querySelectorAll('[data-kx="score-item"]:checked').forEach(function (input) {
            sub += parseInt(input.getAttribute("data-points"), 10) || 0;
          });
          out.textContent = String(sub);
        });
        if (bonusTotal) bonusTotal.textContent = String(bonus);
      }
      inputs.forEach(function (input) { input.addEventListener("change", sum); });
      var reset = box.querySelector('[data-kx="score-reset"]');
      if (reset) reset.addEventListener("click", function () {
        inputs.forEach(function (input) { input.checked = false; });
        sum();
      });
      sum();
    });
  }

  /* Collapsed categories would be missing from a printout: open them for printing. */
  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details:not([open])").forEach(function (d) {
        d.setAttribute("open", ""); opened.push(d);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.removeAttribute("open"); });
      opened = [];
    });
  }

  /* The theme's search dialog has no accessible name; give it one. */
  function labelSearch() {
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (el) {
      el.setAttribute("aria-label", "搜索");
    });
  }

  function init() {
    labelSearch();
    refreshCountdowns(document);
    setupFinder(document);
    setupSelfCheck(document);
  }

  setupPrint();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
