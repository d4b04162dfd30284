#!/usr/bin/env python3
"""Generate the malformed-package corpus: a valid base package and one mutation per case.

Each case folder gets the mutated package and `expected`, the exact diagnostic line(s) that
`eic import` must print (paths relative to this folder). Expected messages are written here by
hand from docs/format.md; line and column are found from the mutated text itself, not from eic.
Run from anywhere: python3 tests/data/malformed/generate.py (rewrites cases/).
"""
import json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")

CLUSTER = {
    "eic_format": 1, "id": "base", "name": "Base cluster", "country": "TH", "currency": "THB",
    "periods": [{"id": "2024", "start": "2024-01-01", "end": "2024-12-31"}],
}
BASE = {
    "actors.csv": "id,kind,name,sector,employees,lat,lon\n"
                  "mill,firm,Rice mill,1061,25,13.69,101.07\n"
                  "farm,firm,Piggery,0145,8,13.71,101.02\n",
    "processes.csv": "id,actor,name\nmilling,mill,Milling\ndigester,farm,Digester\n",
    "materials.csv": "id,name,category,ewc\nhusk,Rice husk,biomass/rice,020103\n",
    "material_properties.csv": "material,property,value,unit,source\nhusk,lhv,14,GJ/t,test\n",
    "flows.csv": "id,from,to,material,quantity,unit,period,rel_sd,quality\n"
                 "f1,boundary:supply_market,milling,husk,100,t,2024,0.1,estimated\n"
                 "f2,milling,digester,husk,100,t,2024,0.1,estimated\n"
                 "f3,digester,boundary:atmosphere,husk,100,t,2024,0.1,estimated\n",
    "offers.csv": "id,actor,type,material,quantity,unit\no1,mill,have,husk,100,t/yr\n",
    "facilities.csv": "id,name,technology,capacity_unit\nbg,Biogas plant,anaerobic digestion,t/yr\n",
    "facility_levels.csv": "facility,level,capacity,capex,opex_per_yr\nbg,small,1000,2000000,100000\n",
    "facility_coefficients.csv": "facility,material,direction,coefficient,unit\nbg,husk,input,1,t/t\n",
}

cases = []

def case(name, expected, files=None, cluster=None, raw_cluster=None, remove=()):
    cases.append((name, expected, files or {}, cluster, raw_cluster, remove))

def at(text, line_no, needle, nth=0):
    """1-based column of needle in line line_no of text (characters, not bytes)."""
    line = text.split("\n")[line_no - 1]
    i = -1
    for _ in range(nth + 1):
        i = line.index(needle, i + 1)
    return i + 1

def csv_case(name, fname, new_text, line_no, needle, message, nth=0):
    col = at(new_text, line_no, needle, nth)
    case(name, [f"{fname}:{line_no}:{col}: error: {message}"], files={fname: new_text})

def rep(fname, old, new):
    t = BASE[fname]
    assert old in t, (fname, old)
    return t.replace(old, new, 1)

# ---- actors.csv
t = rep("actors.csv", "mill,firm", "mill,factory")
csv_case("actor-unknown-kind", "actors.csv", t, 2, "factory",
         "unknown actor kind in 'kind' (expected firm, knowledge_institute, government_body, community_organisation, financier, service_provider or treatment_facility; found 'factory')")
t = rep("actors.csv", "13.69,101.07", "93.69,101.07")
csv_case("actor-lat-range", "actors.csv", t, 2, "93.69",
         "latitude out of range (expected -90 to 90 degrees, WGS84; found 93.69)")
t = rep("actors.csv", "13.69,101.07", "13.69,181.07")
csv_case("actor-lon-range", "actors.csv", t, 2, "181.07",
         "longitude out of range (expected -180 to 180 degrees, WGS84; found 181.07)")
t = rep("actors.csv", "13.69,101.07", "13.69,")
# points at the missing cell: the empty lon right after "13.69,"
case("actor-lat-only", [f"actors.csv:2:{at(t, 2, '13.69,') + 6}: error: incomplete coordinates (expected both lat and lon or neither; found only lat)"], files={"actors.csv": t})
t = rep("actors.csv", "13.69,101.07", "13.69N,101.07")
csv_case("actor-lat-text", "actors.csv", t, 2, "13.69N",
         "not a number in 'lat' (expected a decimal number such as 1200 or 0.35; found '13.69N')")
t = rep("actors.csv", ",25,", ",-25,")
csv_case("actor-employees-negative", "actors.csv", t, 2, "-25",
         "invalid number of employees (expected a whole number >= 0; found '-25')")
t = rep("actors.csv", ",25,", ",2.5,")
csv_case("actor-employees-fraction", "actors.csv", t, 2, "2.5",
         "invalid number of employees (expected a whole number >= 0; found '2.5')")
t = rep("actors.csv", "farm,firm,Piggery", "mill,firm,Piggery")
csv_case("actor-duplicate-id", "actors.csv", t, 3, "mill",
         "duplicate id in 'id' (expected a unique actor id; found 'mill' again)")
t = rep("actors.csv", "mill,firm", "mill rice,firm")
csv_case("actor-bad-id", "actors.csv", t, 2, "mill rice",
         "invalid id in 'id' (expected 1 to 64 characters from A-Z a-z 0-9 _ . -; found 'mill rice')")
t = rep("actors.csv", ",1061,", ",1069,")
csv_case("actor-unknown-isic", "actors.csv", t, 2, "1069",
         "unknown ISIC Rev.4 code in 'sector' (expected a division, group or class such as 16, 161 or 1610; found '1069')")
t = rep("actors.csv", "Rice mill,", ",")
csv_case("actor-missing-name", "actors.csv", t, 2, ",,", "missing value in 'name' (expected a value, found an empty cell)")
# the column of an empty cell is right after the comma
cases[-1] = (cases[-1][0], [f"actors.csv:2:{at(t, 2, ',,') + 1}: error: missing value in 'name' (expected a value, found an empty cell)"], cases[-1][2], None, None, ())
t = BASE["actors.csv"].replace("id,kind,name,sector,employees,lat,lon", "id,kind,name,sectr,employees,lat,lon")
csv_case("actor-unknown-column", "actors.csv", t, 1, "sectr",
         "unknown column 'sectr' in actors.csv (expected one of: id, kind, name, sector, sector_scheme, employees, value_added, lat, lon, address, notes)")
t = BASE["actors.csv"].replace("id,kind,name,", "id,name,", 1).replace("mill,firm,", "mill,").replace("farm,firm,", "farm,")
case("actor-missing-kind-column", ["actors.csv:1:1: error: missing required column 'kind' in header (expected it among the columns of actors.csv)"], files={"actors.csv": t})
t = rep("actors.csv", "mill,firm,Rice mill,1061,25,13.69,101.07", "mill,firm,Rice mill,1061,25,13.69")
case("actor-short-row", ["actors.csv:2:1: error: wrong number of cells (expected 7 as in the header; found 6)"], files={"actors.csv": t})
t = rep("actors.csv", "Rice mill", "Rice \"mill\"")
csv_case("actor-stray-quote", "actors.csv", t, 2, "\"", "malformed CSV (expected RFC 4180 quoting: a quote only at the start of a cell, doubled inside it; error parsing data while strict checking enabled)")
t = rep("actors.csv", "Rice mill", "\"Rice mill")
case("actor-unclosed-quote", ["actors.csv:2:1: error: malformed CSV (expected a closing quote before the end of the file; found none)"], files={"actors.csv": t})
case("actors-empty-file", ["actors.csv:1:1: error: empty table (expected a header row with the column names of actors.csv; found nothing)"], files={"actors.csv": ""})
case("actors-missing-file", ["actors.csv: error: missing file (expected actors.csv in the package folder, with at least its header)"], remove=("actors.csv", "processes.csv", "flows.csv", "offers.csv"))
t = rep("actors.csv", "id,kind,name,sector,employees,lat,lon", "id,kind,name,sector,employees,lat,lon,lat")
t = t.replace("13.69,101.07\n", "13.69,101.07,13.69\n").replace("13.71,101.02\n", "13.71,101.02,13.71\n")
csv_case("actor-duplicate-column", "actors.csv", t, 1, "lat", "duplicate column in header (expected each column once; found 'lat' again)", nth=1)

# ---- processes.csv
t = rep("processes.csv", "milling,mill,", "milling,mil,")
csv_case("process-unknown-actor", "processes.csv", t, 2, "mil,",
         "unknown actor in 'actor' (expected the id of an actor in actors.csv; found 'mil')")
t = rep("processes.csv", "digester,farm", "farm,farm")
csv_case("process-id-equals-actor", "processes.csv", t, 3, "farm",
         "process id equals an actor id (expected ids of actors and processes to differ; found 'farm' in both)")
t = rep("processes.csv", "digester,farm", "milling,farm")
csv_case("process-duplicate-id", "processes.csv", t, 3, "milling",
         "duplicate id in 'id' (expected a unique process id; found 'milling' again)")

# ---- materials and properties
t = rep("materials.csv", "020103", "029999")
csv_case("material-unknown-ewc", "materials.csv", t, 2, "029999",
         "unknown EWC code in 'ewc' (expected a code of the European Waste Catalogue; found '029999')")
t = rep("materials.csv", "020103", "0201")
csv_case("material-short-ewc", "materials.csv", t, 2, "0201",
         "invalid EWC code in 'ewc' (expected 6 digits such as 020103; found '0201')")
t = BASE["materials.csv"].replace("category,ewc", "category,ewc,hazardous").replace("020103\n", "020103,maybe\n")
csv_case("material-bad-hazardous", "materials.csv", t, 2, "maybe",
         "invalid flag in 'hazardous' (expected yes or no; found 'maybe')")
t = rep("material_properties.csv", "husk,lhv", "hask,lhv")
csv_case("property-unknown-material", "material_properties.csv", t, 2, "hask",
         "unknown material in 'material' (expected the id of a material in materials.csv or the default catalogue; found 'hask')")
t = rep("material_properties.csv", "14,GJ/t", "14,GJ")
csv_case("property-lhv-dimension", "material_properties.csv", t, 2, "GJ",
         "dimension mismatch for property 'lhv' (expected energy per mass, such as GJ/t or MJ/kg; found GJ, a energy)")
t = BASE["material_properties.csv"] + "husk,moisture,1.4,fraction,test\n"
csv_case("property-fraction-range", "material_properties.csv", t, 3, "1.4",
         "fraction out of range for property 'moisture' (expected 0 to 1, or 0 to 100 %; found 1.4 fraction)")
t = BASE["material_properties.csv"] + "husk,lhv,15,GJ/t,again\n"
csv_case("property-duplicate", "material_properties.csv", t, 3, "lhv",
         "duplicate property (expected one row per material and property; found 'lhv' for 'husk' again)")

# ---- flows.csv
def flow(name, old, new, line_no, needle, message, nth=0):
    csv_case(name, "flows.csv", rep("flows.csv", old, new), line_no, needle, message, nth)

flow("flow-negative-quantity", "milling,digester,husk,100", "milling,digester,husk,-100", 3, "-100",
     "negative value in 'quantity' (expected a number >= 0; found -100)")
flow("flow-quantity-text", "milling,digester,husk,100", "milling,digester,husk,100t", 3, "100t",
     "not a number in 'quantity' (expected a decimal number such as 1200 or 0.35; found '100t')")
flow("flow-thousands-separator", "milling,digester,husk,100,", "milling,digester,husk,\"1,000\",", 3, "\"1,000\"",
     "not a number in 'quantity' (expected a decimal number such as 1200 or 0.35; found '1,000')")
flow("flow-unknown-unit", "husk,100,t,2024,0.1,estimated\nf2", "husk,100,tonnes,2024,0.1,estimated\nf2", 2, "tonnes",
     "unknown unit in 'unit' (expected a unit such as t, kg, m3, GJ, kWh, t/yr; found 'tonnes')")
flow("flow-unit-dimension", "digester,husk,100,t,", "digester,husk,100,km,", 3, "km",
     "dimension mismatch in 'unit' (expected a mass, volume, energy or count, or one of these per time; found km, a length)")
flow("flow-unit-money", "digester,husk,100,t,", "digester,husk,100,THB,", 3, "THB",
     "dimension mismatch in 'unit' (expected a mass, volume, energy or count, or one of these per time; found THB, a money[THB])")
flow("flow-unknown-period", "digester,husk,100,t,2024", "digester,husk,100,t,2023", 3, "2023",
     "unknown period in 'period' (expected a period id from cluster.json; found '2023')")
flow("flow-unknown-node", "f2,milling,digester", "f2,milling,digestor", 3, "digestor",
     "unknown node in 'to' (expected a process id, an actor id or boundary:<kind>; found 'digestor')")
flow("flow-unknown-boundary", "boundary:atmosphere", "boundary:sky", 4, "boundary:sky",
     "unknown boundary node in 'to' (expected boundary: followed by supply_market, product_market, landfill, open_dumping, open_burning, water_body, atmosphere or stock; found 'boundary:sky')")
flow("flow-self-loop", "f2,milling,digester", "f2,milling,milling", 3, "milling", 
     "flow from a node to itself (expected 'to' to differ from 'from'; found 'milling' in both)", nth=1)
flow("flow-boundary-to-boundary", "f3,digester,boundary:atmosphere", "f3,boundary:landfill,boundary:atmosphere", 4, "boundary:atmosphere",
     "flow between two boundary nodes (expected at least one end inside the cluster; found boundary:landfill to boundary:atmosphere)")
flow("flow-unknown-material", "f2,milling,digester,husk", "f2,milling,digester,husks", 3, "husks",
     "unknown material in 'material' (expected the id of a material in materials.csv or the default catalogue; found 'husks')")
flow("flow-duplicate-id", "f3,digester", "f2,digester", 4, "f2",
     "duplicate id in 'id' (expected a unique flow id; found 'f2' again)")
flow("flow-bad-quality", "0.1,estimated\nf3", "0.1,guessed\nf3", 3, "guessed",
     "unknown data quality in 'quality' (expected measured, calculated or estimated; found 'guessed')")
flow("flow-negative-relsd", "2024,0.1,estimated\nf3", "2024,-0.1,estimated\nf3", 3, "-0.1",
     "invalid relative uncertainty in 'rel_sd' (expected a number >= 0 such as 0.1 or 10%; found '-0.1')")
t = BASE["flows.csv"].replace("rel_sd,quality", "rel_sd,quality,sd").replace("estimated\n", "estimated,\n")
t = t.replace("f2,milling,digester,husk,100,t,2024,0.1,estimated,", "f2,milling,digester,husk,100,t,2024,0.1,estimated,5")
csv_case("flow-two-uncertainties", "flows.csv", t, 3, "0.1", "two uncertainties given (expected only one of sd and rel_sd; found both)")
t = BASE["flows.csv"].replace("rel_sd,quality", "rel_sd,quality,colour").replace("estimated\n", "estimated,red\n")
csv_case("flow-unknown-column", "flows.csv", t, 1, "colour",
         "unknown column 'colour' in flows.csv (expected one of: id, from, to, material, quantity, unit, period, sd, rel_sd, quality, source, notes)")
flow("flow-nan", "digester,husk,100,", "digester,husk,nan,", 3, "nan",
     "not a number in 'quantity' (expected a decimal number such as 1200 or 0.35; found 'nan')")

# ---- offers.csv
def offer(name, old, new, needle, message):
    csv_case(name, "offers.csv", rep("offers.csv", old, new), 2, needle, message)

offer("offer-bad-type", "mill,have", "mill,give", "give", "unknown offer type in 'type' (expected have or want; found 'give')")
offer("offer-unknown-actor", "o1,mill,", "o1,mil,", "mil,", "unknown actor in 'actor' (expected the id of an actor in actors.csv; found 'mil')")
t = BASE["offers.csv"].replace("quantity,unit", "quantity,min,unit").replace("husk,100,t/yr", "husk,100,150,t/yr")
csv_case("offer-min-above", "offers.csv", t, 2, "150", "minimum above quantity (expected min <= quantity; found min 150, quantity 100)")
t = BASE["offers.csv"].replace("quantity,unit", "quantity,unit,confidentiality").replace("t/yr\n", "t/yr,secret\n")
csv_case("offer-bad-confidentiality", "offers.csv", t, 2, "secret", "unknown confidentiality in 'confidentiality' (expected private, cluster or public; found 'secret')")
t = BASE["offers.csv"].replace("quantity,unit", "quantity,unit,price").replace("t/yr\n", "t/yr,300\n")
csv_case("offer-price-without-unit", "offers.csv", t, 2, "300", "incomplete price (expected both price and price_unit or neither; found only price)")
t = BASE["offers.csv"].replace("quantity,unit", "quantity,unit,available_from").replace("t/yr\n", "t/yr,2024-02-30\n")
csv_case("offer-bad-date", "offers.csv", t, 2, "2024-02-30", "invalid date in 'available_from' (expected YYYY-MM-DD, a real calendar date; found '2024-02-30')")

# ---- facilities
t = rep("facilities.csv", "digestion,t/yr", "digestion,t")
csv_case("facility-capacity-not-rate", "facilities.csv", t, 2, ",t", "dimension mismatch in 'capacity_unit' (expected a rate such as t/yr or a power such as kW; found t, a mass)")
cases[-1] = (cases[-1][0], [f"facilities.csv:2:{at(t, 2, ',t') + 1}: error: dimension mismatch in 'capacity_unit' (expected a rate such as t/yr or a power such as kW; found t, a mass)"], cases[-1][2], None, None, ())
t = rep("facility_levels.csv", "bg,small", "bgx,small")
csv_case("level-unknown-facility", "facility_levels.csv", t, 2, "bgx", "unknown facility in 'facility' (expected the id of a facility in facilities.csv; found 'bgx')")
t = rep("facility_levels.csv", "small,1000", "small,0")
csv_case("level-zero-capacity", "facility_levels.csv", t, 2, ",0,", "zero capacity (expected a capacity > 0; found 0)")
cases[-1] = (cases[-1][0], [f"facility_levels.csv:2:{at(t, 2, ',0,') + 1}: error: zero capacity (expected a capacity > 0; found 0)"], cases[-1][2], None, None, ())
t = rep("facility_coefficients.csv", "input,1,t/t", "input,1,t")
csv_case("coef-dimension", "facility_coefficients.csv", t, 2, ",t", "x")
cases[-1] = (cases[-1][0], [f"facility_coefficients.csv:2:{at(t, 2, ',t') + 1}: error: dimension mismatch in 'unit' (expected a coefficient that times the capacity unit t/yr gives a rate of mass, volume, energy or count; found t, giving a mass^2/time)"], cases[-1][2], None, None, ())
t = rep("facility_coefficients.csv", "input", "inward")
csv_case("coef-bad-direction", "facility_coefficients.csv", t, 2, "inward", "unknown direction in 'direction' (expected input or output; found 'inward')")

# ---- cluster.json (expected positions found in the text written below)
def cj_case(name, cluster_obj, needle, message, want_key=False, raw=None):
    text = raw if raw is not None else json.dumps(cluster_obj, indent=2) + "\n"
    lines = text.split("\n")
    for i, l in enumerate(lines):
        if needle in l:
            col = l.index(needle) + 1
            case(name, [f"cluster.json:{i + 1}:{col}: error: {message}"], raw_cluster=text)
            return
    raise SystemExit(f"needle {needle!r} not in {name}")

c = dict(CLUSTER); c["country"] = "Thailand"
cj_case("cluster-bad-country", c, '"Thailand"', "invalid country in 'country' (expected an ISO 3166-1 alpha-2 code such as JP; found 'Thailand')")
c = dict(CLUSTER); c["currency"] = "baht"
cj_case("cluster-bad-currency", c, '"baht"', "invalid currency in 'currency' (expected an ISO 4217 code such as USD; found 'baht')")
c = dict(CLUSTER); c["eic_format"] = 2
cj_case("cluster-format-version", c, "2,", "unsupported format version in 'eic_format' (expected 1; found 2)")
c = dict(CLUSTER); c["periods"] = [{"id": "2024", "start": "2024-12-31", "end": "2024-01-01"}]
cj_case("cluster-period-reversed", c, '"2024-01-01"', "period ends before it starts (expected end >= start; found 2024-01-01 before 2024-12-31)")
c = dict(CLUSTER); c["periods"] = [{"id": "2024", "start": "2024-01-01", "end": "2024-13-31"}]
cj_case("cluster-bad-date", c, '"2024-13-31"', "invalid date in 'end' (expected YYYY-MM-DD; found '2024-13-31')")
c = dict(CLUSTER); c["periods"] = []
cj_case("cluster-no-periods", c, "[]", "wrong type for 'periods' (expected a non-empty array of periods; found an empty array)")
c = dict(CLUSTER); c["units"] = {"mass": "GJ"}
cj_case("cluster-mass-unit-dimension", c, '"GJ"', "dimension mismatch in 'units.mass' (expected a unit of mass; found 'GJ', a energy)")
c = dict(CLUSTER); c["colour"] = "green"
cj_case("cluster-unknown-key", c, '"colour"', "unknown key 'colour' (expected eic_format, id, name, region, country, currency, description, units, catalogue, periods, sources)")
c = dict(CLUSTER); del c["name"]
text = json.dumps(c, indent=2) + "\n"
case("cluster-missing-name", ["cluster.json:1:1: error: missing key 'name' (expected a string value)"], raw_cluster=text)
raw = json.dumps(CLUSTER, indent=2).replace('"name": "Base cluster",', '"name": "Base cluster"') + "\n"
lines = raw.split("\n")
ln = next(i for i, l in enumerate(lines) if '"country"' in l) + 1
# JSON syntax errors carry Jansson's position: the last character of the offending token.
col = lines[ln - 1].index('"country"') + len('"country"')
case("cluster-json-syntax", [f"cluster.json:{ln}:{col}: error: malformed JSON (expected valid JSON text; '}}' expected near '\"country\"')"], raw_cluster=raw)
raw = json.dumps(CLUSTER, indent=2)[:-1] + ', "id": "again"}\n'
lines = raw.split("\n")
col = lines[-2].index('"id"') + len('"id"')
case("cluster-duplicate-key", [f"cluster.json:{len(lines) - 1}:{col}: error: malformed JSON (expected valid JSON text; duplicate object key near '\"id\"')"], raw_cluster=raw)
case("cluster-missing-file", ["cluster.json: error: missing file (expected cluster.json in the package folder)"], raw_cluster=None, remove=("cluster.json",))

def write():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    base = os.path.join(HERE, "base")
    if os.path.isdir(base):
        shutil.rmtree(base)
    os.makedirs(base)
    for fname, text in dict(BASE, **{"cluster.json": json.dumps(CLUSTER, indent=2) + "\n"}).items():
        with open(os.path.join(base, fname), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    names = set()
    for i, (name, expected, files, cluster, raw_cluster, remove) in enumerate(cases, 1):
        assert name not in names, name
        names.add(name)
        d = os.path.join(OUT, f"{i:02d}-{name}")
        os.makedirs(d)
        content = dict(BASE)
        content.update(files)
        ctext = raw_cluster if raw_cluster is not None else json.dumps(cluster or CLUSTER, indent=2) + "\n"
        content["cluster.json"] = ctext
        for r in remove:
            content.pop(r, None)
        for fname, text in content.items():
            with open(os.path.join(d, fname), "w", encoding="utf-8", newline="") as f:
                f.write(text)
        rel = f"cases/{i:02d}-{name}/"
        with open(os.path.join(d, "expected"), "w", encoding="utf-8") as f:
            for e in expected:
                f.write(rel + e + "\n")
    print(f"{len(cases)} cases written to {OUT}")

write()
