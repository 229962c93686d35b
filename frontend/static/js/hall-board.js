// The hall's display board: live by Server-Sent Events, polling when they fail; a chime
// and the call spoken in Chinese and English. A static file (strict CSP, no inline script).
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var lastCall = parseInt(board.getAttribute("data-last-call"), 10) || 0;
  var version = board.getAttribute("data-version");
  var audio = null;
  var failures = 0;
  var pollTimer = null;
  var source = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function twoNames(cls, zh, en) {
    var node = el("span", cls, zh);
    node.appendChild(el("small", "", en));
    return node;
  }

  function render(state) {
    var calls = board.querySelector("[data-calls]");
    calls.replaceChildren();
    if (!state.calls.length) calls.appendChild(el("li", "hall-board-empty", "—"));
    state.calls.forEach(function (call) {
      var li = el("li");
      li.setAttribute("data-call", call.id);
      li.appendChild(el("span", "hall-board-number", call.number));
      li.appendChild(twoNames("hall-board-window", call.window_zh, call.window_en));
      calls.appendChild(li);
    });
    var lines = board.querySelector("[data-lines]");
    lines.replaceChildren();
    state.lines.forEach(function (line) {
      var li = el("li");
      li.setAttribute("data-line", line.prefix);
      li.appendChild(el("span", "hall-board-prefix", line.prefix));
      li.appendChild(twoNames("hall-board-line-name", line.name_zh, line.name_en));
      li.appendChild(el("span", "hall-board-next", line.next.join(" ")));
      li.appendChild(el("span", "hall-board-waiting", String(line.waiting)));
      lines.appendChild(li);
    });
    board.setAttribute("data-version", state.version);
    version = state.version;
  }

  function spell(number) { return number.split("").join(" "); }

  function announce(call) {
    if (audio) {
      try {
        var now = audio.currentTime;
        [880, 660].forEach(function (freq, i) {
          var osc = audio.createOscillator();
          var gain = audio.createGain();
          osc.frequency.value = freq;
          gain.gain.setValueAtTime(0.0001, now + i * 0.35);
          gain.gain.exponentialRampToValueAtTime(0.3, now + i * 0.35 + 0.03);
          gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.35 + 0.3);
          osc.connect(gain).connect(audio.destination);
          osc.start(now + i * 0.35);
          osc.stop(now + i * 0.35 + 0.32);
        });
      } catch (e) { /* no sound device: the board still shows the call */ }
    }
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
    var voices = window.speechSynthesis.getVoices();
    [["zh-CN", "请 " + spell(call.number) + " 号，到 " + call.window_zh + " 办理"],
     ["en-GB", "Number " + spell(call.number) + ", please go to " + call.window_en]].forEach(function (pair) {
      var utterance = new window.SpeechSynthesisUtterance(pair[1]);
      utterance.lang = pair[0];
      var voice = voices.filter(function (v) { return v.lang && v.lang.indexOf(pair[0].slice(0, 2)) === 0; })[0];
      if (voice) utterance.voice = voice;
      window.speechSynthesis.speak(utterance);
    });
  }

  function apply(state) {
    if (!state || !state.calls) return;
    var fresh = state.calls.filter(function (c) { return c.id > lastCall; }).reverse();
    render(state);
    fresh.forEach(announce);
    if (state.calls.length) lastCall = Math.max(lastCall, state.calls[0].id);
    board.setAttribute("data-last-call", lastCall);
  }

  function link(ok) {
    var node = board.querySelector("[data-link]");
    node.setAttribute("data-link", ok ? "ok" : "lost");
    node.textContent = ok ? "" : "重新连接中… Reconnecting…";
  }

  function poll() {
    fetch(board.getAttribute("data-state"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) { link(true); apply(state); } })
      .catch(function () { link(false); });
  }

  function startPolling() {
    if (pollTimer) return;
    board.setAttribute("data-mode", "poll");
    pollTimer = window.setInterval(poll, 2000);
    poll();
  }

  function connect() {
    if (!window.EventSource) { startPolling(); return; }
    board.setAttribute("data-mode", "sse");
    source = new window.EventSource(board.getAttribute("data-events"));
    source.addEventListener("state", function (event) {
      failures = 0;
      link(true);
      apply(JSON.parse(event.data));
    });
    source.addEventListener("error", function () {
      // The server ends each stream after ~30 s and the browser reconnects by itself;
      // only repeated failures switch the board to polling (and retry events later).
      failures += 1;
      if (source.readyState === window.EventSource.CLOSED || failures > 3) link(false);
      if (failures > 5) {
        source.close();
        startPolling();
        window.setTimeout(function () {
          if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
          failures = 0;
          connect();
        }, 60000);
      }
    });
  }

  function tick() {
    var now = new Date();
    var clock = board.querySelector("[data-clock]");
    clock.textContent = String(now.getHours()).padStart(2, "0") + ":" +
      String(now.getMinutes()).padStart(2, "0") + ":" + String(now.getSeconds()).padStart(2, "0");
  }

  board.querySelector("[data-sound]").addEventListener("click", function (event) {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !audio) audio = new Ctx();
    event.target.hidden = true;
    if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(function () {});
  });

  window.setInterval(tick, 1000);
  connect();
})();
