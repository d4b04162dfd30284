#!/usr/bin/env python3
# Derives an eic cluster package (folder form) from the Finnish E-PRTR registry published by
# SYKE: the facilities of one area, their off-site waste transfers and their CO2 releases.
#
# Python 3 standard library only. Output is deterministic (same input, same bytes).
#
# Usage (from the repository root):
#   python3 tools/derive_prtr.py                       # Kokkola, 2021-2023, default paths
#   python3 tools/derive_prtr.py --registry ../shared/data/registries/finland-prtr-syke \
#       --city KOKKOLA --centre 63.855,23.045 --radius-km 25 --years 2021,2022,2023 \
#       --out data/examples/finland-kokkola
#
# Every modelling choice made here is written down in the package README.md (section
# "Assumptions"); keep the two in step when changing this script.

import argparse
import csv
import json
import math
import os
import re
import sys

# Short readable actor ids for the Kokkola facilities (facilityId -> id). Facilities not listed
# get "prtr_<facilityId>".
ACTOR_IDS = {
	"0000001375": "tetra_chemicals",
	"0000001376": "boliden_kokkola",
	"0000001384": "umicore_finland",
	"0000002610": "kokkolan_energia_kosila",
	"0000002611": "kokkolan_energia_power",
	"0000003861": "ekorosk_storkohmo",
	"0000003903": "kalvia_landfill",
	"0000021015": "blaxar_kokkola",
	"0000024256": "kokkolan_energia_voima",
	"0000054039": "cabb_kokkola",
	"0100085641": "woikoski_kokkola",
	"0100186331": "yara_suomi_kokkola",
	"0100186333": "yara_phosphates_kokkola",
	"0100203061": "pohjanmaan_biokaasu",
	"0100303088": "jervois_finland",
	"0100303137": "voda_nordic",
	"0100339844": "keliber_syvajarvi",
}

# E-PRTR / IED main activity code -> (ISIC Rev.4 code, reason). An assumption: the activity
# names the installation type, not the firm's product, so the ISIC code is the nearest class
# (or only the division when the activity does not decide the class).
ACTIVITY_TO_ISIC = {
	"1(c)": ("35", "thermal power station or combustion installation: division 35 (power, "
		"heat or both not decided by the activity)"),
	"2(e)(i)": ("2420", "production of non-ferrous crude metals"),
	"2(f)": ("2592", "surface treatment of metals and plastics"),
	"3(b)": ("0729", "opencast mining (metal ores other than iron)"),
	"4(b)(i)": ("2011", "basic inorganic chemicals: gases"),
	"4(b)(ii)": ("2011", "basic inorganic chemicals: acids"),
	"4(b)(iv)": ("2011", "basic inorganic chemicals: salts"),
	"4(b)(v)": ("2011", "basic inorganic chemicals: non-metals, metal oxides"),
	"4(d)": ("2021", "plant health products and biocides"),
	"5(c)": ("3821", "disposal or treatment of non-hazardous waste"),
	"5(d)": ("3821", "landfill"),
}

WASTE_ACTIVITIES = {"5(a)", "5(b)", "5(c)", "5(d)", "5(e)", "5(f)", "5(g)"}

WASTE_MATERIAL = {"HW": "hazardous_waste", "NONHW": "non_hazardous_waste"}
TREATMENT_NODE = {"R": "ext_recovery", "D": "ext_disposal"}
TREATMENT_TEXT = {"R": "destined for recovery", "D": "destined for disposal"}
WASTE_TEXT = {"HW": "hazardous waste", "NONHW": "non-hazardous waste"}
QUALITY = {"M": "measured", "C": "calculated", "E": "estimated"}


def clean(text):
	return re.sub(r"\s+", " ", text or "").strip()


def read_semicolon(path):
	with open(path, newline="", encoding="utf-8-sig") as f:
		return list(csv.DictReader(f, delimiter=";"))


def distance_km(lat1, lon1, lat2, lon2):
	"""Great-circle distance (haversine, mean Earth radius 6371 km)."""
	p1, p2 = math.radians(lat1), math.radians(lat2)
	dp, dl = p2 - p1, math.radians(lon2 - lon1)
	a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
	return 2 * 6371.0 * math.asin(math.sqrt(a))


def number_text(value):
	"""Write a registry number without a spurious '.0' and without exponent notation."""
	v = float(value)
	if v == int(v) and abs(v) < 1e15:
		return str(int(v))
	return repr(v)


def select_facilities(facilities, city, centre, radius_km):
	"""Facilities whose city is `city` and whose point lies within radius_km of centre."""
	chosen = []
	for f in facilities:
		if clean(f["city"]).upper() != city.upper():
			continue
		if not f["pointGeometryLat"] or not f["pointGeometryLon"]:
			continue
		d = distance_km(centre[0], centre[1], float(f["pointGeometryLat"]),
			float(f["pointGeometryLon"]))
		if d <= radius_km:
			chosen.append((f, d))
	chosen.sort(key=lambda fd: fd[0]["facilityId"])
	return chosen


def build_actors(chosen):
	actors = []
	for f, d in chosen:
		fid = f["facilityId"]
		code = f["mainActivityCode"]
		isic, reason = ACTIVITY_TO_ISIC.get(code, ("", "activity not mapped"))
		kind = "treatment_facility" if code in WASTE_ACTIVITIES else "firm"
		address = ", ".join(p for p in [
			clean(f["streetName"] + " " + f["buildingNumber"]),
			clean(f["postalCode"] + " " + f["city"])] if p)
		notes = ("E-PRTR facility %s; activity %s %s; sector mapped from the activity: %s "
			"(assumption); status %s in %s; %.1f km from the area centre" % (
				fid, code, clean(f["mainActivityName"]),
				reason, clean(f["status"]), f["reportingYear"], d))
		actors.append({
			"id": ACTOR_IDS.get(fid, "prtr_" + fid),
			"kind": kind,
			"name": clean(f["nameOfFeature"]),
			"sector": isic,
			"sector_scheme": "isic4" if isic else "",
			"lat": number_text(f["pointGeometryLat"]),
			"lon": number_text(f["pointGeometryLon"]),
			"address": address,
			"notes": notes,
			"_fid": fid,
		})
	actors.append({
		"id": "ext_recovery", "kind": "treatment_facility",
		"name": "Off-site recovery operators (aggregate, not identified in the registry)",
		"sector": "38", "sector_scheme": "isic4", "lat": "", "lon": "", "address": "",
		"notes": "Placeholder node for every waste transfer reported as destined for recovery "
			"(R). The registry names receivers only for transboundary transfers. Not a real "
			"facility; no coordinates.",
		"_fid": "",
	})
	actors.append({
		"id": "ext_disposal", "kind": "treatment_facility",
		"name": "Off-site disposal operators (aggregate, not identified in the registry)",
		"sector": "38", "sector_scheme": "isic4", "lat": "", "lon": "", "address": "",
		"notes": "Placeholder node for every waste transfer reported as destined for disposal "
			"(D: landfill, incineration without energy recovery or other disposal). Not a real "
			"facility; no coordinates.",
		"_fid": "",
	})
	return actors


def build_flows(actors, transfers, releases, years, registry_name, rel_sd_measured):
	by_fid = {a["_fid"]: a["id"] for a in actors if a["_fid"]}
	flows = []
	seq = {}

	def next_id(prefix):
		seq[prefix] = seq.get(prefix, 0) + 1
		return "%s_%d" % (prefix, seq[prefix])

	rows = [t for t in transfers if t["facilityId"] in by_fid and t["reportingYear"] in years]
	rows.sort(key=lambda t: (t["reportingYear"], by_fid[t["facilityId"]],
		t["wasteClassificationCode"], t["wasteTreatmentCode"]))
	for t in rows:
		actor = by_fid[t["facilityId"]]
		cls, trt = t["wasteClassificationCode"], t["wasteTreatmentCode"]
		if cls not in WASTE_MATERIAL or trt not in TREATMENT_NODE:
			raise SystemExit("unexpected waste class or treatment: %r %r" % (cls, trt))
		notes = "%s (%s) %s" % (WASTE_TEXT[cls], cls, TREATMENT_TEXT[trt])
		receiver = clean(t["nameOfReceiver"])
		country = clean(t["ReceivingSite_countryName"])
		if receiver or country:
			notes += "; transboundary transfer to %s" % ", ".join(
				p for p in [receiver, clean(t["ReceivingSite_city"]), country] if p)
		notes += "; method %s as reported" % t["methodCode"]
		if t["methodCode"] == "M":
			notes += "; rel_sd assumed (not in the registry)"
		flows.append({
			"id": next_id("w%s_%s_%s_%s" % (t["reportingYear"], actor, cls.lower(), trt.lower())),
			"from": actor,
			"to": TREATMENT_NODE[trt],
			"material": WASTE_MATERIAL[cls],
			"quantity": number_text(t["totalWasteQuantityTNE"]),
			"unit": "t",
			"period": t["reportingYear"],
			"quality": QUALITY.get(t["methodCode"], "estimated"),
			"rel_sd": rel_sd_measured if t["methodCode"] == "M" else "",
			"source": "%s, waste_transfers.csv, reporting year %s" % (registry_name,
				t["reportingYear"]),
			"notes": notes,
		})

	co2 = [r for r in releases if r["facilityId"] in by_fid and r["reportingYear"] in years
		and r["pollutantCode"] == "CO2" and r["medium"] == "AIR"]
	fossil = {(r["facilityId"], r["reportingYear"]): r for r in releases
		if r["pollutantCode"] == "CO2EXCLBIOMASS" and r["medium"] == "AIR"}
	co2.sort(key=lambda r: (r["reportingYear"], by_fid[r["facilityId"]]))
	for r in co2:
		actor = by_fid[r["facilityId"]]
		notes = "total CO2 to air as reported (fossil and biogenic)"
		fx = fossil.get((r["facilityId"], r["reportingYear"]))
		if fx:
			notes += "; of which excluding biomass: %s kg (method %s)" % (
				number_text(fx["totalPollutantQuantityKg"]), fx["methodCode"])
		notes += "; method %s as reported" % r["methodCode"]
		if r["methodCode"] == "M":
			notes += "; rel_sd assumed (not in the registry)"
		flows.append({
			"id": next_id("e%s_%s_co2" % (r["reportingYear"], actor)),
			"from": actor,
			"to": "boundary:atmosphere",
			"material": "co2",
			"quantity": number_text(r["totalPollutantQuantityKg"]),
			"unit": "kg",
			"period": r["reportingYear"],
			"quality": QUALITY.get(r["methodCode"], "estimated"),
			"rel_sd": rel_sd_measured if r["methodCode"] == "M" else "",
			"source": "%s, releases.csv, reporting year %s" % (registry_name, r["reportingYear"]),
			"notes": notes,
		})
	return flows


def write_csv(path, header, rows):
	with open(path, "w", newline="", encoding="utf-8") as f:
		w = csv.writer(f, lineterminator="\n")
		w.writerow(header)
		for r in rows:
			w.writerow([r.get(h, "") for h in header])


def main():
	ap = argparse.ArgumentParser(description=__doc__)
	here = os.path.dirname(os.path.abspath(__file__))
	ap.add_argument("--registry", default=os.path.join(here, "..", "..", "shared", "data",
		"registries", "finland-prtr-syke"))
	ap.add_argument("--city", default="KOKKOLA")
	ap.add_argument("--centre", default="63.855,23.045",
		help="lat,lon of the area centre (default: Kokkola Industrial Park, Ykspihlaja)")
	ap.add_argument("--radius-km", type=float, default=25.0)
	ap.add_argument("--years", default="2021,2022,2023")
	ap.add_argument("--rel-sd-measured", default="0.05",
		help="relative standard deviation given to flows the registry marks as measured (M); "
		"an assumption, the registry gives none (default 0.05)")
	ap.add_argument("--out", default=os.path.join(here, "..", "data", "examples",
		"finland-kokkola"))
	args = ap.parse_args()

	centre = tuple(float(x) for x in args.centre.split(","))
	years = [y.strip() for y in args.years.split(",") if y.strip()]
	facilities = read_semicolon(os.path.join(args.registry, "facilities.csv"))
	transfers = read_semicolon(os.path.join(args.registry, "waste_transfers.csv"))
	releases = read_semicolon(os.path.join(args.registry, "releases.csv"))

	chosen = select_facilities(facilities, args.city, centre, args.radius_km)
	if not chosen:
		sys.exit("no facilities selected")
	actors = build_actors(chosen)
	registry_name = "Finnish PRTR (SYKE)"
	flows = build_flows(actors, transfers, releases, set(years), registry_name,
		args.rel_sd_measured)

	os.makedirs(args.out, exist_ok=True)
	write_csv(os.path.join(args.out, "actors.csv"),
		["id", "kind", "name", "sector", "sector_scheme", "lat", "lon", "address", "notes"], actors)
	write_csv(os.path.join(args.out, "flows.csv"),
		["id", "from", "to", "material", "quantity", "unit", "period", "rel_sd", "quality",
			"source", "notes"], flows)
	materials = [
		{"id": "hazardous_waste", "name": "Hazardous waste (registry total, composition not reported)",
			"category": "waste/hazardous/unspecified", "hazardous": "yes",
			"notes": "E-PRTR reports only the total mass of hazardous waste (HW) transferred "
				"off site per facility and treatment type; no EWC codes."},
		{"id": "non_hazardous_waste",
			"name": "Non-hazardous waste (registry total, composition not reported)",
			"category": "waste/non_hazardous/unspecified", "hazardous": "no",
			"notes": "E-PRTR total of non-hazardous waste (NONHW) transferred off site; "
				"reported only above 2000 t/yr per facility."},
	]
	write_csv(os.path.join(args.out, "materials.csv"),
		["id", "name", "category", "ewc", "hazardous", "hs", "cpc", "notes"], materials)

	cluster = {
		"eic_format": 1,
		"id": "finland-kokkola",
		"name": "Kokkola industrial area (Finnish PRTR facilities)",
		"region": "Kokkola, Central Ostrobothnia",
		"country": "FI",
		"currency": "EUR",
		"description": ("E-PRTR facilities registered in Kokkola within %g km of the Kokkola "
			"Industrial Park (zinc, cobalt, inorganic chemicals, fertiliser and feed phosphate, "
			"energy, waste management), with their off-site waste transfers and CO2 releases "
			"as reported for %s. The registry reports only releases and off-site waste "
			"transfers, never inputs or products, so mass balances do not close: nothing is "
			"shown entering the cluster. Derived by tools/derive_prtr.py." % (args.radius_km,
				"-".join([years[0], years[-1]]) if len(years) > 1 else years[0])),
		"units": {"mass": "t", "energy": "GJ", "volume": "m3"},
		"catalogue": "default",
		"periods": [{"id": y, "start": "%s-01-01" % y, "end": "%s-12-31" % y,
			"label": "reporting year %s" % y} for y in years],
		"sources": ("Finnish PRTR (SYKE), https://github.com/sykefi/PRTR, MIT licence, "
			"Copyright (c) 2021 Finnish Environment Institute; see README.md"),
	}
	with open(os.path.join(args.out, "cluster.json"), "w", encoding="utf-8") as f:
		json.dump(cluster, f, ensure_ascii=False, indent=2)
		f.write("\n")

	print("%d facilities, %d actors, %d flows written to %s" % (len(chosen), len(actors),
		len(flows), args.out))


if __name__ == "__main__":
	main()
