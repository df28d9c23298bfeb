/*
 * Evaluation (Anchore §3): find the first mapping that matches the tag,
 * build its policies and whitelists (a build error stops the image with
 * no rows; end-of-life rules are skipped with a problem), run each
 * policy's rules grouped by gate in first-appearance order, apply the
 * mapping's whitelists in order, take the minimum action (STOP < WARN <
 * GO) per policy and over policies, then let the blacklisted and
 * whitelisted image selectors decide (blacklist first).
 *
 * Triggers write rows through emit(); a trigger that fails fails the
 * whole evaluation, as in the reference.
 */
/* MD5_* are deprecated in OpenSSL 3 but are the cheap, allocation-free
 * way to hash the short strings trigger ids are made of. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "policy/bundle_int.h"
#include "policy/result_int.h"
#include "policy/prepare.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/banned.h"

void customs_policy_trigger_md5(char out[33], const char *gate,
				const char *trigger, const char *message)
{
	unsigned char md[MD5_DIGEST_LENGTH];
	MD5_CTX c;

	/* the low-level API: no allocation or provider fetch per row */
	MD5_Init(&c);
	MD5_Update(&c, gate, strlen(gate));
	MD5_Update(&c, trigger, strlen(trigger));
	MD5_Update(&c, message, strlen(message));
	MD5_Final(md, &c);
	customs_hex(out, md, MD5_DIGEST_LENGTH);
}

const char *customs_policy_action_name(enum customs_policy_action a)
{
	switch (a) {
	case CUSTOMS_POLICY_STOP:
		return "stop";
	case CUSTOMS_POLICY_WARN:
		return "warn";
	default:
		return "go";
	}
}

int msgf(struct ectx *e, const char *fmt, ...)
{
	va_list ap;

	cbuf_reset(&e->msg);
	va_start(ap, fmt);
	cbuf_vprintf(&e->msg, fmt, ap);
	va_end(ap);
	return cbuf_error(&e->msg);
}

bool pbool(const struct prule *r, size_t i, bool dflt)
{
	const char *v = r->pv[i];

	if (!v)
		return dflt;
	return !strcasecmp(v, "true");
}

int eval_error(struct ectx *e, int code, const char *fmt, ...)
{
	char buf[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return customs_error(e->ctx, code, "policy %s rule %s (%s/%s): %s",
			     e->policy_id, e->rule->id ? e->rule->id : "None",
			     e->rule->g->name, e->rule->t->name, buf);
}

int emit(struct ectx *e, const char *id)
{
	struct customs_policy_row *row;
	char md5[33];

	if (cbuf_error(&e->msg))
		return eval_error(e, cbuf_error(&e->msg),
				  "message over %u bytes", MAX_MSG);
	if (e->nrows >= EVAL_MAX_ROWS)
		return eval_error(e, CUSTOMS_ELIMIT, "over %u rows",
				  EVAL_MAX_ROWS);
	if (CUSTOMS_GROW(e->rows, e->caprows, e->nrows + 1))
		return customs_error(e->ctx, CUSTOMS_ENOMEM, "out of memory");
	if (!id) {
		customs_policy_trigger_md5(md5, e->rule->g->name,
					   e->rule->t->name, e->msg.ptr);
		id = md5;
	}
	row = &e->rows[e->nrows];
	memset(row, 0, sizeof(*row));
	row->trigger_id = arena_strdup(e->arena, id);
	row->message = arena_strndup(e->arena, e->msg.ptr, e->msg.len);
	if (!row->trigger_id || !row->message)
		return customs_error(e->ctx, CUSTOMS_ENOMEM, "out of memory");
	row->gate = e->rule->g->name;
	row->trigger = e->rule->t->name;
	row->rule_action = row->action = e->rule->action;
	row->policy_id = e->policy_id;
	row->rule_id = e->rule->id;
	e->nrows++;
	return 0;
}

/* Gates of a policy in first-appearance order, then its rules. */
static int run_policy(struct ectx *e, const struct cpolicy *p)
{
	const struct gspec *seen[64];
	size_t nseen = 0, i, j, k;
	int rc;

	e->policy_id = p->id;
	for (i = 0; i < p->n; i++) {
		const struct gspec *g = p->rules[i].g;

		for (k = 0; k < nseen && seen[k] != g; k++)
			;
		if (k < nseen)
			continue;
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = g;
		for (j = i; j < p->n; j++) {
			if (p->rules[j].g != g)
				continue;
			e->rule = &p->rules[j];
			rc = p->rules[j].t->fire(e, &p->rules[j]);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static void apply_whitelists(struct customs_policy_row *rows, size_t n,
			     const struct wlidx *idx, size_t nidx, int64_t now)
{
	size_t i, w;

	for (i = 0; i < n; i++) {
		for (w = 0; w < nidx && !rows[i].whitelisted; w++) {
			const struct wlitem *it = wlidx_find(
				&idx[w], rows[i].gate, rows[i].trigger_id, now);

			if (!it)
				continue;
			rows[i].whitelisted = true;
			rows[i].whitelist_id = idx[w].w->id;
			rows[i].whitelist_name = idx[w].w->name;
			rows[i].matched_rule_id = it->id;
			rows[i].action = CUSTOMS_POLICY_GO;
		}
	}
}

static enum customs_policy_action min_action(const struct customs_policy_row *r,
					     size_t n)
{
	enum customs_policy_action a = CUSTOMS_POLICY_GO;
	size_t i;

	for (i = 0; i < n; i++) {
		if (r[i].action < a)
			a = r[i].action;
	}
	return a;
}

static int run_mapping(struct ectx *e, const struct prep *p,
		       struct customs_policy_result *res)
{
	const struct built *bd = prep_built(p);
	struct customs_policy_row *rows;
	enum customs_policy_action a;
	size_t i, start;
	int rc = 0;

	res->policy_final = CUSTOMS_POLICY_GO;
	for (i = 0; i < bd->npols && !rc; i++) {
		start = e->nrows;
		rc = run_policy(e, &bd->pols[i]);
		if (rc || e->nrows == start)
			continue; /* no rows: GO, nothing to allowlist */
		rows = e->rows + start;
		apply_whitelists(rows, e->nrows - start, prep_index(p),
				 bd->nwls, e->now);
		a = min_action(rows, e->nrows - start);
		if (a < res->policy_final)
			res->policy_final = a;
	}
	return rc;
}

/* Rows point into the bundle's JSON (ids, names) and static tables
 * (gate and trigger names); the result holds a reference to the JSON. */
static int evaluate_mapping(struct ectx *e,
			    const struct customs_policy_bundle *b,
			    struct customs_policy_result *res)
{
	const struct prep *p = NULL;
	int rc = prep_get(&p, b, res->mapping, e->ctx);

	if (rc)
		return rc;
	if (prep_problems(p, &res->problems))
		return customs_error(e->ctx, CUSTOMS_ENOMEM, "out of memory");
	if (prep_built(p)->nerrors) {
		res->policy_final = CUSTOMS_POLICY_STOP;
		return 0;
	}
	return run_mapping(e, p, res);
}

static void decide(struct customs_policy_result *res, const json_t *root,
		   const struct tagparts *t,
		   const struct customs_policy_analysis *an)
{
	res->wl_image = first_match(json_object_get(root, "whitelisted_images"),
				    t, an->image_id, an->digest);
	res->bl_image = first_match(json_object_get(root, "blacklisted_images"),
				    t, an->image_id, an->digest);
	if (res->bl_image) {
		res->final = CUSTOMS_POLICY_STOP;
		res->reason = "blacklisted";
	} else if (res->wl_image) {
		res->final = CUSTOMS_POLICY_GO;
		res->reason = "whitelisted";
	} else {
		res->final = res->policy_final;
		res->reason = "policy_evaluation";
	}
}

int customs_policy_evaluate(struct customs_policy_result **out,
			    const struct customs_policy_bundle *b,
			    const struct customs_policy_analysis *an,
			    const struct customs_policy_eval_opts *opts,
			    struct customs_ctx *ctx)
{
	struct customs_policy_eval_opts dflt = CUSTOMS_POLICY_EVAL_OPTS_INIT;
	struct customs_policy_result *res;
	struct tagparts t;
	struct ectx e;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &dflt;
	res = result_new(b, an, opts);
	if (!res)
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (tag_parse(&t, opts->tag)) {
		customs_policy_result_free(res);
		return customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	}
	memset(&e, 0, sizeof(e));
	e.an = an;
	e.ctx = ctx;
	e.now = res->created_at;
	e.fixes = opts->fixes;
	e.link_base = opts->link_base ? opts->link_base : "";
	e.arena = &res->arena;
	e.registry = t.registry;
	e.repo = t.repo;
	cbuf_init(&e.msg, MAX_MSG);
	res->tag = arena_strdup(&res->arena, t.full);
	res->policy_final = CUSTOMS_POLICY_GO;
	res->mapping = first_match(json_object_get(b->root, "mappings"), &t,
				   an->image_id, an->digest);
	rc = res->tag ? 0 : customs_error(ctx, CUSTOMS_ENOMEM, "out of memory");
	if (!rc && res->mapping)
		rc = evaluate_mapping(&e, b, res);
	if (!rc)
		decide(res, b->root, &t, an);
	res->rows = e.rows;
	res->nrows = e.nrows;
	cbuf_release(&e.msg);
	tag_release(&t);
	if (rc) {
		customs_policy_result_free(res);
		return rc;
	}
	*out = res;
	return 0;
}
