/*
 * Alpine secdb (https://secdb.alpinelinux.org/<branch>/<repo>.json, and
 * the 2020 YAML form of the same document) and the Wolfi / Chainguard
 * security.json of the same shape: {distroversion, reponame, urlprefix,
 * apkurl, packages: [{pkg: {name, secfixes: {fixed_version: [ids]}}}]}.
 *
 * secfixes keys are the versions that fix the ids listed under them; one
 * list item may hold several ids separated by whitespace, and ids that are
 * not CVEs (TALOS-..., XSA-..., CVE-2017-17434-1) are kept as ids of their
 * own. A front end per syntax (jansson, libyaml) collects one (id,
 * package, fixed version) triple per id; the triples are sorted by id and
 * each id becomes one record with one row per package: "< V" and fixed, or
 * "*" and not-affected for the fixed version "0". Ids are split into a
 * pool; package names and versions point into the parsed document. One
 * file is one snapshot of the source "<namespace>/<reponame>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "vulndb/feed_int.h"
#include "vulndb/feed_help.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

/* triples of one document (a YAML alias can repeat a subtree) */
#define ALP_MAX_TRIPLES ((size_t)4 << 20)
#define ALP_MAX_VERSION 32

struct triple {
	union {
		size_t off; /* while collecting: offset in ids */
		const char *s; /* once sorted */
	} id;
	const char *pkg, *fixed;
	size_t seq;
};

struct alp {
	const char *name;
	const struct customs_vuln_sink *sink;
	const struct feed_warn *warn;
	struct customs_ctx *ctx;
	/* header fields, pointing into the document */
	const char *distroversion, *reponame, *urlprefix, *apkurl;
	char ns[64], source[192];
	struct triple *t;
	size_t n_t, cap_t;
	struct cbuf ids, ranges;
	struct customs_vuln_affected *rows;
	size_t *range_off; /* per row: its range in ranges */
	size_t cap_rows, cap_roff;
};

/* ---- collecting ------------------------------------------------------ */

/* Split one secfixes list item into ids and add a triple for each. */
static int add_ids(struct alp *a, const char *pkg, const char *fixed,
		   const char *item)
{
	const char *p = item, *q;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		for (q = p;
		     *q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r';
		     q++)
			;
		if (q == p)
			break;
		if (a->n_t >= ALP_MAX_TRIPLES)
			return customs_error(a->ctx, CUSTOMS_ELIMIT,
					     "%s: more than %zu secfixes ids",
					     a->name, ALP_MAX_TRIPLES);
		if (CUSTOMS_GROW(a->t, a->cap_t, a->n_t + 1))
			return CUSTOMS_ENOMEM;
		a->t[a->n_t] = (struct triple){ .pkg = pkg,
						.fixed = fixed,
						.seq = a->n_t };
		a->t[a->n_t].id.off = a->ids.len;
		cbuf_put(&a->ids, p, (size_t)(q - p));
		cbuf_putc(&a->ids, '\0');
		if (cbuf_error(&a->ids))
			return customs_error(a->ctx, cbuf_error(&a->ids),
					     "%s: secfixes ids too large",
					     a->name);
		a->n_t++;
		p = q;
	}
	return 0;
}

static int json_secfixes(struct alp *a, const char *pkg, const json_t *sf)
{
	const char *fixed;
	json_t *list, *item;
	size_t i;
	int rc;

	json_object_foreach((json_t *)sf, fixed, list)
	{
		if (json_is_null(list))
			continue;
		if (!json_is_array(list) || !*fixed) {
			feed_warnf(a->warn,
				   "%s: %s: secfixes \"%s\": not a list",
				   a->name, pkg, fixed);
			continue;
		}
		json_array_foreach(list, i, item)
		{
			if (!json_is_string(item)) {
				feed_warnf(a->warn,
					   "%s: %s %s: id %zu: not a string",
					   a->name, pkg, fixed, i);
				continue;
			}
			if ((rc = add_ids(a, pkg, fixed,
					  json_string_value(item))))
				return rc;
		}
	}
	return 0;
}

static int json_collect(struct alp *a, const json_t *root)
{
	const json_t *pkgs = json_object_get(root, "packages"), *e, *pkg;
	const char *name;
	size_t i;
	int rc;

	a->distroversion = feedh_str(root, "distroversion");
	a->reponame = feedh_str(root, "reponame");
	a->urlprefix = feedh_str(root, "urlprefix");
	a->apkurl = feedh_str(root, "apkurl");
	if (!json_is_array(pkgs))
		return customs_error(a->ctx, CUSTOMS_EFORMAT,
				     "%s: not a secdb document (no "
				     "\"packages\" list)",
				     a->name);
	json_array_foreach(pkgs, i, e)
	{
		pkg = json_object_get(e, "pkg");
		name = feedh_str(pkg, "name");
		if (!name) {
			feed_warnf(a->warn, "%s: packages[%zu]: no pkg.name",
				   a->name, i);
			continue;
		}
		e = json_object_get(pkg, "secfixes");
		if (json_is_object(e) && (rc = json_secfixes(a, name, e)))
			return rc;
	}
	return 0;
}

/* ---- the YAML form --------------------------------------------------- */

static yaml_node_t *ynode(yaml_document_t *doc, int i)
{
	return yaml_document_get_node(doc, i);
}

/* The scalar's text (NUL-terminated by libyaml), or NULL. */
static const char *yscalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

static yaml_node_t *yget(yaml_document_t *doc, const yaml_node_t *m,
			 const char *key)
{
	yaml_node_pair_t *p;
	const char *k;

	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		k = yscalar(ynode(doc, p->key));
		if (k && !strcmp(k, key))
			return ynode(doc, p->value);
	}
	return NULL;
}

static const char *yget_str(yaml_document_t *doc, const yaml_node_t *m,
			    const char *key)
{
	const char *s = yscalar(yget(doc, m, key));

	return s && *s ? s : NULL;
}

static int yaml_secfixes(struct alp *a, yaml_document_t *doc, const char *pkg,
			 const yaml_node_t *sf)
{
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	const yaml_node_t *list;
	const char *fixed, *id;
	int rc;

	for (p = sf->data.mapping.pairs.start; p < sf->data.mapping.pairs.top;
	     p++) {
		fixed = yscalar(ynode(doc, p->key));
		list = ynode(doc, p->value);
		if (!fixed || !*fixed || !list ||
		    list->type != YAML_SEQUENCE_NODE) {
			if (yscalar(list) && !*yscalar(list))
				continue; /* "1.2-r0:" with no ids */
			feed_warnf(a->warn,
				   "%s: %s: secfixes \"%s\": not a list",
				   a->name, pkg, fixed ? fixed : "");
			continue;
		}
		for (it = list->data.sequence.items.start;
		     it < list->data.sequence.items.top; it++) {
			id = yscalar(ynode(doc, *it));
			if (!id) {
				feed_warnf(a->warn, "%s: %s %s: bad id",
					   a->name, pkg, fixed);
				continue;
			}
			if ((rc = add_ids(a, pkg, fixed, id)))
				return rc;
		}
	}
	return 0;
}

static int yaml_collect(struct alp *a, yaml_document_t *doc)
{
	const yaml_node_t *root = yaml_document_get_root_node(doc), *pkgs, *e;
	yaml_node_item_t *it;
	const char *name;
	int rc;

	pkgs = yget(doc, root, "packages");
	if (!pkgs || pkgs->type != YAML_SEQUENCE_NODE)
		return customs_error(a->ctx, CUSTOMS_EFORMAT,
				     "%s: not a secdb document (no "
				     "\"packages\" list)",
				     a->name);
	a->distroversion = yget_str(doc, root, "distroversion");
	a->reponame = yget_str(doc, root, "reponame");
	a->urlprefix = yget_str(doc, root, "urlprefix");
	a->apkurl = yget_str(doc, root, "apkurl");
	for (it = pkgs->data.sequence.items.start;
	     it < pkgs->data.sequence.items.top; it++) {
		e = yget(doc, ynode(doc, *it), "pkg");
		name = yget_str(doc, e, "name");
		if (!name) {
			feed_warnf(a->warn, "%s: packages[%td]: no pkg.name",
				   a->name,
				   it - pkgs->data.sequence.items.start);
			continue;
		}
		e = yget(doc, e, "secfixes");
		if (e && e->type == YAML_MAPPING_NODE &&
		    (rc = yaml_secfixes(a, doc, name, e)))
			return rc;
	}
	return 0;
}

/* ---- namespace, grouping, records ------------------------------------ */

static bool has_host(const char *url, const char *host)
{
	return url && strstr(url, host);
}

/*
 * Wolfi and Chainguard have no distroversion: they are told apart by the
 * name of their package host in urlprefix or apkurl (it contains "cgr" or
 * "chainguard" for Chainguard, "wolfi" for Wolfi), else by reponame ("os"
 * is Wolfi's, "chainguard" Chainguard's). Otherwise distroversion "v3.18"
 * is "alpine:3.18".
 */
static int derive_ns(struct alp *a)
{
	const char *v = a->distroversion, *ns = NULL;
	size_t i;

	if (has_host(a->urlprefix, "cgr.") || has_host(a->apkurl, "cgr.") ||
	    has_host(a->urlprefix, "chainguard") ||
	    has_host(a->apkurl, "chainguard"))
		ns = "chainguard:rolling";
	else if (has_host(a->urlprefix, "wolfi") ||
		 has_host(a->apkurl, "wolfi"))
		ns = "wolfi:rolling";
	else if (!v && a->reponame && !strcmp(a->reponame, "chainguard"))
		ns = "chainguard:rolling";
	else if (!v && a->reponame && !strcmp(a->reponame, "os"))
		ns = "wolfi:rolling";
	if (ns) {
		snprintf(a->ns, sizeof(a->ns), "%s", ns);
	} else {
		if (!v)
			return customs_error(a->ctx, CUSTOMS_EFORMAT,
					     "%s: secdb document without "
					     "distroversion",
					     a->name);
		if (v[0] == 'v')
			v++;
		for (i = 0; v[i]; i++) {
			if (!((v[i] >= '0' && v[i] <= '9') || v[i] == '.' ||
			      (v[i] >= 'a' && v[i] <= 'z')))
				break;
		}
		if (!i || v[i] || i > ALP_MAX_VERSION)
			return customs_error(a->ctx, CUSTOMS_EFORMAT,
					     "%s: bad distroversion \"%s\"",
					     a->name, a->distroversion);
		snprintf(a->ns, sizeof(a->ns), "alpine:%s", v);
	}
	snprintf(a->source, sizeof(a->source), "%s/%.100s", a->ns,
		 a->reponame ? a->reponame : "main");
	return 0;
}

static int cmp_triple(const void *x, const void *y)
{
	const struct triple *a = x, *b = y;
	int c = strcmp(a->id.s, b->id.s);

	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* One record for the triples [lo, hi), all of one id. */
static int emit(struct alp *a, size_t lo, size_t hi)
{
	struct customs_vuln_record rec = { .id = a->t[lo].id.s };
	struct customs_vuln_affected *r;
	const struct triple *t;
	size_t i, n = hi - lo;
	bool zero;
	int rc;

	if (CUSTOMS_GROW(a->rows, a->cap_rows, n) ||
	    CUSTOMS_GROW(a->range_off, a->cap_roff, n))
		return CUSTOMS_ENOMEM;
	cbuf_reset(&a->ranges);
	for (i = 0; i < n; i++) {
		t = &a->t[lo + i];
		zero = !strcmp(t->fixed, "0");
		a->rows[i] = (struct customs_vuln_affected){
			.namespace = a->ns,
			.name = t->pkg,
			.scheme = CUSTOMS_VERSION_APK,
			.ranges = "*",
			.fix_state = zero ? CUSTOMS_FIX_NOT_AFFECTED
					  : CUSTOMS_FIX_FIXED,
			.fixed = zero ? NULL : &t->fixed,
			.n_fixed = zero ? 0 : 1,
		};
		if (!zero)
			a->range_off[i] =
				feedh_pool_add(&a->ranges, "< ", t->fixed);
	}
	if ((rc = cbuf_error(&a->ranges)))
		return customs_error(a->ctx, rc, "%s: %s: too many ranges",
				     a->name, rec.id);
	/* the pool no longer moves: offsets become pointers */
	for (i = 0; i < n; i++) {
		r = &a->rows[i];
		if (r->fix_state == CUSTOMS_FIX_FIXED)
			r->ranges = feedh_pool_at(&a->ranges, a->range_off[i]);
	}
	rec.affected = a->rows;
	rec.n_affected = n;
	return a->sink->record(a->sink->arg, &rec);
}

static int run(struct alp *a)
{
	size_t i, lo = 0, hi;
	int rc;

	if ((rc = derive_ns(a)))
		return rc;
	if ((rc = a->sink->begin(a->sink->arg, a->source, true)))
		return rc;
	for (i = 0; i < a->n_t; i++)
		a->t[i].id.s = a->ids.ptr + a->t[i].id.off;
	if (a->n_t)
		qsort(a->t, a->n_t, sizeof(*a->t), cmp_triple);
	while (lo < a->n_t) {
		for (hi = lo + 1;
		     hi < a->n_t && !strcmp(a->t[hi].id.s, a->t[lo].id.s); hi++)
			;
		if ((rc = emit(a, lo, hi)))
			return rc;
		lo = hi;
	}
	return 0;
}

static int parse_json(struct alp *a, const char *data, size_t len)
{
	json_t *root = NULL;
	int rc;

	if ((rc = feedh_load_json(&root, data, len, 0, NULL, a->name, a->ctx)))
		return rc;
	if (!json_is_object(root))
		rc = customs_error(a->ctx, CUSTOMS_EFORMAT,
				   "%s: not a secdb document (not an object)",
				   a->name);
	if (!rc)
		rc = json_collect(a, root);
	if (!rc)
		rc = run(a);
	json_decref(root);
	return rc;
}

static int parse_yaml(struct alp *a, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc;

	if (!yaml_parser_initialize(&parser))
		return customs_error(a->ctx, CUSTOMS_ENOMEM,
				     "%s: out of memory", a->name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = parser.error == YAML_MEMORY_ERROR
			     ? customs_error(a->ctx, CUSTOMS_ENOMEM,
					     "%s: out of memory", a->name)
			     : customs_error(
				       a->ctx, CUSTOMS_EFORMAT,
				       "%s: line %zu: invalid YAML: %s",
				       a->name, parser.problem_mark.line + 1,
				       parser.problem ? parser.problem : "?");
		yaml_parser_delete(&parser);
		return rc;
	}
	rc = yaml_collect(a, &doc);
	if (!rc)
		rc = run(a);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

int feed_alpine_parse(const char *data, size_t len, const char *name,
		      const struct customs_vuln_sink *sink,
		      const struct feed_warn *warn, struct customs_ctx *ctx)
{
	struct alp a = { .name = name, .sink = sink, .warn = warn, .ctx = ctx };
	const char *p = feedh_skip_ws(data, data + len);
	int rc;

	cbuf_init(&a.ids, FEEDH_POOL_MAX);
	cbuf_init(&a.ranges, FEEDH_POOL_MAX);
	if (p < data + len && *p == '{')
		rc = parse_json(&a, data, len);
	else
		rc = parse_yaml(&a, data, len);
	customs_free(a.t);
	customs_free(a.rows);
	customs_free(a.range_off);
	cbuf_release(&a.ids);
	cbuf_release(&a.ranges);
	return rc;
}

/*
 * The secdb header keys (JSON "apkurl", YAML "apkurl:", ...) within the
 * first bytes; "secfixes" also catches a document whose header comes
 * after its packages.
 */
/* A YAML key at the start of a line of head (not inside prose). */
static bool yaml_key(const char *head, size_t len, const char *key)
{
	size_t n = strlen(key);
	const char *p = head, *end = head + len;

	while (p && (size_t)(end - p) >= n) {
		if (!memcmp(p, key, n))
			return true;
		p = memchr(p, '\n', (size_t)(end - p));
		if (p)
			p++;
	}
	return false;
}

/*
 * secdb JSON is an object holding one of the quoted keys; the YAML form
 * has them as top-level keys at the start of a line. A text that only
 * mentions them (a README) is neither.
 */
bool feed_alpine_detect(const char *head, size_t len, const char *name)
{
	static const char *const keys[] = { "apkurl", "distroversion",
					    "secfixes" };
	static const char *const yaml[] = { "apkurl:", "distroversion:",
					    "packages:" };
	const char *p = feedh_skip_ws(head, head + len);
	char quoted[32];
	size_t i;

	(void)name;
	if (p < head + len && *p == '{') {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			snprintf(quoted, sizeof(quoted), "\"%s\"", keys[i]);
			if (feedh_has(head, len, quoted))
				return true;
		}
		return false;
	}
	for (i = 0; i < sizeof(yaml) / sizeof(yaml[0]); i++) {
		if (yaml_key(head, len, yaml[i]) &&
		    (i < 2 || feedh_has(head, len, "secfixes:")))
			return true;
	}
	return false;
}
