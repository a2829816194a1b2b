/* 科协申报指南 · 在线填写. Answers stay in this browser (localStorage); nothing is sent anywhere.
 *
 * The page (generator/render/fill.py) marks every answer with data-kx-field="<field id>";
 * the field ids are the tags of the content controls (w:sdt) of the DOCX embedded in the
 * page, so exporting fills those controls and importing reads them back (with fflate).
 */
(function () {
  "use strict";

  var root = document.querySelector('[data-kx="fill"]');
  if (!root) return;

  var W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  var W14 = "http://schemas.microsoft.com/office/word/2010/wordml";
  var XML_NS = "http://www.w3.org/XML/1998/namespace";
  var DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  var PREFIX = "kx-fill:v1:";
  var FORMAT = "kexie-calls-fill";
  var callId = root.getAttribute("data-call");
  var formId = root.getAttribute("data-form");
  var formTitle = root.getAttribute("data-form-title") || formId;
  var KEY = PREFIX + callId + "/" + formId;
  var form = root.querySelector('[data-kx="fill-form"]');
  var bar = root.querySelector('[data-kx="fill-bar"]');
  var statusBox = root.querySelector('[data-kx="fill-status"]');
  var summary = root.querySelector('[data-kx="fill-summary"]');
  var savedNote = root.querySelector('[data-kx="fill-saved"]');
  var draftSelect = root.querySelector('[data-kx="fill-draft"]');
  var draftName = root.querySelector('[data-kx="fill-draft-name"]');

  /* ------------------------------------------------------------------ fields */

  var fields = {};
  var order = [];
  form.querySelectorAll("[data-kx-field]").forEach(function (el) {
    var id = el.getAttribute("data-kx-field");
    var f = fields[id];
    if (!f) {
      f = fields[id] = {
        id: id,
        kind: el.getAttribute("data-kind"),
        els: [],
        group: el.getAttribute("data-kx-group"),
        error: root.querySelector('[data-kx-error="' + id + '"]'),
        print: root.querySelector('[data-kx-print="' + id + '"]'),
        count: root.querySelector('[data-kx-count="' + id + '"]'),
      };
      if (f.kind === "choice") {
        f.box = root.querySelector('[data-kx-choice="' + id + '"]');
        f.label = f.box.getAttribute("aria-label");
        f.required = f.box.hasAttribute("data-required");
        f.focus = el;
      } else {
        f.label = el.getAttribute("data-label");
        f.required = el.hasAttribute("data-required");
        f.limit = parseInt(el.getAttribute("data-limit"), 10) || 0;
        f.max = el.getAttribute("data-max");
        f.sum = (el.getAttribute("data-sum") || "").split(" ").filter(Boolean);
        f.focus = el;
      }
      order.push(id);
    }
    f.els.push(el);
  });

  var limitGroups = [];
  root.querySelectorAll("[data-kx-limit-group]").forEach(function (el) {
    limitGroups.push({
      el: el,
      text: el.textContent.split("：")[0],
      fields: el.getAttribute("data-fields").split(" ").filter(Boolean),
      limit: parseInt(el.getAttribute("data-limit"), 10) || 0,
    });
  });

  function value(f) {
    if (f.kind === "choice") {
      return f.els.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
    }
    return f.els[0].value;
  }

  function isEmpty(v) {
    return v == null || (Array.isArray(v) ? v.length === 0 : String(v).trim() === "");
  }

  function setValue(f, v) {
    if (f.kind === "choice") {
      var chosen = Array.isArray(v) ? v : v ? [String(v)] : [];
      f.els.forEach(function (el) { el.checked = chosen.indexOf(el.value) >= 0; });
    } else {
      f.els[0].value = v == null ? "" : Array.isArray(v) ? v.join("、") : String(v);
    }
  }

  /* ------------------------------------------------------------------ counting */

  /* As Word's 字数统计 counts Chinese text: each Chinese character and each Chinese
     (full-width) punctuation mark is one 字; a run of Latin letters or digits is one;
     ASCII punctuation, spaces and line breaks are not counted. */
  var WORD_RE = /[\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]|[\ud840-\ud87f][\udc00-\udfff]|[A-Za-z0-9\u00c0-\u024f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+/g;

  function countWords(text) {
    var m = String(text || "").match(WORD_RE);
    return m ? m.length : 0;
  }
  window.kxCountWords = countWords;

  function refreshCount(f) {
    if (!f.count) return;
    var n = countWords(value(f));
    var text = "已写 " + n + " 字";
    if (f.limit) {
      text += "，限 " + f.limit + " 字以内";
      if (n > f.limit) text += "，超出 " + (n - f.limit) + " 字";
    }
    f.count.textContent = text;
    var over = f.limit && n > f.limit;
    f.count.classList.toggle("kx-fill__count--over", !!over);
    if (over && !f.wasOver) announce("“" + f.label + "”超出字数限制：已写 " + n + " 字，限 " + f.limit + " 字");
    f.wasOver = !!over;
  }

  function groupCount(g) {
    return g.fields.reduce(function (n, id) { return n + (fields[id] ? countWords(value(fields[id])) : 0); }, 0);
  }

  function refreshGroups() {
    limitGroups.forEach(function (g) {
      var n = groupCount(g);
      var over = n > g.limit;
      g.el.textContent = g.text + "：已写 " + n + " 字" + (over ? "，超出 " + (n - g.limit) + " 字" : "");
      g.el.classList.toggle("kx-fill__count--over", over);
      if (over && !g.wasOver) announce(g.text + "：已写 " + n + " 字，超出限制");
      g.wasOver = over;
    });
  }

  /* ------------------------------------------------------------------ sums, print copy */

  function toNumber(text) {
    var s = String(text || "").trim().replace(/[０-９．]/g, function (c) {
      return c === "．" ? "." : String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/,/g, "");
    return /^-?\d+(\.\d+)?$/.test(s) ? parseFloat(s) : null;
  }

  function refreshSums() {
    order.forEach(function (id) {
      var f = fields[id];
      if (!f.sum || !f.sum.length) return;
      var total = 0, any = false;
      f.sum.forEach(function (sid) {
        var g = fields[sid];
        var n = g ? toNumber(value(g)) : null;
        if (n !== null) { total += n; any = true; }
      });
      var shown = any ? String(Math.round(total * 10000) / 10000) : "";
      if (f.els[0].value !== shown) { f.els[0].value = shown; refreshPrint(f); }
    });
  }

  function refreshPrint(f) {
    if (f.print) f.print.textContent = value(f);
  }

  function refreshAll() {
    order.forEach(function (id) { refreshPrint(fields[id]); refreshCount(fields[id]); });
    refreshSums();
    refreshGroups();
  }

  /* ------------------------------------------------------------------ rows an applicant adds */

  var groups = {};
  root.querySelectorAll("[data-kx-rows]").forEach(function (box) {
    var gid = box.getAttribute("data-kx-rows");
    groups[gid] = {
      box: box,
      max: parseInt(box.getAttribute("data-max"), 10) || 1,
      rows: Array.prototype.slice.call(root.querySelectorAll('tr[data-kx-repeat="' + gid + '"]')),
      shown: 1,
      add: box.querySelector("[data-kx-add-row]"),
      remove: box.querySelector("[data-kx-remove-row]"),
      note: box.querySelector("[data-kx-rows-note]"),
    };
  });

  function rowFields(gid, index) {
    return order.filter(function (id) {
      var f = fields[id];
      return f.group === gid && f.els[0].closest("tr").getAttribute("data-kx-index") === String(index);
    });
  }

  function showRows(gid, n) {
    var g = groups[gid];
    g.shown = Math.max(1, Math.min(g.max, n));
    g.rows.forEach(function (tr) {
      tr.hidden = parseInt(tr.getAttribute("data-kx-index"), 10) > g.shown;
    });
    g.add.disabled = g.shown >= g.max;
    g.remove.disabled = g.shown <= 1;
    g.note.textContent = "已显示 " + g.shown + " 行，原表最多 " + g.max + " 行";
  }

  function filledRows(gid, answers) {
    var most = 1;
    for (var i = 1; i <= groups[gid].max; i++) {
      if (rowFields(gid, i).some(function (id) { return !isEmpty(answers[id]); })) most = i;
    }
    return most;
  }

  Object.keys(groups).forEach(function (gid) {
    var g = groups[gid];
    g.box.hidden = false;
    g.add.addEventListener("click", function () {
      showRows(gid, g.shown + 1);
      var first = rowFields(gid, g.shown)[0];
      if (first) fields[first].focus.focus();
      announce("已添加第 " + g.shown + " 行");
      changed();
    });
    g.remove.addEventListener("click", function () {
      var last = g.shown;
      rowFields(gid, last).forEach(function (id) { setValue(fields[id], ""); clearError(fields[id]); });
      showRows(gid, last - 1);
      refreshAll();
      g.add.focus();
      announce("已删除第 " + last + " 行");
      changed();
    });
  });

  /* ------------------------------------------------------------------ drafts on this device */

  var memory = null; /* when localStorage is not available */
  var store;

  function readStore() {
    var raw = null;
    try { raw = window.localStorage.getItem(KEY); } catch (e) { raw = memory; }
    var data = null;
    try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
    if (!data || typeof data !== "object" || !data.drafts || !data.drafts.length) {
      data = { version: 1, current: null, drafts: [] };
    }
    return data;
  }

  function writeStore() {
    var raw = JSON.stringify(store);
    try {
      window.localStorage.setItem(KEY, raw);
      return true;
    } catch (e) {
      memory = raw;
      savedNote.textContent = "无法保存在本机（浏览器不允许本地存储或空间已满）：请“导出 JSON”备份。";
      return false;
    }
  }

  function newDraft(name, answers, rows) {
    var n = store.drafts.length + 1;
    var used = store.drafts.map(function (d) { return d.name; });
    while (!name && used.indexOf("草稿 " + n) >= 0) n += 1;
    var d = {
      id: "d" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6),
      name: name || "草稿 " + n,
      updated: new Date().toISOString(),
      answers: answers || {},
      rows: rows || {},
    };
    store.drafts.push(d);
    store.current = d.id;
    return d;
  }

  function current() {
    for (var i = 0; i < store.drafts.length; i++) {
      if (store.drafts[i].id === store.current) return store.drafts[i];
    }
    return store.drafts[0] || null;
  }

  function collect() {
    var answers = {};
    order.forEach(function (id) {
      var v = value(fields[id]);
      if (!isEmpty(v)) answers[id] = v;
    });
    var rows = {};
    Object.keys(groups).forEach(function (gid) { rows[gid] = groups[gid].shown; });
    return { answers: answers, rows: rows };
  }

  function apply(answers, rows) {
    answers = answers || {};
    order.forEach(function (id) { setValue(fields[id], answers[id]); clearError(fields[id]); });
    Object.keys(groups).forEach(function (gid) {
      var wanted = rows && rows[gid] ? rows[gid] : 1;
      showRows(gid, Math.max(wanted, filledRows(gid, answers)));
    });
    refreshAll();
    clearSummary();
  }

  function refreshDrafts() {
    draftSelect.textContent = "";
    store.drafts.forEach(function (d) {
      var opt = document.createElement("option");
      opt.value = d.id;
      opt.textContent = d.name;
      draftSelect.appendChild(opt);
    });
    var d = current();
    if (d) { draftSelect.value = d.id; draftName.value = d.name; return; }
    var opt = document.createElement("option");
    opt.value = "";
    opt.textContent = "草稿 1（尚未保存）";
    draftSelect.appendChild(opt);
    draftName.value = "草稿 1";
  }

  function timeText(iso) {
    var t = new Date(iso);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return t.getFullYear() + "-" + two(t.getMonth() + 1) + "-" + two(t.getDate()) + " " +
      two(t.getHours()) + ":" + two(t.getMinutes()) + ":" + two(t.getSeconds());
  }

  var timer = null;
  function saveNow() {
    if (timer) { clearTimeout(timer); timer = null; }
    var d = current();
    var got = collect();
    if (!d) {
      if (!Object.keys(got.answers).length) return;
      d = newDraft(draftName.value.trim() || null);
      refreshDrafts();
    }
    d.answers = got.answers;
    d.rows = got.rows;
    d.updated = new Date().toISOString();
    if (writeStore()) savedNote.textContent = "已保存在本机：" + timeText(d.updated);
    root.setAttribute("data-kx-saved", d.updated);
  }

  function changed() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveNow, 250);
  }

  /* ------------------------------------------------------------------ checking */

  function announce(text) {
    statusBox.textContent = "";
    setTimeout(function () { statusBox.textContent = text; }, 30);
  }

  function daysIn(y, m) { return new Date(y, m, 0).getDate(); }

  function dateProblem(s) {
    var t = s.trim().replace(/\s+/g, "");
    var m = /^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$/.exec(t) ||
      /^(\d{4})[-\/.](\d{1,2})(?:[-\/.](\d{1,2}))?$/.exec(t) || /^(\d{4})()()$/.exec(t);
    if (!m) return "不是日期，请写成 2022年3月1日 或 2022-03-01";
    var y = +m[1], mo = m[2] ? +m[2] : 0, d = m[3] ? +m[3] : 0;
    if (y < 1900 || y > 2100) return "年份不对";
    if (m[2] && (mo < 1 || mo > 12)) return "月份应在 1—12 之间";
    if (m[3] && (d < 1 || d > daysIn(y, mo))) return "这一天不存在：" + y + "年" + mo + "月没有 " + d + " 日";
    return null;
  }

  function problem(f) {
    var v = value(f);
    if (isEmpty(v)) {
      if (!f.required) return null;
      return f.kind === "choice" ? "请选择一项 / choose one" : "请填写此项 / required";
    }
    if (f.kind === "choice") return null;
    var s = String(v).trim();
    var n;
    switch (f.kind) {
      case "date": {
        var p = dateProblem(s);
        return p ? p + " / not a date" : null;
      }
      case "year":
        n = toNumber(s);
        return n === null || n < 1900 || n > 2100 || s.length !== 4 ? "请填写四位数的年份，如 2022 / not a year" : null;
      case "month":
        n = toNumber(s);
        return n === null || n < 1 || n > 12 || n % 1 ? "月份应为 1—12 / not a month" : null;
      case "day":
        n = toNumber(s);
        return n === null || n < 1 || n > 31 || n % 1 ? "日应为 1—31 / not a day" : null;
      case "number":
        n = toNumber(s);
        if (n === null) return "请填写数字 / not a number";
        if (f.max && n > parseFloat(f.max)) return "不能超过 " + f.max + " / at most " + f.max;
        return null;
      case "tel": {
        var digits = s.replace(/\D/g, "").length;
        return /^[0-9０-９+＋\-－()（）\s转、,，\/]+$/.test(s) && digits >= 5 ? null : "不像电话号码 / not a phone number";
      }
      case "email":
        return /^[^\s@，,、]+@[^\s@，,、]+\.[^\s@，,、]+$/.test(s) ? null : "不像电子邮箱地址 / not an e-mail address";
      case "postcode":
        return /^\d{6}$/.test(s) ? null : "邮政编码应为 6 位数字 / a postcode has 6 digits";
      default:
        break;
    }
    if (f.limit) {
      var c = countWords(s);
      if (c > f.limit) return "超出字数限制：已写 " + c + " 字，限 " + f.limit + " 字 / over the word limit";
    }
    return null;
  }

  function describe(el, id, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== id; });
    if (on) ids.unshift(id);
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
  }

  function showError(f, text) {
    if (!f.error) return;
    f.error.textContent = text;
    f.error.hidden = false;
    if (f.kind === "choice") {
      describe(f.box, f.error.id, true);
      f.box.classList.add("kx-fill__choice--invalid");
    } else {
      f.els[0].setAttribute("aria-invalid", "true");
      describe(f.els[0], f.error.id, true);
    }
  }

  function clearError(f) {
    if (!f.error || f.error.hidden) return;
    f.error.hidden = true;
    f.error.textContent = "";
    if (f.kind === "choice") {
      describe(f.box, f.error.id, false);
      f.box.classList.remove("kx-fill__choice--invalid");
    } else {
      f.els[0].removeAttribute("aria-invalid");
      describe(f.els[0], f.error.id, false);
    }
  }

  function visible(f) {
    var tr = f.els[0].closest("tr");
    return !(tr && tr.hidden);
  }

  function clearSummary() {
    summary.hidden = true;
    summary.textContent = "";
  }

  function check(intro) {
    var found = [];
    order.forEach(function (id) {
      var f = fields[id];
      clearError(f);
      if (!visible(f)) return;
      var p = problem(f);
      if (p) { showError(f, p); found.push([f, p]); }
    });
    limitGroups.forEach(function (g) {
      var n = groupCount(g);
      if (n > g.limit) {
        var f = fields[g.fields[0]];
        var text = g.text + "：已写 " + n + " 字，超出 " + (n - g.limit) + " 字";
        found.push([f, text]);
        g.fields.forEach(function (id) { if (fields[id] && fields[id].error && fields[id].error.hidden) showError(fields[id], text); });
      }
    });
    summary.textContent = "";
    var head = document.createElement("p");
    head.className = "kx-fill__summary-title";
    if (found.length) {
      head.textContent = (intro ? intro + "。" : "") + "检查发现 " + found.length + " 处需要处理：";
      summary.appendChild(head);
      var list = document.createElement("ul");
      found.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "#" + item[0].focus.id;
        a.textContent = item[0].label + "：" + item[1];
        a.addEventListener("click", function (ev) { ev.preventDefault(); item[0].focus.focus(); });
        li.appendChild(a);
        list.appendChild(li);
      });
      summary.appendChild(list);
      summary.className = "kx-fill__summary kx-fill__screen kx-fill__summary--problems";
    } else {
      head.textContent = (intro ? intro + "。" : "") + "检查通过：必填项都已填写，字数、日期和号码没有发现问题。";
      summary.appendChild(head);
      summary.className = "kx-fill__summary kx-fill__screen kx-fill__summary--ok";
    }
    summary.hidden = false;
    summary.focus();
    announce(head.textContent);
    return found;
  }

  /* ------------------------------------------------------------------ DOCX in and out */

  function embeddedDocx() {
    var b64 = root.querySelector('[data-kx="fill-docx-data"]').textContent.trim();
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function wEl(parent, name) {
    for (var c = parent.firstElementChild; c; c = c.nextElementSibling) {
      if (c.namespaceURI === W && c.localName === name) return c;
    }
    return null;
  }

  function wVal(el) { return el ? el.getAttributeNS(W, "val") : null; }

  function controls(doc) {
    var out = [];
    var sdts = doc.getElementsByTagNameNS(W, "sdt");
    for (var i = 0; i < sdts.length; i++) {
      var pr = wEl(sdts[i], "sdtPr");
      var content = wEl(sdts[i], "sdtContent");
      if (!pr || !content) continue;
      var tag = wVal(wEl(pr, "tag"));
      if (!tag) continue;
      var box = pr.getElementsByTagNameNS(W14, "checkbox")[0] || null;
      out.push({ tag: tag, pr: pr, content: content, box: box, alias: wVal(wEl(pr, "alias")) });
    }
    return out;
  }

  function fillDocument(doc, answers) {
    controls(doc).forEach(function (c) {
      var f = fields[c.tag];
      if (!f) return;
      var v = answers[c.tag];
      if (c.box) {
        var on = Array.isArray(v) ? v.indexOf(c.alias) >= 0 : v === c.alias;
        var checked = c.box.getElementsByTagNameNS(W14, "checked")[0];
        if (checked) checked.setAttributeNS(W14, "w14:val", on ? "1" : "0");
        var state = c.box.getElementsByTagNameNS(W14, on ? "checkedState" : "uncheckedState")[0];
        var t = c.content.getElementsByTagNameNS(W, "t")[0];
        if (state && t) t.textContent = String.fromCharCode(parseInt(state.getAttributeNS(W14, "val"), 16));
        return;
      }
      if (isEmpty(v)) return;
      var text = Array.isArray(v) ? v.join("、") : String(v);
      var placeholder = wEl(c.pr, "showingPlcHdr");
      if (placeholder) c.pr.removeChild(placeholder);
      while (c.content.firstChild) c.content.removeChild(c.content.firstChild);
      var run = doc.createElementNS(W, "w:r");
      var style = wEl(c.pr, "rPr");
      if (style) run.appendChild(style.cloneNode(true));
      text.replace(/\r\n?/g, "\n").split("\n").forEach(function (line, i) {
        if (i) run.appendChild(doc.createElementNS(W, "w:br"));
        if (!line) return;
        var t = doc.createElementNS(W, "w:t");
        t.setAttributeNS(XML_NS, "xml:space", "preserve");
        t.textContent = line;
        run.appendChild(t);
      });
      c.content.appendChild(run);
    });
  }

  function readDocument(doc) {
    var answers = {};
    var matched = 0;
    controls(doc).forEach(function (c) {
      var f = fields[c.tag];
      if (!f) return;
      matched += 1;
      if (c.box) {
        var checked = c.box.getElementsByTagNameNS(W14, "checked")[0];
        var on = checked && /^(1|true|on)$/.test(checked.getAttributeNS(W14, "val") || "");
        if (on && c.alias) (answers[c.tag] = answers[c.tag] || []).push(c.alias);
        return;
      }
      if (wEl(c.pr, "showingPlcHdr")) return;
      var text = "";
      var walker = doc.createTreeWalker(c.content, NodeFilter.SHOW_ELEMENT);
      while (walker.nextNode()) {
        var el = walker.currentNode;
        if (el.namespaceURI !== W) continue;
        if (el.localName === "t") text += el.textContent;
        else if (el.localName === "br" || el.localName === "cr") text += "\n";
        else if (el.localName === "tab") text += "\t";
        else if (el.localName === "p" && text) text += "\n";
      }
      if (text.trim()) answers[c.tag] = text;
    });
    return { answers: answers, matched: matched };
  }

  function parseDocx(bytes) {
    var files = fflate.unzipSync(bytes);
    var part = files["word/document.xml"];
    if (!part) throw new Error("no word/document.xml");
    var doc = new DOMParser().parseFromString(new TextDecoder("utf-8").decode(part), "application/xml");
    if (doc.getElementsByTagName("parsererror").length) throw new Error("document.xml is not XML");
    return { files: files, doc: doc };
  }

  function filledDocx(answers) {
    var got = parseDocx(embeddedDocx());
    fillDocument(got.doc, answers);
    var xml = new XMLSerializer().serializeToString(got.doc);
    if (xml.indexOf("<?xml") !== 0) xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml;
    got.files["word/document.xml"] = new TextEncoder().encode(xml);
    var entries = {};
    Object.keys(got.files).forEach(function (name) {
      entries[name] = [got.files[name], { level: /\.(png|jpe?g)$/.test(name) ? 0 : 6 }];
    });
    return fflate.zipSync(entries, { mtime: new Date() });
  }

  function offer(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 4000);
  }

  function baseName() {
    var d = current();
    var name = root.getAttribute("data-docx-name").replace(/\.docx$/i, "");
    return d ? name + "（" + d.name.replace(/[\\/:*?"<>|]/g, "_") + "）" : name;
  }

  function exportDocx() {
    saveNow();
    try {
      offer(new Blob([filledDocx(collect().answers)], { type: DOCX_MIME }), baseName() + ".docx");
      announce("已导出 Word 文件：" + baseName() + ".docx");
    } catch (e) {
      announce("导出 Word 失败 / export failed：" + e.message);
    }
  }

  function exportJson() {
    saveNow();
    var d = current();
    var got = collect();
    var data = {
      format: FORMAT, version: 1, call: callId, form: formId, title: formTitle,
      name: d ? d.name : "草稿", saved: new Date().toISOString(), answers: got.answers, rows: got.rows,
    };
    offer(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }), baseName() + ".json");
    announce("已导出 JSON 文件：" + baseName() + ".json");
  }

  function known(answers) {
    var out = {};
    Object.keys(answers || {}).forEach(function (id) {
      if (!fields[id]) return;
      var v = answers[id];
      if (fields[id].kind === "choice") {
        v = (Array.isArray(v) ? v : [v]).map(String);
      } else if (typeof v !== "string") {
        v = String(v);
      }
      out[id] = v;
    });
    return out;
  }

  function importAnswers(answers, rows, name, what) {
    saveNow();
    newDraft(name, known(answers), rows || {});
    refreshDrafts();
    apply(current().answers, current().rows);
    saveNow();
    check("已从" + what + "导入到新草稿“" + current().name + "”");
  }

  function openFile(file) {
    file.arrayBuffer().then(function (buf) {
      var bytes = new Uint8Array(buf);
      var stem = file.name.replace(/\.[^.]*$/, "");
      if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
        var got;
        try { got = readDocument(parseDocx(bytes).doc); } catch (e) {
          announce("无法读取这个 Word 文件 / cannot read this file：" + e.message);
          return;
        }
        if (!got.matched) {
          announce("这个 Word 文件不是本表（" + formTitle + "）的在线填写或下载文件，没有可读取的填写内容 / not this form");
          return;
        }
        importAnswers(got.answers, null, "导入：" + stem, " Word 文件");
        return;
      }
      var data;
      try { data = JSON.parse(new TextDecoder("utf-8").decode(bytes)); } catch (e) {
        announce("文件既不是 Word 文件也不是 JSON / neither DOCX nor JSON");
        return;
      }
      if (!data || data.format !== FORMAT || data.form !== formId || data.call !== callId) {
        announce("这个 JSON 文件不是本表（" + formTitle + "）的草稿 / not a draft of this form");
        return;
      }
      importAnswers(data.answers, data.rows, data.name ? String(data.name) : "导入：" + stem, " JSON 文件");
    });
  }

  /* ------------------------------------------------------------------ wiring */

  function onEdit(ev) {
    var id = ev.target.getAttribute && ev.target.getAttribute("data-kx-field");
    if (!id || !fields[id]) return;
    var f = fields[id];
    refreshPrint(f);
    refreshCount(f);
    refreshSums();
    refreshGroups();
    if (f.error && !f.error.hidden && !problem(f)) clearError(f);
    changed();
  }

  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });

  root.querySelector('[data-kx="fill-check"]').addEventListener("click", function () { check(""); });
  root.querySelector('[data-kx="fill-docx"]').addEventListener("click", exportDocx);
  root.querySelector('[data-kx="fill-json"]').addEventListener("click", exportJson);
  root.querySelector('[data-kx="fill-print"]').addEventListener("click", function () { saveNow(); window.print(); });
  root.querySelector('[data-kx="fill-open"]').addEventListener("change", function (ev) {
    var file = ev.target.files && ev.target.files[0];
    if (file) openFile(file);
    ev.target.value = "";
  });
  root.querySelector('[data-kx="fill-new"]').addEventListener("click", function () {
    saveNow();
    newDraft(null, {}, {});
    writeStore();
    refreshDrafts();
    apply({}, {});
    announce("已新建“" + current().name + "”");
  });
  root.querySelector('[data-kx="fill-delete"]').addEventListener("click", function () {
    var d = current();
    if (!d) return;
    if (!window.confirm("删除草稿“" + d.name + "”？删除后无法恢复。")) return;
    store.drafts = store.drafts.filter(function (x) { return x.id !== d.id; });
    store.current = store.drafts.length ? store.drafts[0].id : null;
    writeStore();
    refreshDrafts();
    var now = current();
    apply(now ? now.answers : {}, now ? now.rows : {});
    announce("已删除草稿“" + d.name + "”");
  });
  root.querySelector('[data-kx="fill-clear"]').addEventListener("click", function () {
    if (!window.confirm("清除这台设备上保存的全部在线填写内容（所有申报表的所有草稿）？清除后无法恢复。")) return;
    try {
      var keys = [];
      for (var i = 0; i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(PREFIX) === 0) keys.push(k);
      }
      keys.forEach(function (k) { window.localStorage.removeItem(k); });
    } catch (e) { /* nothing stored */ }
    memory = null;
    store = { version: 1, current: null, drafts: [] };
    refreshDrafts();
    apply({}, {});
    savedNote.textContent = "本机数据已清除";
    announce("本机保存的在线填写内容已全部清除");
  });
  draftSelect.addEventListener("change", function () {
    if (!draftSelect.value) return;
    saveNow();
    store.current = draftSelect.value;
    writeStore();
    var d = current();
    refreshDrafts();
    apply(d.answers, d.rows);
    announce("已切换到“" + d.name + "”");
  });
  draftName.addEventListener("change", function () {
    var name = draftName.value.trim();
    if (!name) return;
    var d = current() || newDraft(name, collect().answers, collect().rows);
    d.name = name;
    writeStore();
    refreshDrafts();
  });
  window.addEventListener("pagehide", saveNow);
  document.addEventListener("visibilitychange", function () { if (document.hidden) saveNow(); });

  store = readStore();
  var start = current();
  refreshDrafts();
  apply(start ? start.answers : {}, start ? start.rows : {});
  if (start) savedNote.textContent = "已恢复本机保存的“" + start.name + "”（" + timeText(start.updated) + "）";
  bar.hidden = false;
  root.setAttribute("data-kx-ready", "1");
})();
