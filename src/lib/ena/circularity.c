/* circularity.c: circularity of a cluster (reuse share of every output, circularity rates)
 * and the Material Circularity Indicator of EMF & Granta (docs/methods/circularity.md). */
#include "eic/circularity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ena_private.h"

static const char *const mci_property_names[EIC_MCI_PROPERTY_COUNT] = {
    "mci_fr",
    "mci_fu",
    "mci_cr",
    "mci_cu",
    "mci_ef",
    "mci_ec",
    "mci_lifetime_ratio",
    "mci_utility_ratio",
};

/* Display names of the inputs, as in the methodology. */
static const char *const mci_input_labels[EIC_MCI_PROPERTY_COUNT] = {
    "F_R", "F_U", "C_R", "C_U", "E_F", "E_C", "L/L_av", "U/U_av",
};

const char *eic_mci_property_name(size_t i)
{
	return i < EIC_MCI_PROPERTY_COUNT ? mci_property_names[i] : NULL;
}

static int fraction_ok(double v)
{
	return isfinite(v) && v >= 0.0 && v <= 1.0;
}

/* Slack allowed when checking that two fractions sum to at most 1. */
#define SUM_SLACK 1e-12

/*
 * Contract: see circularity.h. Formulas of the EMF & Granta (2015) methodology, section
 * "Material Circularity Indicator" (product level), with W_C as in its equation for waste
 * from recycling collected product and F(X) = 0.9/X.
 */
int eic_mci_compute(eic_mci_result *out, const eic_mci_inputs *in)
{
	if (!out || !in)
		return EIC_EINVAL;
	double m = in->mass;
	if (!(isfinite(m) && m > 0.0) || !fraction_ok(in->fr) || !fraction_ok(in->fu) ||
	    !fraction_ok(in->cr) || !fraction_ok(in->cu) || in->fr + in->fu > 1.0 + SUM_SLACK ||
	    in->cr + in->cu > 1.0 + SUM_SLACK)
		return EIC_EINVAL;
	if (in->fr > 0.0 && !(isfinite(in->ef) && in->ef > 0.0 && in->ef <= 1.0))
		return EIC_EINVAL;
	if (in->cr > 0.0 && !(isfinite(in->ec) && in->ec >= 0.0 && in->ec <= 1.0))
		return EIC_EINVAL;
	if (!(isfinite(in->lifetime_ratio) && in->lifetime_ratio > 0.0) ||
	    !(isfinite(in->utility_ratio) && in->utility_ratio > 0.0))
		return EIC_EINVAL;
	eic_mci_result r;
	double fr_part = 1.0 - in->fr - in->fu, c_part = 1.0 - in->cr - in->cu;
	r.v = m * (fr_part > 0.0 ? fr_part : 0.0);
	r.w0 = m * (c_part > 0.0 ? c_part : 0.0);
	r.wf = in->fr > 0.0 ? m * (1.0 - in->ef) * in->fr / in->ef : 0.0;
	r.wc = in->cr > 0.0 ? m * (1.0 - in->ec) * in->cr : 0.0;
	r.w = r.w0 + (r.wf + r.wc) / 2.0;
	r.lfi = (r.v + r.w) / (2.0 * m + (r.wf - r.wc) / 2.0);
	r.x = in->lifetime_ratio * in->utility_ratio;
	r.fx = 0.9 / r.x;
	r.mci = 1.0 - r.lfi * r.fx;
	if (r.mci < 0.0)
		r.mci = 0.0;
	*out = r;
	return 0;
}

struct eic_circularity {
	eic_arena arena;
	eic_vec rows; /* eic_circularity_row */
	eic_vec mcis; /* eic_circularity_mci */
	eic_circularity_totals totals;
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* A property as a fraction: unitless values as they are, percentages / 100. NaN if absent
 * or in another unit. */
static double property_fraction(const eic_cluster *c, const char *material, const char *name)
{
	const eic_property *p = eic_cluster_find_property(c, material, name);
	if (!p || !isfinite(p->value))
		return NAN;
	const char *u = or_empty(p->unit);
	if (!strcmp(u, "%"))
		return p->value / 100.0;
	if (!*u || !strcmp(u, "1") || !strcmp(u, "-") || !strcmp(u, "fraction") ||
	    !strcmp(u, "ratio"))
		return p->value;
	return NAN;
}

/* Look up the MCI inputs of a product and compute it when they are complete and valid;
 * otherwise list what is missing or invalid. */
static int product_mci(eic_circularity *circ, eic_circularity_mci *row, const eic_cluster *c)
{
	double v[EIC_MCI_PROPERTY_COUNT];
	eic_buf missing = EIC_BUF_INIT;
	int error = 0;
	for (size_t i = 0; i < EIC_MCI_PROPERTY_COUNT; i++)
		v[i] = property_fraction(c, row->material, mci_property_names[i]);
	row->inputs.mass = row->mass;
	row->inputs.fr = v[0];
	row->inputs.fu = v[1];
	row->inputs.cr = v[2];
	row->inputs.cu = v[3];
	row->inputs.ef = v[4];
	row->inputs.ec = v[5];
	row->inputs.lifetime_ratio = v[6];
	row->inputs.utility_ratio = v[7];
	for (size_t i = 0; i < EIC_MCI_PROPERTY_COUNT; i++) {
		/* E_F and E_C only matter when F_R, C_R are above 0 */
		if (i == 4 && isfinite(v[0]) && v[0] == 0.0)
			continue;
		if (i == 5 && isfinite(v[2]) && v[2] == 0.0)
			continue;
		if (isnan(v[i]))
			eic_buf_printf(&missing, "%s%s (%s)", missing.len ? ", " : "",
			               mci_input_labels[i], mci_property_names[i]);
	}
	if (missing.failed) {
		error = EIC_ENOMEM;
		goto done;
	}
	row->computed = 0;
	if (missing.len == 0) {
		if (eic_mci_compute(&row->result, &row->inputs) == 0)
			row->computed = 1;
		else
			eic_buf_puts(&missing,
			             "inputs out of range (fractions in 0..1, F_R + F_U <= "
			             "1, C_R + C_U <= 1, efficiencies in 0..1, ratios > 0)");
	}
	if (missing.failed) {
		error = EIC_ENOMEM;
		goto done;
	}
	row->missing = eic_arena_strdup(&circ->arena, missing.data ? missing.data : "");
	if (!row->missing)
		error = EIC_ENOMEM;
done:
	eic_buf_free(&missing);
	return error;
}

/*
 * Contract: see circularity.h. Rows are keyed by (source node id, material) in a map whose
 * keys are built in the result's arena. O(flows) expected.
 */
int eic_circularity_compute(eic_circularity **out, const eic_cluster *cluster,
                            const eic_circularity_options *opts)
{
	int error = 0;
	eic_circularity *circ = NULL;
	eic_map row_index, product_index;
	eic_buf key = EIC_BUF_INIT;

	eic_map_init(&row_index);
	eic_map_init(&product_index);
	if (!out || !cluster || (opts && opts->version != EIC_CIRCULARITY_OPTIONS_VERSION)) {
		error = EIC_EINVAL;
		goto done;
	}
	*out = NULL;
	const char *period = opts ? opts->period : NULL;
	if (period && !eic_cluster_find_period(cluster, period)) {
		error = EIC_ENOTFOUND;
		goto done;
	}
	const eic_cluster_info *info = eic_cluster_info_get(cluster);
	const char *mass_unit = info && !eic_str_empty(info->mass_unit) ? info->mass_unit : "t";

	circ = eic_calloc(1, sizeof(*circ));
	if (!circ) {
		error = EIC_ENOMEM;
		goto done;
	}
	eic_arena_init(&circ->arena);
	eic_vec_init(&circ->rows, sizeof(eic_circularity_row));
	eic_vec_init(&circ->mcis, sizeof(eic_circularity_mci));
	circ->totals.unit = eic_arena_strdup(&circ->arena, mass_unit);
	if (!circ->totals.unit) {
		error = EIC_ENOMEM;
		goto done;
	}

	size_t flow_count = eic_cluster_flow_count(cluster);
	for (size_t i = 0; i < flow_count; i++) {
		const eic_flow *f = eic_cluster_flow(cluster, i);
		eic_node from, to;
		double amount = 0.0;
		const char *via = NULL;
		if (period && !eic_streq(f->period, period))
			continue;
		if (!f->from || !f->to || eic_cluster_resolve_node(&from, cluster, f->from) < 0 ||
		    eic_cluster_resolve_node(&to, cluster, f->to) < 0) {
			circ->totals.skipped++;
			continue;
		}
		int rc = eic_flow_amount(&amount, &via, cluster, f, mass_unit);
		if (rc == EIC_ENOMEM) {
			error = rc;
			goto done;
		}
		if (rc < 0 || !isfinite(amount) || amount < 0.0) {
			circ->totals.skipped++;
			continue;
		}
		int from_in = from.kind != EIC_NODE_BOUNDARY, to_in = to.kind != EIC_NODE_BOUNDARY;
		if (!from_in) {
			if (to_in)
				circ->totals.input_outside += amount;
			continue;
		}
		if (to_in && eic_streq(from.id, to.id)) {
			circ->totals.skipped++; /* a node's flow to itself is not an output */
			continue;
		}
		/* the output row of (from, material) */
		size_t idx;
		eic_buf_clear(&key);
		eic_buf_printf(&key, "%s%c%s", from.id, '\x1f', or_empty(f->material));
		if (key.failed) {
			error = EIC_ENOMEM;
			goto done;
		}
		if (!eic_map_get(&row_index, key.data, &idx)) {
			eic_circularity_row row;
			memset(&row, 0, sizeof(row));
			char *k = eic_arena_strdup(&circ->arena, key.data);
			row.node = eic_arena_strdup(&circ->arena, from.id);
			row.actor = eic_arena_strdup(&circ->arena, or_empty(from.actor));
			row.material = eic_arena_strdup(&circ->arena, or_empty(f->material));
			if (!k || !row.node || !row.actor || !row.material ||
			    !eic_vec_push(&circ->rows, &row) ||
			    eic_map_put(&row_index, k, circ->rows.len - 1) < 0) {
				error = EIC_ENOMEM;
				goto done;
			}
			idx = circ->rows.len - 1;
		}
		eic_circularity_row *row = EIC_VEC_AT(&circ->rows, eic_circularity_row, idx);
		row->total += amount;
		circ->totals.output_total += amount;
		if (to_in) {
			row->inside += amount;
			circ->totals.inside_total += amount;
		} else if (to.boundary == EIC_BOUNDARY_PRODUCT_MARKET) {
			row->product += amount;
			if (!eic_map_get(&product_index, row->material, &idx)) {
				eic_circularity_mci p;
				memset(&p, 0, sizeof(p));
				p.material = row->material;
				if (!eic_vec_push(&circ->mcis, &p) ||
				    eic_map_put(&product_index, row->material, circ->mcis.len - 1) <
				        0) {
					error = EIC_ENOMEM;
					goto done;
				}
				idx = circ->mcis.len - 1;
			}
			EIC_VEC_AT(&circ->mcis, eic_circularity_mci, idx)->mass += amount;
		} else if (to.boundary == EIC_BOUNDARY_STOCK) {
			row->stock += amount;
		} else {
			row->loss += amount;
		}
	}
	for (size_t i = 0; i < circ->rows.len; i++) {
		eic_circularity_row *row = EIC_VEC_AT(&circ->rows, eic_circularity_row, i);
		row->reuse_share = row->total > 0.0 ? row->inside / row->total : NAN;
	}
	eic_circularity_totals *t = &circ->totals;
	t->rate = t->output_total > 0.0 ? t->inside_total / t->output_total : NAN;
	t->cmu = t->inside_total + t->input_outside > 0.0
	             ? t->inside_total / (t->inside_total + t->input_outside)
	             : NAN;
	for (size_t i = 0; i < circ->mcis.len; i++)
		if ((error = product_mci(circ, EIC_VEC_AT(&circ->mcis, eic_circularity_mci, i),
		                         cluster)) < 0)
			goto done;
	*out = circ;
	circ = NULL;
done:
	eic_buf_free(&key);
	eic_map_free(&row_index);
	eic_map_free(&product_index);
	eic_circularity_free(circ);
	return error;
}

void eic_circularity_free(eic_circularity *circ)
{
	if (!circ)
		return;
	eic_vec_free(&circ->rows);
	eic_vec_free(&circ->mcis);
	eic_arena_clear(&circ->arena);
	eic_free(circ);
}

size_t eic_circularity_row_count(const eic_circularity *circ)
{
	return circ ? circ->rows.len : 0;
}

const eic_circularity_row *eic_circularity_row_at(const eic_circularity *circ, size_t i)
{
	if (!circ || i >= circ->rows.len)
		return NULL;
	return EIC_VEC_AT(&circ->rows, eic_circularity_row, i);
}

const eic_circularity_totals *eic_circularity_totals_get(const eic_circularity *circ)
{
	return circ ? &circ->totals : NULL;
}

size_t eic_circularity_mci_count(const eic_circularity *circ)
{
	return circ ? circ->mcis.len : 0;
}

const eic_circularity_mci *eic_circularity_mci_at(const eic_circularity *circ, size_t i)
{
	if (!circ || i >= circ->mcis.len)
		return NULL;
	return EIC_VEC_AT(&circ->mcis, eic_circularity_mci, i);
}
