// A small Leaflet map for one place (the portal's event report form: data-place-map="pick", a click fills
// the latitude and longitude fields) or for several (the control room: data-place-map="show", the points in
// data-points). Tiles only from the installation's tile server; without one, a plain background. The
// fields and the table do the work without script: the map only adds to them.
(() => {
  if (!window.L) return;
  const CITY = [51.5155, -0.0922];
  function base(element) {
    const map = L.map(element, { zoomSnap: 0.25, maxZoom: 19, minZoom: 5 }).setView(CITY, 14);
    if (element.dataset.tiles) {
      const credit = document.createElement("span");
      credit.textContent = element.dataset.attribution || "";
      L.tileLayer(element.dataset.tiles, { attribution: credit.innerHTML, maxZoom: 19,
                                           referrerPolicy: "strict-origin" }).addTo(map);
    }
    return map;
  }
  function pick(element) {
    const map = base(element);
    const latitude = document.getElementById("latitude");
    const longitude = document.getElementById("longitude");
    let marker = null;
    const place = (lat, lon) => {
      marker = marker ? marker.setLatLng([lat, lon]) : L.marker([lat, lon]).addTo(map);
    };
    if (latitude.value && longitude.value) place(Number(latitude.value), Number(longitude.value));
    map.on("click", (event) => {
      place(event.latlng.lat, event.latlng.lng);
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
    });
  }
  function show(element) {
    const map = base(element);
    const points = JSON.parse(element.dataset.points || "[]");
    const bounds = [];
    for (const point of points) {
      const label = document.createElement("div");
      label.textContent = `${point.id} ${point.label}`;
      L.circleMarker([point.lat, point.lon], { radius: 7, color: "#fff", weight: 2, fillColor: "#a4001d",
                                              fillOpacity: 1 }).bindPopup(label).addTo(map);
      bounds.push([point.lat, point.lon]);
    }
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
  }
  for (const element of document.querySelectorAll("[data-place-map]")) {
    (element.dataset.placeMap === "pick" ? pick : show)(element);
  }
})();
