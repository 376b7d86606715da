// The public map: the published cases of the page's filters as pins on Leaflet (served by the
// app), tiles from the body's tile server. The list under the map is the page without this.
(function () {
  "use strict";
  var box = document.getElementById("public-map");
  var data = document.getElementById("public-map-pins");
  if (!box || !data || !window.L) { return; }
  var pins = JSON.parse(data.textContent || "[]");
  var COLOURS = { open: "#b35c00", closed: "#1a7f37" };
  box.hidden = false;

  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, {
    maxZoom: 19,
    attribution: box.dataset.attribution
  }).addTo(map);

  function popup(pin) {
    var body = document.createElement("div");
    var link = document.createElement("a");
    var status = document.createElement("p");
    link.href = pin.url;
    link.textContent = pin.title;
    status.textContent = pin.status;
    body.appendChild(link);
    body.appendChild(status);
    return body;
  }

  var points = pins.map(function (pin) {
    var colour = COLOURS[pin.group] || "#0b57d0";
    L.circleMarker([pin.lat, pin.lng], {
      radius: 9, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 0.9
    }).bindPopup(popup(pin)).addTo(map);
    return [pin.lat, pin.lng];
  });
  if (points.length) {
    map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
  } else {
    map.setView([15.87, 100.99], 5);  // Thailand, when no case has a pin yet
  }
})();
