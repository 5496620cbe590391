// The SMS length of the words as they are typed: characters and segments (GSM-7: 160, or 153 each when
// longer; any other character makes it UCS-2: 70, or 67 each), as messages.text counts them.
(function () {
  "use strict";
  var GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "^{}\\[~]|€\f";
  function count(text) {
    var gsm = true, length = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (EXTENDED.indexOf(c) >= 0) { length += 2; } else if (GSM.indexOf(c) >= 0) { length += 1; } else { gsm = false; }
    }
    if (!gsm) { length = Array.from(text).length; }
    var single = gsm ? 160 : 70, multi = gsm ? 153 : 67;
    return {length: length, segments: length <= single ? 1 : Math.ceil(length / multi), encoding: gsm ? "GSM-7" : "UCS-2"};
  }
  document.addEventListener("DOMContentLoaded", function () {
    var body = document.getElementById("body"), out = document.getElementById("sms-count");
    if (!body || !out) { return; }
    var limit = parseInt(body.getAttribute("data-max-segments"), 10) || 3;
    function show() {
      var found = count(body.value);
      out.textContent = "SMS: " + found.length + " characters, " + found.segments + " segment" +
        (found.segments === 1 ? "" : "s") + " (" + found.encoding + ")" + (found.segments > limit ? " — over the limit of " + limit : "");
      out.classList.toggle("over", found.segments > limit);
    }
    body.addEventListener("input", show);
    show();
  });
}());

// The audience of the message being written, counted as it is chosen: the audience builder's live count
// with the same filters (a saved audience alone means exactly its people, as when the message is issued).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("compose"), out = document.getElementById("compose-audience");
    if (!form || !out) { return; }
    var timer = null, latest = 0;
    function params() {
      var data = new FormData(form), query = new URLSearchParams();
      data.getAll("issue").forEach(function (v) { query.append("issues", v); });
      data.getAll("ward").forEach(function (v) { query.append("wards", v); });
      if (data.get("min_priority")) { query.set("min_priority", data.get("min_priority")); }
      var channels = data.getAll("channel").filter(function (c) { return c === "email" || c === "sms"; });
      query.set("channel", channels.length === 1 ? channels[0] : "any");
      var saved = data.get("saved"), filtered = query.has("issues") || query.has("wards") || query.has("min_priority");
      if (saved) { query.append(filtered ? "include_saved" : "within_saved", saved); }
      return query;
    }
    async function update() {
      var asked = ++latest;
      var response = await fetch("/audience/count?" + params(), {credentials: "same-origin"});
      if (asked !== latest || !response.ok) { return; }
      out.innerHTML = await response.text();
      out.dataset.updated = String(asked);
    }
    function refresh() { clearTimeout(timer); timer = setTimeout(update, 250); }
    form.addEventListener("change", refresh);
    form.addEventListener("input", function (event) { if (event.target.name !== "body") { refresh(); } });
    update();
  });
}());

