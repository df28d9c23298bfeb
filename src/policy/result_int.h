/*
 * The evaluation result (result.c) as eval.c fills it.
 */
#ifndef CUSTOMS_POLICY_RESULT_INT_H
#define CUSTOMS_POLICY_RESULT_INT_H

#include "policy/bundle_int.h"

#define EVAL_MAX_ROWS 2000000u

struct customs_policy_result {
	struct arena arena; /* row strings, tag */
	json_t *bundle; /* referenced */
	const json_t *mapping, *wl_image, *bl_image; /* inside bundle */
	char *image_id, *digest, *user_id;
	const char *tag;
	int64_t created_at;
	struct customs_policy_row *rows;
	size_t nrows;
	struct customs_policy_problems problems;
	enum customs_policy_action policy_final, final;
	const char *reason;
};

struct customs_policy_result *
result_new(const struct customs_policy_bundle *b,
	   const struct customs_policy_analysis *an,
	   const struct customs_policy_eval_opts *opts);

#endif
