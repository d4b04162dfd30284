#!/usr/bin/env python3
# Derives data/monitoring/pollutants.csv, the pollutant catalogue of eic's measurement records:
#   - the E-PRTR Annex II pollutants with the codes used by Finland's PRTR (SYKE,
#     ui/translation_source/pollutant_codes.csv, MIT licence), with the corrections listed in
#     README.md;
#   - the TRI chemicals found in the US EPA TRI basic data files of the Illinois subset
#     (columns CHEMICAL, TRI CHEMICAL/COMPOUND ID, CAS#), code "TRI_<compound id>";
#   - a few conventional water and air pollutants used by national discharge standards.
# Python 3 standard library only; deterministic output.
#
# Usage (from the repository root):
#   python3 data/monitoring/derive.py ../shared/data/registries > data/monitoring/pollutants.csv

import csv
import glob
import os
import sys

EPRTR_SOURCE = ("E-PRTR Regulation (EC) No 166/2006 Annex II; code and CAS as in SYKE PRTR "
                "pollutant_codes.csv (github.com/sykefi/PRTR 1948f55, MIT)")
TRI_SOURCE = ("US EPA TRI basic data files, Illinois subset (github.com/Praveena1109/"
              "Illinois-Toxics-Release-Inventory 8e7960e), columns 37 CHEMICAL, 39 TRI "
              "CHEMICAL/COMPOUND ID, 40 CAS#")

GROUPS = {
    "greenhouse gases": "CH4 CO2 CO2EXCLBIOMASS N2O PFCS SF6 HFCS".split(),
    "other gases": ("CO NH3 NMVOC NOX SOX HCFCS CFCS HALONS CHLORINEANDINORGANICCOMPOUNDS "
                    "FLUORINEANDINORGANICCOMPOUNDS HCN PM10").split(),
    "heavy metals": ("ASANDCOMPOUNDS CDANDCOMPOUNDS CRANDCOMPOUNDS CUANDCOMPOUNDS "
                     "HGANDCOMPOUNDS NIANDCOMPOUNDS PBANDCOMPOUNDS ZNANDCOMPOUNDS").split(),
    "pesticides": ("ALACHLOR ALDRIN ATRAZINE CLORDANE CHLORDECONE CHLORFENVINPHOS CHLORPYRIFOS "
                   "DDT DIELDRIN DIURON ENDOSULPHAN ENDRIN HEPTACHLOR LINDANE MIREX SIMAZINE "
                   "TOXAPHENE ISOPROTURON TRIFLURALIN ISODRINE").split(),
    "chlorinated organic substances": (
        "CHLORO-ALKANES(C10-13) DCE-1,2 DCM HALOGENATEDORGANICCOMPOUNDS HCB HCBD HCH "
        "PCDD+PCDF(DIOXINS+FURANS) PENTACHLOROBENZENE PCP PCBS PER TCM TCB "
        "TETRACHLOROETHANE-1,1,2,2 TRICHLOROETHANE-1,1,1 TRI TRICHLOROMETHANE "
        "VINYLCHLORIDE").split(),
    "other organic substances": (
        "ANTHRACENE BENZENE PBDE NPANDNPES ETHYLBENZENE ETHYLENEOXIDE NAPHTHALENE "
        "ORGANOTINCOMPOUNDS DEHP PHENOLS PAHS TOLUENE TRIBUTYLTINANDCOMPOUNDS "
        "TRIPHENYLTINANDCOMPOUNDS TOC XYLENES OCTYLPHENOLSANDOCTYLPHENOLETHOXYLATES "
        "FLUORANTHENE HEXABROMBIPHENYL BENZO(g,h,i)PERYLENE").split(),
    "inorganic substances": ("TOTALNITROGEN TOTALPHOSPHORUS CHLORIDES ASBESTOS CYANIDES "
                             "FLUORIDES").split(),
}
GROUP_OF = {code: g for g, codes in GROUPS.items() for code in codes}

# Corrections to the SYKE list (each explained in README.md).
NAME_FIX = {"PCDD+PCDF(DIOXINS+FURANS)": "PCDD + PCDF (dioxins + furans) (as Teq)"}
CAS_FIX = {"HEXABROMBIPHENYL": "36355-01-8"}
# 71-55-6 is 1,1,1-trichloroethane (Annex II no. 54); SYKE files it under the code of
# 1,1,2,2-tetrachloroethane, which appears twice. It gets a code of its own here.
EXTRA_EPRTR = [("TRICHLOROETHANE-1,1,1", "1,1,1-trichloroethane", "71-55-6")]

CONVENTIONAL = [
    ("BOD5", "Biochemical oxygen demand (5 days)", "",
     "40 CFR 401.16 (US Clean Water Act conventional pollutants); India Environment "
     "(Protection) Rules 1986 Schedule VI"),
    ("COD", "Chemical oxygen demand", "",
     "India Environment (Protection) Rules 1986 Schedule VI (general standards for discharge "
     "of environmental pollutants)"),
    ("TSS", "Total suspended solids", "",
     "40 CFR 401.16 (US Clean Water Act conventional pollutants)"),
    ("OIL_GREASE", "Oil and grease", "",
     "40 CFR 401.16 (US Clean Water Act conventional pollutants)"),
    ("PM2_5", "Particulate matter below 2.5 micrometres", "",
     "Directive 2008/50/EC on ambient air quality (PM2.5)"),
]


def clean(s):
    return " ".join((s or "").split())


def main():
    reg = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/registries"
    rows = []
    seen = set()
    with open(os.path.join(reg, "finland-prtr-syke", "pollutant_codes.csv"),
              encoding="utf-8-sig", newline="") as f:
        for r in csv.reader(f, delimiter=";"):
            if r[1] == "pollutantCode":
                continue
            code, cas, name = clean(r[1]), clean(r[0]), clean(r[5])
            if code in seen:
                continue
            seen.add(code)
            rows.append((code, NAME_FIX.get(code, name), CAS_FIX.get(code, cas), "eprtr",
                         GROUP_OF.get(code, ""), "kg", EPRTR_SOURCE))
    for code, name, cas in EXTRA_EPRTR:
        rows.append((code, name, cas, "eprtr", GROUP_OF.get(code, ""), "kg",
                     "E-PRTR Regulation (EC) No 166/2006 Annex II no. 54"))
    tri = {}
    for path in sorted(glob.glob(os.path.join(reg, "tri-illinois-basic", "*_il.csv"))):
        with open(path, encoding="utf-8", errors="replace", newline="") as f:
            for r in csv.reader(f):
                if r[0].startswith("1."):
                    continue
                cid = clean(r[38])
                cas = clean(r[39])
                if cas == cid or not cas[:1].isdigit():
                    cas = ""
                tri.setdefault("TRI_" + cid, (clean(r[36]), cas))
    for code in sorted(tri):
        name, cas = tri[code]
        rows.append((code, name, cas, "tri", "", "kg", TRI_SOURCE))
    for code, name, cas, src in CONVENTIONAL:
        rows.append((code, name, cas, "conventional", "", "kg", src))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["code", "name", "cas", "list", "group", "unit", "source"])
    for r in rows:
        w.writerow(r)


main()
