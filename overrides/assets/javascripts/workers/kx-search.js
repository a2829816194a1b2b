/* 科协申报指南: Material's search box, answered by Pagefind.
 *
 * Material's search interface talks to a worker: SETUP (the search_index.json it fetched,
 * which holds only its configuration here), READY, QUERY (the text typed), RESULT (groups of
 * page + sections). main.html points Material at this file instead of its lunr worker, and
 * this worker answers each query from the Pagefind index the build wrote into pagefind/
 * (generator/render/search.py): the browser fetches only the index chunks for the characters
 * typed and the fragments of the results it shows, never one index of the whole site.
 *
 * Chinese: the index holds one Chinese character a word (see search.py for why), and a typed
 * run of characters is asked as a phrase ("乡 村 振 兴"): found exactly where the run stands,
 * so 科普 never matches a page that only has 科, and 乡村振兴 never 乡村 here and 振兴 there.
 * Pagefind reports one place per page for a phrase; the sections of a page that hold the run
 * are found here, in the page's text from its fragment.
 *
 * Order: pages first, then those the build ranks low (rank:low, the 原文 pages), each in
 * Pagefind's relevance order. Only the first SHOWN results are fetched and listed; the list
 * then ends with a line saying how many more there are.
 *
 * Runs in the browser only; every file comes from this site and nothing is sent anywhere.
 */
(function () {
  "use strict";

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  /** Results whose fragments are fetched and shown for one query. */
  var SHOWN = 20;
  /** Sections of a page shown under it; the others are folded ("more"). */
  var SECTIONS = 3;
  /** Words of an excerpt before and after the first hit it shows. */
  var BEFORE = 16, AFTER = 40;
  /** workers/ → the site root, where the build put pagefind/. */
  var PAGEFIND = new URL("../../../pagefind/", self.location.href);

  var HAN = /\p{sc=Han}+/gu;
  var HAN_RUN = /\p{sc=Han}{2,}/u;
  /** Where the index separates words: after and before each Chinese character (no
   *  lookbehind: older phone browsers lack it). */
  var AFTER_HAN = /(\p{sc=Han})(?=\S)/gu;
  var BEFORE_HAN = /(\S)(?=\p{sc=Han})/gu;
  /** A word of a fragment's text (Pagefind separates them with spaces or U+200B). */
  var WORD = /[^\s\u200b]+/g;
  var HEADING = /^h[1-6]$/i;

  var engine = null;
  var language = "zh";
  var latest = 0;

  /** Pagefind, loaded on the first query (a page that is never searched fetches nothing).
   *  Pagefind takes the language from the page's <html lang>, which a worker has not: a
   *  stand-in answers with the site's language (Material's search configuration). */
  function load() {
    if (!engine) {
      if (typeof self.document === "undefined") {
        self.document = {
          currentScript: null,
          querySelector: function () { return { getAttribute: function () { return language; } }; },
        };
      }
      engine = import(new URL("pagefind.js", PAGEFIND).href).then(function (pagefind) {
        return pagefind.options({ basePath: PAGEFIND.pathname, baseUrl: "/", excerptLength: 30 })
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function escapeHTML(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function plain(value) {
    return String(value || "").replace(/\u200b/g, "");
  }

  /** Text as HTML, with each typed word marked. */
  function marked(value, terms) {
    var html = escapeHTML(plain(value));
    terms.forEach(function (term) {
      var t = escapeHTML(term);
      if (t) html = html.split(t).join("<mark>" + t + "</mark>");
    });
    return html;
  }

  /** Pagefind's own excerpt (a query without Chinese): adjacent marks joined. */
  function joined(excerpt) {
    return plain(excerpt).replace(/<\/mark>(\s*)<mark>/g, "$1");
  }

  /** What Pagefind is asked: the longest typed run of Chinese as a phrase of characters
   *  (Pagefind takes one phrase), every other word as typed, each required. */
  function pagefindQuery(terms) {
    var spaced = terms.map(function (t) { return t.replace(AFTER_HAN, "$1 ").replace(BEFORE_HAN, "$1 "); });
    var longest = -1;
    terms.forEach(function (t, n) {
      if (HAN_RUN.test(t) && (longest < 0 || t.length > terms[longest].length)) longest = n;
    });
    if (longest < 0) return spaced.join(" ");
    return ['"' + spaced[longest] + '"']
      .concat(spaced.filter(function (_, n) { return n !== longest; })).join(" ");
  }

  /** Site-relative address (Material resolves it against the site's base). */
  function relative(url) {
    return String(url).replace(/^\//, "");
  }

  /** The words of a fragment's text, with where each stands in it. */
  function wordsOf(content) {
    var out = [], m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(content))) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
    return out;
  }

  /** Every place (first and last word) where one of ``runs`` stands in ``words``. */
  function places(words, runs) {
    var found = [];
    runs.forEach(function (run) {
      var chars = Array.from(run);
      for (var i = 0; i + chars.length <= words.length; i++) {
        var k = 0;
        while (k < chars.length && words[i + k].text === chars[k]) k++;
        if (k === chars.length) found.push({ from: i, to: i + k - 1 });
      }
    });
    return found.sort(function (a, b) { return a.from - b.from; });
  }

  /** The text around ``at`` (a place), every place in it marked, as HTML. */
  function excerpt(content, words, at, all) {
    var first = Math.max(0, at.from - BEFORE), last = Math.min(words.length - 1, at.to + AFTER);
    all.forEach(function (p) { if (p.from <= last && p.to > last) last = p.to; });  // whole hits
    var html = "", open = false;
    for (var i = first; i <= last; i++) {
      var hit = all.some(function (p) { return p.from <= i && i <= p.to; });
      var gap = i > first ? plain(content.slice(words[i - 1].end, words[i].start)) : "";
      if (open && !hit) { html += "</mark>"; open = false; }
      html += escapeHTML(gap);
      if (hit && !open) { html += "<mark>"; open = true; }
      html += escapeHTML(words[i].text);
    }
    if (open) html += "</mark>";
    return (first > 0 ? "… " : "") + html + (last < words.length - 1 ? " …" : "");
  }

  /** One Pagefind result as Material's group: the page, then its sections holding a hit. */
  function group(data, terms) {
    var present = {};
    terms.forEach(function (t) { present[t] = true; });
    var page = {
      location: relative(data.url), title: marked((data.meta && data.meta.title) || "", terms),
      text: joined(data.excerpt), score: 2, terms: present,
    };
    var runs = terms.join(" ").match(HAN) || [];
    var content = data.raw_content || "";  // the text as indexed (content: U+200B taken out)
    var words = wordsOf(content);
    var hits = runs.length ? places(words, runs) : [];
    if (!hits.length) return [page].concat(pagefindSections(data, terms, present));
    page.text = excerpt(content, words, hits[0], hits);
    var anchors = (data.anchors || []).filter(function (a) { return a.id && HEADING.test(a.element); })
      .sort(function (a, b) { return a.location - b.location; });
    var sections = [];
    var byId = {};
    hits.forEach(function (hit) {
      var anchor = null;
      for (var j = 0; j < anchors.length && anchors[j].location <= hit.from; j++) anchor = anchors[j];
      if (!anchor) return;
      var section = byId[anchor.id];
      if (!section) {
        section = byId[anchor.id] = { anchor: anchor, hits: [], n: sections.length };
        sections.push(section);
      }
      section.hits.push(hit);
    });
    sections.sort(function (a, b) { return b.hits.length - a.hits.length || a.n - b.n; });
    return [page].concat(sections.map(function (section, rank) {
      return {
        location: relative(data.url.split("#")[0]) + "#" + section.anchor.id,
        title: marked(section.anchor.text, terms),
        text: excerpt(content, words, section.hits[0], section.hits),
        score: rank < SECTIONS ? 2 : 1, terms: present,
      };
    }));
  }

  /** Pagefind's own sections (a query without Chinese). */
  function pagefindSections(data, terms, present) {
    return (data.sub_results || [])
      .filter(function (sub) { return sub.url.indexOf("#") > 0; })
      .map(function (sub, rank) {
        return {
          location: relative(sub.url), title: marked(sub.title, terms), text: joined(sub.excerpt),
          score: rank < SECTIONS ? 2 : 1, terms: present,
        };
      });
  }

  /** The line after the shown results when there are more. */
  function more(count, query) {
    return [{
      location: "?q=" + encodeURIComponent(query),
      title: "另有 " + count + " 条结果未列出，请输入更多字词缩小范围",
      text: "", score: 0, terms: {},
    }];
  }

  function search(query) {
    var terms = query.split(/\s+/).filter(Boolean);
    if (!terms.length) return Promise.resolve({ items: [], total: 0 });
    return load().then(function (pagefind) {
      var asked = pagefindQuery(terms);
      return Promise.all([
        pagefind.search(asked),
        pagefind.search(asked, { filters: { rank: "low" } }),
      ]);
    }).then(function (passes) {
      /* Only the low pages carry the filter (one value keeps the index reproducible):
         the others are every result that is not low. */
      var all = passes[0] && passes[0].results ? passes[0].results : [];
      var low = passes[1] && passes[1].results ? passes[1].results : [];
      var lowIds = new Set(low.map(function (r) { return r.id; }));
      var results = all.filter(function (r) { return !lowIds.has(r.id); }).concat(low);
      return Promise.all(results.slice(0, SHOWN).map(function (r) { return r.data(); }))
        .then(function (datas) {
          var items = datas.map(function (data) { return group(data, terms); });
          if (results.length > SHOWN) items.push(more(results.length - SHOWN, query));
          return { items: items, total: results.length };
        });
    });
  }

  self.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type === SETUP) {
      var config = (message.data && message.data.config) || {};
      if (Array.isArray(config.lang) && config.lang.length) language = String(config.lang[0]);
      self.postMessage({ type: READY });
    } else if (message.type === QUERY) {
      var id = ++latest;
      search(String(message.data || "")).then(function (result) {
        if (id === latest) self.postMessage({ type: RESULT, data: result });
      }, function (error) {
        // No index (the live preview does not index): nothing to list.
        if (id === latest) self.postMessage({ type: RESULT, data: { items: [], total: 0 } });
        console.warn("kx-search: 搜索索引不可用 / search index unavailable:", error);
      });
    }
  });
})();
