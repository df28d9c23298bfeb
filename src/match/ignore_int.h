/*
 * The parsed form of ignore rules, shared by the parser (ignore.c) and
 * the rule matcher (ignore_match.c).
 */
#ifndef CUSTOMS_MATCH_IGNORE_INT_H
#define CUSTOMS_MATCH_IGNORE_INT_H

#include <regex.h>

#include "match/match_int.h"

struct ignore_rule {
	char *vulnerability, *reason, *ns, *expires;
	char *name, *version, *type, *location, *upstream;
	bool has_state, has_mtype, name_re;
	enum customs_fix_state state;
	enum customs_match_type mtype;
	regex_t re;
	size_t line;
};

struct customs_ignore_rules {
	struct ignore_rule *v;
	size_t n;
};

#endif
