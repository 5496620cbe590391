// The audience builder: draw an area on the City map (web/static/map.js, with Leaflet-Geoman's drawing
// tools), see the chosen wards, and keep the count and preview up to date as the filters change. The text
// fields stay the truth: a polygon drawn fills Polygon, a circle fills Near (its centre as LAT,LON) and
// Radius, and what is typed there is drawn. Without this script the page still works: type, press Preview.
(() => {
  const form = document.getElementById("audience-form");
  if (!form) return;
  const polygonField = document.getElementById("polygon");
  const nearField = document.getElementById("near");
  const radiusField = document.getElementById("radius_m");
  const wardBoxes = () => [...form.querySelectorAll("input[name='wards']")];
  const DRAWN = { color: "#b07800", weight: 2, fillColor: "#f5a300", fillOpacity: 0.2 };

  // --- the live count: the same filters, as a GET without the CSRF token ---
  const result = document.getElementById("audience-result");
  const status = document.getElementById("count-status");
  let timer = null;
  let latest = 0;
  async function update() {
    const params = new URLSearchParams(new FormData(form));
    for (const name of ["csrf_token", "save_name"]) params.delete(name);
    const asked = ++latest;
    const response = await fetch(`/audience/count?${params}`, { credentials: "same-origin" });
    if (asked !== latest || !response.ok) return;  // an answer to an older question, or a lost session
    result.innerHTML = await response.text();
    const count = document.getElementById("audience-count");
    status.textContent = count ? `${count.dataset.count} recipients` : "These filters cannot be used yet";
    result.dataset.updated = String(asked);
  }
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  }

  // --- the map ---
  const pair = (value) => {
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
    return match ? [Number(match[1]), Number(match[2])] : null;
  };
  const text = (latlng) => `${latlng.lat.toFixed(6)},${latlng.lng.toFixed(6)}`;
  let city = null;
  let drawnPolygon = null;
  let drawnCircle = null;

  function drop(layer) {
    if (layer) city.map.removeLayer(layer);
    return null;
  }
  function polygonFromField() {
    drawnPolygon = drop(drawnPolygon);
    const corners = polygonField.value.split(";").map(pair).filter(Boolean);
    if (corners.length >= 3) {
      drawnPolygon = watch(L.polygon(corners, { ...DRAWN, pmIgnore: false }).addTo(city.map), "polygon");
    }
  }
  function circleFromFields() {
    drawnCircle = drop(drawnCircle);
    const centre = pair(nearField.value) || (nearField.value.trim() && city.postcodeAt(nearField.value));
    const radius = Number(radiusField.value);
    if (centre && radiusField.value.trim() !== "" && radius >= 0) {
      drawnCircle = watch(L.circle(centre, { ...DRAWN, radius, pmIgnore: false }).addTo(city.map), "circle");
    }
  }
  function fieldsFromPolygon(layer) {
    const ring = layer.getLatLngs()[0];
    polygonField.value = ring.map(text).join("; ");
  }
  function fieldsFromCircle(layer) {
    nearField.value = text(layer.getLatLng());
    radiusField.value = String(Math.round(layer.getRadius()));
  }
  function watch(layer, kind) {
    layer.getElement()?.setAttribute("id", kind === "polygon" ? "drawn-polygon" : "drawn-circle");
    layer.on("pm:edit", () => {
      (kind === "polygon" ? fieldsFromPolygon : fieldsFromCircle)(layer);
      refresh();
    });
    return layer;
  }
  function highlightWards() {
    if (city) city.highlight(new Set(wardBoxes().filter((box) => box.checked).map((box) => box.value)));
  }
  function busy() {
    const pm = city.map.pm;
    return pm.globalDrawModeEnabled() || pm.globalEditModeEnabled() || pm.globalRemovalModeEnabled();
  }

  const element = document.getElementById("city-map");
  if (element && window.CityMap && L.PM) {
    window.CityMap.open(element).then((opened) => {
      city = opened;
      const { map } = city;
      map.pm.setLang("en-audience", {
        buttonTitles: { drawPolyButton: "Draw a polygon (fills Polygon)",
                        drawCircleButton: "Draw a circle (fills Near and Radius)",
                        editButton: "Move the corners of the drawn area", deleteButton: "Remove a drawn area" },
      }, "en");
      map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
                           drawRectangle: false, drawText: false, cutPolygon: false, rotateMode: false,
                           dragMode: false, drawPolygon: true, drawCircle: true, editMode: true, removalMode: true });
      // Geoman titles the buttons' boxes, not the buttons: give each button its box's name.
      for (const button of element.querySelectorAll(".leaflet-buttons-control-button")) {
        const title = button.closest("[title]")?.getAttribute("title");
        if (title) button.setAttribute("aria-label", title);
      }
      map.pm.setGlobalOptions({ allowSelfIntersection: false, pathOptions: DRAWN, templineStyle: DRAWN,
                                hintlineStyle: { ...DRAWN, dashArray: [5, 5] } });
      map.on("pm:create", ({ shape, layer }) => {
        if (shape === "Polygon") {
          drawnPolygon = drop(drawnPolygon);
          drawnPolygon = watch(layer, "polygon");
          fieldsFromPolygon(layer);
        } else if (shape === "Circle") {
          drawnCircle = drop(drawnCircle);
          drawnCircle = watch(layer, "circle");
          fieldsFromCircle(layer);
        }
        refresh();
      });
      map.on("pm:remove", ({ layer }) => {
        if (layer === drawnPolygon) { drawnPolygon = null; polygonField.value = ""; }
        if (layer === drawnCircle) { drawnCircle = null; nearField.value = ""; radiusField.value = ""; }
        refresh();
      });
      // A click on a ward ticks or unticks it, unless a drawing tool is in use.
      city.wards.eachLayer((layer) => layer.on("click", () => {
        if (busy()) return;
        const box = wardBoxes().find((b) => b.value === layer.feature.properties.key);
        if (!box) return;
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }));
      polygonFromField();
      circleFromFields();
      highlightWards();
      const clear = document.getElementById("clear-shape");
      clear.hidden = false;
      clear.addEventListener("click", () => {
        polygonField.value = ""; nearField.value = ""; radiusField.value = "";
        polygonFromField();
        circleFromFields();
        refresh();
      });
    }).catch(() => {});
  }

  form.addEventListener("input", (event) => {
    if (event.target.name === "save_name") return;
    if (city && event.target === polygonField) polygonFromField();
    if (city && (event.target === nearField || event.target === radiusField)) circleFromFields();
    refresh();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "wards") highlightWards();
    if (event.target.name !== "save_name") refresh();
  });
})();
