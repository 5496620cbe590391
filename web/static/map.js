// The City map over Leaflet (vendored in /static/vendor): wards, postcodes and premises from the app's own
// /map/data.json (GeoJSON), on a plain background unless the installation names a tile server. Everything
// drawn from the data goes in as text, never as HTML. The pages work without it: the map adds to their
// fields and lists. `CityMap.open(element)` draws one; elements with data-city-map="places" open by themselves.
(() => {
  if (!window.L) return;
  const STYLE = {
    ward: { color: "#0b4f8a", weight: 1.5, opacity: 0.8, fillColor: "#0b4f8a", fillOpacity: 0.05 },
    chosen: { color: "#b07800", weight: 3.5, opacity: 1, fillColor: "#f5a300", fillOpacity: 0.3 },
    postcode: { radius: 4, color: "#1b1f24", weight: 1, opacity: 0.9, fillColor: "#ffffff", fillOpacity: 1 },
    marked: { radius: 7, color: "#ffffff", weight: 2, opacity: 1, fillColor: "#a4001d", fillOpacity: 1 },
    premises: { radius: 2.5, color: "#555d66", weight: 1, opacity: 1, fillColor: "#555d66", fillOpacity: 1 },
  };
  const normal = (code) => String(code).replace(/\s+/g, "").toUpperCase();

  function node(tag, content, className) {
    const element = document.createElement(tag);
    if (content !== undefined) element.textContent = content;
    if (className) element.className = className;
    return element;
  }
  function wardLabel(p) {
    const label = node("div", p.name, "map-label");
    label.append(node("div", p.approximate ? "approximate outline (around its postcodes)"
                                           : `boundary from ${p.boundary_source}`, "map-note"));
    return label;
  }
  function postcodePopup(p) {
    const popup = node("div", undefined, "map-popup");
    popup.append(node("strong", p.code), node("div", p.ward ? `Ward: ${p.ward}` : "No ward known"));
    return popup;
  }
  function premisesPopup(p) {
    const popup = node("div", undefined, "map-popup");
    popup.append(node("strong", `Premises in ${p.postcode}`));
    const list = node("ul");
    for (const place of p.premises) {
      list.append(node("li", [place.name, place.address].filter(Boolean).join(", ") || "(no name)"));
    }
    popup.append(list);
    return popup;
  }
  function wardStyle(feature, chosen) {
    return { ...(chosen ? STYLE.chosen : STYLE.ward), dashArray: feature.properties.approximate ? "5 4" : null };
  }
  const ofLayer = (data, name) => ({ type: "FeatureCollection",
                                     features: data.features.filter((f) => f.properties.layer === name) });

  async function open(element) {
    const response = await fetch(element.dataset.source, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`the map data answered ${response.status}`);
    const data = await response.json();
    const map = L.map(element, { zoomSnap: 0.25, maxZoom: 19, minZoom: 8 });
    element.classList.toggle("with-tiles", Boolean(data.tiles));
    if (data.tiles) {
      // Only the app's origin goes to the tile server (tile servers ask for a Referer), never a page's path.
      L.tileLayer(data.tiles.url, { attribution: node("span", data.tiles.attribution).innerHTML, maxZoom: 19,
                                    referrerPolicy: "strict-origin" }).addTo(map);
    }
    const marked = new Set(JSON.parse(element.dataset.marked || "[]").map(normal));
    const wards = L.geoJSON(ofLayer(data, "ward"), {
      pmIgnore: true,  // the drawing tools leave the City's own shapes alone
      style: (feature) => wardStyle(feature, false),
      onEachFeature: (feature, layer) => layer.bindTooltip(wardLabel(feature.properties), { sticky: true }),
    }).addTo(map);
    const postcodes = L.geoJSON(ofLayer(data, "postcode"), {
      pointToLayer: (feature, at) => L.circleMarker(at, {
        ...(marked.has(normal(feature.properties.code)) ? STYLE.marked : STYLE.postcode), pmIgnore: true }),
      onEachFeature: (feature, layer) => layer.bindPopup(postcodePopup(feature.properties)),
    }).addTo(map);
    const premises = L.geoJSON(ofLayer(data, "premises"), {
      pointToLayer: (feature, at) => L.circleMarker(at, { ...STYLE.premises, pmIgnore: true }),
      onEachFeature: (feature, layer) => layer.bindPopup(premisesPopup(feature.properties)),
    }).addTo(map);
    L.control.layers(null, { Wards: wards, Postcodes: postcodes, Premises: premises }).addTo(map);
    const bounds = wards.getBounds().extend(postcodes.getBounds());
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] }); else map.setView([51.5155, -0.0922], 14);
    // The shapes exist once the map has a view: name each after what it shows, for tests and styles.
    for (const [group, attribute, property] of [[wards, "ward", "key"], [postcodes, "postcode", "code"],
                                                [premises, "premises", "postcode"]]) {
      group.eachLayer((layer) => layer.getElement()?.setAttribute(`data-${attribute}`, layer.feature.properties[property]));
    }
    showLegend(element, data);
    element.dataset.ready = "true";

    return {
      map, wards, postcodes,
      highlight(keys) {
        wards.eachLayer((layer) => {
          const chosen = keys.has(layer.feature.properties.key);
          layer.setStyle(wardStyle(layer.feature, chosen));
          layer.getElement()?.classList.toggle("ward-chosen", chosen);
        });
      },
      postcodeAt(code) {
        const wanted = normal(code);
        let found = null;
        postcodes.eachLayer((layer) => { if (normal(layer.feature.properties.code) === wanted) found = layer.getLatLng(); });
        return found;
      },
    };
  }

  function showLegend(element, data) {
    const legend = document.getElementById(`${element.id}-legend`);
    if (!legend) return;
    const approximate = data.features.filter((f) => f.properties.layer === "ward" && f.properties.approximate)
      .map((f) => f.properties.name);
    const note = legend.querySelector(".approximate-wards");
    if (note) note.textContent = approximate.length ? `Approximate outlines: ${approximate.join(", ")}.` : "";
    legend.hidden = false;
  }

  function failed(element) {
    element.replaceChildren(node("p", "The map could not be loaded; the fields and lists on this page still work.",
                                 "warning"));
  }

  window.CityMap = {
    open(element) {
      return open(element).catch((error) => { failed(element); throw error; });
    },
  };
  for (const element of document.querySelectorAll("[data-city-map='places']")) {
    window.CityMap.open(element).catch(() => {});
  }
})();
