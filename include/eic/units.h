/* eic/units.h: dimensioned quantities and unit conversion, the one place where eic converts.
 * Ownership: eic_unit values are plain structs owned by the caller; nothing is allocated. */
#ifndef EIC_UNITS_H
#define EIC_UNITS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Base dimensions. Energy is a base of its own (users never write kg m2 s-2), and so is
 *  money, whose currency is carried beside the dimension. */
typedef enum {
	EIC_DIM_MASS = 0,
	EIC_DIM_LENGTH,
	EIC_DIM_TIME,
	EIC_DIM_ENERGY,
	EIC_DIM_MONEY,
	EIC_DIM_COUNT,
	EIC_DIM__N
} eic_base_dim;

/** A parsed unit: exponents of the base dimensions and the factor to the base units
 *  (kg, m, s, J, 1 currency unit, 1 item). A dimensionless unit has all exponents zero
 *  ("1", "%", "fraction", "ppm"). */
typedef struct {
	signed char exp[EIC_DIM__N];
	double factor;    /**< value in base units = value * factor */
	char currency[4]; /**< ISO 4217 code when exp[EIC_DIM_MONEY] != 0, else "" */
} eic_unit;

/** Named kinds of quantity, for checking and for reporting. */
typedef enum {
	EIC_KIND_UNKNOWN = 0,
	EIC_KIND_DIMENSIONLESS,
	EIC_KIND_MASS,
	EIC_KIND_VOLUME,
	EIC_KIND_ENERGY,
	EIC_KIND_POWER,
	EIC_KIND_TIME,
	EIC_KIND_COUNT,
	EIC_KIND_AREA,
	EIC_KIND_DISTANCE,
	EIC_KIND_MONEY,
	EIC_KIND_MASS_RATE,   /**< mass per time, e.g. t/yr */
	EIC_KIND_VOLUME_RATE, /**< e.g. m3/d */
	EIC_KIND_ENERGY_RATE, /**< energy per time other than power units, e.g. GJ/yr (same
	                         dimension as power) */
	EIC_KIND_COUNT_RATE,
	EIC_KIND_MONEY_RATE,
	EIC_KIND_DENSITY,        /**< mass per volume */
	EIC_KIND_SPECIFIC_ENERGY /**< energy per mass, e.g. heating value GJ/t */
} eic_quantity_kind;

/**
 * Parse a unit expression such as "t", "t/yr", "GJ/t", "m3/h", "USD/t", "t*km", "kWh".
 * Grammar: term (('*' | '.' | '/') term)*, term = atom ['^'] [integer]; atoms come from a
 * fixed table (no free SI prefixes, so "min" is always minutes). Currency atoms are ISO 4217
 * codes in capitals. Complexity O(length).
 * @param[out] out the parsed unit
 * @return 0, or EIC_EUNIT if the text is not a known unit
 */
EIC_EXTERN int eic_unit_parse(eic_unit *out, const char *text);

/** True when both units have the same dimension (and the same currency if money). */
EIC_EXTERN int eic_unit_compatible(const eic_unit *a, const eic_unit *b);

/** Classify a unit into a quantity kind (EIC_KIND_UNKNOWN for unusual combinations). */
EIC_EXTERN eic_quantity_kind eic_unit_kind(const eic_unit *u);

/** Static name of a kind: "mass", "mass rate", ... */
EIC_EXTERN const char *eic_quantity_kind_name(eic_quantity_kind kind);

/**
 * Convert value from one unit to another of the same dimension.
 * @param[out] out converted value
 * @return 0, EIC_EUNIT if a unit is unknown or the dimensions differ
 */
EIC_EXTERN int eic_unit_convert(double *out, double value, const char *from, const char *to);

/** Same as eic_unit_convert on parsed units. */
EIC_EXTERN int eic_unit_convert_parsed(double *out, double value, const eic_unit *from,
                                       const eic_unit *to);

/**
 * Explicit conversion through a material property: the value in `from` is multiplied (or
 * divided) by the property so that the result has the dimension of `to`. Used for volume to
 * mass by density (t/m3) and mass to energy by heating value (GJ/t), and their inverses.
 * @param[out] out converted value
 * @return 0, or EIC_EUNIT when neither value*property nor value/property has the dimension of `to`
 */
EIC_EXTERN int eic_unit_convert_via(double *out, double value, const char *from, const char *to,
                                    double property_value, const char *property_unit);

/** Canonical text for a dimension, e.g. "mass/time" or "energy", into buf. */
EIC_EXTERN size_t eic_unit_dimension_text(char *buf, size_t size, const eic_unit *u);

/** Multiply or divide two units (exponents added or subtracted, factors multiplied or divided). */
EIC_EXTERN int eic_unit_mul(eic_unit *out, const eic_unit *a, const eic_unit *b);
EIC_EXTERN int eic_unit_div(eic_unit *out, const eic_unit *a, const eic_unit *b);

#ifdef __cplusplus
}
#endif
#endif
