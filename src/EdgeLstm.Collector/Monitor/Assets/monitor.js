// The EdgeLstm monitor's only script: keeps a device page's chart live through Server-Sent Events.
// Its data comes as JSON in <script type="application/json" id="monitor-data">, never as script source.
"use strict";
(function () {
  const data = document.getElementById("monitor-data");
  const chart = document.getElementById("live-chart");
  if (!data || !chart || !window.EventSource) return;
  const settings = JSON.parse(data.textContent);
  const count = document.getElementById("point-count");
  const status = document.getElementById("live-status");
  const events = new EventSource(settings.events);
  events.addEventListener("open", function () { status.textContent = "live"; status.className = "live-on"; });
  events.addEventListener("error", function () { status.textContent = "reconnecting…"; status.className = "muted"; });
  events.addEventListener("frames", function (event) {
    const update = JSON.parse(event.data);
    // The chart is drawn (and every board string in it encoded) by the server.
    chart.innerHTML = update.chart;
    count.textContent = String(update.predictions);
    status.textContent = "live · updated " + new Date().toLocaleTimeString();
    status.className = "live-on";
  });
})();
