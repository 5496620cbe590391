// The audience builder: draw an area on the City map, and keep the count and preview up to date
// as the filters change. Without this script the page still works: type the area, press Preview.
(() => {
  const form = document.getElementById("audience-form");
  if (!form) return;
  const map = document.getElementById("city-map");
  const shape = document.getElementById("drawn-shape");
  const polygonField = document.getElementById("polygon");
  const nearField = document.getElementById("near");
  const radiusField = document.getElementById("radius_m");
  const SVG = "http://www.w3.org/2000/svg";
  const DEFAULT_RADIUS_M = "250";

  // --- the map's projection (see web/map_svg.py Projection) ---
  const projection = map && {
    west: Number(map.dataset.west), north: Number(map.dataset.north), margin: Number(map.dataset.margin),
    lat: Number(map.dataset.pxPerDegreeLat), lon: Number(map.dataset.pxPerDegreeLon),
    metresPerPx: Number(map.dataset.metresPerPx),
  };
  const toXY = ([lat, lon]) => [projection.margin + (lon - projection.west) * projection.lon,
                                projection.margin + (projection.north - lat) * projection.lat];
  const toLatLon = (x, y) => [projection.north - (y - projection.margin) / projection.lat,
                              projection.west + (x - projection.margin) / projection.lon];
  const text = ([lat, lon]) => `${lat.toFixed(6)},${lon.toFixed(6)}`;

  const pair = (value) => {
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
    return match ? [Number(match[1]), Number(match[2])] : null;
  };
  const corners = () => polygonField.value.split(";").map(pair).filter(Boolean);
  const postcodeAt = (value) => {
    // A postcode typed into Near is found among the map's points.
    const wanted = value.replace(/\s+/g, "").toUpperCase();
    const point = wanted && [...map.querySelectorAll("circle[data-code]")]
      .find((c) => c.dataset.code.replace(/\s+/g, "") === wanted);
    return point ? toLatLon(Number(point.getAttribute("cx")), Number(point.getAttribute("cy"))) : null;
  };

  function redraw() {
    if (!map) return;
    shape.replaceChildren();
    const points = corners().map(toXY);
    if (points.length) {
      const outline = document.createElementNS(SVG, points.length >= 3 ? "polygon" : "polyline");
      outline.setAttribute("points", points.map((p) => p.join(",")).join(" "));
      outline.setAttribute("id", "drawn-polygon");
      shape.append(outline);
      for (const [x, y] of points) {
        const corner = document.createElementNS(SVG, "circle");
        corner.setAttribute("cx", x); corner.setAttribute("cy", y); corner.setAttribute("r", 3);
        shape.append(corner);
      }
    }
    const centre = pair(nearField.value) || postcodeAt(nearField.value);
    const radius = Number(radiusField.value);
    if (centre && radiusField.value !== "" && radius >= 0) {
      const [x, y] = toXY(centre);
      const circle = document.createElementNS(SVG, "circle");
      circle.setAttribute("cx", x); circle.setAttribute("cy", y);
      circle.setAttribute("r", radius / projection.metresPerPx);
      circle.setAttribute("id", "drawn-circle");
      shape.append(circle);
    }
  }

  if (map) {
    map.addEventListener("click", (event) => {
      const point = map.createSVGPoint();
      point.x = event.clientX; point.y = event.clientY;
      const local = point.matrixTransform(map.getScreenCTM().inverse());
      const where = toLatLon(local.x, local.y);
      if (document.getElementById("draw-circle").checked) {
        nearField.value = text(where);
        if (radiusField.value === "") radiusField.value = DEFAULT_RADIUS_M;
      } else {
        polygonField.value = [...corners().map(text), text(where)].join("; ");
      }
      redraw();
      refresh();
    });
    document.getElementById("clear-shape").addEventListener("click", () => {
      if (document.getElementById("draw-circle").checked) {
        nearField.value = ""; radiusField.value = "";
      } else {
        polygonField.value = "";
      }
      redraw();
      refresh();
    });
    redraw();
  }

  // --- the live count: the same filters, as a GET without the CSRF token ---
  const result = document.getElementById("audience-result");
  const status = document.getElementById("count-status");
  let timer = null;
  let latest = 0;
  async function update() {
    const params = new URLSearchParams(new FormData(form));
    for (const name of ["csrf_token", "save_name", "draw"]) params.delete(name);
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
  form.addEventListener("input", (event) => {
    if (event.target.name === "save_name") return;
    if ([polygonField, nearField, radiusField].includes(event.target)) redraw();
    refresh();
  });
  form.addEventListener("change", (event) => {
    if (event.target.name !== "save_name" && event.target.name !== "draw") refresh();
  });
})();
