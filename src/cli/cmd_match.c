/* cmd_match.c: `eic match`: ranked exchange candidates between the offers of a cluster, with
 * the score by criterion and one sentence each, as a table, CSV, JSON or GeoJSON. */
#include "cli/cli.h"
#include "cli/match_options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <eic/match.h>

enum {
	OPT_VIEWER,
	OPT_MODE,
	OPT_RADIUS,
	OPT_CIRCUITY,
	OPT_DISTANCES,
	OPT_COST,
	OPT_CURRENCY,
	OPT_CO2,
	OPT_TOP,
	OPT_MIN_SCORE,
	OPT_FORMAT,
	OPT_OUT,
	OPT_KB,
};

const cli_option cli_match_options[] = {
    {"viewer", 0, "ACTOR", "see the candidates as this actor (private offers, masking)"},
    {"mode", 0, "MODES", "comma list of substitution, shared, joint (default: all three)"},
    {"radius", 0, "KM", "drop candidates farther apart (default 50)"},
    {"circuity", 0, "X", "road distance over great-circle distance (default 1.3)"},
    {"distances", 0, "FILE", "distance matrix CSV from_actor,to_actor,km instead of coordinates"},
    {"cost-per-tkm", 0, "X", "transport cost per tonne-km (default 0.10, ASSUMPTION)"},
    {"currency", 0, "CODE", "currency of --cost-per-tkm (default USD)"},
    {"co2-per-tkm", 0, "KG", "kg CO2e per tonne-km (default 0.192, DEFRA/DECC 2012 rigid >17 t)"},
    {"top", 'n', "N", "print the best N candidates (default 20 in the table, all otherwise)"},
    {"min-score", 0, "S", "drop candidates scoring below S (0 to 1)"},
    {"format", 0, "FMT", "text (default), csv, json or geojson"},
    {"out", 'o', "FILE", "write to FILE instead of standard output"},
    {"kb", 0, "FILE", "synergy knowledge base (default: the shipped data/synergies.csv)"},
    {NULL, 0, NULL, NULL},
};

static int parse_modes(unsigned *out, const cli_ctx *ctx, const char *text)
{
	const char *p = text;
	*out = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len == 12 && !strncmp(p, "substitution", len))
			*out |= EIC_MATCH_MODE_BIT(EIC_MATCH_SUBSTITUTION);
		else if (len == 6 && !strncmp(p, "shared", len))
			*out |= EIC_MATCH_MODE_BIT(EIC_MATCH_SHARED_INPUT);
		else if (len == 5 && !strncmp(p, "joint", len))
			*out |= EIC_MATCH_MODE_BIT(EIC_MATCH_JOINT_TREATMENT);
		else {
			cli_usage_error(
			    ctx, "--mode: '%.*s' is not a mode (substitution, shared, joint)",
			    (int)len, p);
			return -1;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (!*out) {
		cli_usage_error(ctx, "--mode: give at least one of substitution, shared, joint");
		return -1;
	}
	return 0;
}

int cli_match_options_from(eic_match_options *opts, const cli_ctx *ctx, const cli_match_values *v)
{
	if ((v->radius && cli_parse_number(&opts->radius_km, ctx, "radius", v->radius) < 0) ||
	    (v->circuity && cli_parse_number(&opts->circuity, ctx, "circuity", v->circuity) < 0) ||
	    (v->cost_per_tkm &&
	     cli_parse_number(&opts->cost_per_tkm, ctx, "cost-per-tkm", v->cost_per_tkm) < 0) ||
	    (v->co2_per_tkm &&
	     cli_parse_number(&opts->kg_co2e_per_tkm, ctx, "co2-per-tkm", v->co2_per_tkm) < 0) ||
	    (v->min_score &&
	     cli_parse_number(&opts->min_score, ctx, "min-score", v->min_score) < 0) ||
	    (v->mode && parse_modes(&opts->modes, ctx, v->mode) < 0))
		return CLI_EXIT_USAGE;
	opts->viewer = v->viewer;
	opts->distance_matrix = v->distances;
	opts->kb_path = v->kb;
	if (v->currency)
		opts->cost_currency = v->currency;
	return 0;
}

int cli_match_report_error(const cli_ctx *ctx, const eic_diags *diags, int error)
{
	int told = 0;
	for (size_t i = 0; i < eic_diags_count(diags); i++) {
		const eic_diag *d = eic_diags_get(diags, i);
		if (d->severity != EIC_SEV_ERROR)
			continue;
		if (d->file && *d->file)
			cli_error(ctx, "%s:%d:%d: %s", d->file, d->line, d->column, d->message);
		else
			cli_error(ctx, "%s", d->message);
		told = 1;
	}
	if (!told)
		cli_error(ctx, "cannot match the offers: %s", eic_strerror(error));
	return error == EIC_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
}

static const char *mode_key(eic_match_mode mode)
{
	return mode == EIC_MATCH_SUBSTITUTION   ? "substitution"
	       : mode == EIC_MATCH_SHARED_INPUT ? "shared"
	                                        : "joint";
}

static json_t *side_json(const eic_match_side *s)
{
	json_t *o = json_object();
	int failed = !o;
	failed |= cli_jset(o, "offer", cli_jstr(s->offer_id));
	failed |= cli_jset(o, "actor", cli_jstr(s->actor));
	failed |= cli_jset(o, "label", cli_jstr(s->label));
	failed |= cli_jset(o, "material", cli_jstr(s->material));
	failed |= cli_jset(o, "material_label", cli_jstr(s->material_label));
	failed |= cli_jset(o, "masked", json_boolean(s->masked));
	failed |= cli_jset(o, "quantity", cli_jnum(s->offer ? s->offer->quantity : NAN));
	failed |= cli_jset(o, "unit", cli_jstr(s->offer ? s->offer->unit : NULL));
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* One candidate as a JSON object (also the properties of a GeoJSON feature). */
static json_t *candidate_json(const eic_match_candidate *c, size_t rank, const char *currency)
{
	json_t *o = json_object(), *scores = json_object();
	int failed = !o || !scores;
	failed |= cli_jset(o, "rank", json_integer((json_int_t)rank));
	failed |= cli_jset(o, "mode", json_string(mode_key(c->mode)));
	failed |= cli_jset(o, "score", cli_jnum(c->score));
	failed |= cli_jset(scores, "material", cli_jnum(c->material_score));
	failed |= cli_jset(scores, "quantity", cli_jnum(c->quantity_score));
	failed |= cli_jset(scores, "timing", cli_jnum(c->timing_score));
	failed |= cli_jset(scores, "distance", cli_jnum(c->distance_score));
	failed |= cli_jset(scores, "evidence", cli_jnum(c->evidence_score));
	failed |= cli_jset(o, "scores", scores);
	scores = NULL;
	failed |= cli_jset(o, "a", side_json(&c->a));
	failed |= cli_jset(o, "b", side_json(&c->b));
	failed |= cli_jset(o, "fit", json_string(eic_match_fit_name(c->fit)));
	failed |= cli_jset(o, "pathway", cli_jstr(c->pathway ? c->pathway->id : NULL));
	failed |= cli_jset(o, "facility", cli_jstr(c->facility));
	failed |= cli_jset(o, "quantity", cli_jnum(c->quantity));
	failed |= cli_jset(o, "unit", cli_jstr(c->unit));
	failed |= cli_jset(o, "mass_t_per_yr", cli_jnum(c->mass_t_per_yr));
	failed |= cli_jset(o, "distance_km", cli_jnum(c->distance_km));
	failed |= cli_jset(o, "distance_source",
	                   json_string(isnan(c->distance_km)     ? "unknown"
	                               : c->distance_from_matrix ? "matrix"
	                                                         : "great circle x circuity"));
	failed |= cli_jset(o, "transport_cost_per_yr", cli_jnum(c->transport_cost_per_yr));
	failed |= cli_jset(o, "currency", cli_jstr(currency));
	failed |= cli_jset(o, "emissions_t_co2e_per_yr", cli_jnum(c->emissions_t_co2e_per_yr));
	failed |= cli_jset(o, "permit_needed", json_boolean(c->permit_needed));
	failed |= cli_jset(o, "flags", cli_jstr(c->flags));
	failed |= cli_jset(o, "explanation", cli_jstr(c->explanation));
	json_decref(scores);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *point(double lat, double lon)
{
	return json_pack("[f,f]", lon, lat);
}

/* GeoJSON: a LineString between the two sites, or a Point at the one visible site; candidates
 * with no known site are left out of the map. */
static json_t *geojson(const eic_match_result *r, size_t count, const char *currency)
{
	json_t *fc = json_pack("{s:s}", "type", "FeatureCollection"), *features = json_array();
	int failed = !fc || !features;
	for (size_t i = 0; i < count && !failed; i++) {
		const eic_match_candidate *c = eic_match_at(r, i);
		int ha = !isnan(c->a.lat) && !isnan(c->a.lon);
		int hb = !isnan(c->b.lat) && !isnan(c->b.lon);
		json_t *geom;
		if (ha && hb)
			geom = json_pack("{s:s,s:[o,o]}", "type", "LineString", "coordinates",
			                 point(c->a.lat, c->a.lon), point(c->b.lat, c->b.lon));
		else if (ha || hb)
			geom =
			    json_pack("{s:s,s:o}", "type", "Point", "coordinates",
			              ha ? point(c->a.lat, c->a.lon) : point(c->b.lat, c->b.lon));
		else
			continue;
		json_t *props = candidate_json(c, i + 1, currency);
		json_t *f = geom && props ? json_pack("{s:s,s:o,s:o}", "type", "Feature",
		                                      "geometry", geom, "properties", props)
		                          : NULL;
		if (!f) {
			json_decref(geom);
			json_decref(props);
			failed = 1;
			break;
		}
		failed |= json_array_append_new(features, f) != 0;
	}
	failed |= cli_jset(fc, "features", features);
	features = NULL;
	if (failed) {
		json_decref(features);
		json_decref(fc);
		return NULL;
	}
	return fc;
}

static void csv_cell(FILE *fp, const char *s, int last)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\n\r")) {
		fputc('"', fp);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', fp);
			fputc(*s, fp);
		}
		fputc('"', fp);
	} else {
		fputs(s, fp);
	}
	fputc(last ? '\n' : ',', fp);
}

static void csv_num(FILE *fp, double v, int last)
{
	char buf[64] = "";
	if (!isnan(v))
		snprintf(buf, sizeof(buf), "%.6g", v);
	csv_cell(fp, buf, last);
}

static void write_csv(FILE *fp, const eic_match_result *r, size_t count, const char *currency)
{
	fputs("rank,mode,score,material_score,quantity_score,timing_score,distance_score,"
	      "evidence_score,a_offer,a_actor,a_label,a_material,b_offer,b_actor,b_label,"
	      "b_material,fit,pathway,facility,quantity,unit,mass_t_per_yr,distance_km,"
	      "transport_cost_per_yr,currency,emissions_t_co2e_per_yr,permit_needed,flags,"
	      "explanation\n",
	      fp);
	for (size_t i = 0; i < count; i++) {
		const eic_match_candidate *c = eic_match_at(r, i);
		char rank[32];
		snprintf(rank, sizeof(rank), "%zu", i + 1);
		csv_cell(fp, rank, 0);
		csv_cell(fp, mode_key(c->mode), 0);
		csv_num(fp, c->score, 0);
		csv_num(fp, c->material_score, 0);
		csv_num(fp, c->quantity_score, 0);
		csv_num(fp, c->timing_score, 0);
		csv_num(fp, c->distance_score, 0);
		csv_num(fp, c->evidence_score, 0);
		csv_cell(fp, c->a.offer_id, 0);
		csv_cell(fp, c->a.actor, 0);
		csv_cell(fp, c->a.label, 0);
		csv_cell(fp, c->a.masked ? c->a.material_label : c->a.material, 0);
		csv_cell(fp, c->b.offer_id, 0);
		csv_cell(fp, c->b.actor, 0);
		csv_cell(fp, c->b.label, 0);
		csv_cell(fp, c->b.masked ? c->b.material_label : c->b.material, 0);
		csv_cell(fp, eic_match_fit_name(c->fit), 0);
		csv_cell(fp, c->pathway ? c->pathway->id : NULL, 0);
		csv_cell(fp, c->facility, 0);
		csv_num(fp, c->quantity, 0);
		csv_cell(fp, c->unit, 0);
		csv_num(fp, c->mass_t_per_yr, 0);
		csv_num(fp, c->distance_km, 0);
		csv_num(fp, c->transport_cost_per_yr, 0);
		csv_cell(fp, currency, 0);
		csv_num(fp, c->emissions_t_co2e_per_yr, 0);
		csv_cell(fp, c->permit_needed ? "yes" : "no", 0);
		csv_cell(fp, c->flags, 0);
		csv_cell(fp, c->explanation, 1);
	}
}

static void write_text(FILE *fp, const eic_match_result *r, size_t count, const char *cluster)
{
	fprintf(fp, "Exchange candidates for %s: %zu found", cluster, eic_match_count(r));
	if (count < eic_match_count(r))
		fprintf(fp, ", best %zu shown", count);
	fprintf(fp,
	        "\nScore = %.2f material + %.2f quantity + %.2f timing + %.2f distance + "
	        "%.2f evidence (docs/methods/matching.md)\n\n",
	        EIC_MATCH_W_MATERIAL, EIC_MATCH_W_QUANTITY, EIC_MATCH_W_TIMING,
	        EIC_MATCH_W_DISTANCE, EIC_MATCH_W_EVIDENCE);
	for (size_t i = 0; i < count; i++) {
		const eic_match_candidate *c = eic_match_at(r, i);
		fprintf(fp,
		        "%2zu. %.2f  %s, %s  [material %.2f, quantity %.2f, timing %.2f, "
		        "distance %.2f, evidence %.2f]\n",
		        i + 1, c->score, eic_match_mode_name(c->mode), eic_match_fit_name(c->fit),
		        c->material_score, c->quantity_score, c->timing_score, c->distance_score,
		        c->evidence_score);
		fprintf(fp, "    %s\n", c->explanation);
		if (*c->flags)
			fprintf(fp, "    flags: %s\n", c->flags);
	}
	for (size_t i = 0; i < eic_match_note_count(r); i++)
		fprintf(fp, "%sNote: %s\n", i == 0 ? "\n" : "", eic_match_note(r, i));
}

int cli_cmd_match(cli_ctx *ctx, int argc, char **argv)
{
	cli_args args;
	eic_cluster *cluster = NULL;
	eic_match_result *result = NULL;
	eic_diags *diags = NULL;
	eic_match_options opts = EIC_MATCH_OPTIONS_INIT;
	FILE *fp = stdout;
	int status, error;
	double top = -1;

	if (cli_parse(&args, &status, ctx, argc, argv))
		return status;
	const char **v = args.value;
	const char *format = v[OPT_FORMAT] ? v[OPT_FORMAT] : (ctx->json ? "json" : "text");
	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json") &&
	    strcmp(format, "geojson"))
		return cli_usage_error(
		    ctx, "--format must be text, csv, json or geojson (found '%s')", format);
	if (v[OPT_TOP] && cli_parse_number(&top, ctx, "top", v[OPT_TOP]) < 0)
		return CLI_EXIT_USAGE;
	if (v[OPT_TOP] && (top < 1 || top != floor(top)))
		return cli_usage_error(ctx, "--top expects a whole number >= 1 (found '%s')",
		                       v[OPT_TOP]);
	{
		cli_match_values mv = {
		    v[OPT_VIEWER], v[OPT_MODE], v[OPT_RADIUS],   v[OPT_CIRCUITY], v[OPT_DISTANCES],
		    v[OPT_KB],     v[OPT_COST], v[OPT_CURRENCY], v[OPT_CO2],      v[OPT_MIN_SCORE]};
		if ((status = cli_match_options_from(&opts, ctx, &mv)) != 0)
			return status;
	}

	status = cli_load_cluster(&cluster, ctx, args.args[0]);
	if (status != 0)
		goto done;
	if (eic_diags_new(&diags, 100) < 0) {
		status = CLI_EXIT_INTERNAL;
		cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
		goto done;
	}
	error = eic_match_run(&result, cluster, &opts, diags);
	if (error < 0) {
		status = cli_match_report_error(ctx, diags, error);
		goto done;
	}
	size_t count = eic_match_count(result);
	if (top > 0 && (size_t)top < count)
		count = (size_t)top;
	else if (top < 0 && !strcmp(format, "text") && count > 20)
		count = 20;
	if (v[OPT_OUT] && strcmp(v[OPT_OUT], "-")) {
		if (cli_mkdirs_for_file(v[OPT_OUT]) < 0 || !(fp = fopen(v[OPT_OUT], "w"))) {
			cli_error(ctx, "cannot write %s: %s", v[OPT_OUT], strerror(errno));
			fp = stdout;
			status = CLI_EXIT_USAGE;
			goto done;
		}
	}
	const char *id = eic_cluster_info_get(cluster)->id;
	if (!strcmp(format, "text")) {
		write_text(fp, result, count, id);
	} else if (!strcmp(format, "csv")) {
		write_csv(fp, result, count, opts.cost_currency);
	} else {
		json_t *root;
		if (!strcmp(format, "geojson")) {
			root = geojson(result, count, opts.cost_currency);
		} else {
			json_t *list = json_array();
			root = json_object();
			int failed = !list || !root;
			for (size_t i = 0; i < count && !failed; i++)
				failed |= json_array_append_new(
				              list, candidate_json(eic_match_at(result, i), i + 1,
				                                   opts.cost_currency)) != 0;
			json_t *notes = json_array();
			for (size_t i = 0; notes && i < eic_match_note_count(result); i++)
				failed |= json_array_append_new(
				              notes, cli_jstr(eic_match_note(result, i))) != 0;
			failed |= cli_jset(root, "cluster", cli_jstr(id));
			failed |= cli_jset(root, "viewer", cli_jstr(opts.viewer));
			failed |= cli_jset(root, "found",
			                   json_integer((json_int_t)eic_match_count(result)));
			failed |= cli_jset(root, "candidates", list);
			failed |= cli_jset(root, "notes", notes);
			if (failed) {
				json_decref(root);
				root = NULL;
			}
		}
		if (!root) {
			cli_error(ctx, "%s", eic_strerror(EIC_ENOMEM));
			status = CLI_EXIT_INTERNAL;
			goto done;
		}
		if (fp == stdout) {
			status = cli_print_json(root);
		} else {
			if (json_dumpf(root, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) < 0)
				status = CLI_EXIT_INTERNAL;
			fputc('\n', fp);
			json_decref(root);
		}
	}
	if (fp != stdout) {
		if (fclose(fp) != 0) {
			cli_error(ctx, "cannot write %s: %s", v[OPT_OUT], strerror(errno));
			status = CLI_EXIT_INTERNAL;
		} else {
			cli_info(ctx, "wrote %s", v[OPT_OUT]);
		}
		fp = stdout;
	}
done:
	if (fp != stdout)
		fclose(fp);
	eic_match_free(result);
	eic_cluster_free(cluster);
	eic_diags_free(diags);
	return status;
}
