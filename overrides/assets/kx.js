/* 科协申报指南: small local enhancements. Nothing is sent anywhere. */
(function () {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;

  /* Same wording as generator/render/status.py countdown_text(). */
  function countdownText(days) {
    if (days > 0) return "还剩 " + days + " 天";
    if (days === 0) return "今天截止";
    return (-days) + " 天前";
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

  /* localStorage, when the browser allows it (private modes may not). */
  var store = {
    get: function (key) {
      try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* not kept */ }
    }
  };

  function setupSelfCheck(root) {
    root.querySelectorAll('[data-kx="self-check"]').forEach(function (box) {
      var key = "kx-self-check:" + (box.getAttribute("data-call-id") || "");
      var total = box.querySelector('[data-kx="score-total"]');
      var bonusTotal = box.querySelector('[data-kx="score-bonus-total"]');
      var inputs = box.querySelectorAll('[data-kx="score-item"], [data-kx="score-bonus"]');
      var fields = box.querySelectorAll('[data-kx="score-field"]');
      function save() {
        var ticked = [];
        inputs.forEach(function (input, i) { if (input.checked) ticked.push(i); });
        var values = {};
        fields.forEach(function (f) { if (f.value) values[f.name] = f.value; });
        store.set(key, { ticked: ticked, fields: values });
      }
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
      var saved = store.get(key);
      if (saved && Array.isArray(saved.ticked)) {
        saved.ticked.forEach(function (i) { if (inputs[i]) inputs[i].checked = true; });
      }
      if (saved && saved.fields) {
        fields.forEach(function (f) { if (saved.fields[f.name]) f.value = saved.fields[f.name]; });
      }
      inputs.forEach(function (input) {
        input.addEventListener("change", function () { sum(); save(); });
      });
      fields.forEach(function (f) { f.addEventListener("input", save); });
      var reset = box.querySelector('[data-kx="score-reset"]');
      if (reset) reset.addEventListener("click", function () {
        inputs.forEach(function (input) { input.checked = false; });
        sum(); save();
      });
      var print = box.querySelector('[data-kx="score-print"]');
      if (print) {
        print.hidden = false;
        print.addEventListener("click", function () {
          /* Print only this checklist: the other calls' lists are left out of the printout. */
          root.querySelectorAll('[data-kx="self-check"]').forEach(function (other) {
            if (other === box) return;
            var heading = document.getElementById("self-check-" + other.getAttribute("data-call-id"));
            [other, heading].forEach(function (el) { if (el) el.classList.add("kx-noprint"); });
          });
          window.print();
        });
      }
      sum();
    });
    window.addEventListener("afterprint", function () {
      root.querySelectorAll(".kx-noprint").forEach(function (el) { el.classList.remove("kx-noprint"); });
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



  /* ---------------------------------------------------------------- comparison */

  /* Pick two or three notices to compare side by side; the choice is kept in the address
     (?calls=a,b), so the link can be shared. Without a choice every notice is shown. */
  function setupCompare(root) {
    var table = root.querySelector('[data-kx="compare-table"]');
    if (!table) return;
    var heads = Array.prototype.slice.call(table.querySelectorAll('thead th[data-call-id]'));
    if (heads.length < 3) return;
    var MAX = 3;
    var form = document.createElement("fieldset");
    form.className = "kx-compare-pick";
    form.setAttribute("data-kx", "compare-pick");
    var legend = document.createElement("legend");
    legend.textContent = "选择要对比的通知（最多 " + MAX + " 个；不选则显示全部）";
    form.appendChild(legend);
    var boxes = heads.map(function (th) {
      var id = th.getAttribute("data-call-id");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = id;
      box.setAttribute("data-kx", "compare-choice");
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + th.textContent.trim()));
      form.appendChild(label);
      return box;
    });
    var all = document.createElement("button");
    all.type = "button";
    all.className = "md-button";
    all.textContent = "显示全部";
    all.setAttribute("data-kx", "compare-all");
    form.appendChild(all);
    var status = document.createElement("p");
    status.className = "kx-note";
    status.setAttribute("role", "status");
    form.appendChild(status);
    var scroll = table.closest('[data-kx="compare-scroll"]') || table;
    scroll.parentNode.insertBefore(form, scroll);

    function chosen() { return boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); }
    function apply(write) {
      var ids = chosen();
      var show = heads.map(function (th) {
        return !ids.length || ids.indexOf(th.getAttribute("data-call-id")) >= 0;
      });
      var first = heads[0].cellIndex;
      table.querySelectorAll("tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.cells, function (cell) {
          var i = cell.cellIndex - first;
          if (i >= 0 && i < show.length) cell.hidden = !show[i];
        });
      });
      table.classList.toggle("kx-table--fit", ids.length > 0);
      boxes.forEach(function (b) { b.disabled = !b.checked && ids.length >= MAX; });
      status.textContent = ids.length
        ? "正在对比 " + ids.length + " 个通知" + (ids.length >= MAX ? "（已达上限）" : "")
        : "显示全部 " + heads.length + " 个通知";
      if (write && window.history && history.replaceState) {
        var url = new URL(location.href);
        if (ids.length) url.searchParams.set("calls", ids.join(",")); else url.searchParams.delete("calls");
        history.replaceState(null, "", url.pathname + url.search + url.hash);
      }
    }
    var wanted = (new URLSearchParams(location.search).get("calls") || "").split(",");
    var n = 0;
    boxes.forEach(function (b) { if (wanted.indexOf(b.value) >= 0 && n < MAX) { b.checked = true; n += 1; } });
    boxes.forEach(function (b) { b.addEventListener("change", function () { apply(true); }); });
    all.addEventListener("click", function () { boxes.forEach(function (b) { b.checked = false; }); apply(true); });
    apply(false);
  }

  /* ---------------------------------------------------------------- search landing */

  function openAncestors(el) {
    for (var d = el.closest("details"); d; d = d.parentElement ? d.parentElement.closest("details") : null) {
      d.open = true;
    }
  }

  function hashTarget() {
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = location.hash.slice(1); }
    return id ? document.getElementById(id) : null;
  }

  /* A link to a part of a collapsed category (a search hit, #cat-…) opens it. */
  function revealTarget() {
    var target = hashTarget();
    if (!target) return;
    openAncestors(target);
    if (target.tagName === "DETAILS") target.open = true;
  }

  /* Arriving from a search hit (?h=…): the theme marks the words once the index is loaded;
     open the category holding the first visible mark after the hit's section, and show it. */
  function revealSearchHit() {
    if (!/[?&]h=[^&]/.test(location.search)) return;
    var article = document.querySelector("article.md-content__inner");
    if (!article) return;
    function reveal() {
      var marks = article.querySelectorAll("mark[data-md-highlight]");
      if (!marks.length) return false;
      var anchor = hashTarget();
      var pick = null;
      for (var i = 0; i < marks.length && !pick; i++) {
        var m = marks[i];
        if (m.closest(".kx-sr")) continue;
        if (!anchor || anchor.contains(m) ||
            (anchor.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING)) pick = m;
      }
      pick = pick || marks[0];
      openAncestors(pick);
      pick.scrollIntoView({ block: "center" });
      return true;
    }
    if (reveal()) return;
    var observer = new MutationObserver(function () { if (reveal()) observer.disconnect(); });
    observer.observe(article, { childList: true, subtree: true });
    setTimeout(function () { observer.disconnect(); }, 15000);
  }

  /* ---------------------------------------------------------------- subscribe */

  function setupSubscribe(root) {
    root.querySelectorAll('a[data-kx="webcal"]').forEach(function (a) {
      /* webcal:// is the https address with another scheme: calendar apps subscribe to it. */
      if (/^https?:/.test(a.href)) a.href = a.href.replace(/^https?:/, "webcal:");
    });
    root.querySelectorAll('[data-kx="copy-field"]').forEach(function (input) {
      var link = input.getAttribute("data-href");
      if (link) input.value = new URL(link, location.href).href;
    });
    root.querySelectorAll('[data-kx="copy"]').forEach(function (button) {
      var input = document.getElementById(button.getAttribute("aria-controls") || "");
      var status = button.parentNode.querySelector('[data-kx="copy-status"]');
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        function done(ok) { if (status) status.textContent = ok ? "已复制" : "请手动复制上面的地址"; }
        input.select();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () {
            done(document.execCommand && document.execCommand("copy"));
          });
        } else {
          done(document.execCommand && document.execCommand("copy"));
        }
      });
    });
  }

  /* ---------------------------------------------------------------- keyboard */

  /* The phone menu (drawer) is off screen while closed: keep its links out of the tab order. */
  function setupDrawer() {
    var toggle = document.getElementById("__drawer");
    var drawer = document.querySelector(".md-sidebar--primary");
    if (!toggle || !drawer || !window.matchMedia) return;
    var phone = window.matchMedia("(max-width: 76.2344em)");
    function apply() {
      var closed = phone.matches && !toggle.checked;
      drawer.inert = closed;
      if (closed) drawer.setAttribute("aria-hidden", "true"); else drawer.removeAttribute("aria-hidden");
    }
    toggle.addEventListener("change", apply);
    if (phone.addEventListener) phone.addEventListener("change", apply);
    apply();
  }

  /* The search results box is empty and out of sight until the search opens: out of the tab
     order until then (the theme opens and closes it with its toggle, which fires "change"). */
  function setupSearchFocus() {
    var toggle = document.getElementById("__search");
    var output = document.querySelector(".md-search__output");
    if (!toggle || !output) return;
    function apply() { output.inert = !toggle.checked; }
    toggle.addEventListener("change", apply);
    apply();
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
    setupSubscribe(document);
    setupCompare(document);
    setupDrawer();
    setupSearchFocus();
    revealTarget();
    revealSearchHit();
  }

  window.addEventListener("hashchange", revealTarget);

  setupPrint();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
