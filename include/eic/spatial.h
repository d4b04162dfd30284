/* eic/spatial.h: spatial index over WGS84 points answering "all pairs within R km" and
 * "all points within R km of a point" exactly, by great-circle (haversine) distance.
 * Ownership: eic_spatial_new hands the index to the caller (eic_spatial_free); the index keeps
 * its own copy of the coordinates, so the caller's arrays may be freed after the call. */
#ifndef EIC_SPATIAL_H
#define EIC_SPATIAL_H

#include "common.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Mean Earth radius (IUGG R1), km: the sphere of every eic great-circle distance. */
#define EIC_SPATIAL_EARTH_RADIUS_KM 6371.0088

/** A built index over a fixed set of points (opaque). */
typedef struct eic_spatial eic_spatial;

/** Options for eic_spatial_new. */
typedef struct {
	int version;
	/** Radius (km) the grid is tuned for: queries with this radius inspect 3x3x3 cells.
	 *  Any radius may still be queried; larger ones inspect more cells. Must be > 0. */
	double cell_radius_km;
	/** Optional group label per point (count entries, NULL: one group). eic_spatial_pairs
	 *  only pairs points of the same group, which it never even inspects across groups:
	 *  the fast form of an equality predicate (same waste type). Copied by eic_spatial_new. */
	const long *group;
} eic_spatial_options;

#define EIC_SPATIAL_OPTIONS_VERSION 1
#define EIC_SPATIAL_OPTIONS_INIT                                                                   \
	{                                                                                          \
		EIC_SPATIAL_OPTIONS_VERSION, 50.0, NULL                                            \
	}

/** Pair filter: return nonzero to keep the pair (i, j), i < j, both point indices. Called only
 *  for pairs that may lie within the radius, before the exact distance is computed. */
typedef int (*eic_spatial_filter_fn)(void *ctx, size_t i, size_t j);
/** Pair sink: called once per kept pair i < j with its great-circle distance (km). Return 0
 *  to go on; a nonzero return stops the search and is returned by the query. */
typedef int (*eic_spatial_pair_fn)(void *ctx, size_t i, size_t j, double distance_km);
/** Point sink: called once per point within the radius of a query point. Same return rule. */
typedef int (*eic_spatial_point_fn)(void *ctx, size_t i, double distance_km);

/**
 * Build the index (3D unit-vector grid, see docs/methods/spatial.md). O(n log n).
 * @param[out] out the index, freed with eic_spatial_free
 * @param lat, lon degrees (WGS84), count entries each; latitudes in [-90, 90], longitudes
 *        in [-180, 180] (any finite longitude is accepted and wraps)
 * @param options NULL for the defaults
 * @return 0, EIC_EINVAL (NULL arrays with count > 0, non-finite or out-of-range latitude,
 *         bad options) or EIC_ENOMEM
 */
EIC_EXTERN int eic_spatial_new(eic_spatial **out, const double *lat, const double *lon,
                               size_t count, const eic_spatial_options *options);
/** Free the index; NULL is a no-op. */
EIC_EXTERN void eic_spatial_free(eic_spatial *index);
/** Number of indexed points. */
EIC_EXTERN size_t eic_spatial_count(const eic_spatial *index);

/**
 * Every unordered pair of distinct points (i < j) of the same group (see the options) whose
 * haversine distance is <= radius_km and that `filter` keeps (NULL keeps all), each passed once to
 * `sink`, in no set order. Duplicated points are distinct points at distance 0.
 * @return 0, EIC_EINVAL (NULL index or sink, negative or non-finite radius), or the first
 *         nonzero value returned by sink
 */
EIC_EXTERN int eic_spatial_pairs(const eic_spatial *index, double radius_km,
                                 eic_spatial_filter_fn filter, eic_spatial_pair_fn sink, void *ctx);

/**
 * Every indexed point (of any group) whose haversine distance to (lat, lon) is <= radius_km,
 * in no set order.
 * @return 0, EIC_EINVAL (bad arguments), or the first nonzero value returned by sink
 */
EIC_EXTERN int eic_spatial_within(const eic_spatial *index, double lat, double lon,
                                  double radius_km, eic_spatial_point_fn sink, void *ctx);

/** Great-circle distance (km) between two WGS84 points in degrees: the haversine formula on
 *  the sphere of radius EIC_SPATIAL_EARTH_RADIUS_KM (the same as the report map). */
EIC_EXTERN double eic_spatial_distance_km(double lat1, double lon1, double lat2, double lon2);

#ifdef __cplusplus
}
#endif
#endif
