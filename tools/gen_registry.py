#!/usr/bin/env python3
# gen_registry.py: generate the offer registry for the spatial matching benchmark (issue 4,
# item 3) from the real facility registries in ../shared/data/registries (python3 stdlib only).
"""Generate a deterministic benchmark registry of have/want offers.

Usage: gen_registry.py REGISTRIES_DIR OUT_CSV COUNT [SEED]

Each offer is drawn as follows (docs/methods/spatial.md, "Benchmark registry"):
  1. a facility, uniformly, from the pooled real facilities with coordinates:
     US TRI (NREL facility_TRI.csv, NAICS), US GHGRP (facility_GHGRP.csv, NAICS),
     Germany E-PRTR large point sources (eprtr_de_lps.csv, GNFR sector), France EU ETS
     installations (emissions-FR-geo.csv, one row per installation, ETS activity code),
     Finland E-PRTR facilities (facilities.csv, E-PRTR activity code);
  2. its location, jittered uniformly within a disc of JITTER_KM (5 km) around the facility;
  3. its sector: the facility's own code (source-prefixed), and the E-PRTR Annex I section
     (1 energy ... 9 other) it maps to;
  4. its waste type: a TRI chemical drawn from the empirical distribution of the Illinois
     TRI reports (2010-2024 files present) of facilities in the same E-PRTR section (the
     pooled distribution when the section has fewer than 50 reports);
  5. have or want with probability 1/2.
Output columns: id,kind,lat,lon,section,sector,waste (waste = integer id of the chemical);
a second file OUT_CSV.wastes.csv maps waste ids to chemical names.
"""
import csv
import math
import os
import random
import sys

JITTER_KM = 5.0
EARTH_RADIUS_KM = 6371.0088


def naics_section(code):
    """E-PRTR Annex I section of a NAICS code (first three digits)."""
    n3 = code[:3]
    if n3 in ("221", "324", "211"):
        return 1
    if n3 in ("331", "332"):
        return 2
    if n3 in ("327", "212", "213"):
        return 3
    if n3 in ("325", "326"):
        return 4
    if n3 == "562":
        return 5
    if n3 in ("321", "322", "313", "314"):
        return 6
    if n3 == "112":
        return 7
    if n3 in ("311", "312"):
        return 8
    return 9


GNFR_SECTION = {"A_PublicPower": 1, "B_Industry": 9, "D_Fugitive": 1, "E_Solvents": 4,
                "J_Waste": 5, "K_AgriLivestock": 7}


def ets_section(code):
    """E-PRTR Annex I section of an EU ETS main activity type code."""
    c = int(code)
    if c in (1, 20, 21, 22):
        return 1
    if 2 <= c <= 4 or 23 <= c <= 28:
        return 2
    if 5 <= c <= 8 or 29 <= c <= 34:
        return 3
    if 9 <= c <= 10 or 35 <= c <= 36:
        return 6
    if 37 <= c <= 47:
        return 4
    return 9


def facilities(root):
    out = []
    us = os.path.join(root, "us-nrel-aegis-facilities")
    for name, tag in (("facility_TRI.csv", "NAICS"), ("facility_GHGRP.csv", "NAICS")):
        with open(os.path.join(us, name), newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                try:
                    lat, lon = float(row["Latitude"]), float(row["Longitude"])
                except ValueError:
                    continue
                naics = row["NAICS"].split(".")[0]
                if not naics:
                    continue
                out.append((lat, lon, naics_section(naics), tag + ":" + naics))
    with open(os.path.join(root, "germany-eprtr-lps-uba", "eprtr_de_lps.csv"),
              newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="|"):
            lon = float(row["Longitude (deg)"].replace(",", "."))
            lat = float(row["Latitude (deg)"].replace(",", "."))
            gnfr = row["GNFR"]
            out.append((lat, lon, GNFR_SECTION.get(gnfr, 9), "GNFR:" + gnfr))
    seen = set()
    with open(os.path.join(root, "eu-ets-france-geocoded", "emissions-FR-geo.csv"),
              newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["seqe_id"] in seen or not row["X"] or not row["Y"]:
                continue
            seen.add(row["seqe_id"])
            code = row["main_activity_type_code"]
            out.append((float(row["Y"]), float(row["X"]), ets_section(code), "ETS:" + code))
    seen = set()
    with open(os.path.join(root, "finland-prtr-syke", "facilities.csv"),
              newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            if row["facilityId"] in seen or not row["pointGeometryLat"]:
                continue
            seen.add(row["facilityId"])
            code = row["mainActivityCode"]
            digits = "".join(ch for ch in code.split("(")[0] if ch.isdigit())
            section = int(digits) if digits and 1 <= int(digits) <= 9 else 9
            out.append((float(row["pointGeometryLat"]), float(row["pointGeometryLon"]), section,
                        "EPRTR:" + code))
    out = [f for f in out if -90 <= f[0] <= 90 and -180 <= f[1] <= 180 and
           not (f[0] == 0 and f[1] == 0)]
    return out


def waste_distribution(root):
    """Per E-PRTR section: list of chemical names (with repetition) reported in Illinois TRI."""
    tri = os.path.join(root, "tri-illinois-basic")
    by_section = {}
    for name in sorted(os.listdir(tri)):
        if not name[:4].isdigit() or not name.endswith("_il.csv"):
            continue
        with open(os.path.join(tri, name), newline="", encoding="utf-8", errors="replace") as f:
            reader = csv.reader(f)
            header = next(reader)
            i_naics = header.index("30. PRIMARY NAICS")
            i_chem = header.index("37. CHEMICAL")
            for row in reader:
                if len(row) <= i_chem or not row[i_chem].strip():
                    continue
                chem = " ".join(row[i_chem].split()).lower()
                by_section.setdefault(naics_section(row[i_naics]), []).append(chem)
    pooled = [c for s in sorted(by_section) for c in by_section[s]]
    return {s: (by_section[s] if len(by_section.get(s, [])) >= 50 else pooled)
            for s in range(1, 10)}


def jitter(rng, lat, lon):
    """Uniform point in a spherical cap of radius JITTER_KM around (lat, lon)."""
    d = JITTER_KM * math.sqrt(rng.random()) / EARTH_RADIUS_KM
    b = rng.random() * 2 * math.pi
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    lon2 = (math.degrees(l2) + 540.0) % 360.0 - 180.0
    return math.degrees(p2), lon2


def main(argv):
    if len(argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 2
    root, out_path, count = argv[1], argv[2], int(argv[3])
    seed = int(argv[4]) if len(argv) == 5 else 20261129
    rng = random.Random(seed)
    fac = facilities(root)
    dist = waste_distribution(root)
    names = sorted({c for s in dist for c in dist[s]})
    waste_id = {c: i + 1 for i, c in enumerate(names)}
    with open(out_path, "w", newline="", encoding="utf-8") as f:
        f.write("id,kind,lat,lon,section,sector,waste\n")
        for i in range(count):
            lat, lon, section, sector = fac[rng.randrange(len(fac))]
            plat, plon = jitter(rng, lat, lon)
            kind = "H" if rng.random() < 0.5 else "W"
            chem = dist[section][rng.randrange(len(dist[section]))]
            f.write("%d,%s,%.7f,%.7f,%d,%s,%d\n" %
                    (i + 1, kind, plat, plon, section, sector, waste_id[chem]))
    with open(out_path + ".wastes.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["waste", "chemical"])
        for c in names:
            w.writerow([waste_id[c], c])
    sys.stderr.write("%d offers from %d facilities, %d waste types -> %s\n" %
                     (count, len(fac), len(names), out_path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
