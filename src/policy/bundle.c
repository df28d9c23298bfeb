/*
 * Bundles: parsing, the strict build Anchore's API runs as validation,
 * and the build of one mapping for an evaluation.
 *
 * As in the reference, only the policies and whitelists that a mapping
 * references are built (so an unreferenced broken policy passes), each
 * referenced id must exist exactly once, and every problem is collected
 * rather than stopping at the first one. Problem types are Anchore's
 * exception class names. Rules compile into struct prule: the gate and
 * trigger resolved case-insensitively, parameter names lower-cased (and
 * aliases honoured), values validated and stored by parameter index.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy/prepare.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/jsonalloc.h"
#include "util/banned.h"

void problem(struct built *bd, const char *severity, const char *type,
	     const char *fmt, ...)
{
	struct customs_policy_problems *ps = bd->problems;
	struct customs_policy_problem *p;
	struct cbuf b = CBUF_INIT(4096);
	va_list ap;

	if (!strcmp(severity, "error"))
		bd->nerrors++;
	if (!ps)
		return;
	p = customs_reallocarray(ps->v, ps->n + 1, sizeof(*p));
	if (!p) {
		bd->err = CUSTOMS_ENOMEM;
		return;
	}
	ps->v = p;
	p += ps->n;
	va_start(ap, fmt);
	cbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	p->severity = customs_strdup(severity);
	p->problem_type = customs_strdup(type);
	p->details = cbuf_detach(&b);
	if (!p->severity || !p->problem_type || !p->details) {
		customs_free(p->severity);
		customs_free(p->problem_type);
		customs_free(p->details);
		bd->err = CUSTOMS_ENOMEM;
		return;
	}
	ps->n++;
}

void customs_policy_problems_release(struct customs_policy_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		customs_free(p->v[i].severity);
		customs_free(p->v[i].problem_type);
		customs_free(p->v[i].details);
	}
	customs_free(p->v);
	p->v = NULL;
	p->n = 0;
}

static const char *sv(const json_t *o, const char *key)
{
	return jstr(o, key);
}

static bool version_ok(struct built *bd, const json_t *o, const char *what)
{
	const char *v = sv(o, "version");

	if (v && !strcmp(v, "1_0"))
		return true;
	problem(bd, "error", "UnsupportedVersionError",
		"Found version %s, expected one of supported versions "
		"['1_0'] in %s",
		v ? v : "None", what);
	return false;
}

static int parse_action(const char *a, enum customs_policy_action *out)
{
	if (!a)
		return -1;
	if (!strcasecmp(a, "stop"))
		*out = CUSTOMS_POLICY_STOP;
	else if (!strcasecmp(a, "warn"))
		*out = CUSTOMS_POLICY_WARN;
	else if (!strcasecmp(a, "go"))
		*out = CUSTOMS_POLICY_GO;
	else
		return -1;
	return 0;
}

static int param_index(const struct tspec *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nparams; i++) {
		if (!strcasecmp(t->params[i].name, name) ||
		    (t->params[i].alias &&
		     !strcasecmp(t->params[i].alias, name)))
			return (int)i;
	}
	return -1;
}

static void rule_params(struct built *bd, struct prule *r, const json_t *ps,
			const char *where)
{
	bool given[MAX_PARAMS] = { false };
	size_t i;
	json_t *p;
	int k;

	json_array_foreach(ps, i, p)
	{
		const char *name = sv(p, "name");
		json_t *val = json_object_get(p, "value");

		if (!name) {
			problem(bd, "error", "InvalidParameterError",
				"%s: params[%zu] has no name", where, i);
			continue;
		}
		k = param_index(r->t, name);
		if (k < 0) {
			problem(bd, "error", "InvalidParameterError",
				"Parameter %s is not valid for trigger %s of "
				"gate %s (%s)",
				name, r->t->name, r->g->name, where);
			continue;
		}
		given[k] = true;
		if (!json_is_string(val) ||
		    !spec_value_ok(&r->t->params[k], json_string_value(val))) {
			problem(bd, "error", "ParameterValueInvalidError",
				"Parameter %s: value %s failed validation "
				"(%s)",
				r->t->params[k].name,
				json_is_string(val) ? json_string_value(val)
						    : "of non-string type",
				where);
			continue;
		}
		r->pv[k] = json_string_value(val);
	}
	for (i = 0; i < r->t->nparams; i++) {
		if (r->t->params[i].required && !given[i])
			problem(bd, "error", "ParameterValueInvalidError",
				"Required parameter %s not found for trigger "
				"%s of gate %s (%s)",
				r->t->params[i].name, r->t->name, r->g->name,
				where);
	}
}

static bool eol_gate(struct built *bd, const struct gspec *g, const char *trig,
		     bool strict, const char *where)
{
	if (g->state != GS_EOL)
		return false;
	problem(bd, strict ? "error" : "warn", "EndOfLifedError",
		"Gate %s (trigger %s) is end-of-lifed, superseded by %s (%s)",
		g->name, trig ? trig : "None",
		g->superseded_by ? g->superseded_by : "None", where);
	return true;
}

/* Compile one rule; false when it cannot run. */
static bool build_rule(struct built *bd, struct prule *r, const json_t *j,
		       bool strict, const char *where)
{
	const char *gate = sv(j, "gate"), *trig = sv(j, "trigger");
	json_t *params = json_object_get(j, "params");
	size_t before = bd->nerrors;

	memset(r, 0, sizeof(*r));
	r->id = sv(j, "id");
	r->g = gate ? spec_gate(gate) : NULL;
	if (!r->g) {
		problem(bd, "error", "GateNotFoundError",
			"Gate %s not found (%s)", gate ? gate : "None", where);
		return false;
	}
	if (eol_gate(bd, r->g, trig, strict, where))
		return false;
	r->t = trig ? spec_trigger(r->g, trig) : NULL;
	if (!r->t) {
		problem(bd, "error", "TriggerNotFoundError",
			"Trigger %s not found for gate %s (%s)",
			trig ? trig : "None", r->g->name, where);
		return false;
	}
	if (parse_action(sv(j, "action"), &r->action))
		problem(bd, "error", "ValidationError",
			"Invalid action %s (%s): must be one of STOP, WARN, "
			"GO",
			sv(j, "action") ? sv(j, "action") : "None", where);
	if (!json_is_array(params))
		problem(bd, "error", "ValidationError",
			"Rule has no params list (%s)", where);
	else
		rule_params(bd, r, params, where);
	if (bd->nerrors == before && !spec_rule_ok(r))
		problem(bd, "error", "ParameterValueInvalidError",
			"Parameter value: %s is not valid for attribute %s "
			"(%s)",
			r->pv[2], r->pv[0], where);
	return bd->nerrors == before;
}

static void build_policy(struct built *bd, const json_t *p, bool strict)
{
	const char *id = sv(p, "id");
	json_t *rules = json_object_get(p, "rules"), *r;
	struct cpolicy *cp = &bd->pols[bd->npols++];
	char where[160];
	size_t i;

	cp->id = id ? id : "";
	cp->n = 0;
	version_ok(bd, p, "policy");
	if (!json_is_array(rules)) {
		problem(bd, "error", "ValidationError",
			"Policy %s has no rules list", cp->id);
		return;
	}
	cp->rules = arena_alloc(&bd->arena, (json_array_size(rules) + 1) *
						    sizeof(*cp->rules));
	if (!cp->rules) {
		bd->err = CUSTOMS_ENOMEM;
		return;
	}
	json_array_foreach(rules, i, r)
	{
		const char *rid = sv(r, "id");

		snprintf(where, sizeof(where), "policy %.60s rule %.60s",
			 cp->id, rid ? rid : "None");
		if (build_rule(bd, &cp->rules[cp->n], r, strict, where))
			cp->n++;
	}
}

static int64_t item_expiry(struct built *bd, const json_t *it)
{
	json_t *e = json_object_get(it, "expires_on");
	bool ok;
	int64_t t;

	if (!e || json_is_null(e))
		return INT64_MAX;
	t = parse_rfc3339(json_string_value(e), &ok);
	if (json_is_string(e) && ok)
		return t;
	problem(bd, "error", "ValidationError",
		"Whitelist item %s: expires_on is not an RFC3339 time",
		sv(it, "id") ? sv(it, "id") : "None");
	return INT64_MAX;
}

static void build_whitelist(struct built *bd, const json_t *w)
{
	json_t *items = json_object_get(w, "items"), *it;
	struct cwl *cw = &bd->wls[bd->nwls++];
	size_t i;

	cw->id = sv(w, "id") ? sv(w, "id") : "";
	cw->name = sv(w, "name");
	cw->n = 0;
	version_ok(bd, w, "whitelist");
	if (!json_is_array(items)) {
		problem(bd, "error", "ValidationError",
			"Whitelist %s has no items list", cw->id);
		return;
	}
	cw->items = arena_alloc(&bd->arena, (json_array_size(items) + 1) *
						    sizeof(*cw->items));
	if (!cw->items) {
		bd->err = CUSTOMS_ENOMEM;
		return;
	}
	json_array_foreach(items, i, it)
	{
		struct wlitem *wi = &cw->items[cw->n];

		wi->id = sv(it, "id");
		wi->gate = sv(it, "gate");
		wi->trigger_id = sv(it, "trigger_id");
		wi->expires = item_expiry(bd, it);
		if (!wi->gate || !wi->trigger_id) {
			problem(bd, "error", "ValidationError",
				"Whitelist %s item %zu needs gate and "
				"trigger_id",
				cw->id, i);
			continue;
		}
		cw->n++;
	}
}

/* The one object with this id in list; problems for none or several. */
static const json_t *find_ref(struct built *bd, const json_t *list,
			      const char *id, const char *what)
{
	const json_t *found = NULL, *o;
	size_t i, n = 0;

	json_array_foreach(list, i, o)
	{
		const char *oid = sv(o, "id");

		if (oid && !strcmp(oid, id)) {
			found = o;
			n++;
		}
	}
	if (n == 0)
		problem(bd, "error", "ReferencedObjectNotFoundError",
			"Referenced %s id %s not found in bundle", what, id);
	else if (n > 1)
		problem(bd, "error", "DuplicateIdentifierFoundError",
			"Found duplicate %s id %s in bundle", what, id);
	return n == 1 ? found : NULL;
}

static void map_policies(struct built *bd, const json_t *root,
			 const json_t *map, bool strict)
{
	json_t *one = json_object_get(map, "policy_id");
	json_t *many = json_object_get(map, "policy_ids"), *v;
	json_t *pols = json_object_get(root, "policies");
	size_t i, n = json_is_array(many) ? json_array_size(many) : 0;
	const json_t *p;

	if ((one && !json_is_null(one)) == (many && !json_is_null(many))) {
		problem(bd, "error", "ValidationError",
			"Mapping %s must have exactly one of policy_id and "
			"policy_ids",
			sv(map, "name") ? sv(map, "name") : "None");
		return;
	}
	bd->pols = arena_alloc(&bd->arena, (n + 1) * sizeof(*bd->pols));
	if (!bd->pols) {
		bd->err = CUSTOMS_ENOMEM;
		return;
	}
	for (i = 0; i < (json_is_string(one) ? 1 : n); i++) {
		v = json_is_string(one) ? one : json_array_get(many, i);
		if (!json_is_string(v)) {
			problem(bd, "error", "ValidationError",
				"Mapping policy id must be a string");
			continue;
		}
		p = find_ref(bd, pols, json_string_value(v), "policy");
		if (p)
			build_policy(bd, p, strict);
	}
}

static void map_whitelists(struct built *bd, const json_t *root,
			   const json_t *map)
{
	json_t *ids = json_object_get(map, "whitelist_ids"), *v;
	json_t *wls = json_object_get(root, "whitelists");
	const json_t *w;
	size_t i;

	if (!json_is_array(ids)) {
		problem(bd, "error", "ValidationError",
			"Mapping %s: whitelist_ids must be a list",
			sv(map, "name") ? sv(map, "name") : "None");
		return;
	}
	bd->wls = arena_alloc(&bd->arena,
			      (json_array_size(ids) + 1) * sizeof(*bd->wls));
	if (!bd->wls) {
		bd->err = CUSTOMS_ENOMEM;
		return;
	}
	json_array_foreach(ids, i, v)
	{
		if (!json_is_string(v)) {
			problem(bd, "error", "ValidationError",
				"Mapping whitelist id must be a string");
			continue;
		}
		w = find_ref(bd, wls, json_string_value(v), "whitelist");
		if (w)
			build_whitelist(bd, w);
	}
}

static void check_selector(struct built *bd, const json_t *m, const char *what)
{
	json_t *img = json_object_get(m, "image");
	const char *type = sv(img, "type");

	if (!sv(m, "registry") || !sv(m, "repository") || !type ||
	    !sv(img, "value") ||
	    (strcmp(type, "tag") && strcmp(type, "digest") &&
	     strcmp(type, "id")))
		problem(bd, "error", "ValidationError",
			"%s %s needs registry, repository and image "
			"{type: tag|digest|id, value}",
			what, sv(m, "name") ? sv(m, "name") : "None");
}

void build_mapping(struct built *bd, const json_t *root, const json_t *map,
		   bool strict)
{
	check_selector(bd, map, "Mapping");
	map_policies(bd, root, map, strict);
	map_whitelists(bd, root, map);
}

void built_release(struct built *bd)
{
	arena_release(&bd->arena);
}

static void check_selectors(struct built *bd, const json_t *root,
			    const char *key)
{
	json_t *list = json_object_get(root, key), *m;
	size_t i;

	if (!list || json_is_null(list))
		return;
	if (!json_is_array(list)) {
		problem(bd, "error", "ValidationError", "%s must be a list",
			key);
		return;
	}
	json_array_foreach(list, i, m)
	{
		check_selector(bd, m, key);
	}
}

int customs_policy_validate(struct customs_policy_problems *out,
			    const struct customs_policy_bundle *b,
			    struct customs_ctx *ctx)
{
	json_t *maps = json_object_get(b->root, "mappings"), *m;
	size_t i;
	int err = 0;

	struct built top = { ARENA_INIT, out, 0, NULL, 0, NULL, 0, 0 };

	version_ok(&top, b->root, "bundle");
	if (!json_is_array(json_object_get(b->root, "policies")))
		problem(&top, "error", "ValidationError",
			"Bundle has no policies list");
	if (!json_is_array(maps))
		problem(&top, "error", "ValidationError",
			"Bundle has no mappings list");
	check_selectors(&top, b->root, "whitelisted_images");
	check_selectors(&top, b->root, "blacklisted_images");
	err = top.err;
	json_array_foreach(maps, i, m)
	{
		struct built bd = { ARENA_INIT, out, 0, NULL, 0, NULL, 0, 0 };

		build_mapping(&bd, b->root, m, true);
		if (bd.err)
			err = bd.err;
		built_release(&bd);
	}
	if (err)
		return customs_error(ctx, err, "out of memory");
	return 0;
}

int customs_policy_bundle_parse(struct customs_policy_bundle **out,
				const char *json, size_t len, const char *name,
				struct customs_ctx *ctx)
{
	struct customs_policy_bundle *b;
	json_error_t jerr;

	*out = NULL;
	if (!name)
		name = "bundle";
	if (len > CUSTOMS_POLICY_MAX_DOC)
		return customs_error(ctx, CUSTOMS_ELIMIT, "%s: over %u bytes",
				     name, CUSTOMS_POLICY_MAX_DOC);
	customs_json_alloc_init();
	b = customs_calloc(1, sizeof(*b));
	if (!b || !(b->name = customs_strdup(name))) {
		customs_free(b);
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&b->lock, NULL);
	b->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!b->root && json_error_code(&jerr) == json_error_out_of_memory) {
		customs_policy_bundle_free(b);
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	if (!b->root || !json_is_object(b->root)) {
		int rc = customs_error(
			ctx, CUSTOMS_EFORMAT, "%s: line %d: %s", name,
			b->root ? 1 : jerr.line,
			b->root ? "a bundle must be a JSON object" : jerr.text);

		customs_policy_bundle_free(b);
		return rc;
	}
	*out = b;
	return 0;
}

char *customs_policy_bundle_json(const struct customs_policy_bundle *b)
{
	return json_dumps(b->root, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

bool customs_policy_bundle_uses(const struct customs_policy_bundle *b,
				const char *gate, const char *trigger)
{
	const json_t *pols = json_object_get(b->root, "policies"), *pol;
	const json_t *rules, *rule;
	size_t i, j;

	json_array_foreach(pols, i, pol)
	{
		rules = json_object_get(pol, "rules");
		json_array_foreach(rules, j, rule)
		{
			if (streq_ci(jstr(rule, "gate"), gate) &&
			    streq_ci(jstr(rule, "trigger"), trigger))
				return true;
		}
	}
	return false;
}

void customs_policy_bundle_free(struct customs_policy_bundle *b)
{
	if (!b)
		return;
	preps_free(b);
	pthread_mutex_destroy(&b->lock);
	json_decref(b->root);
	customs_free(b->name);
	customs_free(b);
}
