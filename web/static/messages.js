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
