/*
 * Small helpers every line-oriented cataloger needs: setting fields and
 * meta from slices, refusing control bytes, quoting input in warnings.
 */
#ifndef CUSTOMS_CATALOG_CATUTIL_H
#define CUSTOMS_CATALOG_CATUTIL_H

#include <stdbool.h>

#include "customs/pkg.h"
#include "util/buf.h"

#define CAT_SHOW_MAX 48 /* bytes of input quoted in a warning */

/* Set *field to a copy of s; an empty s leaves it. 0 or CUSTOMS_ENOMEM. */
int cat_set_slice(char **field, struct cslice s);

/* Set meta key to a copy of v; an empty v sets nothing. */
int cat_meta_slice(struct customs_pkg *pkg, const char *key, struct cslice v);

/* Does s hold a C0 control byte or DEL? */
bool cat_has_ctl(struct cslice s);

/* s as printable ASCII for a warning, cut at CAT_SHOW_MAX bytes. */
const char *cat_show(char out[CAT_SHOW_MAX + 4], struct cslice s);

#endif
