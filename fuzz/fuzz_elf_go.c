/*
 * Fuzz target for the ELF reader and the catalogers built on it: the
 * input is offered as an executable to go-module-binary-cataloger and
 * cargo-auditable-binary-cataloger (both as a whole file and as one cut
 * short), and as Go module text to go_modinfo_parse(). Besides memory
 * errors it checks what every result must satisfy: parse() returns 0 or
 * CUSTOMS_ENOMEM, and every package has a name, the cataloger's name in
 * found_by and its location at the input path. The input is also
 * planned as a large file's head (bincat_elf_plan, each kind): the plan
 * must be sorted, disjoint ranges inside the file, and parse() must take
 * the kept ranges.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/bincat.h"
#include "catalog/catalog_priv.h"
#include "catalog/gobuildinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct cataloger *c, const struct cat_result *r)
{
	size_t i;

	for (i = 0; i < r->pkgs.n; i++) {
		const struct customs_pkg *p = r->pkgs.v[i];

		if (!p->name || !*p->name || strcmp(p->found_by, c->name) ||
		    p->n_locations != 1 ||
		    strcmp(p->locations[0].path, "usr/bin/app"))
			abort();
	}
}

static void run(const struct cataloger *c, const uint8_t *data, size_t size,
		bool truncated)
{
	struct cat_input in = { "usr/bin/app", 0,     data, size, truncated,
				NULL,	       false, NULL, 0 };
	struct cat_result *r = calloc(1, sizeof(*r));
	int rc;

	if (!r)
		abort();
	rc = c->parse(&in, r);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	check(c, r);
	cat_result_free(c, r);
}

/* Plan the input as the head of a file of its size, then parse what the
 * plan keeps, as the dispatcher would hand it over. */
static void planned(const struct cataloger *c, unsigned what,
		    const uint8_t *data, size_t size)
{
	struct customs_file f = { 0 };
	struct cat_input head = { "usr/bin/app",
				  0,
				  data,
				  size < CUSTOMS_PLAN_HEAD ? size
							   : CUSTOMS_PLAN_HEAD,
				  false,
				  &f,
				  false,
				  NULL,
				  0 };
	struct customs_plan p;
	struct cat_result *r;
	unsigned char *kept;
	uint64_t end = 0;
	size_t i, n = 0;
	int rc;

	f.path = "usr/bin/app";
	f.size = size;
	memset(&p, 0, sizeof(p));
	if (bincat_elf_plan(&head, what, &p) || p.n > CUSTOMS_PLAN_MAX)
		abort();
	if (p.whole || !p.n)
		return;
	for (i = 0; i < p.n; i++) {
		if (!p.r[i].len || (i && p.r[i].off <= end) ||
		    p.r[i].off > size || p.r[i].len > size - p.r[i].off)
			abort();
		end = p.r[i].off + p.r[i].len;
		n += (size_t)p.r[i].len;
	}
	kept = malloc(n ? n : 1);
	r = calloc(1, sizeof(*r));
	if (!kept || !r)
		abort();
	for (i = 0, n = 0; i < p.n; i++) {
		memcpy(kept + n, data + p.r[i].off, (size_t)p.r[i].len);
		n += (size_t)p.r[i].len;
	}
	head.data = kept;
	head.len = n;
	head.ranges = p.r;
	head.n_ranges = p.n;
	head.file = NULL;
	rc = c->parse(&head, r);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	check(c, r);
	cat_result_free(c, r);
	free(kept);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct go_buildinfo bi = { 0 };
	struct cat_result r = { 0 };
	int rc;

	run(&cat_go_module_binary, data, size, false);
	run(&cat_go_module_binary, data, size / 2, true);
	run(&cat_cargo_auditable_binary, data, size, false);
	planned(&cat_go_module_binary, BINCAT_PLAN_GO, data, size);
	planned(&cat_cargo_auditable_binary, BINCAT_PLAN_CARGO, data, size);
	planned(&cat_binary_classifier, BINCAT_PLAN_DATA, data, size);
	rc = go_modinfo_parse(&bi, cslice_make((const char *)data, size), &r);
	if (rc && rc != CUSTOMS_ENOMEM)
		abort();
	go_buildinfo_release(&bi);
	customs_strlist_release(&r.warnings);
	return 0;
}
