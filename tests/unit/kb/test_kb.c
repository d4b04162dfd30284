/* test_kb.c: unit tests of the synergy knowledge base (src/lib/symbiosis/kb.c): the shipped
 * data/synergies.csv, the manual's cases, lookup levels, and bad rows in small temp files. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <eic/common.h>
#include <eic/kb.h>

#include "testutil.h"
#include "util/util.h"

/* Yields are short decimals copied from the file: 1e-12 absolute and relative suffice. */
#define ABS_TOL 1e-12
#define REL_TOL 1e-12

static eic_kb *shipped;

static int load_shipped(void **state)
{
	(void)state;
	eic_diags *d = NULL;
	if (eic_diags_new(&d, 100) < 0)
		return -1;
	int rc = eic_kb_load(&shipped, d, eic_test_src("data/synergies.csv"));
	for (size_t i = 0; i < eic_diags_count(d); i++) {
		char buf[2048];
		eic_diag_format(buf, sizeof(buf), eic_diags_get(d, i));
		fprintf(stderr, "%s\n", buf);
	}
	eic_diags_free(d);
	return rc == 0 ? 0 : -1;
}

static int free_shipped(void **state)
{
	(void)state;
	eic_kb_free(shipped);
	shipped = NULL;
	return 0;
}

/* The shipped file loads with no error and no warning, and has at least 200 pathways. */
static void test_kb__shipped_loads_clean(void **state)
{
	(void)state;
	eic_diags *d = NULL;
	eic_kb *kb = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	assert_int_equal(eic_kb_load(&kb, d, eic_test_src("data/synergies.csv")), 0);
	assert_int_equal(eic_diags_errors(d), 0);
	assert_int_equal(eic_diags_warnings(d), 0);
	assert_true(eic_kb_count(kb) >= 200);
	eic_kb_free(kb);
	eic_diags_free(d);
}

/* NULL path means the default path under eic_data_dir(). */
static void test_kb__default_path(void **state)
{
	(void)state;
	char buf[4096];
	size_t n = eic_kb_default_path(buf, sizeof(buf));
	assert_true(n < sizeof(buf));
	assert_true(n >= strlen("/synergies.csv"));
	assert_string_equal(buf + n - strlen("/synergies.csv"), "/synergies.csv");
	eic_kb *kb = NULL;
	assert_int_equal(eic_kb_load(&kb, NULL, NULL), 0);
	assert_int_equal(eic_kb_count(kb), eic_kb_count(shipped));
	eic_kb_free(kb);
	eic_kb_free(NULL);
}

/* A row read back field by field. */
static void test_kb__getters(void **state)
{
	(void)state;
	const eic_kb_pathway *p = eic_kb_get(shipped, "manure-pig-biogas");
	assert_non_null(p);
	assert_string_equal(p->source_ewc, "020106");
	assert_string_equal(p->source_material, "pig_manure");
	assert_int_equal(p->source_is_category, 0);
	assert_string_equal(p->source_category, "biomass/manure/pig");
	assert_string_equal(p->use_isic, "3520");
	assert_string_equal(p->yield_output, "biogas");
	assert_true(fabs(p->yield_value - 28.0) <= ABS_TOL + REL_TOL * 28.0);
	assert_string_equal(p->yield_unit, "m3/t");
	assert_true(isnan(p->yield2_value));
	assert_null(p->yield2_output);
	assert_true(isnan(p->cost_low));
	assert_int_equal(p->hazardous, EIC_KB_HAZ_NO);
	assert_int_equal(p->evidence_type, EIC_KB_EVIDENCE_LITERATURE);
	assert_int_equal(p->evidence_checked, 1);
	assert_int_equal(p->evidence_year, 2012);
	assert_true(p->line > 1);
	assert_ptr_equal(eic_kb_at(shipped, 0), eic_kb_get(shipped, eic_kb_at(shipped, 0)->id));
	assert_null(eic_kb_at(shipped, eic_kb_count(shipped)));
	assert_null(eic_kb_get(shipped, "no-such-pathway"));
	const eic_kb_pathway *cat = eic_kb_get(shipped, "wood-chips-woodcement");
	assert_non_null(cat);
	assert_int_equal(cat->source_is_category, 1);
	assert_string_equal(cat->source_category, "biomass/wood");
}

/* Every case of the manual has a pathway: a lookup by source (EWC or material) must return
 * a row whose receiving sector and product match. */
typedef struct {
	const char *what;
	const char *query; /* material id, category prefix, or 6-digit EWC code */
	const char *isic;  /* receiving sector prefix the row must have */
	const char *word;  /* a word of the row's product, replaced input or technology */
} manual_case;

static const manual_case MANUAL_CASES[] = {
    {"wood residues to power", "sawdust", "35", "electricity"},
    {"wood residues to pellets", "sawdust", "1629", "pellets"},
    {"wood residues to ethanol", "sawdust", "20", "ethanol"},
    {"wood residues to wood concrete", "sawdust", "2395", "concrete"},
    {"rice husk to power", "rice_husk", "3510", "electricity"},
    {"husk ash to cement", "rice_husk_ash", "2394", "cement"},
    {"husk ash to silica", "rice_husk_ash", "2011", "silica"},
    {"rice straw to mushroom beds", "rice_straw", "0113", "mushroom"},
    {"rice straw to power", "rice_straw", "3510", "electricity"},
    {"starch wastewater to starch recovery", "starch_wastewater", "1062", "starch"},
    {"starch wastewater to biogas", "starch_wastewater", "3520", "biogas"},
    {"piggery manure to biogas", "pig_manure", "3520", "biogas"},
    {"piggery manure to compost", "pig_manure", "01", "compost"},
    {"poultry manure to biogas", "poultry_manure", "3520", "biogas"},
    {"poultry manure to compost", "poultry_manure", "01", "compost"},
    {"coconut husk to coir fibre", "coconut_husk", "1311", "coir"},
    {"coconut husk to pith", "coconut_husk", "0130", "pith"},
    {"shell to charcoal", "coconut_shell", "2011", "charcoal"},
    {"shell charcoal to activated carbon", "coconut_shell_charcoal", "2029", "activated"},
    {"coconut water to vinegar", "coconut_water", "1079", "vinegar"},
    {"coconut water to beverages", "coconut_water", "1104", "beverage"},
    {"vegetable and fruit waste to biogas", "vegetable_fruit_waste", "3520", "biogas"},
    {"vegetable and fruit waste to compost", "vegetable_fruit_waste", "01", "compost"},
    {"used footwear to ground rubber surfaces", "used_footwear", "9311", "surfaces"},
    {"waste plastics to oil", "waste_plastics", "1920", "oil"},
    {"fly ash to cement", "coal_fly_ash", "2394", "cement"},
    {"slag to cement", "blast_furnace_slag", "2394", "cement"},
    {"FGD gypsum to plasterboard", "fgd_gypsum", "2394", "plasterboard"},
    {"waste heat to district heating", "waste_heat", "3530", "district heat"},
    {"waste heat to fish farming", "waste_heat", "0322", "fish"},
    {"refinery sulphur to sulphuric acid", "sulphur", "2011", "sulphuric acid"},
    {"yeast slurry to feed", "yeast_slurry", "01", "feed"},
    {"sludge to fertiliser", "sewage_sludge", "01", "fertiliser"},
    {"digestate to fertiliser", "digestate", "01", "fertiliser"},
    {"manure EWC to biogas", "020106", "3520", "biogas"},
};

static int row_matches(const eic_kb_pathway *p, const manual_case *c)
{
	if (strncmp(p->use_isic, c->isic, strlen(c->isic)) != 0)
		return 0;
	const char *fields[3] = {p->product, p->replaces, p->technology};
	for (int i = 0; i < 3; i++)
		if (fields[i] && strstr(fields[i], c->word))
			return 1;
	return 0;
}

static void test_kb__manual_cases(void **state)
{
	(void)state;
	eic_kb_hit hits[512];
	for (size_t k = 0; k < sizeof(MANUAL_CASES) / sizeof(MANUAL_CASES[0]); k++) {
		const manual_case *c = &MANUAL_CASES[k];
		size_t n = 0;
		int is_ewc = strlen(c->query) == 6 && c->query[0] >= '0' && c->query[0] <= '9';
		int rc = is_ewc ? eic_kb_find_ewc(hits, 512, &n, shipped, c->query, NULL)
		                : eic_kb_find_material(hits, 512, &n, shipped, c->query, NULL);
		assert_int_equal(rc, 0);
		assert_true(n <= 512);
		int found = 0;
		for (size_t i = 0; i < n && !found; i++)
			found = row_matches(eic_kb_at(shipped, hits[i].index), c);
		if (!found)
			fail_msg("manual case '%s': no pathway for %s to ISIC %s with '%s'",
			         c->what, c->query, c->isic, c->word);
	}
}

/* EWC lookup: exact code, then sub-chapter, then chapter; best_only keeps the closest. */
static void test_kb__ewc_levels(void **state)
{
	(void)state;
	eic_kb_hit hits[512];
	size_t n = 0;
	/* 02 01 06 manure: exact rows exist; 02 01 03 plant tissue is in the same sub-chapter. */
	assert_int_equal(eic_kb_find_ewc(hits, 512, &n, shipped, "020106", NULL), 0);
	assert_true(n > 0 && n <= 512);
	int seen_sub = 0, seen_chapter = 0;
	for (size_t i = 0; i < n; i++) {
		const eic_kb_pathway *p = eic_kb_at(shipped, hits[i].index);
		if (i > 0)
			assert_true(hits[i].level >= hits[i - 1].level);
		switch (hits[i].level) {
		case EIC_KB_MATCH_EXACT:
			assert_string_equal(p->source_ewc, "020106");
			break;
		case EIC_KB_MATCH_SUBCHAPTER:
			assert_memory_equal(p->source_ewc, "0201", 4);
			assert_string_not_equal(p->source_ewc, "020106");
			seen_sub = 1;
			break;
		case EIC_KB_MATCH_CHAPTER:
			assert_memory_equal(p->source_ewc, "02", 2);
			assert_memory_not_equal(p->source_ewc, "0201", 4);
			seen_chapter = 1;
			break;
		default:
			fail_msg("unexpected level %d", (int)hits[i].level);
		}
	}
	assert_true(seen_sub && seen_chapter);
	assert_int_equal(hits[0].level, EIC_KB_MATCH_EXACT);

	/* best_only: only the exact rows */
	eic_kb_find_options o = EIC_KB_FIND_OPTIONS_INIT;
	o.best_only = 1;
	size_t exact = 0;
	assert_int_equal(eic_kb_find_ewc(hits, 512, &exact, shipped, "020106", &o), 0);
	assert_true(exact > 0 && exact < n);
	for (size_t i = 0; i < exact; i++)
		assert_int_equal(hits[i].level, EIC_KB_MATCH_EXACT);

	/* 02 01 99 has no row of its own: best level is the sub-chapter */
	assert_int_equal(eic_kb_find_ewc(hits, 512, &n, shipped, "020199", &o), 0);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(hits[i].level, EIC_KB_MATCH_SUBCHAPTER);

	/* A chapter with no pathway at all (18: health care) finds nothing. */
	assert_int_equal(eic_kb_find_ewc(hits, 512, &n, shipped, "180101", NULL), 0);
	assert_int_equal(n, 0);

	/* Count only; bad codes. */
	size_t total = 0;
	assert_int_equal(eic_kb_find_ewc(NULL, 0, &total, shipped, "020106", NULL), 0);
	assert_true(total > 0);
	assert_int_equal(eic_kb_find_ewc(hits, 512, &n, shipped, "02 01 06", NULL), EIC_EINVAL);
	assert_int_equal(eic_kb_find_ewc(hits, 512, &n, shipped, "0201", NULL), EIC_EINVAL);
}

/* Chapter-only match: 03 02 99 (wood preservation) has no 0302 row, so the closest rows are
 * in chapter 03. */
static void test_kb__ewc_chapter_only(void **state)
{
	(void)state;
	eic_kb_hit hits[512];
	size_t n = 0;
	eic_kb_find_options o = EIC_KB_FIND_OPTIONS_INIT;
	o.best_only = 1;
	assert_int_equal(eic_kb_find_ewc(hits, 512, &n, shipped, "030299", &o), 0);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(hits[i].level, EIC_KB_MATCH_CHAPTER);
		assert_memory_equal(eic_kb_at(shipped, hits[i].index)->source_ewc, "03", 2);
	}
	assert_string_equal(eic_kb_match_name(EIC_KB_MATCH_CHAPTER), "chapter");
	assert_string_equal(eic_kb_match_name(EIC_KB_MATCH_SUBCHAPTER), "sub-chapter");
}

/* Material lookup: exact id, broader category rows, narrower rows for a category query. */
static void test_kb__material_levels(void **state)
{
	(void)state;
	eic_kb_hit hits[512];
	size_t n = 0;
	assert_int_equal(eic_kb_find_material(hits, 512, &n, shipped, "sawdust", NULL), 0);
	int exact = 0, broader = 0;
	for (size_t i = 0; i < n; i++) {
		const eic_kb_pathway *p = eic_kb_at(shipped, hits[i].index);
		if (hits[i].level == EIC_KB_MATCH_EXACT) {
			assert_string_equal(p->source_material, "sawdust");
			exact++;
		} else {
			assert_int_equal(hits[i].level, EIC_KB_MATCH_BROADER);
			assert_int_equal(strncmp(p->source_category, "biomass/wood/sawdust",
			                         strlen(p->source_category)),
			                 0);
			broader++;
		}
	}
	assert_true(exact > 0 && broader > 0);

	/* A category prefix: its own rows exact, rows of materials under it narrower. */
	assert_int_equal(eic_kb_find_material(hits, 512, &n, shipped, "biomass/wood", NULL), 0);
	int narrower = 0;
	for (size_t i = 0; i < n; i++) {
		const eic_kb_pathway *p = eic_kb_at(shipped, hits[i].index);
		if (hits[i].level == EIC_KB_MATCH_NARROWER) {
			assert_int_equal(strncmp(p->source_category, "biomass/wood/", 13), 0);
			narrower++;
		}
	}
	assert_true(narrower > 10);
	assert_int_equal(eic_kb_find_material(hits, 512, &n, shipped, "biomass/wo", NULL),
	                 EIC_ENOTFOUND);
	assert_int_equal(eic_kb_find_material(hits, 512, &n, shipped, "unobtainium", NULL),
	                 EIC_ENOTFOUND);
}

/* ISIC lookup: exact class, narrower rows under a division, broader rows above a class. */
static void test_kb__isic_levels(void **state)
{
	(void)state;
	eic_kb_hit hits[512];
	size_t n = 0, exact = 0;
	assert_int_equal(eic_kb_find_isic(hits, 512, &n, shipped, "2394", NULL), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(hits[i].level, EIC_KB_MATCH_EXACT);
		assert_string_equal(eic_kb_at(shipped, hits[i].index)->use_isic, "2394");
	}
	exact = n;
	assert_true(exact >= 20);
	assert_int_equal(eic_kb_find_isic(hits, 512, &n, shipped, "23", NULL), 0);
	assert_true(n > exact);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(hits[i].level, EIC_KB_MATCH_NARROWER);
	assert_int_equal(eic_kb_find_isic(hits, 512, &n, shipped, "235", NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(eic_kb_find_isic(hits, 512, &n, shipped, "C", NULL), EIC_EINVAL);
}

/* ---- bad rows ---- */

static const char *HEADER =
    "id,category,source_ewc,source_material,source_description,use_isic,replaces_material,"
    "replaces,product,technology,yield_output,yield_value,yield_unit,yield2_output,"
    "yield2_value,yield2_unit,cost_low,cost_high,cost_currency,cost_year,cost_basis,"
    "hazardous,permit_notes,evidence_type,evidence,evidence_year,evidence_url,"
    "evidence_checked,notes\n";

/* A good row with the given id, source_ewc, use_isic, yield_value, cost_low, cost_high and
 * cost_currency. With id "a" and ewc "020106", source_ewc starts at column 10, use_isic at 29,
 * yield_value at 81 and, when yield_value is "28", cost_low at 92 (counted by hand). */
#define GOOD_ROW(id, ewc, isic, yv, lo, hi, cur)                                                   \
	id ",manure," ewc ",pig_manure,," isic                                                     \
	   ",natural_gas,,biogas,anaerobic digestion,biogas," yv ",m3/t,,,," lo "," hi "," cur     \
	   ",,,no,,literature,A source,2012,,yes,\n"

static eic_diags *load_text(const char *name, const char *body, int *rc, char **path_out)
{
	char *dir = eic_test_tmpdir("kb");
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(HEADER, f);
	fputs(body, f);
	fclose(f);
	eic_diags *d = NULL;
	assert_int_equal(eic_diags_new(&d, 100), 0);
	eic_kb *kb = NULL;
	*rc = eic_kb_load(&kb, d, path);
	if (*rc == 0)
		assert_non_null(kb);
	else
		assert_null(kb);
	eic_kb_free(kb);
	remove(path);
	remove(dir);
	free(dir);
	*path_out = path;
	return d;
}

/* The formatted diagnostic i must equal "<path>:<rest>". */
static void expect_diag(eic_diags *d, size_t i, const char *path, const char *rest)
{
	char got[2048], want[4096];
	assert_true(i < eic_diags_count(d));
	eic_diag_format(got, sizeof(got), eic_diags_get(d, i));
	snprintf(want, sizeof(want), "%s:%s", path, rest);
	assert_string_equal(got, want);
}

static void test_kb__good_rows_load(void **state)
{
	(void)state;
	int rc;
	char *path;
	eic_diags *d = load_text("good.csv",
	                         GOOD_ROW("a", "020106", "3520", "28", "", "", "")
	                             GOOD_ROW("b", "", "35", "", "10", "20", "USD"),
	                         &rc, &path);
	assert_int_equal(rc, 0);
	assert_int_equal(eic_diags_count(d), 0);
	eic_diags_free(d);
}

static void test_kb__unknown_ewc(void **state)
{
	(void)state;
	int rc;
	char *path;
	eic_diags *d =
	    load_text("ewc.csv", GOOD_ROW("a", "999999", "3520", "28", "", "", ""), &rc, &path);
	assert_int_equal(rc, EIC_EINVALID);
	assert_int_equal(eic_diags_errors(d), 1);
	expect_diag(d, 0, path,
	            "2:10: error: unknown EWC code in source_ewc (expected a code listed in "
	            "classifications/ewc.csv; found '999999')");
	eic_diags_free(d);
}

static void test_kb__unknown_isic(void **state)
{
	(void)state;
	int rc;
	char *path;
	/* the first row is good, the error is on line 3; 1234 is not an ISIC code */
	eic_diags *d = load_text("isic.csv",
	                         GOOD_ROW("a", "020106", "3520", "28", "", "", "")
	                             GOOD_ROW("b", "020106", "1234", "28", "", "", ""),
	                         &rc, &path);
	assert_int_equal(rc, EIC_EINVALID);
	assert_int_equal(eic_diags_errors(d), 1);
	expect_diag(d, 0, path,
	            "3:29: error: unknown ISIC Rev.4 code in use_isic (expected a division, group "
	            "or class listed in classifications/isic4.csv; found '1234')");
	eic_diags_free(d);
}

static void test_kb__negative_yield(void **state)
{
	(void)state;
	int rc;
	char *path;
	eic_diags *d =
	    load_text("yield.csv", GOOD_ROW("a", "020106", "3520", "-28", "", "", ""), &rc, &path);
	assert_int_equal(rc, EIC_EINVALID);
	assert_int_equal(eic_diags_errors(d), 1);
	expect_diag(d, 0, path,
	            "2:81: error: negative value in yield_value (expected a number >= 0; found "
	            "-28)");
	eic_diags_free(d);
}

static void test_kb__inverted_cost(void **state)
{
	(void)state;
	int rc;
	char *path;
	eic_diags *d = load_text(
	    "cost.csv", GOOD_ROW("a", "020106", "3520", "28", "50", "20", "USD"), &rc, &path);
	assert_int_equal(rc, EIC_EINVALID);
	assert_int_equal(eic_diags_errors(d), 1);
	expect_diag(d, 0, path,
	            "2:92: error: cost range inverted (expected cost_low <= cost_high; found 50 > "
	            "20)");
	eic_diags_free(d);
}

/* Several problems in one file are all reported, each at its own cell. */
static void test_kb__many_errors(void **state)
{
	(void)state;
	int rc;
	char *path;
	eic_diags *d =
	    load_text("many.csv",
	              GOOD_ROW("a", "020106", "3520", "x", "", "", "")
	                  GOOD_ROW("a", "", "3520", "28", "5", "",
	                           "") "c,x,,,,3520,,,,,,,,,,,,,,,,maybe,,book,,,,perhaps,\n"
	                               "d,x\n",
	              &rc, &path);
	assert_int_equal(rc, EIC_EINVALID);
	expect_diag(d, 0, path,
	            "2:81: error: not a number in yield_value (expected a decimal number; found "
	            "'x')");
	expect_diag(
	    d, 1, path,
	    "3:1: error: duplicate id (expected each id once; found 'a' again, first on line "
	    "2)");
	/* the rest of line 3: the missing currency */
	expect_diag(
	    d, 2, path,
	    "3:89: error: missing cost_currency (expected an ISO 4217 code such as USD when "
	    "a cost is given; found nothing)");
	expect_diag(d, 3, path,
	            "4:5: error: no source (expected source_ewc or source_material; found both "
	            "empty)");
	expect_diag(d, 4, path,
	            "4:28: error: invalid hazardous (expected yes, no or depends; found 'maybe')");
	expect_diag(d, 5, path,
	            "4:35: error: invalid evidence_type (expected case, literature or manual; "
	            "found 'book')");
	expect_diag(d, 6, path,
	            "4:40: error: empty evidence (expected a documented case or a named source; "
	            "found nothing)");
	expect_diag(d, 7, path,
	            "4:43: error: invalid evidence_checked (expected yes or no; found 'perhaps')");
	expect_diag(d, 8, path,
	            "5:1: error: wrong number of cells (expected 29 as in the header; found 2)");
	assert_int_equal(eic_diags_errors(d), 9);
	eic_diags_free(d);
}

static void test_kb__missing_file(void **state)
{
	(void)state;
	eic_kb *kb = NULL;
	assert_int_equal(eic_kb_load(&kb, NULL, "/nonexistent/synergies.csv"), EIC_ENOTFOUND);
	assert_null(kb);
}

/* Allocation-failure injection: failing the n-th allocation of a load gives EIC_ENOMEM (or
 * success once n passes the last one), never a crash or a leak (checked by ASan). */
static void test_kb__alloc_failures(void **state)
{
	(void)state;
	int rc;
	char *dir = eic_test_tmpdir("kb_alloc");
	char path[4096];
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/alloc.csv", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(HEADER, f);
	fputs(GOOD_ROW("a", "020106", "3520", "28", "", "", "")
	          GOOD_ROW("b", "", "35", "", "10", "20", "USD"),
	      f);
	fclose(f);
	long n;
	for (n = 0;; n++) {
		eic_kb *kb = NULL;
		eic_alloc_fail_after(n);
		rc = eic_kb_load(&kb, NULL, path);
		eic_alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(eic_kb_count(kb), 2);
			eic_kb_free(kb);
			break;
		}
		assert_int_equal(rc, EIC_ENOMEM);
		assert_null(kb);
	}
	assert_true(n > 0);
	remove(path);
	remove(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kb__shipped_loads_clean),
	    cmocka_unit_test(test_kb__default_path),
	    cmocka_unit_test(test_kb__getters),
	    cmocka_unit_test(test_kb__manual_cases),
	    cmocka_unit_test(test_kb__ewc_levels),
	    cmocka_unit_test(test_kb__ewc_chapter_only),
	    cmocka_unit_test(test_kb__material_levels),
	    cmocka_unit_test(test_kb__isic_levels),
	    cmocka_unit_test(test_kb__good_rows_load),
	    cmocka_unit_test(test_kb__unknown_ewc),
	    cmocka_unit_test(test_kb__unknown_isic),
	    cmocka_unit_test(test_kb__negative_yield),
	    cmocka_unit_test(test_kb__inverted_cost),
	    cmocka_unit_test(test_kb__many_errors),
	    cmocka_unit_test(test_kb__missing_file),
	    cmocka_unit_test(test_kb__alloc_failures),
	};
	return cmocka_run_group_tests(tests, load_shipped, free_shipped);
}
