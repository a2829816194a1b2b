/* 科协申报指南: Chinese queries segmented the way the search index is.
 *
 * Material's search worker (loaded below, unchanged) indexes the text the build segmented
 * with jieba and the project's domain words (generator/templates/pages/search-words.txt).
 * Its own query segmenter never tries a whole run of Han characters as one word, so
 * 科普 was looked up as 科* (every 科… word) and 乡村振兴 as 乡村*. This wrapper segments
 * each run of the query by forward maximum matching over the index's own words before the
 * worker sees it, and orders the results: guide pages first, then pages the build gave a
 * search boost below 1 (the 原文 pages). Runs in the browser only; nothing is sent anywhere.
 *
 * main.html points Material's configuration at this file with ?m=<Material's worker file>.
 */
(function () {
  "use strict";

  var SETUP = 0, QUERY = 2, RESULT = 3;
  var HAN = /\p{sc=Han}+/gu;
  var HAN_ONE = /\p{sc=Han}/u;
  /* A Han character appended to a word the index holds: Material's segmenter never tests
     the last character of a run, so the word itself is tested and kept whole. */
  var SENTINEL = "\u3007";

  var words = new Set();
  var longest = 1;
  var lowBoost = new Set();

  function learn(value, separator) {
    String(value || "").replace(/<[^>]*>/g, " ").split(separator).forEach(function (token) {
      if (token && HAN_ONE.test(token) && !words.has(token)) {
        words.add(token);
        if (token.length > longest) longest = token.length;
      }
    });
  }

  function setup(data) {
    var separator = new RegExp(data.config.separator + "+", "u");
    data.docs.forEach(function (doc) {
      learn(doc.title, separator);
      learn(doc.text, separator);
      if (typeof doc.boost === "number" && doc.boost < 1) lowBoost.add(doc.location.split("#")[0]);
    });
  }

  /* Forward maximum matching of one run of Han characters over the index's words. */
  function segmentRun(run) {
    var out = [];
    for (var i = 0; i < run.length;) {
      var len = Math.min(longest, run.length - i);
      while (len > 1 && !words.has(run.slice(i, i + len))) len -= 1;
      out.push(run.slice(i, i + len));
      i += len;
    }
    return out;
  }

  function mark(word) {
    return words.has(word) ? word + SENTINEL : word;
  }

  /** The query as Material's worker should see it: every run of Han characters cut into
   *  index words; a run of several words requires each (the last may still be typed). */
  function rewrite(query) {
    return String(query).replace(HAN, function (run, offset, all) {
      var parts = segmentRun(run);
      if (parts.length === 1) return mark(parts[0]);
      var before = all.charAt(offset - 1);
      var lead = offset === 0 || /\s/.test(before) ? "+" : "";
      return parts.map(function (word, n) {
        return (n === 0 ? lead : "+") + mark(word) + (n === parts.length - 1 ? "*" : "");
      }).join(" ");
    });
  }

  function isLow(group) {
    return group.length > 0 && lowBoost.has(group[0].location.split("#")[0]);
  }

  function order(result) {
    if (!result || !Array.isArray(result.items)) return result;
    var high = [], low = [];
    result.items.forEach(function (group) { (isLow(group) ? low : high).push(group); });
    result.items = high.concat(low);
    return result;
  }

  var listen = self.addEventListener.bind(self);
  var post = self.postMessage.bind(self);

  self.addEventListener = function (type, listener, options) {
    if (type !== "message") return listen(type, listener, options);
    return listen(type, function (event) {
      var message = event.data;
      if (message && message.type === SETUP) setup(message.data);
      if (message && message.type === QUERY) message = { type: QUERY, data: rewrite(message.data) };
      return listener.call(self, { data: message });
    }, options);
  };
  self.postMessage = function (message) {
    if (message && message.type === RESULT) order(message.data);
    return post(message);
  };

  var material = new URLSearchParams(self.location.search).get("m") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) {
    throw new Error("kx-search.js: 缺少 Material 搜索程序 / missing ?m=<Material search worker>");
  }
  importScripts(material);
})();
