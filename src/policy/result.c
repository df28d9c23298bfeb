/*
 * Evaluation results: accessors and the document Anchore Engine stores
 * for an evaluation (its §3.5 shape): the bundle, the matched mapping and
 * image selectors (or false), the final action including the image
 * selectors, the problems, and under result.<image_id>.result the
 * header/rows table with the policy-only final action. Gate_Action is
 * the effective action (go for whitelisted rows).
 */
#include <string.h>
#include <time.h>

#include "policy/result_int.h"
#include "util/alloc.h"
#include "util/banned.h"

struct customs_policy_result *
result_new(const struct customs_policy_bundle *b,
	   const struct customs_policy_analysis *an,
	   const struct customs_policy_eval_opts *opts)
{
	struct customs_policy_result *r = customs_calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->bundle = json_incref(b->root);
	r->image_id = customs_strdup(an->image_id);
	r->digest = customs_strdup(an->digest);
	r->user_id = customs_strdup(opts->user_id ? opts->user_id : "customs");
	r->created_at = opts->now ? opts->now : (int64_t)time(NULL);
	r->tag = "";
	r->reason = "policy_evaluation";
	r->final = r->policy_final = CUSTOMS_POLICY_GO;
	if (!r->image_id || !r->digest || !r->user_id) {
		customs_policy_result_free(r);
		return NULL;
	}
	return r;
}

void customs_policy_result_free(struct customs_policy_result *r)
{
	if (!r)
		return;
	json_decref(r->bundle);
	customs_free(r->image_id);
	customs_free(r->digest);
	customs_free(r->user_id);
	customs_free(r->rows);
	customs_policy_problems_release(&r->problems);
	arena_release(&r->arena);
	customs_free(r);
}

enum customs_policy_action
customs_policy_result_final(const struct customs_policy_result *r)
{
	return r->final;
}

const char *customs_policy_result_reason(const struct customs_policy_result *r)
{
	return r->reason;
}

const struct customs_policy_row *
customs_policy_result_rows(const struct customs_policy_result *r, size_t *n)
{
	*n = r->nrows;
	return r->rows;
}

const struct customs_policy_problems *
customs_policy_result_problems(const struct customs_policy_result *r)
{
	return &r->problems;
}

const char *customs_policy_result_tag(const struct customs_policy_result *r)
{
	return r->tag;
}

const char *
customs_policy_result_bundle_id(const struct customs_policy_result *r)
{
	const char *id = jstr(r->bundle, "id");

	return id ? id : "";
}

static json_t *or_false(const json_t *v)
{
	return v ? json_deep_copy(v) : json_false();
}

static json_t *row_json(const struct customs_policy_result *r,
			const struct customs_policy_row *row)
{
	json_t *wl = json_false();

	if (row->whitelisted)
		wl = json_pack("{s:s?,s:s?,s:s?}", "whitelist_name",
			       row->whitelist_name, "whitelist_id",
			       row->whitelist_id, "matched_rule_id",
			       row->matched_rule_id);
	return json_pack("[s,s,s,s,s,s,s,o,s]", r->image_id, r->tag,
			 row->trigger_id, row->gate, row->trigger, row->message,
			 customs_policy_action_name(row->action), wl,
			 row->policy_id);
}

static json_t *table_json(const struct customs_policy_result *r)
{
	json_t *rows = json_array(), *t;
	size_t i;

	if (!rows)
		return NULL;
	for (i = 0; i < r->nrows; i++) {
		if (json_array_append_new(rows, row_json(r, &r->rows[i]))) {
			json_decref(rows);
			return NULL;
		}
	}
	t = json_pack("{s:[s,s,s,s,s,s,s,s,s],s:I,s:o,s:s}", "header",
		      "Image_Id", "Repo_Tag", "Trigger_Id", "Gate", "Trigger",
		      "Check_Output", "Gate_Action", "Whitelisted", "Policy_Id",
		      "row_count", (json_int_t)r->nrows, "rows", rows,
		      "final_action",
		      customs_policy_action_name(r->policy_final));
	return json_pack("{s:{s:{s:o},s:[],s:[],s:s,s:[]}}", "result",
			 r->image_id, "result", t, "policy_data",
			 "whitelist_data", "policy_name", "",
			 "whitelist_names");
}

static json_t *problems_json(const struct customs_policy_result *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < r->problems.n; i++) {
		const struct customs_policy_problem *p = &r->problems.v[i];

		if (json_array_append_new(a,
					  json_pack("{s:s,s:s,s:s}", "severity",
						    p->severity, "problem_type",
						    p->problem_type, "details",
						    p->details))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

int customs_policy_result_json(char **out,
			       const struct customs_policy_result *r,
			       bool pretty)
{
	json_t *res = table_json(r), *doc;

	*out = NULL;
	if (!res)
		return CUSTOMS_ENOMEM;
	doc = json_pack(
		"{s:s,s:s,s:s,s:O,s:o,s:o,s:o,s:s,s:s,s:I,s:I,s:o,s:o,s:s,"
		"s:s}",
		"user_id", r->user_id, "image_id", r->image_id, "tag", r->tag,
		"bundle", r->bundle, "matched_mapping_rule",
		or_false(r->mapping), "matched_whitelisted_images_rule",
		or_false(r->wl_image), "matched_blacklisted_images_rule",
		or_false(r->bl_image), "final_action",
		customs_policy_action_name(r->final), "final_action_reason",
		r->reason, "created_at", (json_int_t)r->created_at,
		"last_modified", (json_int_t)r->created_at,
		"evaluation_problems", problems_json(r), "result",
		json_object_get(res, "result")
			? json_incref(json_object_get(res, "result"))
			: NULL,
		"image_digest", r->digest, "status",
		r->final == CUSTOMS_POLICY_STOP ? "fail" : "pass");
	json_decref(res);
	if (!doc)
		return CUSTOMS_ENOMEM;
	*out = json_dumps(doc, JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2)
							     : JSON_COMPACT));
	json_decref(doc);
	return *out ? 0 : CUSTOMS_ENOMEM;
}
