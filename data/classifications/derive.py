#!/usr/bin/env python3
# Derives ewc.csv, isic4.csv and nace2.csv in this folder from the shared classification files
# (../shared/data/classifications). Python 3 standard library only; output is deterministic.
#
# Usage (from the repository root):  python3 data/classifications/derive.py [SHARED_DIR]
# SHARED_DIR defaults to ../shared. The rules are explained in README.md beside this script.

import csv
import os
import re
import sys
from collections import Counter, OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------
# EWC: hazardous flags derived from the wording of each entry
# ---------------------------------------------------------------------------------------------

CHAPTER_ALL = {
	"13": "chapter 13 (oil wastes and wastes of liquid fuels): all entries hazardous",
	"14": "chapter 14 (waste organic solvents, refrigerants and propellants): all entries hazardous",
}

# Wording that makes an entry non-hazardous, checked before everything else.
NEG_PHRASES = ["non-hazardous", "edible oil", "neither liquids nor other hazardous",
	"not subject to special requirements"]

# Wording that makes an entry hazardous ("absolute" or the hazardous half of a mirror pair).
POS_PHRASES = ["containing other hazardous", "containing or contaminated with hazardous",
	"consisting of or containing hazardous", "containing hazardous", "contaminated with hazardous",
	"contaminated by hazardous", "hazardous components", "marked as hazardous",
	"at least one hazardous", "hazardous sulphides", "hazardous silicones",
	"hazardous chlorosilanes", "hazardous transition metal", "hazardous solid porous matrix",
	"in hazardous quantities", "subject to special requirements in order to prevent infection"]

# Substance or waste-type words that make an entry hazardous; checked after the mirror rule.
KEYWORDS = [
	(r"mercury", "mercury"),
	(r"asbestos", "asbestos"),
	(r"cyanide", "cyanide"),
	(r"arsen", "arsenic"),
	(r"heavy metals", "heavy metals"),
	(r"chlorofluorocarbons", "chlorofluorocarbons"),
	(r"\blead batteries|ni-cd batteries|included in 16 06 01", "lead/Ni-Cd/mercury batteries"),
	(r"electrolyte from batteries", "battery electrolyte"),
	(r"\bacids?\b|acid tars|acid-generating", "acid"),
	(r"hydroxide|\bbases\b|alkalines", "alkali (hydroxide/bases)"),
	(r"\bsolvents\b|solvent-based", "solvents"),
	(r"\boils?\b|\boily\b", "oil"),
	(r"\btars?\b|tar-containing", "tar"),
	(r"mother liquors|still bottoms|spent absorbents", "chemical process liquors/residues"),
	(r"wood preservatives$|biocides|pesticides", "biocides/wood preservatives/pesticides"),
	(r"developer|fixer solutions|bleach solutions|photochemicals", "photographic chemicals"),
	(r"etching solutions|isocyanates|paint or varnish remover", "reactive chemicals"),
	(r"explosive|ammunition|fireworks", "explosives"),
	(r"permanganates|chromates|peroxides|oxidising substances", "oxidisers"),
	(r"cytotoxic|amalgam", "cytotoxic medicines/amalgam"),
	(r"pickling|phosphatising|machining emulsions|degreasing wastes|brake fluids",
		"metal-treatment/degreasing/brake fluids"),
]

# Gas-cleaning residues of these sub-chapters are hazardous although their wording says nothing.
GAS_CONTEXT = {
	"1005": "zinc thermal metallurgy (10 05)",
	"1006": "copper thermal metallurgy (10 06)",
	"1105": "hot galvanising (11 05)",
	"1901": "incineration or pyrolysis of waste (19 01)",
	"1904": "vitrification of waste (19 04)",
	"1911": "regeneration of oil (19 11)",
}

# Entries whose wording decides nothing; flagged hazardous from recollection of the asterisked
# list (not checked against the Official Journal text).
ENTRY = {
	"050102": "oil-bearing refinery sludge",
	"050103": "oil-bearing refinery sludge",
	"050115": "oil-bearing spent filter clay",
	"191101": "oil-bearing spent filter clay",
	"191103": "aqueous liquid waste from oil regeneration",
	"060702": "activated carbon from chlorine production",
	"061302": "spent activated carbon from inorganic chemical processes",
	"061305": "soot",
	"090106": "silver-bearing residue of photographic waste treatment",
	"090113": "aqueous liquid from silver reclamation",
	"100113": "fly ash from emulsified hydrocarbon fuel",
	"100304": "primary aluminium production slag",
	"100308": "aluminium salt slag",
	"100309": "aluminium black dross",
	"100808": "salt slag from other non-ferrous metallurgy",
	"110116": "spent ion exchange resins from metal treatment",
	"190806": "spent ion exchange resins from industrial waste water treatment",
	"190807": "ion exchanger regeneration solutions from industrial waste water treatment",
	"110202": "zinc hydrometallurgy sludge (jarosite, goethite)",
	"110302": "other wastes of tempering processes (sub-chapter 11 03, cyanide-bearing)",
	"110504": "spent galvanising flux",
	"120112": "spent waxes and fats from metal shaping",
	"120301": "aqueous washing liquids from degreasing",
	"160104": "end-of-life vehicles with liquids and hazardous parts (twin of 16 01 06)",
	"160806": "spent liquid catalysts",
	"190403": "non-vitrified solid phase of vitrification",
}

NOS = re.compile(r"^(wastes|other fractions|municipal wastes|components) not otherwise specified")
MIRROR = re.compile(r"\bothers? than\b")
REF = re.compile(r"(\d\d) (\d\d) (\d\d)")


def norm_text(text):
	"""Collapse all white space (the source uses no-break spaces inside codes) to one space."""
	return re.sub(r"\s+", " ", text).strip()


def ewc_first_pass(code, desc):
	"""Apply the wording rules, first match wins. Returns (flag, basis, refs); flag is None for a
	mirror entry ("other than those mentioned in ..."), decided in the second pass from refs."""
	d = desc.lower()
	if code[:2] in CHAPTER_ALL:
		return "yes", CHAPTER_ALL[code[:2]], None
	if code in ENTRY:
		return "yes", ("entry-specific: %s; wording not decisive, flag from recollection of the "
			"asterisked list (not checked)" % ENTRY[code]), None
	for p in NEG_PHRASES:
		if p in d:
			return "no", "wording: '%s'" % p, None
	for p in POS_PHRASES:
		if p in d:
			return "yes", "wording: '%s'" % p, None
	if re.search(r"\bpcbs?\b", d):
		return "yes", "wording: 'PCB'", None
	m = MIRROR.search(d)
	if m:
		return None, "mirror", ["".join(g) for g in REF.findall(d[m.start():])]
	if code[:4] in GAS_CONTEXT and re.search(r"gas treatment|flue-gas|gas cleaning", d):
		return "yes", "context: gas-cleaning residue from %s" % GAS_CONTEXT[code[:4]], None
	if code[:4] == "1004" and not NOS.search(d):
		return "yes", "context: process residue of lead thermal metallurgy (10 04)", None
	if NOS.search(d):
		return "no", "'not otherwise specified' entry", None
	for rx, label in KEYWORDS:
		m = re.search(rx, d)
		if m:
			return "yes", "wording: '%s' (%s)" % (m.group(0), label), None
	return "no", "no hazardous wording", None


def derive_ewc(shared):
	rows = []
	with open(os.path.join(shared, "ewc_2000_532_ec.csv"), newline="", encoding="utf-8") as f:
		for r in csv.DictReader(f):
			code = re.sub(r"\D", "", r["ewc_code"])
			if len(code) != 6:
				raise SystemExit("bad EWC code %r" % r["ewc_code"])
			rows.append((code, norm_text(r["description"]), norm_text(r["chapter_path"])))
	decided = {}
	pending = {}
	for code, desc, _ in rows:
		flag, basis, refs = ewc_first_pass(code, desc)
		if flag is None:
			pending[code] = refs
		else:
			decided[code] = (flag, basis)
	for code, refs in pending.items():
		targets = [decided.get(r) for r in refs]
		if refs and all(t is not None and t[0] == "no" and t[1].startswith("wording")
				for t in targets):
			# the twin is non-hazardous by its own wording (edible oils): this is the hazardous half
			decided[code] = ("yes", "mirror of a non-hazardous entry (%s): the other half of the pair"
				% ", ".join(refs))
		else:
			decided[code] = ("no", "mirror entry: 'other than those mentioned in %s'" %
				", ".join(refs) if refs else "mirror entry: 'other than'")
	out = []
	for code, desc, chapter in sorted(rows):
		flag, basis = decided[code]
		out.append([code, desc, chapter.split(" - ")[0], flag, basis])
	return out


# ---------------------------------------------------------------------------------------------
# ISIC Rev.4 and NACE Rev.2
# ---------------------------------------------------------------------------------------------

# ISIC Rev.4 sections and their division ranges (the UN ISIC Rev.4 structure; not in the
# shared files, entered by hand).
SECTIONS = [
	("A", 1, 3, "Agriculture, forestry and fishing"),
	("B", 5, 9, "Mining and quarrying"),
	("C", 10, 33, "Manufacturing"),
	("D", 35, 35, "Electricity, gas, steam and air conditioning supply"),
	("E", 36, 39, "Water supply; sewerage, waste management and remediation activities"),
	("F", 41, 43, "Construction"),
	("G", 45, 47, "Wholesale and retail trade; repair of motor vehicles and motorcycles"),
	("H", 49, 53, "Transportation and storage"),
	("I", 55, 56, "Accommodation and food service activities"),
	("J", 58, 63, "Information and communication"),
	("K", 64, 66, "Financial and insurance activities"),
	("L", 68, 68, "Real estate activities"),
	("M", 69, 75, "Professional, scientific and technical activities"),
	("N", 77, 82, "Administrative and support service activities"),
	("O", 84, 84, "Public administration and defence; compulsory social security"),
	("P", 85, 85, "Education"),
	("Q", 86, 88, "Human health and social work activities"),
	("R", 90, 93, "Arts, entertainment and recreation"),
	("S", 94, 96, "Other service activities"),
	("T", 97, 98, "Activities of households as employers; undifferentiated goods- and "
		"services-producing activities of households for own use"),
	("U", 99, 99, "Activities of extraterritorial organizations and bodies"),
]


def section_of(division):
	d = int(division)
	for letter, lo, hi, _ in SECTIONS:
		if lo <= d <= hi:
			return letter
	raise SystemExit("division %s in no section" % division)


def derive_isic_nace(shared):
	classes = OrderedDict()  # isic class -> (nace class, description)
	with open(os.path.join(shared, "isic4_nace2.csv"), newline="", encoding="utf-8") as f:
		for r in csv.DictReader(f):
			classes[r["isic_rev4"]] = (r["nace_rev2"], norm_text(r["description"]))
	divisions = OrderedDict()
	path = os.path.join(shared, "prtr-classification-crosswalks", "ISIC_4.csv")
	with open(path, newline="", encoding="utf-8") as f:
		for r in csv.DictReader(f):
			divisions[r["Code"].zfill(2)] = norm_text(r["Description"])
	class_divs = {c[:2] for c in classes}
	if class_divs != set(divisions):
		raise SystemExit("divisions differ between the two ISIC files: %s" %
			sorted(class_divs ^ set(divisions)))

	groups = OrderedDict()
	for c in sorted(classes):
		groups.setdefault(c[:3], []).append(c)

	isic = []
	for letter, lo, hi, title in SECTIONS:
		isic.append([letter, "section", title])
	for d in sorted(divisions):
		isic.append([d, "division", divisions[d]])
	for g, members in groups.items():
		if len(members) == 1:
			desc = classes[members[0]][1]
		else:
			desc = "group of classes %s (title not in the source files)" % ", ".join(members)
		isic.append([g, "group", desc])
	for c in sorted(classes):
		isic.append([c, "class", classes[c][1]])
	isic.sort(key=lambda r: (r[1] != "section", r[0]))

	nace = []
	for d in sorted(divisions):
		nace.append([d, "division", d, section_of(d), divisions[d]])
	nace_groups = OrderedDict()
	for c in sorted(classes):
		n = classes[c][0]
		nace_groups.setdefault(n[:2] + "." + n[2], set()).add(c)
	for g, isic_classes in nace_groups.items():
		isic_groups = {c[:3] for c in isic_classes}
		target = isic_groups.pop() if len(isic_groups) == 1 else g[:2]
		nace.append([g, "group", target, section_of(g[:2]),
			"(NACE group derived from the class codes listed here)"])
	for c in sorted(classes):
		n = classes[c][0]
		nace.append([n[:2] + "." + n[2:], "class", c, section_of(n[:2]), classes[c][1]])
	nace.sort(key=lambda r: (r[0].replace(".", ""), r[1]))
	return isic, nace, len(classes), len(groups), len(divisions)


def write_csv(name, header, rows):
	with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
		w = csv.writer(f, lineterminator="\n")
		w.writerow(header)
		w.writerows(rows)


def main():
	shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared")
	cls = os.path.join(shared, "data", "classifications")
	ewc = derive_ewc(cls)
	write_csv("ewc.csv", ["code", "description", "chapter", "hazardous", "hazardous_basis"], ewc)
	isic, nace, n_class, n_group, n_div = derive_isic_nace(cls)
	write_csv("isic4.csv", ["code", "level", "description"], isic)
	write_csv("nace2.csv", ["code", "level", "isic4", "section", "isic4_description"], nace)

	kinds = Counter()
	for r in ewc:
		kinds[(r[3], re.split(r"[:(]", r[4])[0].strip())] += 1
	print("ewc.csv: %d entries, %d hazardous" % (len(ewc), sum(r[3] == "yes" for r in ewc)))
	for (flag, basis), n in sorted(kinds.items()):
		print("  %-3s %-40s %d" % (flag, basis, n))
	print("isic4.csv: %d sections, %d divisions, %d groups, %d classes" %
		(len(SECTIONS), n_div, n_group, n_class))
	print("nace2.csv: %d rows (%d classes)" % (len(nace), n_class))


if __name__ == "__main__":
	main()
