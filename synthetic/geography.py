"""Synthetic City postcodes with centroids, wards and Mosaic classifications."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from synthetic.reference import (
    ANCHOR_POSTCODES,
    CITY_BOUNDS,
    CITY_MOSAIC_GROUP_WEIGHTS,
    DISTRICTS,
    MOSAIC_GROUP_NAMES,
    MOSAIC_GROUP_SIZES,
    RESIDENTIAL_SHARE,
    UNLISTED_POSTCODES,
    WARDS,
)

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters the Royal Mail uses in the inward code
_LON_SCALE = math.cos(math.radians(51.515))  # degrees of longitude are shorter at London's latitude


@dataclass(frozen=True)
class Postcode:
    """One postcode unit: its centroid, ward and number of households."""

    code: str  # "EC2V 7HH"
    latitude: float
    longitude: float
    ward: str
    households: int
    listed: bool  # False: left out of the postcodes file on purpose

    @property
    def district(self) -> str:
        return self.code.split()[0]


def nearest_ward(latitude: float, longitude: float) -> str:
    """The ward whose centroid is nearest to the point."""
    return min(WARDS, key=lambda w: (WARDS[w][0] - latitude) ** 2
               + ((WARDS[w][1] - longitude) * _LON_SCALE) ** 2)


def _nearest_district(latitude: float, longitude: float) -> str:
    return min(DISTRICTS, key=lambda d: (DISTRICTS[d][0] - latitude) ** 2
               + ((DISTRICTS[d][1] - longitude) * _LON_SCALE) ** 2)


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def _households(rng: random.Random, district: str) -> int:
    if rng.random() < RESIDENTIAL_SHARE.get(district, 0.12):
        return rng.randint(4, 180)
    return 0


def build_postcodes(rng: random.Random, count: int) -> list[Postcode]:
    """About ``count`` postcodes: fixed anchors, the unlisted ones, one per ward, then random fill."""
    taken: set[str] = set()
    result: list[Postcode] = []

    def add(code: str, lat: float, lon: float, ward: str, listed: bool = True) -> None:
        taken.add(code)
        result.append(Postcode(code, round(lat, 6), round(lon, 6), ward,
                               _households(rng, code.split()[0]), listed))

    def new_code(district: str) -> str:
        while True:
            code = f"{district} {rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
            if code not in taken:
                return code

    for code, lat, lon, ward in ANCHOR_POSTCODES:
        add(code, lat, lon, ward)
    for code, lat, lon, ward in UNLISTED_POSTCODES:
        add(code, lat, lon, ward, listed=False)
    for ward, (lat, lon) in WARDS.items():
        lat, lon = lat + rng.gauss(0, 0.0002), lon + rng.gauss(0, 0.0003)
        add(new_code(_nearest_district(lat, lon)), lat, lon, ward)
    districts = sorted(DISTRICTS)
    while len(result) < count:
        district = rng.choice(districts)
        lat0, lon0, _ = DISTRICTS[district]
        lat = _clamp(rng.gauss(lat0, 0.0011), CITY_BOUNDS[0])
        lon = _clamp(rng.gauss(lon0, 0.0016), CITY_BOUNDS[1])
        add(new_code(district), lat, lon, nearest_ward(lat, lon))
    return result


def mosaic_types() -> dict[str, list[str]]:
    """Group letter -> its type codes ("A01".."O66"), numbered across groups."""
    types: dict[str, list[str]] = {}
    number = 1
    for group, size in MOSAIC_GROUP_SIZES.items():
        types[group] = [f"{group}{n:02d}" for n in range(number, number + size)]
        number += size
    return types


def mosaic_rows(rng: random.Random, postcodes: list[Postcode]) -> list[tuple[str, str, str, str, int]]:
    """(postcode, type, group, group name, households) for every postcode with households."""
    types = mosaic_types()
    groups = sorted(CITY_MOSAIC_GROUP_WEIGHTS)
    weights = [CITY_MOSAIC_GROUP_WEIGHTS[g] for g in groups]
    rows = []
    for postcode in postcodes:
        if postcode.households:
            group = rng.choices(groups, weights)[0]
            rows.append((postcode.code, rng.choice(types[group]), group, MOSAIC_GROUP_NAMES[group],
                         postcode.households))
    return rows
