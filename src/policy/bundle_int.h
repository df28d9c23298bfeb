/*
 * Compiled pieces of a bundle: policies with ready-to-run rules and
 * whitelists, built from the bundle JSON for validation (every mapped
 * policy, strict) and for one evaluation (the matched mapping's only).
 */
#ifndef CUSTOMS_POLICY_BUNDLE_INT_H
#define CUSTOMS_POLICY_BUNDLE_INT_H

#include <pthread.h>

#include "policy/policy_int.h"

struct prep;

struct customs_policy_bundle {
	json_t *root;
	char *name; /* for messages */
	pthread_mutex_t lock; /* guards preps */
	struct prep *preps; /* prepared mappings (prepare.c) */
};

struct cpolicy {
	const char *id;
	struct prule *rules;
	size_t n;
};

struct wlitem {
	const char *id; /* NULL when absent */
	const char *gate;
	const char *trigger_id;
	int64_t expires; /* INT64_MAX when it never expires */
};

struct cwl {
	const char *id, *name;
	struct wlitem *items;
	size_t n;
};

/* What a build produces; everything lives in arena. */
struct built {
	struct arena arena;
	struct customs_policy_problems *problems;
	int err; /* ENOMEM */
	struct cpolicy *pols;
	size_t npols;
	struct cwl *wls;
	size_t nwls;
	size_t nerrors; /* problems of severity error added */
};

/* Add a problem. */
void problem(struct built *bd, const char *severity, const char *type,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Build the policies and whitelists one mapping references. strict:
 * EOL gates are errors (validation), else warnings + skipped rules. */
void build_mapping(struct built *bd, const json_t *root, const json_t *map,
		   bool strict);
void built_release(struct built *bd);

/* Mapping and image-selection matching (mapping.c). */
struct tagparts {
	char *registry, *repo, *tag;
	char *full;
};
int tag_parse(struct tagparts *t, const char *tag);
void tag_release(struct tagparts *t);
bool rule_matches(const json_t *rule, const struct tagparts *t,
		  const char *image_id, const char *digest);
json_t *first_match(const json_t *rules, const struct tagparts *t,
		    const char *image_id, const char *digest);

#endif
